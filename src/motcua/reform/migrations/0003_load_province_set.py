"""Load the province-level criteria set (data/par_province.json: the 876/QĐ-BNV template) on installations that
already ran 0002. Only this file, named here rather than through criteria.BUILTIN, so the migration keeps doing the
same thing when later sets are registered. Idempotent by (code, version): where 0002 already loaded it (a fresh
database, since 0002 walks BUILTIN), nothing changes."""

from django.db import migrations

from motcua.reform import criteria

DATA = "par_province.json"


def load(apps, schema_editor):
    criteria.load(criteria.read(DATA), apps.get_model("reform", "CriteriaSet"), apps.get_model("reform", "Criterion"))


class Migration(migrations.Migration):
    dependencies = [("reform", "0002_load_criteria_sets")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
