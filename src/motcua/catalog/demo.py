"""Demo catalogue: imports data/demo_procedures.json (format motcua.catalog/1) through the normal importer, so the
demo data passes the same checks as any real catalogue. Idempotent: a second run writes nothing."""

from pathlib import Path

from django.utils.translation import gettext as _

from motcua.catalog.exchange import import_catalog

DATA_FILE = Path(__file__).resolve().parent / "data" / "demo_procedures.json"


def load(stdout, path: Path = DATA_FILE) -> None:
    if not path.is_file():
        stdout.write(_("Chưa có tệp thủ tục mẫu %(p)s, bỏ qua.") % {"p": path})
        return
    summary = import_catalog(path, "json")
    stdout.write(_("Thủ tục mẫu: %(s)s") % {"s": summary})
