"""Django side of the clock: the calendar of an agency (package + database overrides + office hours), cached.

The cache lives in this process; saving or deleting an override / office hours clears it through signals (apps.py),
and entries also expire after `WORKTIME_CACHE_SECONDS` so other processes pick up an administrator's change.
"""

from __future__ import annotations

import threading
import time as _time
from datetime import date, datetime, time

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.worktime.calendar_vn import Override, build_calendar
from motcua.worktime.clock import DEFAULT_OFFICE_HOURS, Calendar, Pause, due_instant

_lock = threading.Lock()
_calendars: dict[tuple, tuple[float, Calendar]] = {}
_hours: dict[int | None, tuple[float, tuple]] = {}


def _conf(key: str, default):
    return getattr(settings, "MOTCUA", {}).get(key, default)


def year_range() -> tuple[int, int]:
    """Years the calendar supports (holidays data exists far ahead, but only configured years are trusted)."""
    first = int(_conf("WORKTIME_FIRST_YEAR", 2015))
    last = int(_conf("WORKTIME_LAST_YEAR", max(date.today().year + 2, 2030)))
    return first, last


def day_mode() -> str:
    """"end_of_day" (Civil Code, default) or "hours" (8 working hours per day from the reception instant)."""
    return _conf("WORKTIME_DAY_MODE", "end_of_day")


def pause_on_payment() -> bool:
    """Whether the dossier clock stops while a fee payment is awaited (deployment setting, default no)."""
    return bool(_conf("WORKTIME_PAUSE_ON_PAYMENT", False))


def _ttl() -> float:
    return float(_conf("WORKTIME_CACHE_SECONDS", 300))


def invalidate(*args, **kwargs) -> None:
    """Signal receiver: drop every cached calendar and office-hours resolution."""
    with _lock:
        _calendars.clear()
        _hours.clear()


def office_hours_for(agency=None) -> tuple[tuple[time, time], ...]:
    """The agency's own office hours, else its nearest ancestor's, else the province default, else 07:30–17:30."""
    from motcua.worktime.models import OfficeHours

    key = getattr(agency, "pk", None)
    hit = _hours.get(key)
    if hit and _time.monotonic() - hit[0] < _ttl():
        return hit[1]
    spans = DEFAULT_OFFICE_HOURS
    rows = {}
    ids = [int(x) for x in (getattr(agency, "path", "") or "").strip("/").split("/") if x]
    if agency is not None and agency.pk not in ids:
        ids.append(agency.pk)
    for row in OfficeHours.objects.filter(agency_id__in=ids) if ids else ():
        rows[row.agency_id] = row
    chosen = next((rows[i] for i in reversed(ids) if i in rows), None)
    chosen = chosen or OfficeHours.objects.filter(agency__isnull=True).first()
    if chosen is not None:
        spans = chosen.spans()
    with _lock:
        _hours[key] = (_time.monotonic(), spans)
    return spans


def overrides() -> tuple[Override, ...]:
    from motcua.worktime.models import CalendarOverride

    return tuple(Override(o.day, o.kind, o.name) for o in CalendarOverride.objects.order_by("day", "pk"))


def get_calendar(agency=None) -> Calendar:
    """The working calendar for `agency` (None = province default), cached in-process."""
    spans = office_hours_for(agency)
    first, last = year_range()
    key = (spans, first, last)
    hit = _calendars.get(key)
    if hit and _time.monotonic() - hit[0] < _ttl():
        return hit[1]
    cal = build_calendar(first, last, overrides(), spans)
    with _lock:
        _calendars[key] = (_time.monotonic(), cal)
    return cal


def compute_due(received_at: datetime, amount, unit: str, *, agency=None, cutoff: time | None = None,
                pauses=(), policy: str = "resume") -> datetime | None:
    """Due instant with the agency's calendar and the deployment's working-day convention."""
    return due_instant(get_calendar(agency), received_at, amount, unit, cutoff=cutoff,
                       pauses=tuple(p if isinstance(p, Pause) else Pause(*p) for p in pauses), policy=policy,
                       day_mode=day_mode())


def unconfirmed_year_warning(today: date | None = None) -> str | None:
    """From 1 October, a warning while next year's calendar is not confirmed by an administrator."""
    from motcua.worktime.models import CalendarYear

    today = today or timezone.localdate()
    if today.month < 10:
        return None
    nxt = today.year + 1
    if CalendarYear.objects.filter(year=nxt, confirmed_at__isnull=False).exists():
        return None
    return _("Lịch làm việc năm %(year)s chưa được xác nhận. Hãy kiểm tra ngày nghỉ lễ, Tết, ngày nghỉ bù, "
             "ngày làm bù theo thông báo của Chính phủ và xác nhận lịch.") % {"year": nxt}


def confirm_year(year: int, user=None, note: str = ""):
    """Mark `year` as confirmed (idempotent: an already confirmed year keeps its first confirmation)."""
    from motcua.worktime.models import CalendarYear

    first, last = year_range()
    if not first <= year <= last:
        from motcua.worktime.clock import ClockError

        raise ClockError("year", _("Năm %(year)s nằm ngoài phạm vi lịch hỗ trợ (%(first)s–%(last)s)."),
                         year=year, first=first, last=last)
    with transaction.atomic():
        row, _created = CalendarYear.objects.select_for_update().get_or_create(year=year)
        if row.confirmed_at is None:
            row.confirmed_at = timezone.now()
            row.confirmed_by = user
            row.note = note or row.note
            row.save()
    return row
