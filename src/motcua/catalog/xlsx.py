"""The catalogue as an XLSX workbook: one sheet per level of the hierarchy, joined by keys (docs/catalog-format.md).

Reading turns the workbook into the exchange-format shape and remembers, for every object, the sheet and row it came
from, so problems found on the nested data (paths like procedures[3].versions[0]...) are reported per row.
"""

import re
from datetime import date, time
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from motcua.catalog.serialize import (
    DOCUMENT_KEYS,
    FEE_KEYS,
    PROCEDURE_KEYS,
    STEP_KEYS,
    VARIANT_KEYS,
    VERSION_KEYS,
)

PROCEDURE_KEY = ("procedure",)
VERSION_KEY = ("procedure", "decision_number")
VARIANT_KEY = ("procedure", "decision_number", "variant")
SHEETS = {
    "fields": ("code", "name"),
    "procedures": PROCEDURE_KEYS,
    "versions": ("procedure", *VERSION_KEYS),
    "variants": (*VARIANT_KEY, *VARIANT_KEYS),
    "fees": (*VARIANT_KEY, *FEE_KEYS),
    "documents": (*VARIANT_KEY, *DOCUMENT_KEYS),
    "steps": (*VARIANT_KEY, *STEP_KEYS),
}


# --- writing ------------------------------------------------------------------------------------------------------

def write_workbook(fields: list[dict], procedures: list[dict], stream) -> None:
    """Write plain catalogue data (serialize.procedure_data shapes) to `stream`."""
    book = Workbook()
    book.remove(book.active)
    sheets = {name: book.create_sheet(name) for name in SHEETS}
    for name, sheet in sheets.items():
        sheet.append(list(SHEETS[name]))
        sheet.freeze_panes = "A2"
    for item in fields:
        _append(sheets["fields"], item)
    for procedure in procedures:
        _append(sheets["procedures"], procedure)
        for version in procedure["versions"]:
            _append(sheets["versions"], version, procedure=procedure["code"])
            for number, variant in enumerate(version["variants"], start=1):
                keys = {"procedure": procedure["code"], "decision_number": version["decision_number"],
                        "variant": number}
                _append(sheets["variants"], variant, **keys)
                for child in ("fees", "documents", "steps"):
                    for row in variant[child]:
                        _append(sheets[child], row, **keys)
    book.save(stream)


def _append(sheet, data: dict, **keys) -> None:
    row = {**data, **keys}
    sheet.append([_cell(row.get(column)) for column in SHEETS[sheet.title]])


def _cell(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, list):
        return ", ".join(value)
    if value == "":
        return None
    return value


# --- reading ------------------------------------------------------------------------------------------------------

class Locator:
    """Maps paths of the nested data to (sheet, row) of the workbook."""

    def __init__(self):
        self.origin: dict[str, tuple[str, int]] = {}

    def remember(self, path: str, sheet: str, row: int) -> None:
        self.origin[path] = (sheet, row)

    def describe(self, path: str) -> str:
        """'Trang steps, dòng 7, cột role' for procedures[0].versions[0].variants[0].steps[2].role."""
        prefix = path
        while prefix:
            if prefix in self.origin:
                sheet, row = self.origin[prefix]
                rest = path[len(prefix):].lstrip(".")
                column = re.split(r"[.\[]", rest)[0] if rest else ""
                if column:
                    return _("Trang %(s)s, dòng %(r)d, cột %(c)s") % {"s": sheet, "r": row, "c": column}
                return _("Trang %(s)s, dòng %(r)d") % {"s": sheet, "r": row}
            prefix = re.sub(r"(\.[^.\[]*|\[\d+\])$", "", prefix)
        return path or _("Tệp")


def read_workbook(stream) -> tuple[dict | None, Locator, list[tuple[str, str]]]:
    """The workbook as exchange-format data, its locator, and problems of the workbook's own structure (missing
    sheets or columns, rows whose keys join nothing), already located as 'Trang x, dòng n'."""
    locator, problems = Locator(), []
    try:
        book = load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several unrelated types for a non-workbook
        return None, locator, [(_("Tệp"), _("không đọc được tệp XLSX: %(e)s") % {"e": exc})]
    rows = {name: _rows(book, name, problems) for name in SHEETS}
    book.close()
    data = {"format": "motcua.catalog/1", "fields": [], "procedures": []}
    for number, row in rows["fields"]:
        locator.remember(f"fields[{len(data['fields'])}]", "fields", number)
        data["fields"].append(row)
    procedures = _join_procedures(rows, data, locator)
    versions = _join_versions(rows, procedures, locator, problems)
    variants = _join_variants(rows, versions, locator, problems)
    for child in ("fees", "documents", "steps"):
        _join_children(rows, child, variants, locator, problems)
    return data, locator, problems


def _rows(book, name: str, problems: list) -> list[tuple[int, dict]]:
    if name not in book.sheetnames:
        problems.append((_("Tệp"), _("thiếu trang «%(s)s».") % {"s": name}))
        return []
    found = []
    header = None
    for number, values in enumerate(book[name].iter_rows(values_only=True), start=1):
        if header is None:
            header = [str(v).strip() if v is not None else "" for v in values]
            for column in header:
                if column and column not in SHEETS[name]:
                    problems.append((_("Trang %(s)s, dòng 1") % {"s": name},
                                     _("cột «%(c)s» không thuộc định dạng.") % {"c": column}))
            missing = [c for c in SHEETS[name] if c not in header and c in (*VARIANT_KEY, "code")]
            for column in missing:
                problems.append((_("Trang %(s)s, dòng 1") % {"s": name}, _("thiếu cột «%(c)s».") % {"c": column}))
            continue
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        found.append((number, {k: v for k, v in zip(header, values, strict=False) if k}))
    return found


def _key(row: dict, columns: tuple[str, ...]) -> tuple:
    return tuple(_key_part(row.get(c)) for c in columns)


def _key_part(value):
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip() if value is not None else ""


def _join_procedures(rows, data, locator) -> dict:
    procedures = {}
    for number, row in rows["procedures"]:
        path = f"procedures[{len(data['procedures'])}]"
        locator.remember(path, "procedures", number)
        row["versions"] = []
        data["procedures"].append(row)
        procedures.setdefault(_key_part(row.get("code")), (path, row))
    return procedures


def _join_versions(rows, procedures, locator, problems) -> dict:
    versions = {}
    for number, row in rows["versions"]:
        parent = procedures.get(_key_part(row.get("procedure")))
        if parent is None:
            problems.append((_("Trang versions, dòng %(r)d") % {"r": number},
                             _("không có thủ tục mã «%(c)s» trong trang procedures.") % {"c": row.get("procedure")}))
            continue
        path = f"{parent[0]}.versions[{len(parent[1]['versions'])}]"
        locator.remember(path, "versions", number)
        row.pop("procedure", None)
        row["variants"] = []
        parent[1]["versions"].append(row)
        versions.setdefault(_key((row | {"procedure": parent[1].get("code")}), VERSION_KEY), (path, row))
    return versions


def _join_variants(rows, versions, locator, problems) -> dict:
    """Variants sorted by their number within each version; the position becomes the variant's order."""
    grouped: dict[tuple, list] = {}
    for number, row in rows["variants"]:
        parent = versions.get(_key(row, VERSION_KEY))
        if parent is None:
            problems.append((_("Trang variants, dòng %(r)d") % {"r": number}, _(
                "không có phiên bản (thủ tục «%(p)s», quyết định «%(d)s») trong trang versions.")
                % {"p": row.get("procedure"), "d": row.get("decision_number")}))
            continue
        if not _is_number(row.get("variant")):
            problems.append((_("Trang variants, dòng %(r)d, cột variant") % {"r": number},
                             _("số thứ tự trường hợp phải là số nguyên dương.")))
            continue
        grouped.setdefault(parent[0], []).append((int(row["variant"]), number, row, parent))
    variants = {}
    for entries in grouped.values():
        for _n, number, row, (vpath, version) in sorted(entries, key=lambda e: (e[0], e[1])):
            key = _key(row, VARIANT_KEY)
            if key in variants:
                problems.append((_("Trang variants, dòng %(r)d, cột variant") % {"r": number},
                                 _("trường hợp số %(n)s bị trùng.") % {"n": row["variant"]}))
                continue
            path = f"{vpath}.variants[{len(version['variants'])}]"
            locator.remember(path, "variants", number)
            for column in VARIANT_KEY:
                row.pop(column, None)
            row.update(fees=[], documents=[], steps=[])
            version["variants"].append(row)
            variants[key] = (path, row)
    return variants


def _is_number(value) -> bool:
    try:
        return int(value) == float(value) and int(value) > 0
    except (TypeError, ValueError):
        return False


def _join_children(rows, sheet: str, variants, locator, problems) -> None:
    for number, row in rows[sheet]:
        parent = variants.get(_key(row, VARIANT_KEY))
        if parent is None:
            problems.append((_("Trang %(s)s, dòng %(r)d") % {"s": sheet, "r": number}, _(
                "không có trường hợp số «%(n)s» của thủ tục «%(p)s», quyết định «%(d)s» trong trang variants.")
                % {"n": row.get("variant"), "p": row.get("procedure"), "d": row.get("decision_number")}))
            continue
        locator.remember(f"{parent[0]}.{sheet}[{len(parent[1][sheet])}]", sheet, number)
        for column in VARIANT_KEY:
            row.pop(column, None)
        parent[1][sheet].append(row)
