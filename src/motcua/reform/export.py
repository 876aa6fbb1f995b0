"""Exports: the CCHC plan progress report (XLSX with openpyxl, DOCX with python-docx) and the officer sheet
(XLSX). Numbers and dates in Vietnamese format; overdue activities flagged in their own column (and filled red in
the workbook) so the flag survives printing in black and white."""

import io

from django.utils.translation import gettext as _
from docx import Document
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from motcua.core.text import format_percent_vi
from motcua.reform.plans import completion_phrase, summary

OVERDUE_FILL = PatternFill("solid", fgColor="FDE7EA")
BOLD = Font(bold=True)


def _d(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _pct(value) -> str:
    return format_percent_vi(float(value)) if value is not None else "—"


def plan_title(plan) -> str:
    return _("Báo cáo tiến độ %(t)s — %(a)s") % {"t": plan.title, "a": plan.agency.name}


def _activity_header() -> list[str]:
    return [_("Lĩnh vực"), _("STT"), _("Nhiệm vụ"), _("Đơn vị chủ trì"), _("Thời hạn"), _("Trạng thái"),
            _("Ngày hoàn thành"), _("Quá hạn"), _("Tài liệu kiểm chứng")]


def _activity_row(area_label, row) -> list:
    a = row["a"]
    return [str(area_label), a.order, a.title, a.responsible.name, _d(a.deadline), str(a.get_status_display()),
            _d(a.done_on), _("Quá hạn") if row["overdue"] else "", len(a.evidence.all())]


def plan_xlsx(plan, today=None) -> bytes:
    s = summary(plan, today)
    wb = Workbook()
    ws = wb.active
    ws.title = _("Tiến độ")
    ws.append([plan_title(plan)])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([_("Tính đến ngày %(d)s: hoàn thành %(p)s.") % {"d": _d(s["today"]),
                                                              "p": completion_phrase(s["overall"])}])
    ws.append([])
    ws.append([_("Lĩnh vực"), _("Số nhiệm vụ"), _("Đã hoàn thành"), _("Tỷ lệ hoàn thành"), _("Quá hạn")])
    for cell in ws[ws.max_row]:
        cell.font = BOLD
    for area in s["areas"]:
        c = area["completion"]
        ws.append([str(area["label"]), c.total, c.done, _pct(c.share), c.overdue])
    c = s["overall"]
    ws.append([_("Tổng cộng"), c.total, c.done, _pct(c.share), c.overdue])
    for cell in ws[ws.max_row]:
        cell.font = BOLD
    detail = wb.create_sheet(_("Nhiệm vụ"))
    detail.append(_activity_header())
    for cell in detail[1]:
        cell.font = BOLD
    detail.freeze_panes = "A2"
    for area in s["areas"]:
        for row in area["activities"]:
            detail.append(_activity_row(area["label"], row))
            if row["overdue"]:
                for cell in detail[detail.max_row]:
                    cell.fill = OVERDUE_FILL
    for sheet, widths in ((ws, (48, 14, 14, 16, 10)), (detail, (34, 6, 60, 34, 12, 16, 14, 10, 12))):
        for i, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(i)].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def plan_docx(plan, today=None) -> bytes:
    s = summary(plan, today)
    doc = Document()
    doc.add_heading(plan_title(plan), level=1)
    doc.add_paragraph(_("Tính đến ngày %(d)s, đơn vị đã triển khai thực hiện %(p)s.")
                      % {"d": _d(s["today"]), "p": completion_phrase(s["overall"])})
    table = doc.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, [_("Lĩnh vực"), _("Số nhiệm vụ"), _("Đã hoàn thành"),
                                                _("Tỷ lệ hoàn thành"), _("Quá hạn")], strict=True):
        cell.text = text
    for area in s["areas"]:
        c = area["completion"]
        for cell, text in zip(table.add_row().cells, [str(area["label"]), str(c.total), str(c.done), _pct(c.share),
                                                      str(c.overdue)], strict=True):
            cell.text = text
    overdue = [(area["label"], row) for area in s["areas"] for row in area["activities"] if row["overdue"]]
    doc.add_heading(_("Nhiệm vụ quá hạn"), level=2)
    if not overdue:
        doc.add_paragraph(_("Không có nhiệm vụ quá hạn."))
    for label, row in overdue:
        a = row["a"]
        doc.add_paragraph(_("%(t)s (%(area)s; %(u)s; hạn %(d)s; %(s)s)") % {
            "t": a.title, "area": label, "u": a.responsible.name, "d": _d(a.deadline),
            "s": a.get_status_display()}, style="List Bullet")
    doc.add_heading(_("Chi tiết nhiệm vụ"), level=2)
    detail = doc.add_table(rows=1, cols=len(_activity_header()))
    detail.style = "Table Grid"
    for cell, text in zip(detail.rows[0].cells, _activity_header(), strict=True):
        cell.text = text
    for area in s["areas"]:
        for row in area["activities"]:
            for cell, value in zip(detail.add_row().cells, _activity_row(area["label"], row), strict=True):
                cell.text = str(value)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def officer_rows(f: dict) -> list[tuple[str, str]]:
    """(label, value) pairs of one officer's sheet, shared by the page and the workbook."""
    r = f["ratings"]
    return [
        (_("Hồ sơ đã xử lý (có thao tác trong kỳ)"), str(f["handled"])),
        (_("Hồ sơ có kết quả trong kỳ"), str(f["finished"])),
        (_("Trước hạn"), f"{f['early']} ({_pct(f['early_rate'])})"),
        (_("Đúng hạn"), f"{f['on_time']} ({_pct(f['on_time_rate'])})"),
        (_("Quá hạn"), f"{f['late']} ({_pct(f['late_rate'])})"),
        (_("Bước xử lý đã chuyển"), str(f["steps"])),
        (_("Bước xử lý quá hạn"), _("%(n)s (chuyển trễ %(l)s, đang giữ quá hạn %(h)s)") % {
            "n": f["steps_overdue"], "l": f["steps_late"], "h": f["steps_held_overdue"]}),
        (_("Lượt đánh giá của người dân"), str(r["total"])),
        (_("Tỷ lệ hài lòng"), r["satisfaction_rate_display"]),
        (_("Phản ánh về hành vi, thái độ"), str(f["complaints"])),
        (_("Phản ánh về hành vi đã được xử lý, trả lời"), str(f["complaints_upheld"])),
    ]


def officer_xlsx(sheets: list[dict]) -> bytes:
    """One row per officer (a unit's sheet) with the figures in columns."""
    wb = Workbook()
    ws = wb.active
    ws.title = _("Kết quả công tác")
    first = sheets[0] if sheets else None
    if first:
        ws.append([_("Phiếu kết quả công tác từ ngày %(f)s đến ngày %(t)s") % {
            "f": _d(first["date_from"]), "t": _d(first["date_to"])}])
        ws["A1"].font = Font(bold=True, size=13)
    labels = [label for label, _v in officer_rows(first)] if first else []
    ws.append([_("Cán bộ"), _("Tài khoản"), *labels])
    for cell in ws[ws.max_row]:
        cell.font = BOLD
    for f in sheets:
        officer = f["officer"]
        ws.append([officer.full_name or officer.username, officer.username, *[v for _l, v in officer_rows(f)]])
    for i in range(1, len(labels) + 3):
        ws.column_dimensions[get_column_letter(i)].width = 22
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def round_xlsx(rnd, rows: list[dict]) -> bytes:
    """The ranking of a round (rows from `par.results`, already limited to what the reader may see)."""
    wb = Workbook()
    ws = wb.active
    ws.title = _("Xếp hạng")
    ws.append([_("%(n)s — năm %(y)s (%(p)s)") % {"n": rnd.criteria_set.name, "y": rnd.year,
                                                 "p": rnd.get_phase_display()}])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([_("Hạng"), _("Đơn vị"), _("Điểm thẩm định"), _("Điểm tối đa thẩm định"), _("Điểm điều tra XHH"),
               _("Tổng điểm / 100"), _("Quy đổi về thang 100"), _("Xếp hạng")])
    for cell in ws[2]:
        cell.font = BOLD
    for r in rows:
        t = r["total"]
        ws.append([r["rank"], r["assessment"].agency.name, float(t.assessed), float(t.assessed_max),
                   float(t.survey) if t.survey is not None else None, float(t.total), _("có") if t.rescaled else "",
                   r["phrase"]])
        for col in (3, 4, 5, 6):
            ws.cell(ws.max_row, col).number_format = "0.00"
    for i, width in enumerate((8, 40, 16, 16, 16, 16, 14, 32), start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
