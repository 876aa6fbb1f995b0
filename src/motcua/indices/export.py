"""The 766 index of a unit as JSON or XLSX (CLI and dashboard download)."""

import io
import json

from django.utils.translation import gettext as _

FORMATS = ("json", "xlsx")


def to_json(result: dict) -> bytes:
    return json.dumps(result, ensure_ascii=False, indent=1).encode("utf-8")


def to_xlsx(result: dict) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "766"
    ws.append([_("Chỉ số 766 — %(u)s — %(p)s") % {"u": result["unit_name"], "p": result["period_label"]}])
    ws["A1"].font = Font(bold=True)
    ws.append([_("Tổng điểm"), result["total"], _("trên"), result["max_total"]])
    ws.append([])
    ws.append([_("Mã"), _("Chỉ số"), _("Tử số"), _("Mẫu số"), _("Tỷ lệ (%)"), _("Chỉ tiêu (%)"), _("Điểm tối đa"),
               _("Điểm"), _("Điểm bị mất")])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    groups = {g["code"]: g for g in result["groups"]}
    current = None
    for ind in result["indicators"]:
        if ind["group"] != current:
            current = ind["group"]
            g = groups[current]
            ws.append([current, g["name"], None, None, None, None, g["max_points"], g["points"], g["lost"]])
            ws.cell(ws.max_row, 2).font = Font(bold=True)
        ws.append([ind["code"], ind["name"], ind["numerator"], ind["denominator"], ind["rate"], ind["target"],
                   ind["max_points"], ind["points"], ind["lost"]])
    ws.column_dimensions["B"].width = 70
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def render(result: dict, fmt: str) -> bytes:
    return to_xlsx(result) if fmt == "xlsx" else to_json(result)
