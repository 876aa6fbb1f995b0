"""Statistics pages.

- `/thong-ke/<unit_code>/?year=&definition=` (public): the unit's yearly figures as an accessible table, the
  narrative, the dashboard charts without personal data or dossier lists, and JSON/CSV download links.
- `/backoffice/thong-ke/?unit=&from=&to=&definition=` (staff): the dashboard — trend by month, by channel, by
  agency, late dossiers by procedure, top late officers — for a unit inside the user's scope
  (`accounts.scoping.visible_agency_ids`; outside it: 404). Every figure links to
- `/backoffice/thong-ke/ho-so/?unit=&from=&to=&measure=&definition=[&by=&key=]`: the dossiers behind it
  (`report.dossiers_behind`, narrowed to one channel / procedure / agency / officer group), so the list's length
  equals the figure. The list shows no applicant data; a dossier's own page stays subject to the usual scoping.
- `/backoffice/thong-ke/ho-so/tai-ve/?<same>&format=xlsx|csv`: that list as a download (`dossier_export`), same
  scoping; a bad argument gets the machine-readable error body (422).
"""

import tempfile
from datetime import date

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from motcua.accounts.scoping import scope_queryset, visible_agency_ids
from motcua.backoffice.access import staff_required
from motcua.core.api_errors import DomainError, error_body
from motcua.core.text import format_number_vi
from motcua.reports.charts import figures
from motcua.reports.definitions import LABELS, RATE_MEASURES
from motcua.reports.report import check_args
from motcua.reports.units import resolve_unit

PAGE_MEASURES = ("carried_over", "received", "received_online", "received_counter", "received_postal", "to_process",
                 "finished", "finished_early", "finished_on_time", "finished_late", "in_progress",
                 "in_progress_on_time", "in_progress_overdue", "supplement", "refused", "withdrawn", "stopped",
                 "delivered", "not_collected", "on_time_rate", "early_rate", "late_rate", "online_rate",
                 "postal_rate", "digitised_rate", "e_result_rate", "avg_handling_days")
# Key figures shown as tiles on top of the dashboard (each links to its dossiers).
TILE_MEASURES = ("received", "finished", "finished_late", "in_progress", "in_progress_overdue", "supplement")
GROUP_FILTERS = {"channel": "channel", "procedure": "procedure_version__procedure_id",
                 "agency": "competent_agency_id", "officer": "assignee_id"}
PAGE_SIZE = 50
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _value(report: dict, m: str) -> str:
    v = report.get(m)
    if v is None:
        return "–"
    if m in RATE_MEASURES:
        return f"{format_number_vi(v, 2)} %"
    if m == "avg_handling_days":
        return format_number_vi(v, 2)
    return format_number_vi(v)


def _period_text(report: dict) -> str:
    return "{} – {}".format(*(date.fromisoformat(report[k]).strftime("%d/%m/%Y") for k in ("date_from", "date_to")))


def _definition(request) -> str:
    return request.GET.get("definition") if request.GET.get("definition") in ("local", "766") else "local"


# -- public page --------------------------------------------------------------------------------------------------
def public_index(request):
    """Open data entry point: every unit in force, in tree order, each linking to its public statistics."""
    from motcua.agencies.models import Agency

    today = timezone.localdate()
    units = (Agency.objects.filter(successor__isnull=True).exclude(valid_to__lt=today)
             .order_by("path").only("code", "name", "level"))
    return render(request, "reports/public_index.html", {"units": units})


def public_statistics(request, unit_code: str):
    from motcua.reports.api import public_report

    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    definition = _definition(request)
    try:
        report = public_report(unit_code, year, definition)
    except DomainError as exc:
        if exc.status == 404:
            raise Http404(exc.message) from None
        year = timezone.localdate().year
        report = public_report(unit_code, year, definition)
    rows = [(str(LABELS[m]), _value(report, m)) for m in PAGE_MEASURES]
    years = list(range(timezone.localdate().year, timezone.localdate().year - 6, -1))
    unit = resolve_unit(report["unit"])
    start, end = date.fromisoformat(report["date_from"]), date.fromisoformat(report["date_to"])
    return render(request, "reports/public.html", {
        "report": report, "rows": rows, "year": year, "years": years, "definition": definition,
        "period": _period_text(report), "figures": figures(unit, report, start, end, definition, officers=False)})


# -- back office --------------------------------------------------------------------------------------------------
def _unit_choices(user):
    """Live agencies inside the user's scope, tree order (abolished units report through their successors)."""
    from motcua.agencies.models import Agency

    qs = scope_queryset(Agency.objects.filter(successor__isnull=True), user, "pk").order_by("path")
    return [(a.code, "— " * (a.path.count("/") - 2) + a.name) for a in qs.only("code", "name", "path")]


def _scoped_unit(user, code: str | None):
    """The requested unit if the user may see it (404 otherwise); without a code, the user's widest unit."""
    from motcua.agencies.models import Agency

    ids = visible_agency_ids(user)
    if code:
        try:
            unit = resolve_unit(code)
        except DomainError:
            raise Http404(_("Không tìm thấy đơn vị.")) from None
        if ids is not None and unit.pk not in ids:
            raise Http404(_("Không tìm thấy đơn vị."))
        return unit
    qs = Agency.objects.filter(successor__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return min(qs.only("pk", "code", "name", "path"), key=lambda a: (a.path.count("/"), a.path), default=None)


def _dossier_link(unit, definition: str):
    base = reverse("reports:dossiers")

    def link(measure, date_from, date_to, by=None, key=None):
        params = {"unit": unit.code, "from": date_from.isoformat(), "to": date_to.isoformat(), "measure": measure,
                  "definition": definition}
        if by:
            params.update(by=by, key=key)
        return f"{base}?{urlencode(params)}"

    return link


@staff_required
def dashboard(request):
    from motcua.reports.service import full_report

    g = request.GET
    unit = _scoped_unit(request.user, g.get("unit"))
    today = timezone.localdate()
    form = {"unit": unit.code if unit else "", "from": g.get("from") or date(today.year, 1, 1).isoformat(),
            "to": g.get("to") or today.isoformat(), "definition": _definition(request)}
    context = {"form": form, "units": _unit_choices(request.user), "unit": unit, "errors": {}}
    if unit is None:
        return render(request, "reports/dashboard.html", context)
    try:
        date_from, date_to = check_args(form["from"], form["to"], None, form["definition"])
    except DomainError as exc:
        context["errors"] = exc.fields
        return render(request, "reports/dashboard.html", context, status=422)
    report = full_report(unit, date_from, date_to, definition=form["definition"])
    link = _dossier_link(unit, form["definition"])
    context.update(
        report=report, period=_period_text(report),
        tiles=[(str(LABELS[m]), _value(report, m), link(m, date_from, date_to)) for m in TILE_MEASURES],
        rates=[(str(LABELS[m]), _value(report, m)) for m in ("on_time_rate", "late_rate", "online_rate")],
        figures=figures(unit, report, date_from, date_to, form["definition"], link=link),
        export={"json": _export_url(form, "json"), "csv": _export_url(form, "csv"), "xlsx": _export_url(form, "xlsx")})
    return render(request, "reports/dashboard.html", context)


def _export_url(form: dict, fmt: str) -> str:
    return "/api/v1/reports/period?" + urlencode({**form, "format": fmt})


def _group_filter(by: str | None, key: str | None) -> dict:
    if not by:
        return {}
    if by not in GROUP_FILTERS or not key:
        raise DomainError("invalid", _("Nhóm không hợp lệ."), fields={"by": [_("Chỉ nhận: %(c)s.") % {
            "c": ", ".join(GROUP_FILTERS)}]}, status=422)
    if by == "officer" and key == "none":
        return {"assignee__isnull": True}
    if not key.isdigit():
        raise DomainError("invalid", _("Nhóm không hợp lệ."), fields={"key": [_("Phải là một số.")]}, status=422)
    return {GROUP_FILTERS[by]: int(key)}


def _group_label(by: str, key: str) -> str:
    from motcua.reports.report import group_label

    if by == "officer":
        from motcua.accounts.models import User

        return _("Chưa phân công") if key == "none" else (
            User.objects.filter(pk=key).values_list("full_name", flat=True).first() or key)
    return group_label(by, int(key))


def _behind(request):
    """The scoped unit, the checked arguments and the queryset of the dossiers behind one figure; shared by the
    HTML list and its downloads so both show the same dossiers. Http404 outside the user's scope, DomainError on
    a bad argument."""
    from motcua.reports.dossier_export import behind

    g = request.GET
    unit = _scoped_unit(request.user, g.get("unit") or "-")
    definition = _definition(request)
    measure = g.get("measure", "")
    qs, date_from, date_to, end = behind(unit, g.get("from"), g.get("to"), measure, definition)
    qs = qs.filter(**_group_filter(g.get("by"), g.get("key")))
    return unit, measure, definition, date_from, date_to, qs, end


@staff_required
def dossiers(request):
    """The dossiers behind one figure of the dashboard."""
    g = request.GET
    try:
        unit, measure, definition, date_from, date_to, qs, _end = _behind(request)
    except DomainError as exc:
        context = {"unit": _scoped_unit(request.user, g.get("unit") or "-"), "measure_label": "",
                   "errors": exc.fields}
        return render(request, "reports/dossiers.html", context, status=422)
    page = Paginator(qs.select_related("procedure_version__procedure", "competent_agency", "assignee"),
                     PAGE_SIZE).get_page(g.get("page"))
    query = urlencode({k: g[k] for k in ("unit", "from", "to", "measure", "definition", "by", "key") if g.get(k)})
    context = {
        "unit": unit, "errors": {}, "page": page, "count": page.paginator.count, "query": query,
        "measure_label": str(LABELS[measure]), "group": _group_label(g["by"], g["key"]) if g.get("by") else "",
        "period": f"{date_from:%d/%m/%Y} – {date_to:%d/%m/%Y}", "definition": definition,
        "downloads": {fmt: reverse("reports:dossiers_export") + f"?{query}&format={fmt}" for fmt in ("xlsx", "csv")},
        "back": reverse("reports:dashboard") + "?" + urlencode({"unit": unit.code, "from": date_from.isoformat(),
                                                               "to": date_to.isoformat(), "definition": definition})}
    return render(request, "reports/dossiers.html", context)


@staff_required
def dossiers_export(request):
    """The same list as XLSX (written to a temporary file in constant memory, then streamed) or CSV (streamed)."""
    from motcua.reports import dossier_export

    fmt = request.GET.get("format", "xlsx")
    try:
        if fmt not in ("xlsx", "csv"):
            raise DomainError("invalid", _("Định dạng không hỗ trợ."), fields={"format": [_("Chỉ nhận: xlsx, csv.")]})
        unit, measure, definition, date_from, date_to, qs, end = _behind(request)
    except DomainError as exc:
        return JsonResponse(error_body(exc.code, exc.message, exc.fields), status=exc.status)
    name = dossier_export.filename(unit, measure, date_from, date_to, fmt)
    if fmt == "csv":
        response = StreamingHttpResponse(dossier_export.iter_csv(qs, definition, end),
                                         content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    tmp = tempfile.TemporaryFile()
    dossier_export.write_xlsx(tmp, qs, definition, end)
    tmp.seek(0)
    return FileResponse(tmp, as_attachment=True, filename=name, content_type=XLSX_TYPE)
