"""PAKN statistics for a unit and period: 766 indicators 5.1 (by category), 5.2 (on time), 5.3 (satisfaction).

Population: PAKN received (local date) in [date_from, date_to] by an agency counted for the unit (the unit's
subtree plus merged predecessors, as in the dossier reports). Outcomes are read from stored timestamps and stored
due instants, evaluated at the end of the period (or now, if earlier):

- each clock (reject, supplement, handling, publication; forward too, reported apart) is on_time / late once its
  step happened, or within_time / overdue while the step is still awaited (`worktime.clock.in_progress_state`);
- 5.2: a PAKN is on time when none of its four clocks is late or overdue;
- 5.3 = (PAKN − more dislikes than likes − handled late − repeated with dissatisfaction) / PAKN first received,
  each PAKN subtracted once. "First received" excludes repeats ("Tôi chưa hài lòng") and copies forwarded from an
  agency inside the same unit (the original already counts).
"""

from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.feedback.models import Category, Channel, Feedback, Status
from motcua.feedback.rules import CLOCKS
from motcua.reports.units import resolve_unit, unit_agency_ids
from motcua.worktime.clock import TZ, classify, in_progress_state
from motcua.worktime.services import get_calendar

OUTCOMES = ("on_time", "late", "within_time", "overdue")


def _outcome(done: datetime | None, due: datetime | None, at: datetime, open_: bool, cal) -> str | None:
    if done is not None and done <= at:
        return "late" if classify(done, due, "working_days", cal) == "late" else "on_time"
    if open_ and due is not None:
        return in_progress_state(due, at)
    return None


def clock_outcomes(fb: Feedback, at: datetime, cal) -> dict[str, str | None]:
    """Outcome of every clock of one PAKN at instant `at` (None = the clock does not apply)."""
    closed = {d for d in (fb.rejected_at, fb.forwarded_at) if d is not None and d <= at}
    unclassified = fb.status == Status.NEW or (fb.rejected_at and fb.rejected_at > at)
    handled = fb.handled_at is not None and fb.handled_at <= at
    return {
        "reject": _outcome(fb.rejected_at, fb.reject_due, at, bool(unclassified) and not closed, cal),
        "forward": _outcome(fb.forwarded_at, fb.forward_due, at, fb.status == Status.TO_FORWARD, cal),
        "supplement": _outcome(fb.first_supplement_at, fb.supplement_due, at, False, cal),
        "handling": None if closed else _outcome(fb.handled_at, fb.handling_due, at, True, cal),
        "publication": _outcome(fb.published_at, fb.publication_due, at, handled, cal) if handled else None,
    }


def period_end(date_to: date) -> datetime:
    end = datetime.combine(date_to + timedelta(days=1), time(0), tzinfo=TZ) - timedelta(seconds=1)
    return min(end, timezone.now())


def pakn_stats(unit, date_from: date, date_to: date) -> dict:
    """The statistics dict (JSON-ready) of `unit` (Agency or code) for the period."""
    unit = resolve_unit(unit)
    ids = unit_agency_ids(unit)
    start = datetime.combine(date_from, time(0), tzinfo=TZ)
    stop = datetime.combine(date_to + timedelta(days=1), time(0), tzinfo=TZ)
    at = period_end(date_to)
    rows = list(Feedback.objects.filter(agency_id__in=ids, received_at__gte=start, received_at__lt=stop)
                .select_related("agency", "forwarded_from").order_by("received_at"))
    repeated = set(Feedback.objects.filter(repeat_of__in=[r.pk for r in rows], received_at__lte=at)
                   .values_list("repeat_of_id", flat=True))
    cal = get_calendar(unit)
    clocks = {c: dict.fromkeys(OUTCOMES, 0) for c in (*CLOCKS, "forward")}
    by_category, by_channel, by_agency = {}, {}, {}
    on_time = first = satisfied = 0
    for fb in rows:
        outcomes = clock_outcomes(fb, at, cal)
        for clock, outcome in outcomes.items():
            if outcome:
                clocks[clock][outcome] += 1
        by_category[fb.category] = by_category.get(fb.category, 0) + 1
        by_channel[fb.channel] = by_channel.get(fb.channel, 0) + 1
        entry = by_agency.setdefault(fb.agency.code, {"code": fb.agency.code, "name": fb.agency.name, "count": 0})
        entry["count"] += 1
        if not any(outcomes[c] in ("late", "overdue") for c in CLOCKS):
            on_time += 1
        if fb.repeat_of_id is None and not (fb.forwarded_from and fb.forwarded_from.agency_id in ids):
            first += 1
            unhappy = fb.dislikes > fb.likes or outcomes["handling"] == "late" or fb.pk in repeated
            satisfied += 0 if unhappy else 1
    return {
        "unit": unit.code, "unit_name": unit.name, "date_from": date_from.isoformat(),
        "date_to": date_to.isoformat(), "evaluated_at": at.isoformat(), "total": len(rows),
        "by_category": [{"key": k, "label": str(Category(k).label) if k else _("Chưa phân loại"), "count": v}
                        for k, v in sorted(by_category.items())],
        "by_channel": [{"key": k, "label": str(Channel(k).label), "count": v} for k, v in sorted(by_channel.items())],
        "by_agency": sorted(by_agency.values(), key=lambda e: e["code"]),
        "clocks": clocks,
        "on_time": on_time, "on_time_rate": _rate(on_time, len(rows)),
        "first_received": first, "satisfied": satisfied, "satisfaction_rate": _rate(satisfied, first),
    }


def _rate(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 2) if whole else None
