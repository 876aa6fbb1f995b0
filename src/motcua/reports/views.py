"""Public statistics page /thong-ke/<unit_code>/?year=&definition= : the unit's yearly figures as an accessible
table (caption, scoped header cells), the narrative paragraph and JSON/CSV download links. Charts are out of scope
for this pass."""

from datetime import date

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from motcua.core.api_errors import DomainError
from motcua.core.text import format_number_vi
from motcua.reports.definitions import LABELS, RATE_MEASURES

PAGE_MEASURES = ("carried_over", "received", "received_online", "received_counter", "received_postal", "to_process",
                 "finished", "finished_early", "finished_on_time", "finished_late", "in_progress",
                 "in_progress_on_time", "in_progress_overdue", "supplement", "refused", "withdrawn", "stopped",
                 "delivered", "not_collected", "on_time_rate", "early_rate", "late_rate", "online_rate",
                 "postal_rate", "digitised_rate", "e_result_rate", "avg_handling_days")


def _value(report: dict, m: str) -> str:
    v = report.get(m)
    if v is None:
        return "–"
    if m in RATE_MEASURES:
        return f"{format_number_vi(v, 2)} %"
    if m == "avg_handling_days":
        return format_number_vi(v, 2)
    return format_number_vi(v)


def public_statistics(request, unit_code: str):
    from motcua.reports.api import public_report

    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    definition = request.GET.get("definition") if request.GET.get("definition") in ("local", "766") else "local"
    try:
        report = public_report(unit_code, year, definition)
    except DomainError as exc:
        if exc.status == 404:
            raise Http404(exc.message) from None
        report = public_report(unit_code, timezone.localdate().year, definition)
    rows = [(str(LABELS[m]), _value(report, m)) for m in PAGE_MEASURES]
    years = list(range(timezone.localdate().year, timezone.localdate().year - 6, -1))
    period = "{} – {}".format(*(date.fromisoformat(report[k]).strftime("%d/%m/%Y") for k in ("date_from", "date_to")))
    return render(request, "reports/public.html", {"report": report, "rows": rows, "year": year, "years": years,
                                                   "definition": definition, "period": period})
