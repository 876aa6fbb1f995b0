"""Computing the Decision 766 index of a unit for a period, ranking sub-units and listing what cost the points.

`compute(unit, period)` resolves the unit (abolished units report as their final successor), picks the index
version in force at the end of the period, evaluates every indicator's numerator and denominator through the
measures its data names, and scores them (`scoring`). Errors are `DomainError`s with the API error format.
"""

from dataclasses import replace
from datetime import date

from django.utils.translation import gettext as _

from motcua.agencies.models import Agency, AgencyKind, AgencyLevel
from motcua.core.api_errors import DomainError
from motcua.indices import measures, scoring
from motcua.indices.models import IndexVersion, Indicator
from motcua.indices.periods import Period, PeriodError, parse
from motcua.indices.sources import DbSource
from motcua.reports.units import resolve_unit


def parse_period(text) -> Period:
    try:
        return parse(str(text or ""))
    except PeriodError:
        raise DomainError("invalid", _("Kỳ đánh giá không hợp lệ."), status=422, fields={
            "period": [_("Nhập tháng (2026-10), quý (2026-Q4) hoặc năm (2026).")]}) from None


def unit_type(agency: Agency) -> str:
    """province (the provincial People's Committee, root of the tree) | department | commune."""
    if agency.level in (AgencyLevel.COMMUNE, AgencyLevel.DISTRICT):
        return "commune"
    if agency.parent_id is None:
        return "province"
    return "department"


def version_for(period: Period) -> IndexVersion:
    version = (IndexVersion.objects.filter(effective_from__lte=period.last)
               .exclude(effective_to__lt=period.last).order_by("-effective_from").first())
    if version is None:
        raise DomainError("not_found", _("Chưa có bộ chỉ số 766 áp dụng cho kỳ %(p)s.") % {"p": period.key},
                          status=404, fields={"period": [_("Không có phiên bản bộ chỉ số áp dụng.")]})
    return version


def definition(ind: Indicator, utype: str, period: Period) -> scoring.Definition:
    return scoring.Definition(
        code=ind.code, group=ind.group, name=ind.name, max_points=float(ind.max_points),
        target=float(ind.target) if ind.target is not None else None, display=ind.display,
        applies=utype in ind.units and period.kind in ind.periods)


def evaluate(ind: Indicator, src) -> tuple:
    """(numerator, denominator, source kind) of one indicator."""
    if ind.is_manual:
        value = src.manual(ind)
        return (*(value or (None, None)), "manual")
    return measures.get(ind.numerator).compute(src), measures.get(ind.denominator).compute(src), \
        measures.get(ind.numerator).kind


def compute(unit, period, *, version: IndexVersion | None = None) -> dict:
    """The index of `unit` (code or Agency) for `period` (text or Period) as a JSON-ready dict."""
    period = period if isinstance(period, Period) else parse_period(period)
    agency = resolve_unit(unit)
    version = version or version_for(period)
    utype = unit_type(agency)
    src = DbSource(agency, period)
    rows = []
    for ind in version.indicators.order_by("order"):
        num, den, kind = evaluate(ind, src)
        d = definition(ind, utype, period)
        if not den and version.zero_denominator == "not_applicable" and kind != "manual":
            d = replace(d, applies=False)
        s = scoring.score_indicator(d, num, den)
        s.extra = {"source": kind, "note": ind.note, "missing": kind == "manual" and num is None}
        rows.append(s)
    totals = scoring.total(rows, version.groups)
    return {
        "unit": agency.code, "unit_name": agency.name, "unit_type": utype, "period": period.key,
        "period_label": period.label_vi(), "date_from": period.first.isoformat(),
        "date_to": period.last.isoformat(), "version": version.code, **totals,
        "indicators": [_indicator_json(s) for s in rows],
        "recoverable": [{"code": s.code, "name": s.name, "lost": s.lost, "needed": s.needed}
                        for s in scoring.recoverable(rows)],
    }


def _indicator_json(s: scoring.Scored) -> dict:
    return {"code": s.code, "group": s.group, "name": s.name, "numerator": _num(s.numerator),
            "denominator": _num(s.denominator), "rate": s.rate, "target": s.target, "max_points": s.max_points,
            "points": s.points, "lost": s.lost, "needed": s.needed, "display": s.display, **s.extra}


def _num(value):
    if value is None:
        return None
    return int(value) if float(value).is_integer() else round(float(value), 2)


# -- sub-units and trend ------------------------------------------------------------------------------------------
def sub_units(unit: Agency, on: date) -> dict[str, list[Agency]]:
    """Departments (direct children of kind department) and communes (valid on `on`) inside `unit`'s subtree."""
    inside = Agency.objects.filter(path__startswith=unit.path).exclude(pk=unit.pk).valid_on(on).order_by("code")
    return {"department": [a for a in inside if a.kind == AgencyKind.DEPARTMENT and a.parent_id == unit.pk],
            "commune": [a for a in inside if a.level == AgencyLevel.COMMUNE]}


def ranking(unit: Agency, period: Period) -> dict[str, list[dict]]:
    """Each group of sub-units ranked by total (highest first); same version for all."""
    version = version_for(period)
    out = {}
    for kind, agencies in sub_units(unit, period.last).items():
        rows = [compute(a, period, version=version) for a in agencies]
        rows.sort(key=lambda r: (-r["total"], r["unit"]))
        out[kind] = [{"rank": i, "unit": r["unit"], "unit_name": r["unit_name"], "total": r["total"],
                      "max_total": r["max_total"]} for i, r in enumerate(rows, start=1)]
    return out


def trend(unit: Agency, months: list[Period]) -> list[dict]:
    """Totals per month; a month before the first index version has no score (None)."""
    out = []
    for month in months:
        try:
            r = compute(unit, month)
        except DomainError:
            r = {"total": None, "groups": []}
        out.append({"period": month.key, "label": month.label_vi(), "total": r["total"],
                    "groups": {g["code"]: g["points"] for g in r["groups"]}})
    return out


# -- administrator-entered values --------------------------------------------------------------------------------
ENTRY_ROLES = frozenset({"province_admin", "agency_admin"})


def may_enter(user, agency: Agency) -> bool:
    from motcua.accounts.scoping import user_roles

    return bool(user.is_active and (user.is_superuser or user_roles(user, agency) & ENTRY_ROLES))


def enter_manual_value(user, agency: Agency, period: Period, indicator: Indicator, numerator: int, denominator: int,
                       note: str = ""):
    """Create or replace the value (who and when kept; the change is audited)."""
    from django.core.exceptions import PermissionDenied
    from django.db import transaction
    from django.utils import timezone

    from motcua.audit.services import record
    from motcua.indices.models import ManualIndicatorValue

    if not may_enter(user, agency):
        raise PermissionDenied(_("Chỉ quản trị tỉnh hoặc quản trị đơn vị được nhập số liệu chỉ số 766."))
    errors = {}
    if not indicator.is_manual:
        errors["indicator"] = [_("Chỉ số này được tính tự động, không nhập tay.")]
    if numerator < 0 or denominator <= 0 or numerator > denominator:
        errors["numerator"] = [_("Tử số phải từ 0 đến mẫu số; mẫu số phải lớn hơn 0.")]
    if errors:
        raise DomainError("invalid", _("Số liệu không hợp lệ."), status=422, fields=errors)
    with transaction.atomic():
        old = ManualIndicatorValue.objects.select_for_update().filter(
            unit=agency, period=period.key, indicator=indicator).first()
        before = {"numerator": old.numerator, "denominator": old.denominator} if old else None
        value, _created = ManualIndicatorValue.objects.update_or_create(
            unit=agency, period=period.key, indicator=indicator,
            defaults={"numerator": numerator, "denominator": denominator, "note": note, "entered_by": user,
                      "entered_at": timezone.now()})
        record("indices", "manual_value", actor=user, target_type="indices.ManualIndicatorValue",
               target_id=value.pk, old=before,
               new={"unit": agency.code, "period": period.key, "indicator": indicator.code,
                    "numerator": numerator, "denominator": denominator})
    return value
