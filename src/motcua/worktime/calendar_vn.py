"""The Vietnamese base calendar from the `holidays` package, plus administrator overrides (framework-free).

`holidays` (≥ 0.109) knows the lunar holidays on the Vietnamese lunisolar calendar, the observed (nghỉ bù) days, the
government's yearly swaps (`Ngày nghỉ (thay cho ngày ...)`) and the make-up working Saturdays (`weekend_workdays`).
From 2026 it also lists 24/11 "Ngày Văn hóa Việt Nam"; MotCua keeps it as given and an administrator can remove it
with an override (docs/clock.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from functools import lru_cache

import holidays

from motcua.worktime.clock import DEFAULT_OFFICE_HOURS, Calendar

OFF, WORK, REMOVE = "day_off", "working_day", "remove"
MAKEUP_REASON = "Ngày làm bù"


@dataclass(frozen=True)
class Override:
    """An administrator's change: an extra day off, a make-up working day, or removal of a day the package gives."""

    day: date
    kind: str  # OFF | WORK | REMOVE
    name: str = ""


@lru_cache(maxsize=16)
def base_days(first_year: int, last_year: int) -> tuple[dict[date, str], frozenset[date]]:
    """(days off with their Vietnamese names, make-up working days) from the package for the years given."""
    vn = holidays.country_holidays("VN", years=range(first_year, last_year + 1), language="vi")
    off = {d: name for d, name in vn.items() if first_year <= d.year <= last_year}
    makeup = frozenset(d for d in vn.weekend_workdays if first_year <= d.year <= last_year)
    return off, makeup


def build_calendar(first_year: int, last_year: int, overrides: tuple[Override, ...] = (),
                   office_hours: tuple[tuple[time, time], ...] = DEFAULT_OFFICE_HOURS) -> Calendar:
    """Package days, then overrides in order (a later override of the same day wins)."""
    off, makeup = base_days(first_year, last_year)
    reasons = dict(off)
    days_off, working = set(off), set(makeup)
    for o in overrides:
        days_off.discard(o.day)
        working.discard(o.day)
        reasons.pop(o.day, None)
        if o.kind == OFF:
            days_off.add(o.day)
            reasons[o.day] = o.name or "Ngày nghỉ (quyết định của cơ quan có thẩm quyền)"
        elif o.kind == WORK:
            working.add(o.day)
    for d in makeup:
        if d in working:
            reasons.setdefault(d, MAKEUP_REASON)
    return Calendar(days_off, working, office_hours, reasons=reasons, first_day=date(first_year, 1, 1),
                    last_day=date(last_year, 12, 31))


def year_listing(cal: Calendar, year: int) -> list[dict]:
    """Days off and make-up working days of one year, in date order, with their reasons (for display)."""
    rows = []
    for d in sorted(x for x in cal.days_off | cal.working_days if x.year == year):
        if d in cal.working_days:
            rows.append({"date": d, "kind": WORK, "name": cal.reasons.get(d) or MAKEUP_REASON})
        else:
            rows.append({"date": d, "kind": OFF, "name": cal.reasons.get(d, "")})
    return rows
