"""Report exports: JSON, CSV (UTF-8 with BOM for Excel), XLSX (XlsxWriter, streamed; `write_xlsx` also writes
the dossier lists of `dossier_export`), DOCX (python-docx), PDF (reportlab with a
TrueType font that has Vietnamese glyphs). One table model for every format: `table(report)` = header + rows (one row
per group with --by, else the totals row)."""

import csv
import io
import json
import os
import shutil
import subprocess
from collections.abc import Iterable, Sequence
from datetime import date

from django.utils.translation import gettext as _

from motcua.core.text import format_number_vi
from motcua.reports.definitions import LABELS, RATE_MEASURES, TABLE_MEASURES

FORMATS = ("json", "csv", "xlsx", "docx", "pdf")
PROGRESS_STEP = 500  # rows between progress callbacks (a call per row would cost more than writing the row)
# Key columns for the narrow formats (DOCX/PDF group tables).
KEY_COLUMNS = ("received", "carried_over", "finished", "finished_early", "finished_on_time", "finished_late",
               "in_progress", "in_progress_overdue", "on_time_rate")
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
)


class ExportError(Exception):
    """A format that cannot be produced on this machine (e.g. no font for the PDF)."""


def title(report: dict) -> str:
    from datetime import date

    from motcua.reports.summary import period_phrase

    phrase = period_phrase(date.fromisoformat(report["date_from"]), date.fromisoformat(report["date_to"]))
    return _("Báo cáo tình hình giải quyết thủ tục hành chính — %(u)s — %(p)s") % {
        "u": report.get("unit_name", ""), "p": phrase}


def rows(report: dict) -> list[tuple[str, dict]]:
    """(label, measures) per table row."""
    if report.get("groups"):
        return [(str(g.get("label") or g.get("key")), g) for g in report["groups"]] + [(_("Tổng cộng"), report)]
    return [(_("Tổng cộng"), report)]


def header(by: str | None) -> list[str]:
    first = {"channel": _("Kênh nộp"), "procedure": _("Thủ tục"), "agency": _("Cơ quan, đơn vị"),
             "officer": _("Cán bộ xử lý")}.get(by or "", _("Phạm vi"))
    return [first] + [str(LABELS[m]) for m in TABLE_MEASURES]


def to_json(report: dict) -> bytes:
    return json.dumps(report, ensure_ascii=False, indent=2, default=str).encode("utf-8")


def to_csv(report: dict) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header(report.get("by")))
    for label, r in rows(report):
        w.writerow([label] + ["" if r.get(m) is None else r.get(m) for m in TABLE_MEASURES])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def write_xlsx(target, sheet: str, header: list[str], rows: Iterable[Sequence], *, formats: dict | None = None,
               widths: dict | None = None, preamble: Sequence[str] = (), freeze_cols: int = 0,
               autofilter: bool = False, progress=None) -> int:
    """Stream `rows` into a one-sheet workbook at `target` (path or binary file) with XlsxWriter in constant-memory
    mode: each row goes to a temporary file as it is written, so memory does not grow with the rows, and the
    per-cell cost is about half of openpyxl's write-only mode (bench/export.py). Optional `preamble` lines come
    above the bold header, which is frozen (with the first `freeze_cols` columns). `formats` maps a column index
    to an Excel number format; datetimes must be naive local time. None and "" leave the cell empty.
    `progress(n)` is called every PROGRESS_STEP rows and at the end. Returns the number of data rows."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(target, {"constant_memory": True})
    ws = wb.add_worksheet(sheet[:31])
    head_format = wb.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    cell_formats = [None] * len(header)
    for col, num_format in (formats or {}).items():
        cell_formats[col] = wb.add_format({"num_format": num_format})
    for col, width in (widths or {}).items():
        ws.set_column(col, col, width)
    for r, line in enumerate(preamble):
        ws.write_string(r, 0, line)
    head = len(preamble)
    ws.write_row(head, 0, header, head_format)
    ws.freeze_panes(head + 1, freeze_cols)
    r = head
    write_string, write_number, write_datetime = ws.write_string, ws.write_number, ws.write_datetime
    for values in rows:
        r += 1
        for col, value in enumerate(values):
            if value is None or value == "":
                continue
            if isinstance(value, str):
                write_string(r, col, value, cell_formats[col])
            elif isinstance(value, date):
                write_datetime(r, col, value, cell_formats[col])
            else:
                write_number(r, col, value, cell_formats[col])
        if progress and (r - head) % PROGRESS_STEP == 0:
            progress(PROGRESS_STEP)
    if progress and (r - head) % PROGRESS_STEP:
        progress((r - head) % PROGRESS_STEP)
    if autofilter:
        ws.autofilter(head, 0, r, len(header) - 1)
    wb.close()
    return r - head


def to_xlsx(report: dict, progress=None) -> bytes:
    """Title, narrative and definition lines, then the table with number formats; header and label column frozen.
    `progress(n)` counts table rows."""
    formats = {i: "0.00" if m in RATE_MEASURES or m == "avg_handling_days" else "#,##0"
               for i, m in enumerate(TABLE_MEASURES, start=1)}
    table = ([label] + [r.get(m) for m in TABLE_MEASURES] for label, r in rows(report))
    out = io.BytesIO()
    write_xlsx(out, _("Báo cáo"), header(report.get("by")), table, formats=formats, widths={0: 40},
               preamble=(title(report), report.get("summary_vi", ""), str(report.get("definition_label", ""))),
               freeze_cols=1, progress=progress)
    return out.getvalue()


def _cell(value, measure: str) -> str:
    if value is None:
        return "-"
    if measure in RATE_MEASURES or measure == "avg_handling_days":
        return format_number_vi(value, 2)
    return format_number_vi(value)


def _narrow_tables(report: dict) -> list[list[list[str]]]:
    """Totals as (measure, value) pairs, then (with --by) a group table of the key columns."""
    totals = [[_("Chỉ tiêu"), _("Số liệu")]] + [[str(LABELS[m]), _cell(report.get(m), m)] for m in TABLE_MEASURES]
    tables = [totals]
    if report.get("groups"):
        head = [header(report.get("by"))[0]] + [str(LABELS[m]) for m in KEY_COLUMNS]
        tables.append([head] + [[label] + [_cell(r.get(m), m) for m in KEY_COLUMNS] for label, r in rows(report)])
    return tables


def to_docx(report: dict) -> bytes:
    from docx import Document

    doc = Document()
    doc.add_heading(title(report), level=1)
    doc.add_paragraph(report.get("summary_vi", ""))
    doc.add_paragraph(str(report.get("definition_label", "")))
    for data in _narrow_tables(report):
        table = doc.add_table(rows=0, cols=len(data[0]))
        table.style = "Table Grid"
        for i, values in enumerate(data):
            cells = table.add_row().cells
            for cell, value in zip(cells, values, strict=True):
                cell.text = value
                if i == 0:
                    for run in cell.paragraphs[0].runs:
                        run.bold = True
        doc.add_paragraph("")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def find_font() -> str:
    """A TTF with Vietnamese glyphs: fc-match first, then the Debian paths (fonts-dejavu-core, fonts-liberation)."""
    env = os.environ.get("MOTCUA_PDF_FONT")
    if env and os.path.exists(env):
        return env
    if shutil.which("fc-match"):
        for family in ("DejaVu Sans", "Liberation Sans"):
            try:
                path = subprocess.run(["fc-match", "-f", "%{file}", family], capture_output=True, text=True,
                                      timeout=5).stdout.strip()
            except (OSError, subprocess.SubprocessError):
                path = ""
            if path.lower().endswith(".ttf") and os.path.exists(path):
                return path
    for path in FONT_CANDIDATES:
        if os.path.exists(path):
            return path
    raise ExportError(_("Không tìm thấy phông chữ TrueType có dấu tiếng Việt để xuất PDF. Hãy cài gói "
                        "fonts-dejavu-core hoặc fonts-liberation (scripts/system-deps.sh), hoặc đặt biến môi "
                        "trường MOTCUA_PDF_FONT trỏ tới tệp .ttf."))


def to_pdf(report: dict) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = "MotCuaSans"
    if font not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(font, find_font()))
    body = ParagraphStyle("body", fontName=font, fontSize=9, leading=12)
    head = ParagraphStyle("head", fontName=font, fontSize=13, leading=16, spaceAfter=8)
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=landscape(A4), title=title(report), leftMargin=36, rightMargin=36)
    story = [Paragraph(title(report), head), Paragraph(report.get("summary_vi", ""), body),
             Paragraph(str(report.get("definition_label", "")), body), Spacer(1, 8)]
    for data in _narrow_tables(report):
        cells = [[Paragraph(v, body) for v in values] for values in data]
        t = Table(cells, repeatRows=1)
        t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        story += [t, Spacer(1, 10)]
    doc.build(story)
    return out.getvalue()


def render(report: dict, fmt: str, progress=None) -> bytes:
    if fmt == "xlsx":
        return to_xlsx(report, progress)
    return {"json": to_json, "csv": to_csv, "docx": to_docx, "pdf": to_pdf}[fmt](report)
