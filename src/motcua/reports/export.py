"""Report exports: JSON, CSV (UTF-8 with BOM for Excel), XLSX (openpyxl), DOCX (python-docx), PDF (reportlab with a
TrueType font that has Vietnamese glyphs). One table model for every format: `table(report)` = header + rows (one row
per group with --by, else the totals row)."""

import csv
import io
import json
import os
import shutil
import subprocess

from django.utils.translation import gettext as _

from motcua.core.text import format_number_vi
from motcua.reports.definitions import LABELS, RATE_MEASURES, TABLE_MEASURES

FORMATS = ("json", "csv", "xlsx", "docx", "pdf")
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


def to_xlsx(report: dict, progress=None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = _("Báo cáo")
    ws.append([title(report)])
    ws.append([report.get("summary_vi", "")])
    ws.append([str(report.get("definition_label", ""))])
    ws.append(header(report.get("by")))
    head_row = ws.max_row
    for cell in ws[head_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for label, r in rows(report):
        ws.append([label] + [r.get(m) for m in TABLE_MEASURES])
        row = ws.max_row
        for i, m in enumerate(TABLE_MEASURES, start=2):
            ws.cell(row=row, column=i).number_format = "0.00" if m in RATE_MEASURES or m == "avg_handling_days" \
                else "#,##0"
        if progress:
            progress(1)
    ws.freeze_panes = ws.cell(row=head_row + 1, column=2)
    ws.column_dimensions["A"].width = 40
    out = io.BytesIO()
    wb.save(out)
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
