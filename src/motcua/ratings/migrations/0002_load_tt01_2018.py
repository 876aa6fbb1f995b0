"""Load the TT 01/2018 evaluation index set (data/tt01_2018.json) so every installation has a form to answer."""

import json

from django.db import migrations

from motcua.ratings import indexdata

# The JSON is append-only by convention: a new wording or legal basis is a new set (new code) and a new migration;
# loading is idempotent, so re-running against an existing set changes nothing.
TT01_CODE = "TT01-2018"


def load(apps, schema_editor):
    data = json.loads(indexdata.BUILTIN.read_text(encoding="utf-8"))
    if data["code"] != TT01_CODE:
        raise RuntimeError("data/tt01_2018.json must keep its code")
    indexdata.load(data, apps.get_model("ratings", "IndexSet"), apps.get_model("ratings", "IndexDefinition"))


class Migration(migrations.Migration):
    dependencies = [("ratings", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
