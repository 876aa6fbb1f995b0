"""Index diet (docs/decisions/0003-index-diet.md): the single-column indexes Django gives every foreign key are
dropped where a composite index leads with the column, and kept only over the rows that set it for nullable keys.

The fields change in the migration state only; in the database just the indexes go. Django's own AlterField would
also drop and re-add each foreign-key constraint, i.e. validate it again by a scan of the table (14 scans of the
largest tables for nothing)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

FIELDS = {"dossier": ("api_client", "applicant_user", "assignee", "competent_agency", "created_by", "receiving_agency"),
          "dossierevent": ("actor", "dossier", "from_step", "to_step"),
          "handover": ("from_step", "giver_user", "receiver_user", "to_step")}


def _single_column_indexes(apps, schema_editor):
    for model_name, fields in FIELDS.items():
        model = apps.get_model("dossiers", model_name)
        for name in fields:
            field = model._meta.get_field(name)
            yield model, field, schema_editor._create_index_name(model._meta.db_table, [field.column])


def drop_indexes(apps, schema_editor):
    for _model, _field, index in _single_column_indexes(apps, schema_editor):
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(index)}")


def create_indexes(apps, schema_editor):
    for model, field, _index in _single_column_indexes(apps, schema_editor):
        schema_editor.execute(schema_editor._create_index_sql(model, fields=[field]))


class Migration(migrations.Migration):

    dependencies = [
        ('agencies', '0001_initial'),
        ('catalog', '0002_procedureversion_uniq_version_decision_and_more'),
        ('dossiers', '0006_raw_report_brin_requests'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='dossier',
                    name='api_client',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='dossiers.apiclient'),
                ),
                migrations.AlterField(
                    model_name='dossier',
                    name='applicant_user',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='dossiers', to=settings.AUTH_USER_MODEL, verbose_name='tài khoản người nộp'),
                ),
                migrations.AlterField(
                    model_name='dossier',
                    name='assignee',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='assigned_dossiers', to=settings.AUTH_USER_MODEL, verbose_name='người xử lý'),
                ),
                migrations.AlterField(
                    model_name='dossier',
                    name='competent_agency',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='agencies.agency', verbose_name='cơ quan giải quyết'),
                ),
                migrations.AlterField(
                    model_name='dossier',
                    name='created_by',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
                ),
                migrations.AlterField(
                    model_name='dossier',
                    name='receiving_agency',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='agencies.agency', verbose_name='đơn vị tiếp nhận'),
                ),
                migrations.AlterField(
                    model_name='dossierevent',
                    name='actor',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
                ),
                migrations.AlterField(
                    model_name='dossierevent',
                    name='dossier',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='events', to='dossiers.dossier'),
                ),
                migrations.AlterField(
                    model_name='dossierevent',
                    name='from_step',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='catalog.processstep'),
                ),
                migrations.AlterField(
                    model_name='dossierevent',
                    name='to_step',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='catalog.processstep'),
                ),
                migrations.AlterField(
                    model_name='handover',
                    name='from_step',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='catalog.processstep'),
                ),
                migrations.AlterField(
                    model_name='handover',
                    name='giver_user',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
                ),
                migrations.AlterField(
                    model_name='handover',
                    name='receiver_user',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
                ),
                migrations.AlterField(
                    model_name='handover',
                    name='to_step',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='catalog.processstep'),
                ),
            ],
            database_operations=[migrations.RunPython(drop_indexes, create_indexes)],
        ),
        migrations.AddIndex(
            model_name='dossier',
            index=models.Index(condition=models.Q(('api_client__isnull', False)), fields=['api_client'], name='dossier_api_client_set'),
        ),
        migrations.AddIndex(
            model_name='dossier',
            index=models.Index(condition=models.Q(('created_by__isnull', False)), fields=['created_by'], name='dossier_created_by_set'),
        ),
        migrations.AddIndex(
            model_name='dossierevent',
            index=models.Index(condition=models.Q(('from_step__isnull', False)), fields=['from_step'], name='event_from_step_set'),
        ),
        migrations.AddIndex(
            model_name='dossierevent',
            index=models.Index(condition=models.Q(('to_step__isnull', False)), fields=['to_step'], name='event_to_step_set'),
        ),
        migrations.AddIndex(
            model_name='dossierevent',
            index=models.Index(condition=models.Q(('actor__isnull', False)), fields=['actor'], name='event_actor_set'),
        ),
        migrations.AddIndex(
            model_name='handover',
            index=models.Index(condition=models.Q(('from_step__isnull', False)), fields=['from_step'], name='handover_from_step_set'),
        ),
        migrations.AddIndex(
            model_name='handover',
            index=models.Index(condition=models.Q(('to_step__isnull', False)), fields=['to_step'], name='handover_to_step_set'),
        ),
        migrations.AddIndex(
            model_name='handover',
            index=models.Index(condition=models.Q(('giver_user__isnull', False)), fields=['giver_user'], name='handover_giver_user_set'),
        ),
        migrations.AddIndex(
            model_name='handover',
            index=models.Index(condition=models.Q(('receiver_user__isnull', False)), fields=['receiver_user'], name='handover_receiver_user_set'),
        ),
    ]
