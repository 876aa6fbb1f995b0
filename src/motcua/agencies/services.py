"""Agency catalogue services: bulk import from CSV / XLSX.

An import is all or nothing: every row is parsed and checked against the file and the database first (rows may
refer to parents and successors defined later in the same file); only a clean file is written, in one
transaction. The report lists every problem with its spreadsheet row number (header = row 1) and column.
"""

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from motcua.agencies import rules
from motcua.agencies.models import Agency, AgencyKind, AgencyLevel
from motcua.core.text import fold

COLUMNS = ("code", "name", "short_name", "level", "kind", "parent_code", "address", "phone", "email",
           "valid_from", "valid_to", "successor_code")
REQUIRED_COLUMNS = ("code", "name", "level")
MAX_LENGTHS = {"name": 255, "short_name": 100, "address": 255, "phone": 32, "email": 254}
# Fields copied to the model as they are (after parsing); links are resolved separately.
PLAIN_FIELDS = ("name", "short_name", "level", "kind", "address", "phone", "email", "valid_from", "valid_to")


@dataclass(frozen=True)
class RowError:
    row: int  # spreadsheet row number; 1 = header, 0 = the file itself
    column: str
    message: str


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    dry_run: bool = False
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_text(self) -> str:
        """Human-readable report (Vietnamese), one error per line, for the command line and the admin page."""
        if not self.ok:
            lines = [_("Tệp không hợp lệ: %(n)d lỗi, không có đơn vị nào được nhập.") % {"n": len(self.errors)}]
            lines += [_("Dòng %(row)d, cột %(column)s: %(message)s") % {
                "row": e.row, "column": e.column or "-", "message": e.message} for e in self.errors]
            return "\n".join(lines)
        head = _("Kiểm tra thử (không ghi): ") if self.dry_run else ""
        return head + _("%(rows)d dòng: %(created)d đơn vị mới, %(updated)d cập nhật, %(unchanged)d không đổi.") % {
            "rows": self.rows, "created": self.created, "updated": self.updated, "unchanged": self.unchanged}


@dataclass
class _Row:
    number: int
    values: dict[str, Any]
    parent_code: str = ""
    successor_code: str = ""


class _FileError(Exception):
    pass


# --- reading ---------------------------------------------------------------------------------------------------

def _cell_text(value: Any) -> Any:
    """Spreadsheet cells arrive typed: keep dates, turn numbers (a phone typed as a number) into text."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_csv(source) -> list[list[Any]]:
    if isinstance(source, str | Path):
        with open(source, encoding="utf-8-sig", newline="") as fh:
            text = fh.read()
    else:
        data = source.read()
        text = data.decode("utf-8-sig") if isinstance(data, bytes) else data.lstrip("\ufeff")
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [[_cell_text(c) for c in row] for row in csv.reader(io.StringIO(text), dialect)]


def _read_xlsx(source) -> list[list[Any]]:
    from openpyxl import load_workbook

    if not isinstance(source, str | Path) and not hasattr(source, "seek"):
        source = io.BytesIO(source.read())
    workbook = load_workbook(source, read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        return [[_cell_text(c) for c in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def _read_table(source, fmt: str) -> list[list[Any]]:
    try:
        return _read_xlsx(source) if fmt == "xlsx" else _read_csv(source)
    except UnicodeDecodeError as exc:
        raise _FileError(_("Tệp CSV phải được mã hóa UTF-8.")) from exc
    except (OSError, ValueError, KeyError, csv.Error, zipfile.BadZipFile) as exc:
        raise _FileError(_("Không đọc được tệp: %(err)s") % {"err": exc}) from exc


# --- parsing one row ---------------------------------------------------------------------------------------------

@lru_cache(maxsize=8)
def _choice_map(choices_cls) -> dict[str, str]:
    """Folded stored value and folded Vietnamese label → stored value (built once, not per row)."""
    with translation.override("vi"):
        labels = {fold(str(label)): key for key, label in choices_cls.choices}
    return labels | {key: key for key in choices_cls.values}


def _choice(value: str, choices_cls) -> str | None:
    """Accept the stored value or the Vietnamese label, with or without diacritics."""
    return _choice_map(choices_cls).get(fold(value))


def _parse_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if not value:
        return None
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError


def _parse_row(number: int, raw: dict[str, Any], errors: list[RowError]) -> _Row:
    def err(column, message):
        errors.append(RowError(number, column, message))

    text = {k: (v if isinstance(v, date) else str(v).strip()) for k, v in raw.items()}
    values: dict[str, Any] = {"code": text.get("code", "")}
    for column in REQUIRED_COLUMNS:
        if not text.get(column):
            err(column, _("Cột “%(col)s” là bắt buộc.") % {"col": column})
    if values["code"] and (message := rules.code_error(values["code"])):
        err("code", message)
    for column in ("name", "short_name", "address", "phone", "email"):
        values[column] = str(text.get(column, ""))
        if len(values[column]) > MAX_LENGTHS[column]:
            err(column, _("Dài quá %(n)d ký tự.") % {"n": MAX_LENGTHS[column]})
    if values["email"]:
        try:
            validate_email(values["email"])
        except ValidationError:
            err("email", _("Địa chỉ thư điện tử không hợp lệ."))
    values["level"] = _choice(str(text.get("level", "")), AgencyLevel)
    if text.get("level") and values["level"] is None:
        err("level", _("Cấp “%(v)s” không hợp lệ (ministry, province, district, commune).") % {"v": text["level"]})
    kind = str(text.get("kind", ""))
    values["kind"] = _choice(kind, AgencyKind) if kind else AgencyKind.OTHER
    if values["kind"] is None:
        err("kind", _("Loại đơn vị “%(v)s” không hợp lệ.") % {"v": kind})
    for column in ("valid_from", "valid_to"):
        try:
            values[column] = _parse_date(text.get(column))
        except ValueError:
            values[column] = None
            err(column, _("Ngày “%(v)s” không hợp lệ (dd/mm/yyyy hoặc yyyy-mm-dd).") % {"v": text.get(column)})
    if message := rules.dates_error(values["valid_from"], values["valid_to"]):
        err("valid_to", message)
    return _Row(number, values, str(text.get("parent_code", "")), str(text.get("successor_code", "")))


# --- checks across rows ------------------------------------------------------------------------------------------

def _check_links(rows: list[_Row], errors: list[RowError]) -> None:
    """Duplicates, unknown references, level order and cycles, against the file merged over the database."""
    db = {code: (parent, successor, level) for code, parent, successor, level in
          Agency.objects.values_list("code", "parent__code", "successor__code", "level")}
    first_row: dict[str, int] = {}
    for row in rows:
        code = row.values["code"]
        if code in first_row:
            errors.append(RowError(row.number, "code", _("Mã “%(code)s” trùng với dòng %(row)d.") % {
                "code": code, "row": first_row[code]}))
        elif code:
            first_row[code] = row.number
    by_code = {row.values["code"]: row for row in rows if row.values["code"]}
    parents = {code: p for code, (p, _s, _l) in db.items()} | {c: r.parent_code or None for c, r in by_code.items()}
    successors = {code: s for code, (_p, s, _l) in db.items()} | {
        c: r.successor_code or None for c, r in by_code.items()}
    levels = {code: lvl for code, (_p, _s, lvl) in db.items()} | {c: r.values["level"] for c, r in by_code.items()}
    known = set(db) | set(by_code)
    for row in rows:
        if first_row.get(row.values["code"]) != row.number:
            continue
        _check_link(row, "parent_code", row.parent_code, known, parents, errors)
        _check_link(row, "successor_code", row.successor_code, known, successors, errors)
        if row.parent_code in known and (message := rules.level_error(row.values["level"], levels[row.parent_code])):
            errors.append(RowError(row.number, "level", message))


def _check_link(row: _Row, column: str, target: str, known: set, links: dict, errors: list[RowError]) -> None:
    code = row.values["code"]
    if not target:
        return
    if target not in known:
        errors.append(RowError(row.number, column, _("Không tìm thấy đơn vị có mã “%(code)s”.") % {"code": target}))
    elif target == code:
        errors.append(RowError(row.number, column, _("Đơn vị không thể trỏ đến chính nó.")))
    elif rules.creates_cycle(code, target, links.get):
        message = (_("Đơn vị cấp trên tạo thành vòng lặp trong cây đơn vị.") if column == "parent_code"
                   else _("Đơn vị kế thừa tạo thành vòng lặp kế thừa."))
        errors.append(RowError(row.number, column, message))


def validate_rows(table: list[list[Any]]) -> tuple[list[_Row], list[RowError]]:
    errors: list[RowError] = []
    if not table:
        return [], [RowError(0, "", _("Tệp rỗng."))]
    header = [fold(str(h)).replace(" ", "_") for h in table[0]]
    for column in REQUIRED_COLUMNS:
        if column not in header:
            errors.append(RowError(1, column, _("Thiếu cột bắt buộc “%(col)s”.") % {"col": column}))
    for column in header:
        if column and column not in COLUMNS:
            errors.append(RowError(1, column, _("Cột “%(col)s” không được hỗ trợ.") % {"col": column}))
    if errors:
        return [], errors
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        if all(c in ("", None) for c in cells):
            continue  # blank lines at the end of spreadsheets
        raw = {col: (cells[i] if i < len(cells) else "") for i, col in enumerate(header) if col}
        rows.append(_parse_row(number, raw, errors))
    if not rows:
        errors.append(RowError(0, "", _("Tệp không có dòng dữ liệu nào.")))
    _check_links(rows, errors)
    return rows, errors


# --- writing ----------------------------------------------------------------------------------------------------

def _parents_first(rows: list[_Row]) -> list[_Row]:
    """Order rows so a parent defined in the file is saved before its children (the path needs the parent)."""
    by_code = {r.values["code"]: r for r in rows}
    ordered, done = [], set()

    def visit(row: _Row):
        if row.values["code"] in done:
            return
        done.add(row.values["code"])
        if row.parent_code in by_code:
            visit(by_code[row.parent_code])
        ordered.append(row)

    for row in rows:
        visit(row)
    return ordered


def _key(agency: Agency | None):
    """Identity of a link target; a unit not saved yet (dry run) is identified by its code."""
    if agency is None:
        return None
    return agency.pk if agency.pk is not None else f"new:{agency.code}"


def _write(rows: list[_Row], report: ImportReport, *, commit: bool = True) -> None:
    """Create or update every row, parents first; save only what differs. With commit=False nothing is saved
    and the report says what would change (the dry run)."""
    codes = {r.values["code"] for r in rows} | {r.parent_code for r in rows} | {r.successor_code for r in rows}
    agencies = {a.code: a for a in Agency.objects.filter(code__in=codes - {""})}
    new_codes = {r.values["code"] for r in rows} - set(agencies)
    report.created = len(new_codes)
    touched = set()
    for row in _parents_first(rows):
        agency = agencies.get(row.values["code"]) or Agency(code=row.values["code"])
        parent = agencies[row.parent_code] if row.parent_code else None
        new = {f: row.values[f] for f in PLAIN_FIELDS}
        if agency.pk is not None:
            if all(getattr(agency, f) == v for f, v in new.items()) and _key(parent) == agency.parent_id:
                continue
            touched.add(agency.code)
        for f, v in new.items():
            setattr(agency, f, v)
        agency.parent = parent
        if commit:
            agency.save()
        agencies[agency.code] = agency
    for row in rows:  # successors last: they may be any unit of the file
        agency = agencies[row.values["code"]]
        successor = agencies[row.successor_code] if row.successor_code else None
        if _key(successor) != agency.successor_id:
            touched.add(agency.code)
            if commit:  # save(), not queryset update(): the audit trail listens to model signals.
                agency.successor = successor
                agency.save(update_fields=["successor"])
    report.updated = len(touched - new_codes)
    report.unchanged = len(rows) - report.created - report.updated


def import_agencies(source: str | Path | IO, format: str = "csv", *, dry_run: bool = False) -> ImportReport:
    """Import agencies from a CSV or XLSX file (path or open binary/text stream).

    Columns: code, name, short_name, level, kind, parent_code, address, phone, email, valid_from, valid_to,
    successor_code. Existing codes are updated, new ones created; an invalid file writes nothing.
    """
    if format not in ("csv", "xlsx"):
        raise ValueError(_("Định dạng tệp phải là csv hoặc xlsx."))
    report = ImportReport(dry_run=dry_run)
    try:
        table = _read_table(source, format)
    except _FileError as exc:
        report.errors.append(RowError(0, "", str(exc)))
        return report
    rows, errors = validate_rows(table)
    report.rows, report.errors = len(rows), sorted(errors, key=lambda e: (e.row, COLUMNS.index(e.column)
                                                                          if e.column in COLUMNS else 99))
    if errors:
        return report
    if dry_run:
        _write(rows, report, commit=False)
        return report
    with transaction.atomic():
        _write(rows, report)
    return report
