"""The narrative paragraph provincial reports write (seeds: "Kết quả năm 2023, sở tiếp nhận xử lý 1.644 hồ sơ,
đúng hạn 100%, trong đó giải quyết sớm 97,6%, ..."), built from a period report. Numbers via motcua.core.text."""

import calendar
from datetime import date

from django.utils.translation import gettext as _

from motcua.core.text import format_number_vi, format_percent_vi

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def period_phrase(date_from: date, date_to: date) -> str:
    """'Năm 2023', 'Quý III/2026', 'Tháng 10/2026', '6 tháng đầu năm 2026', else 'Từ ngày 01/01/2026 đến ngày
    15/03/2026'."""
    y = date_from.year
    month_end = date_to.day == calendar.monthrange(date_to.year, date_to.month)[1]
    if date_from.day == 1 and month_end and date_to.year == y:
        first, last = date_from.month, date_to.month
        if first == 1 and last == 12:
            return _("Năm %(y)d") % {"y": y}
        if first == last:
            return _("Tháng %(m)d/%(y)d") % {"m": first, "y": y}
        if first % 3 == 1 and last == first + 2:
            return _("Quý %(q)s/%(y)d") % {"q": ROMAN[(first - 1) // 3 + 1], "y": y}
        if first == 1:
            return _("%(n)d tháng đầu năm %(y)d") % {"n": last, "y": y}
        if first == 7 and last == 12:
            return _("6 tháng cuối năm %(y)d") % {"y": y}
    return _("Từ ngày %(a)s đến ngày %(b)s") % {"a": date_from.strftime("%d/%m/%Y"),
                                                "b": date_to.strftime("%d/%m/%Y")}


def _n(value) -> str:
    return format_number_vi(value or 0)


def _pct(part, whole) -> str:
    return format_percent_vi(round(100.0 * part / whole, 1)) if whole else "0 %"


def summary_vi(report: dict, unit=None, period=None) -> str:
    """One paragraph in the style of the provincial reports. `unit` (Agency or name) and `period` ((from, to) or a
    ready phrase) default to those recorded in the report."""
    name = getattr(unit, "name", unit) or report.get("unit_name", "")
    if period is None:
        period = (date.fromisoformat(report["date_from"]), date.fromisoformat(report["date_to"]))
    phrase = period if isinstance(period, str) else period_phrase(*period)
    r = report
    parts = [_("%(p)s, %(u)s tiếp nhận %(n)s hồ sơ") % {"p": phrase, "u": name, "n": _n(r["received"])}]
    if r["received"]:
        parts[0] += _(" (trực tuyến %(o)s, trực tiếp %(c)s, qua bưu chính công ích %(b)s)") % {
            "o": _n(r["received_online"]), "c": _n(r["received_counter"]), "b": _n(r["received_postal"])}
    if r["carried_over"]:
        parts[0] += _(", kỳ trước chuyển sang %(n)s hồ sơ") % {"n": _n(r["carried_over"])}
    finished = r["finished"]
    if finished:
        sentence = _("đã giải quyết %(n)s hồ sơ, đúng hạn %(rate)s") % {
            "n": _n(finished), "rate": format_percent_vi(round(r["on_time_rate"] or 0, 1))}
        if r["definition"] == "local":
            sentence += _(", trong đó trước hạn %(e)s, đúng hạn %(o)s") % {
                "e": _pct(r["finished_early"], finished), "o": _pct(r["finished_on_time"], finished)}
        else:
            sentence += _(" (tính theo Quyết định 766/QĐ-TTg)")
        if r["finished_late"]:
            sentence += _(", quá hạn %(n)s hồ sơ (%(p)s)") % {"n": _n(r["finished_late"]),
                                                              "p": _pct(r["finished_late"], finished)}
        else:
            sentence += _(", không có hồ sơ quá hạn")
        parts.append(sentence)
    else:
        parts.append(_("chưa có hồ sơ giải quyết xong trong kỳ"))
    if r["in_progress"] or r["supplement"]:
        tail = _("đang giải quyết %(n)s hồ sơ") % {"n": _n(r["in_progress"])}
        if r["in_progress_overdue"]:
            tail += _(" (%(n)s hồ sơ quá hạn)") % {"n": _n(r["in_progress_overdue"])}
        if r["supplement"]:
            tail += _(", chờ bổ sung %(n)s hồ sơ") % {"n": _n(r["supplement"])}
        parts.append(tail)
    text = "; ".join([", ".join(parts[:2])] + parts[2:])
    if r["received"]:
        text += _("; hồ sơ trực tuyến đạt %(p)s") % {"p": format_percent_vi(round(r["online_rate"] or 0, 1))}
    return text + "."
