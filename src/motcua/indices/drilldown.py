"""What cost an indicator its points: the dossiers, procedures or PAKN counted in the denominator but not in the
numerator, for the dashboard's drill-down (dossiers link to their back-office page)."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from motcua.core.api_errors import DomainError
from motcua.indices import measures
from motcua.indices.models import Indicator
from motcua.indices.periods import Period
from motcua.indices.sources import DbSource, dossier_filters, late_766

LIMIT = 100


def _dossier_rows(qs, limit: int) -> tuple[int, list[dict]]:
    from motcua.backoffice.templatetags.backoffice import vn_date
    from motcua.dossiers.models import Status

    qs = qs.select_related("procedure_version__procedure").order_by("received_at", "pk")
    items = [{"code": d.code, "name": d.procedure_version.procedure.name,
              "detail": _("%(s)s; hạn %(due)s") % {"s": Status(d.status).label, "due": vn_date(d.due_at) or "—"},
              "url": reverse("backoffice:dossier", args=[d.code])} for d in qs[:limit]]
    return qs.count(), items


def _dossiers(src: DbSource, ind: Indicator):
    from motcua.dossiers.models import Dossier

    if ind.numerator in ("dossiers.in_time_766", "dossiers.satisfied_766"):
        finished, open_ = late_766(src.unit, src.period)
        q = Q(pk__in=finished.values("pk")) | Q(pk__in=open_.values("pk"))
        if ind.numerator == "dossiers.satisfied_766":
            q |= Q(pk__in=src.unhappy_not_late().values("pk"))
        return Dossier.objects.filter(q)
    f = dossier_filters(src.start, src.end)
    num, den = ind.numerator.split(".", 1)[1], ind.denominator.split(".", 1)[1]
    return src.dossiers().filter(f[den] & ~f[num])


def _pakn_rows(src: DbSource, ind: Indicator, limit: int) -> tuple[int, list[dict]]:
    from motcua.feedback.models import Feedback
    from motcua.feedback.rules import CLOCKS
    from motcua.feedback.stats import clock_outcomes, period_end

    at = period_end(src.period.last)
    rows = Feedback.objects.filter(agency_id__in=src.agency_ids, received_at__gte=src.start,
                                   received_at__lt=src.end).order_by("received_at")
    repeated = set(Feedback.objects.filter(repeat_of__in=rows, received_at__lte=at).values_list("repeat_of_id",
                                                                                                flat=True))
    bad = []
    for fb in rows:
        outcomes = clock_outcomes(fb, at, src.calendar)
        late = [c for c in CLOCKS if outcomes[c] in ("late", "overdue")]
        if ind.numerator == "pakn.on_time" and late:
            bad.append((fb, _("Trễ hạn: %(c)s") % {"c": ", ".join(late)}))
        elif ind.numerator == "pakn.satisfied" and fb.repeat_of_id is None and (
                fb.dislikes > fb.likes or outcomes["handling"] == "late" or fb.pk in repeated):
            bad.append((fb, _("Không hài lòng, xử lý trễ hoặc bị phản ánh lại")))
    return len(bad), [{"code": fb.code, "name": fb.title, "detail": why, "url": ""} for fb, why in bad[:limit]]


def shortfall(unit, period: Period, ind: Indicator, limit: int = LIMIT) -> dict:
    """{"kind", "count", "items": [{code, name, detail, url}]} for one indicator of `unit` (an Agency)."""
    src = DbSource(unit, period)
    kind = "manual" if ind.is_manual else measures.get(ind.numerator).kind
    if kind == "dossier" and ind.numerator != "dossiers.handling_days":
        count, items = _dossier_rows(_dossiers(src, ind), limit)
    elif kind == "procedure":
        failing = measures.procedures_failing(src.procedures(), ind.numerator, ind.denominator, src.working_days)
        count, items = len(failing), [{"code": p.code, "name": p.name, "detail": "", "url": ""}
                                      for p in failing[:limit]]
    elif kind == "pakn" and ind.numerator in ("pakn.on_time", "pakn.satisfied"):
        count, items = _pakn_rows(src, ind, limit)
    elif kind in ("manual", "dossier", "pakn"):
        count, items = 0, []
    else:
        raise DomainError("invalid", _("Chỉ số không có danh sách chi tiết."), status=422)
    return {"kind": kind, "count": count, "items": items}
