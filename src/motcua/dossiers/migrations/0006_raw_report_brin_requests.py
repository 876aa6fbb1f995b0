"""A BRIN index on the dossier's last activity (`models.last_activity()`), PostgreSQL only, and an index on the
supplement requests' instants (the raw-table report's request count read every request of every year).

The raw-table report reads the dossiers active in a period; a province's table grows in time order, so a block
range summary (a few hundred kB for 10 M rows) lets PostgreSQL skip the years before the period where a B-tree
range over a quarter of the table lost to a sequential scan (docs/statistics.md). SQLite has no BRIN: the B-tree
`dossier_agency_last_activity` serves it. Not in `Dossier.Meta.indexes`, which cannot hold a PostgreSQL-only index.
"""

from django.contrib.postgres.indexes import BrinIndex
from django.db import migrations, models

from motcua.dossiers.models import last_activity

NAME = "dossier_last_activity_brin"


def index():
    return BrinIndex(last_activity(), name=NAME, pages_per_range=32, autosummarize=True)


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("dossiers", "Dossier"), index())


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("dossiers", "Dossier"), index())


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0005_raw_report_indexes")]

    operations = [
        migrations.RunPython(create, drop),
        migrations.AddIndex(model_name="supplementrequest", index=models.Index(
            fields=["requested_at", "dossier"], name="supplement_requested_at")),
    ]
