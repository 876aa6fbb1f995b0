"""The auto sources the shipped criteria sets name, backed by the system's own data:

| key | figure | from |
|---|---|---|
| on_time_rate | (early + on time) / dossiers finished, % | reports.period_report (local definition) |
| online_rate | dossiers received online / received, % | reports.period_report |
| pakn_on_time | PAKN with no late clock / PAKN received, %; None without PAKN | feedback.stats.pakn_stats |
| satisfaction | very satisfied + satisfied / ratings of dossiers finished, % | ratings.services.rating_summary |
| plan_completion | activities done / activities of the unit's CCHC plan of the year, % | reform.plans |
| sipas | SIPAS index of the unit, % (survey component) | surveys.services.satisfaction_index |
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.core.text import format_number_vi, format_percent_vi
from motcua.reform.registry import Figure, register


def _pct(value) -> str:
    return format_percent_vi(float(value)) if value is not None else "—"


def _n(value) -> str:
    return format_number_vi(value or 0)


def on_time_rate(agency, date_from, date_to) -> Figure:
    from motcua.reports.report import period_report

    r = period_report(agency, date_from, date_to)
    details = {k: r[k] for k in ("finished", "finished_early", "finished_on_time", "finished_late")}
    text = _("Đã giải quyết %(f)s hồ sơ: trước hạn %(e)s, đúng hạn %(o)s, quá hạn %(l)s; tỷ lệ đúng hạn %(r)s.") % {
        "f": _n(r["finished"]), "e": _n(r["finished_early"]), "o": _n(r["finished_on_time"]),
        "l": _n(r["finished_late"]), "r": _pct(r["on_time_rate"])}
    return Figure(r["on_time_rate"], details, text)


def online_rate(agency, date_from, date_to) -> Figure:
    from motcua.reports.report import period_report

    r = period_report(agency, date_from, date_to)
    details = {"received": r["received"], "received_online": r["received_online"]}
    text = _("Tiếp nhận %(t)s hồ sơ, trong đó trực tuyến %(o)s; tỷ lệ trực tuyến %(r)s.") % {
        "t": _n(r["received"]), "o": _n(r["received_online"]), "r": _pct(r["online_rate"])}
    return Figure(r["online_rate"], details, text)


def pakn_on_time(agency, date_from, date_to) -> Figure:
    from motcua.feedback.stats import pakn_stats

    s = pakn_stats(agency, date_from, date_to)
    details = {"total": s["total"], "on_time": s["on_time"]}
    if not s["total"]:
        return Figure(None, details, _("Không có phản ánh, kiến nghị trong kỳ."))
    text = _("Tiếp nhận %(t)s phản ánh, kiến nghị; xử lý đúng hạn %(o)s (%(r)s).") % {
        "t": _n(s["total"]), "o": _n(s["on_time"]), "r": _pct(s["on_time_rate"])}
    return Figure(s["on_time_rate"], details, text)


def satisfaction(agency, date_from, date_to) -> Figure:
    from motcua.ratings.services import rating_summary
    from motcua.reports.report import dossiers_behind

    s = rating_summary(dossiers_behind(agency, date_from, date_to, "finished"))
    details = {"ratings": s["total"], "satisfied": s["satisfied"]}
    if not s["total"]:
        return Figure(None, details, _("Chưa có đánh giá của người dân trong kỳ."))
    text = _("%(t)s lượt đánh giá, hài lòng và rất hài lòng %(s)s (%(r)s).") % {
        "t": _n(s["total"]), "s": _n(s["satisfied"]), "r": _pct(s["satisfaction_rate"])}
    return Figure(s["satisfaction_rate"], details, text)


def plan_completion(agency, date_from, date_to) -> Figure:
    from motcua.reform import plans

    plan = plans.plan_of(agency, date_to.year)
    if plan is None:
        return Figure(None, {}, _("Đơn vị chưa có kế hoạch CCHC năm %(y)s.") % {"y": date_to.year})
    c = plans.summary(plan, date_to)["overall"]
    details = {"done": c.done, "total": c.total, "overdue": c.overdue}
    return Figure(float(c.share) if c.share is not None else None, details, plans.completion_phrase(c))


def sipas(agency, date_from, date_to) -> Figure:
    try:  # the surveys app may be absent from an installation; tests monkeypatch satisfaction_index
        from motcua.surveys import services
    except ImportError:
        return Figure(None, {}, _("Chưa có kết quả khảo sát SIPAS."))
    index = services.satisfaction_index(agency, date_from, date_to)
    if index is None:
        return Figure(None, {}, _("Chưa có phiếu khảo sát SIPAS trong kỳ."))
    return Figure(float(index), {"index": float(index)}, _("Chỉ số hài lòng SIPAS %(r)s.") % {"r": _pct(index)})


def register_all() -> None:
    for key, label, fetch in (
        ("on_time_rate", gettext_lazy("Tỷ lệ hồ sơ giải quyết đúng hạn"), on_time_rate),
        ("online_rate", gettext_lazy("Tỷ lệ hồ sơ trực tuyến"), online_rate),
        ("pakn_on_time", gettext_lazy("Tỷ lệ phản ánh, kiến nghị xử lý đúng hạn"), pakn_on_time),
        ("satisfaction", gettext_lazy("Tỷ lệ hài lòng qua đánh giá hồ sơ"), satisfaction),
        ("plan_completion", gettext_lazy("Tỷ lệ hoàn thành kế hoạch CCHC"), plan_completion),
        ("sipas", gettext_lazy("Chỉ số hài lòng SIPAS"), sipas),
    ):
        register(key, label, fetch)
