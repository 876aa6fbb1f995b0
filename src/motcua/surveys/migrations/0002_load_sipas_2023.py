from django.db import migrations


def load(apps, schema_editor):
    from motcua.surveys import questionnaire

    questionnaire.load(questionnaire.read(), apps.get_model("surveys", "Questionnaire"),
                       apps.get_model("surveys", "Question"))


def unload(apps, schema_editor):
    apps.get_model("surveys", "Questionnaire").objects.filter(code="SIPAS-1001-2023", campaigns=None).delete()


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
