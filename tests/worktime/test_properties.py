"""Invariants of the clock over random receptions, durations and pauses (hypothesis)."""

from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.worktime.calendar_vn import build_calendar
from motcua.worktime.clock import (
    TZ,
    Pause,
    add_working_seconds,
    due_instant,
    to_local,
    working_seconds_between,
)

CAL = build_calendar(2024, 2027)
instants = st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2026, 12, 31)).map(
    lambda d: d.replace(microsecond=0, tzinfo=TZ))
day_amounts = st.integers(min_value=0, max_value=60)
hour_amounts = st.integers(min_value=0, max_value=400)
units = st.sampled_from(["working_days", "working_hours"])
SETTINGS = settings(max_examples=150, deadline=None)


def inside_office_hours(dt: datetime) -> bool:
    loc = to_local(dt)
    sec = loc.hour * 3600 + loc.minute * 60 + loc.second
    return CAL.is_working_day(loc.date()) and any(a < sec <= b for a, b in CAL.spans)


@SETTINGS
@given(instants, day_amounts, units, st.sampled_from(["end_of_day", "hours"]))
def test_due_is_inside_office_hours(received, amount, unit, mode):
    due = due_instant(CAL, received, amount, unit, day_mode=mode)
    assert inside_office_hours(due)
    assert due >= received or amount == 0


@SETTINGS
@given(instants, hour_amounts, units)
def test_due_never_decreases_when_duration_grows(received, amount, unit):
    amount = amount if unit == "working_hours" else amount % 60
    assert due_instant(CAL, received, amount, unit) <= due_instant(CAL, received, amount + 1, unit)


@SETTINGS
@given(instants, day_amounts)
def test_calendar_days_monotone(received, amount):
    a = due_instant(CAL, received, amount, "calendar_days")
    assert a <= due_instant(CAL, received, amount + 1, "calendar_days")
    assert CAL.is_working_day(a.date())


@SETTINGS
@given(instants, st.integers(1, 40), st.sampled_from(["working_days", "working_hours", "calendar_days"]),
       st.integers(0, 30 * 24), st.integers(0, 30 * 24),
       st.sampled_from(["resume", "restart"]))
def test_a_pause_never_makes_it_earlier(received, amount, unit, offset_h, length_h, policy):
    start = received + timedelta(hours=offset_h)
    pause = Pause(start, start + timedelta(hours=length_h))
    base = due_instant(CAL, received, amount, unit)
    assert due_instant(CAL, received, amount, unit, pauses=[pause], policy=policy) >= base


@SETTINGS
@given(instants, st.integers(1, 400 * 3600))
def test_add_then_count_back_round_trips(start, seconds):
    end = add_working_seconds(CAL, start, seconds)
    assert working_seconds_between(CAL, start, end) == seconds


@SETTINGS
@given(instants, st.integers(1, 60))
def test_days_mode_matches_hours_mode_date(received, amount):
    """The Civil Code convention lands on the same day as N × 8 h counted from the reception instant."""
    by_day = due_instant(CAL, received, amount, "working_days")
    by_hours = due_instant(CAL, received, amount, "working_days", day_mode="hours")
    assert by_day.date() == by_hours.date()
    assert by_day == CAL.close_of(by_day.date())


@SETTINGS
@given(st.sampled_from(sorted(CAL.working_days)))
def test_a_makeup_saturday_counts_as_a_working_day(saturday):
    assert saturday.weekday() == 5 and CAL.is_working_day(saturday)
    friday_morning = datetime(saturday.year, saturday.month, saturday.day, 9, tzinfo=TZ) - timedelta(days=1)
    assert due_instant(CAL, friday_morning, 1, "working_days").date() == saturday
    assert due_instant(CAL, friday_morning, 8, "working_hours").date() == saturday
