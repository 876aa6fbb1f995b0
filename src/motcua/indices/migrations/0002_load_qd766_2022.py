"""Load the Decision 766 index definitions (data/qd766_2022.json) so every installation can score a unit."""

import json

from django.db import migrations

from motcua.indices import definitions

# A revision is a new JSON file with a new code and a new migration; loading is idempotent.
CODE = "QD766-2022"


def load(apps, schema_editor):
    data = json.loads(definitions.BUILTIN.read_text(encoding="utf-8"))
    if data["code"] != CODE:
        raise RuntimeError("data/qd766_2022.json must keep its code")
    definitions.load(data, apps.get_model("indices", "IndexVersion"), apps.get_model("indices", "Indicator"))


class Migration(migrations.Migration):
    dependencies = [("indices", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
