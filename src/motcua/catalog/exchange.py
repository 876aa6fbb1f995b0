"""Import and export of the whole catalogue, as JSON (format motcua.catalog/1) or XLSX (docs/catalog-format.md).

Import checks the entire input first and rejects it whole, with every problem located (JSON path, or sheet and row
for XLSX); it then writes in one transaction, publishing versions marked published through `services.publish`, and
rolls everything back if any publish is refused. It is idempotent by procedure code + decision number: importing the
same file again writes nothing.
"""

import io
import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from motcua.catalog import importer, xlsx
from motcua.catalog.models import Field
from motcua.catalog.serialize import catalogue_queryset, procedure_data, to_json

FORMATS = ("json", "xlsx")


class CatalogImportError(ValidationError):
    """The rejected input's problems as {where: [messages]}; `report()` gives one line per problem."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        errors: dict[str, list[str]] = {}
        for where, message in problems:
            errors.setdefault(where or "_", []).append(message)
        super().__init__(errors)

    def report(self) -> list[str]:
        return [f"{where}: {message}" if where else message for where, message in self.problems]


def import_catalog(source, format: str = "json", *, dry_run: bool = False, user=None) -> importer.ImportSummary:
    """Import `source` (a path or a binary/text stream). Raises CatalogImportError, writing nothing, when anything
    is wrong. With dry_run, everything is checked and written inside a transaction that is then rolled back."""
    if format not in FORMATS:
        raise CatalogImportError([("format", _("định dạng «%(f)s» không được hỗ trợ (json, xlsx).") % {"f": format})])
    data, locate, problems = _read(source, format)
    if data is not None:  # rows of a workbook that join nothing were left out; check the rest as well
        plan, found = importer.check(data)
        problems += [(locate(path), message) for path, message in found]
    if problems:
        raise CatalogImportError(problems)
    with transaction.atomic():
        summary, found = importer.write(plan, user=user)
        if found:
            raise CatalogImportError([(locate(path), message) for path, message in found])  # rolls back
        summary.dry_run = dry_run
        if dry_run:
            transaction.set_rollback(True)
    return summary


def _read(source, format: str):
    if format == "xlsx":
        stream = open(source, "rb") if isinstance(source, str | Path) else source  # noqa: SIM115
        try:
            data, locator, problems = xlsx.read_workbook(stream)
        finally:
            if stream is not source:
                stream.close()
        return data, locator.describe, problems
    try:
        raw = Path(source).read_bytes() if isinstance(source, str | Path) else source.read()
        data = json.loads(raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw)
    except json.JSONDecodeError as exc:
        return None, _identity, [("", _("Tệp JSON không hợp lệ: dòng %(l)d, cột %(c)d: %(m)s.")
                                  % {"l": exc.lineno, "c": exc.colno, "m": exc.msg})]
    except (OSError, UnicodeDecodeError) as exc:
        return None, _identity, [("", _("Không đọc được tệp: %(e)s") % {"e": exc})]
    return data, _identity, []


def _identity(path: str) -> str:
    return path


def catalogue_data() -> tuple[list[dict], list[dict]]:
    """Fields and procedures (with every version) as plain data."""
    fields = [{"code": f.code, "name": f.name} for f in Field.objects.order_by("code")]
    return fields, [procedure_data(p) for p in catalogue_queryset()]


def dump_catalog() -> dict:
    """The whole catalogue in the JSON exchange format (JSON types)."""
    fields, procedures = catalogue_data()
    return {"format": importer.FORMAT, "fields": fields, "procedures": to_json(procedures)}


def export_catalog(stream_or_path, format: str = "json") -> None:
    """Write the whole catalogue to a path or a stream (binary for xlsx; text or binary for json)."""
    if format not in FORMATS:
        raise ValueError(format)
    if format == "xlsx":
        fields, procedures = catalogue_data()
        xlsx.write_workbook(fields, procedures, stream_or_path)
        return
    text = json.dumps(dump_catalog(), ensure_ascii=False, indent=2)
    if isinstance(stream_or_path, str | Path):
        Path(stream_or_path).write_text(text + "\n", encoding="utf-8")
    elif isinstance(stream_or_path, io.TextIOBase):
        stream_or_path.write(text + "\n")
    else:
        stream_or_path.write((text + "\n").encode("utf-8"))
