"""Load the shipped criteria sets (data/par_department.json, data/par_commune.json) so every installation can open
a PAR round. Loading is idempotent by (code, version); a revised tree is a new version in a new migration."""

from django.db import migrations

from motcua.reform import criteria


def load(apps, schema_editor):
    for name in criteria.BUILTIN:
        criteria.load(criteria.read(name), apps.get_model("reform", "CriteriaSet"),
                      apps.get_model("reform", "Criterion"))


class Migration(migrations.Migration):
    dependencies = [("reform", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
