"""Report measures, their Vietnamese labels and the two definitions (framework-free arithmetic).

- ``local`` (provincial practice, Thanh Hóa report 06 / Gia Lai): *finished* = results ready (status 9/10) with the
  finish time in the period, split early / on time / late by the outcome frozen at the event against the current due
  date; in progress at the period end split within time / overdue by the due date; waiting for a supplement is its
  own column. on_time_rate = (early + on time) / finished; late_rate (Gia Lai) = (overdue in progress + late
  finished) / to process.
- ``766`` (Decision 766/QĐ-TTg, indicator 2.1): *finished* = first terminal status (result, refusal, stop,
  withdrawal) of received dossiers in the period, on time / late by the stored ``outcome_766``; in progress = every
  open dossier at the period end (waiting for a supplement included), late when overdue (not while waiting) or after
  a second supplement request; on_time_rate = (finished on time + in progress within time) / (received + carried
  over), no early/on-time split (``finished_early`` and ``early_rate`` are None).
"""

from django.utils.translation import gettext_lazy as _

DEFINITIONS = ("local", "766")
DEFINITION_LABELS = {
    "local": _("Cách tính của địa phương (so với ngày hẹn trả)"),
    "766": _("Cách tính theo Quyết định 766/QĐ-TTg (chỉ số 2.1)"),
}

# Count measures: each has a list of dossiers behind it (`report.dossiers_behind`).
COUNT_MEASURES = (
    "carried_over", "received", "received_counter", "received_online", "received_postal", "received_api",
    "received_import", "to_process", "finished", "finished_early", "finished_on_time", "finished_late",
    "in_progress", "in_progress_on_time", "in_progress_overdue", "supplement", "refused", "withdrawn", "stopped",
    "delivered", "not_collected", "digitised", "e_result", "paid_online",
)
# Counted as requests (Form 02), not dossiers: its dossier list may be shorter than the number.
EXTRA_MEASURES = ("supplement_requests",)
RATE_MEASURES = ("on_time_rate", "early_rate", "late_rate", "online_rate", "postal_rate", "digitised_rate",
                 "e_result_rate", "paid_online_rate")
OTHER_MEASURES = ("avg_handling_days",)

LABELS = {
    "carried_over": _("Tồn kỳ trước chuyển sang"),
    "received": _("Tiếp nhận trong kỳ"),
    "received_counter": _("Tiếp nhận trực tiếp"),
    "received_online": _("Tiếp nhận trực tuyến"),
    "received_postal": _("Tiếp nhận qua bưu chính công ích"),
    "received_api": _("Tiếp nhận qua kết nối hệ thống"),
    "received_import": _("Nhập từ hệ thống cũ"),
    "to_process": _("Tổng số cần xử lý"),
    "finished": _("Đã giải quyết"),
    "finished_early": _("Giải quyết trước hạn"),
    "finished_on_time": _("Giải quyết đúng hạn"),
    "finished_late": _("Giải quyết quá hạn"),
    "in_progress": _("Đang giải quyết"),
    "in_progress_on_time": _("Đang giải quyết trong hạn"),
    "in_progress_overdue": _("Đang giải quyết quá hạn"),
    "supplement": _("Đang chờ bổ sung"),
    "refused": _("Từ chối tiếp nhận, trả lại"),
    "withdrawn": _("Công dân rút hồ sơ"),
    "stopped": _("Dừng xử lý"),
    "delivered": _("Đã trả kết quả"),
    "not_collected": _("Kết quả chưa được nhận"),
    "digitised": _("Hồ sơ được số hoá"),
    "e_result": _("Có kết quả điện tử"),
    "paid_online": _("Thanh toán trực tuyến"),
    "supplement_requests": _("Lượt yêu cầu bổ sung"),
    "on_time_rate": _("Tỷ lệ đúng hạn (%)"),
    "early_rate": _("Tỷ lệ trước hạn (%)"),
    "late_rate": _("Tỷ lệ trễ hạn (%)"),
    "online_rate": _("Tỷ lệ trực tuyến (%)"),
    "postal_rate": _("Tỷ lệ qua bưu chính (%)"),
    "digitised_rate": _("Tỷ lệ số hoá (%)"),
    "e_result_rate": _("Tỷ lệ kết quả điện tử (%)"),
    "paid_online_rate": _("Tỷ lệ thanh toán trực tuyến (%)"),
    "avg_handling_days": _("Thời gian giải quyết trung bình (ngày)"),
}
TABLE_MEASURES = COUNT_MEASURES + EXTRA_MEASURES + RATE_MEASURES + OTHER_MEASURES


def rate(numerator, denominator) -> float | None:
    """Percentage with two decimals; None when there is nothing to divide by (shown as "-")."""
    if numerator is None or not denominator:
        return None
    return round(100.0 * numerator / denominator, 2)


def counts_from_sums(s: dict, definition: str) -> dict:
    """Report counts from rollup sums: flows over the period (keys as the columns), stocks at the period end
    (``<stock>_end``) and ``carried``."""
    c = {k: s.get(k, 0) or 0 for k in ("received_counter", "received_online", "received_postal", "received_api",
                                        "received_import", "refused", "withdrawn", "stopped", "delivered",
                                        "digitised", "e_result", "paid_online")}
    c["received"] = sum(c[k] for k in ("received_counter", "received_online", "received_postal", "received_api",
                                       "received_import"))
    c["carried_over"] = s.get("carried", 0) or 0
    c["to_process"] = c["received"] + c["carried_over"]
    c["supplement"] = s.get("supplement_end", 0) or 0
    c["not_collected"] = s.get("uncollected_end", 0) or 0
    c["supplement_requests"] = s.get("supplement_requested", 0) or 0
    c["_result_finished"] = s.get("finished", 0) or 0
    c["_handling_seconds"] = s.get("handling_seconds_total", 0) or 0
    if definition == "766":
        c["finished"] = s.get("ended", 0) or 0
        c["finished_early"] = None
        c["finished_on_time"] = s.get("finished_766_on_time", 0) or 0
        c["finished_late"] = s.get("finished_766_late", 0) or 0
        c["in_progress"] = s.get("open_end", 0) or 0
        c["in_progress_overdue"] = s.get("overdue766_end", 0) or 0
    else:
        c["finished"] = c["_result_finished"]
        c["finished_early"] = s.get("finished_early", 0) or 0
        c["finished_on_time"] = s.get("finished_on_time", 0) or 0
        c["finished_late"] = s.get("finished_late", 0) or 0
        c["in_progress"] = (s.get("open_end", 0) or 0) - c["supplement"]
        c["in_progress_overdue"] = s.get("overdue_end", 0) or 0
    c["in_progress_on_time"] = c["in_progress"] - c["in_progress_overdue"]
    return c


def with_rates(c: dict, definition: str) -> dict:
    """Counts → the full report row (rates as percentages with two decimals)."""
    out = {k: v for k, v in c.items() if not k.startswith("_")}
    if definition == "766":
        out["on_time_rate"] = rate(c["finished_on_time"] + c["in_progress_on_time"], c["to_process"])
        out["early_rate"] = None
    else:
        out["on_time_rate"] = rate(c["finished_early"] + c["finished_on_time"], c["finished"])
        out["early_rate"] = rate(c["finished_early"], c["finished"])
    out["late_rate"] = rate(c["finished_late"] + c["in_progress_overdue"], c["to_process"])
    out["online_rate"] = rate(c["received_online"], c["received"])
    out["postal_rate"] = rate(c["received_postal"], c["received"])
    out["digitised_rate"] = rate(c["digitised"], c["received"])
    out["e_result_rate"] = rate(c["e_result"], c["_result_finished"])
    out["paid_online_rate"] = rate(c["paid_online"], c["received"])
    out["avg_handling_days"] = (round(c["_handling_seconds"] / c["_result_finished"] / 86400, 2)
                                if c["_result_finished"] else None)
    out["definition"] = definition
    out["definition_label"] = str(DEFINITION_LABELS[definition])
    return out
