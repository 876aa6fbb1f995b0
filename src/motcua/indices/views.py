"""Back-office pages of the 766 index (/backoffice/chi-so-766/): dashboard, drill-down per indicator, entry of the
values the system cannot compute. Staff only; every unit is checked against the user's scope (404 outside)."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from motcua.accounts.scoping import visible_agency_ids
from motcua.agencies.models import Agency
from motcua.backoffice.access import staff_required
from motcua.core.api_errors import DomainError
from motcua.indices import services
from motcua.indices.api import scoped_unit
from motcua.indices.drilldown import shortfall
from motcua.indices.export import render as export
from motcua.indices.forms import ManualValueForm
from motcua.indices.periods import month_of, previous_months

TREND_MONTHS = 6


def default_period():
    """The last complete month: the national portal ranks provinces monthly."""
    return month_of(timezone.localdate().replace(day=1) - timedelta(days=1))


def _units(user) -> list[Agency]:
    ids = visible_agency_ids(user)
    qs = Agency.objects.valid_on(timezone.localdate()).order_by("path")
    return list(qs if ids is None else qs.filter(pk__in=ids))


def _selection(request):
    """(unit, period, units) from ?unit=&period=, defaulting to the user's top unit and the current month."""
    units = _units(request.user)
    if not units:
        raise PermissionDenied(_("Tài khoản chưa được gán đơn vị."))
    code = request.GET.get("unit") or units[0].code
    try:
        unit = scoped_unit(request.user, code)
        period = services.parse_period(request.GET.get("period") or default_period().key)
    except DomainError as exc:
        if exc.status == 404:
            raise Http404(exc.message) from None
        messages.error(request, exc.message)
        unit, period = units[0], default_period()
    return unit, period, units


@staff_required
def dashboard(request):
    unit, period, units = _selection(request)
    try:
        result = services.compute(unit, period)
    except DomainError as exc:
        raise Http404(exc.message) from None
    if request.GET.get("format") in ("json", "xlsx"):
        fmt = request.GET["format"]
        response = HttpResponse(export(result, fmt), content_type="application/json; charset=utf-8" if fmt == "json"
                                else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="chi-so-766-{unit.code}-{period.key}.{fmt}"'
        return response
    query = urlencode({"unit": unit.code, "period": period.key})
    return render(request, "indices/dashboard.html", {
        "r": result, "unit": unit, "period": period, "units": units, "query": query,
        "can_enter": services.may_enter(request.user, unit),
    })


@staff_required
def part(request, name: str):
    """The trend and the ranking, loaded by htmx after the page (each computes the index several times)."""
    unit, period, _units_ = _selection(request)
    if name == "xu-huong":
        context = {"trend": services.trend(unit, previous_months(period, TREND_MONTHS)),
                   "groups": services.version_for(period).groups}
        return render(request, "indices/_trend.html", {**context, "unit": unit})
    if name == "xep-hang":
        try:
            ranks = services.ranking(unit, period)
        except DomainError as exc:
            raise Http404(exc.message) from None
        return render(request, "indices/_ranking.html", {"ranking": ranks, "period": period})
    raise Http404


@staff_required
def detail(request, code: str):
    unit, period, _units_ = _selection(request)
    try:
        version = services.version_for(period)
    except DomainError as exc:
        raise Http404(exc.message) from None
    indicator = get_object_or_404(version.indicators, code=code)
    result = services.compute(unit, period, version=version)
    row = next(i for i in result["indicators"] if i["code"] == code)
    try:
        lost = shortfall(unit, period, indicator)
    except DomainError:
        lost = {"kind": "none", "count": 0, "items": []}
    return render(request, "indices/detail.html", {
        "r": result, "row": row, "indicator": indicator, "lost": lost, "unit": unit, "period": period,
        "back": f"{reverse('indices:index766')}?{urlencode({'unit': unit.code, 'period': period.key})}"})


@staff_required
def manual_values(request):
    units = [a for a in _units(request.user) if services.may_enter(request.user, a)]
    if not units:
        raise PermissionDenied(_("Chỉ quản trị tỉnh hoặc quản trị đơn vị được nhập số liệu chỉ số 766."))
    period_text = request.POST.get("period") or request.GET.get("period") or default_period().key
    try:
        version = services.version_for(services.parse_period(period_text))
    except DomainError:
        version = services.version_for(default_period())
    indicators = list(version.indicators.filter(numerator="manual"))
    initial = {"unit": request.GET.get("unit") or units[0].code, "period": period_text}
    form = ManualValueForm(request.POST or None, units=units, indicators=indicators, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            period = services.parse_period(d["period"])
            indicator = services.version_for(period).indicators.get(code=d["indicator"])
            services.enter_manual_value(request.user, scoped_unit(request.user, d["unit"]), period, indicator,
                                        d["numerator"], d["denominator"], d["note"])
        except DomainError as exc:
            for field, errs in exc.fields.items():
                form.add_error(field if field in form.fields else None, " ".join(map(str, errs)))
        except version.indicators.model.DoesNotExist:
            form.add_error("indicator", _("Chỉ số không có trong bộ chỉ số áp dụng cho kỳ này."))
        else:
            messages.success(request, _("Đã lưu số liệu chỉ số %(c)s kỳ %(p)s.") % {"c": indicator.code,
                                                                                    "p": period.key})
            return redirect(f"{reverse('indices:index766')}?{urlencode({'unit': d['unit'], 'period': period.key})}")
    from motcua.indices.models import ManualIndicatorValue

    recent = (ManualIndicatorValue.objects.filter(unit__in=units).select_related("unit", "indicator", "entered_by")
              .order_by("-entered_at")[:20])
    errors = [{"text": e, "target": f"id_{f}" if f != "__all__" else ""}
              for f, es in form.errors.items() for e in es]
    return render(request, "indices/manual.html", {"form": form, "recent": recent, "errors": errors})
