"""Time-limit shortening (rút ngắn thời gian giải quyết): per procedure the legal limit against the committed one,
and per level and per agency the number of procedures shortened and the total shortened in days and working hours
(8 working hours a day), as the reports write it: "86 thủ tục, 392 ngày = 3.136 giờ làm việc".

Reads the published versions in force on `on` (today by default). A procedure counts once (shortened when at least
one variant's committed limit is below its legal limit); its shortening is the sum over those variants. Limits in
working hours convert at 8 h a day; calendar days count as days (as the seeds do)."""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.text import format_number_vi

HOURS_PER_DAY = Decimal(8)


def _days(amount: Decimal, unit: str) -> Decimal:
    return amount / HOURS_PER_DAY if unit == "working_hours" else amount


def _fmt(value: Decimal) -> str:
    value = Decimal(value).quantize(Decimal("0.01"))
    return format_number_vi(value, 0 if value == value.to_integral() else (1 if value * 10 % 1 == 0 else 2))


def shortening(unit=None, on: date | None = None) -> dict:
    from motcua.catalog.models import Variant
    from motcua.catalog.services import in_force_q
    from motcua.reports.units import resolve_unit, unit_agency_ids

    on = on or timezone.localdate()
    variants = (Variant.objects.filter(committed_limit__isnull=False, version__in=_versions_in_force(on, in_force_q))
                .select_related("version__procedure").prefetch_related("version__procedure__competent_agencies"))
    ids = unit_agency_ids(resolve_unit(unit)) if unit else None
    procs: dict[int, dict] = {}
    for v in variants:
        if v.committed_limit >= v.legal_limit or v.limit_unit == "none":
            continue
        p = v.version.procedure
        agencies = [a for a in p.competent_agencies.all() if ids is None or a.pk in ids]
        if ids is not None and not agencies:
            continue
        row = procs.setdefault(p.pk, {"code": p.code, "name": p.name, "level": p.level, "variants": [],
                                      "agencies": [(a.code, a.name) for a in agencies], "days": Decimal(0)})
        saved = _days(v.legal_limit - v.committed_limit, v.limit_unit)
        row["variants"].append({"variant": v.name, "legal_limit": float(v.legal_limit),
                                "committed_limit": float(v.committed_limit), "unit": v.limit_unit,
                                "shortened_days": float(saved)})
        row["days"] += saved
    by_level, by_agency = defaultdict(lambda: [0, Decimal(0)]), defaultdict(lambda: [0, Decimal(0)])
    for row in procs.values():
        by_level[row["level"]][0] += 1
        by_level[row["level"]][1] += row["days"]
        for agency in row["agencies"]:
            by_agency[agency][0] += 1
            by_agency[agency][1] += row["days"]
    total_days = sum((r["days"] for r in procs.values()), Decimal(0))

    def block(n, days):
        return {"procedures": n, "days": float(days), "working_hours": float(days * HOURS_PER_DAY),
                "text_vi": phrase(n, days)}

    return {
        "on": on.isoformat(), "unit": unit,
        "procedures": [{**{k: v for k, v in r.items() if k != "agencies"}, "days": float(r["days"]),
                        "working_hours": float(r["days"] * HOURS_PER_DAY),
                        "agencies": [c for c, _n in r["agencies"]]}
                       for r in sorted(procs.values(), key=lambda r: r["code"])],
        "by_level": {level: block(*v) for level, v in sorted(by_level.items())},
        "by_agency": [{"agency": code, "agency_name": name, **block(*v)}
                      for (code, name), v in sorted(by_agency.items())],
        "total": block(len(procs), total_days),
    }


def _versions_in_force(on, in_force_q):
    from motcua.catalog.models import ProcedureVersion

    return ProcedureVersion.objects.filter(in_force_q(on))


def phrase(n: int, days: Decimal) -> str:
    """'86 thủ tục, 392 ngày = 3.136 giờ làm việc'."""
    return _("%(n)s thủ tục, %(d)s ngày = %(h)s giờ làm việc") % {
        "n": format_number_vi(n), "d": _fmt(days), "h": _fmt(days * HOURS_PER_DAY)}
