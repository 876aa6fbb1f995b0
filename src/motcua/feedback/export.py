"""XLSX export of `pakn_stats` (openpyxl): one table with Vietnamese headers, the header row frozen."""

import io

from django.utils.translation import gettext as _

from motcua.core.text import format_percent_vi
from motcua.feedback.rules import CLOCK_LABELS

OUTCOME_LABELS = {"on_time": _("Đúng hạn"), "late": _("Quá hạn"), "within_time": _("Đang xử lý trong hạn"),
                  "overdue": _("Đang xử lý quá hạn")}


def table(stats: dict) -> list[list]:
    """[group, indicator, value] rows (the header comes from `header()`)."""
    rows = [[_("Tổng hợp"), _("Tổng số phản ánh, kiến nghị tiếp nhận"), stats["total"]]]
    rows += [[_("5.1 Theo phân loại"), e["label"], e["count"]] for e in stats["by_category"]]
    rows += [[_("Theo kênh tiếp nhận"), e["label"], e["count"]] for e in stats["by_channel"]]
    rows += [[_("Theo cơ quan"), f"{e['code']} — {e['name']}", e["count"]] for e in stats["by_agency"]]
    for clock, counts in stats["clocks"].items():
        rows += [[str(CLOCK_LABELS[clock]), str(OUTCOME_LABELS[k]), v] for k, v in counts.items()]
    rows.append([_("5.2 Đúng hạn"), _("Số phản ánh, kiến nghị đúng hạn"), stats["on_time"]])
    rows.append([_("5.2 Đúng hạn"), _("Tỷ lệ đúng hạn"), _pct(stats["on_time_rate"])])
    rows.append([_("5.3 Hài lòng"), _("Số phản ánh, kiến nghị tiếp nhận lần đầu"), stats["first_received"]])
    rows.append([_("5.3 Hài lòng"), _("Số phản ánh, kiến nghị được hài lòng"), stats["satisfied"]])
    rows.append([_("5.3 Hài lòng"), _("Tỷ lệ hài lòng"), _pct(stats["satisfaction_rate"])])
    return rows


def _pct(value) -> str:
    return "—" if value is None else format_percent_vi(value, 2)


def header() -> list[str]:
    return [_("Nhóm chỉ tiêu"), _("Chỉ tiêu"), _("Giá trị")]


def to_xlsx(stats: dict) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "PAKN"
    ws.append(header())
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in table(stats):
        ws.append(row)
    ws.freeze_panes = "A2"
    for col, width in zip("ABC", (44, 60, 16), strict=True):
        ws.column_dimensions[col].width = width
    info = wb.create_sheet(_("Thông tin"))
    info.append([_("Đơn vị"), f"{stats['unit']} — {stats['unit_name']}"])
    info.append([_("Từ ngày"), _vn_date(stats["date_from"])])
    info.append([_("Đến ngày"), _vn_date(stats["date_to"])])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _vn_date(iso: str) -> str:
    y, m, d = iso.split("-")
    return f"{d}/{m}/{y}"
