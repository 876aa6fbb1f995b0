"""XLSX export of a campaign's results (openpyxl): one row per element and aspect plus the overall SIPAS, with the
95 % interval and the comparison with the previous campaign; a second sheet describes the campaign and the method.
Percentages are numeric cells (format 0.0) so that spreadsheets can compute with them."""

import io

from django.utils.translation import gettext as _

from motcua.surveys.models import Aspect

METHODS = {"wilson": "Wilson", "mean": _("trung bình (xấp xỉ chuẩn)"), "linearised": _("tuyến tính hóa")}


def header() -> list[str]:
    return [_("Yếu tố"), _("Khía cạnh"), _("Chỉ số (%)"), _("Cận dưới KTC 95 %"), _("Cận trên KTC 95 %"),
            _("Số người trả lời"), _("Phương pháp KTC"), _("Kỳ trước (%)"), _("Chênh lệch (điểm %)"),
            _("Khác biệt có ý nghĩa thống kê")]


def _estimate_cells(est) -> list:
    if est is None:
        return [None, None, None, 0, ""]
    return [round(est.value, 1), round(est.low, 1), round(est.high, 1), est.n, str(METHODS[est.method])]


def _change_cells(previous, change) -> list:
    if change is None:
        return [None, None, ""]
    return [round(previous.value, 1), round(change.delta, 1), _("Có") if change.significant else _("Không")]


def table(data: dict) -> list[list]:
    rows = []
    for row in data["rows"]:
        for aspect in Aspect:
            cells = [row["name"], str(aspect.label), *_estimate_cells(row[aspect.value])]
            extra = (_change_cells(row["previous"], row["change"]) if aspect == Aspect.SATISFACTION
                     else [None, None, ""])
            rows.append(cells + extra)
    rows.append([_("SIPAS (chỉ số hài lòng chung)"), str(Aspect.SATISFACTION.label),
                 *_estimate_cells(data["results"].overall),
                 *_change_cells(data["previous_overall"], data["overall_change"])])
    return rows


def to_xlsx(data: dict) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    campaign = data["campaign"]
    wb = Workbook()
    ws = wb.active
    ws.title = "SIPAS"
    ws.append(header())
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in table(data):
        ws.append(row)
    for col in "CDEHI":
        for cell in ws[col][1:]:
            cell.number_format = "0.0"
    ws.freeze_panes = "A2"
    for col, width in zip("ABCDEFGHIJ", (44, 16, 12, 16, 16, 14, 24, 14, 18, 18), strict=True):
        ws.column_dimensions[col].width = width
    units = wb.create_sheet(_("Theo đơn vị"))
    units.append([_("Mã đơn vị"), _("Đơn vị"), _("Phiếu trả lời"), *header()[2:5]])
    for row in data["units"]:
        units.append([row["agency"].code, row["agency"].name, row["results"].respondents,
                      *_estimate_cells(row["results"].overall)[:3]])
    info = wb.create_sheet(_("Thông tin"))
    previous = data["previous_campaign"]
    for label, value in [
        (_("Đợt khảo sát"), campaign.name), (_("Đơn vị"), f"{campaign.agency.code} — {campaign.agency.name}"),
        (_("Kỳ khảo sát"), f"{campaign.period_start:%d/%m/%Y} – {campaign.period_end:%d/%m/%Y}"),
        (_("Phiếu khảo sát"), f"{campaign.questionnaire.code} ({campaign.questionnaire.legal_basis})"),
        (_("Tổng thể N"), campaign.population), (_("Cỡ mẫu n"), campaign.sample_size),
        (_("Số phiếu trả lời"), data["results"].respondents),
        (_("Sai số cho phép e"), float(campaign.margin_of_error)), (_("Hạt giống ngẫu nhiên"), str(campaign.seed)),
        (_("Kỳ so sánh"), previous.name if previous else "—"),
        (_("Cách tính"), _("Chỉ số = tỷ lệ % người trả lời mức 4–5; SIPAS = trung bình chỉ số hài lòng của 5 yếu "
                          "tố; KTC 95 %: Wilson cho một câu hỏi, xấp xỉ chuẩn cho nhiều câu, tuyến tính hóa cho "
                          "SIPAS."))]:
        info.append([label, value])
    info.column_dimensions["A"].width = 24
    info.column_dimensions["B"].width = 90
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
