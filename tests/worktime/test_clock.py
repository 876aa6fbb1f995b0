"""Rules of the clock beyond the worked examples: reception normalisation, units, cut-off, errors, outcomes."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from motcua.worktime.clock import (
    Calendar,
    ClockError,
    Pause,
    classify,
    classify_766,
    due_instant,
    in_progress_state,
    working_seconds_between,
)

from .conftest import at


@pytest.mark.parametrize(
    "received,opening",
    [
        (at(2026, 3, 2, 6, 0), at(2026, 3, 2, 7, 30)),  # before opening
        (at(2026, 3, 2, 12, 0), at(2026, 3, 2, 13, 30)),  # lunch
        (at(2026, 3, 2, 18, 0), at(2026, 3, 3, 7, 30)),  # after close
        (at(2026, 3, 7, 9, 0), at(2026, 3, 9, 7, 30)),  # Saturday
        (at(2026, 3, 2, 9, 15), at(2026, 3, 2, 9, 15)),  # inside office hours
        (at(2026, 2, 13, 17, 45), at(2026, 2, 23, 7, 30)),  # Friday evening before Tết
    ],
)
def test_next_opening(cal, received, opening):
    assert cal.next_opening(received) == opening


def test_reception_outside_hours_counts_from_next_opening(cal):
    # 2 working hours from Saturday = Monday 07:30 + 2 h.
    assert due_instant(cal, at(2026, 3, 7, 9), 2, "working_hours") == at(2026, 3, 9, 9, 30)
    # lunch reception: clock starts 13:30
    assert due_instant(cal, at(2026, 3, 2, 12, 0), 1, "working_hours") == at(2026, 3, 2, 14, 30)
    # the morning ends at 11:30 exactly, not at the afternoon opening
    assert due_instant(cal, at(2026, 3, 2, 10, 30), 1, "working_hours") == at(2026, 3, 2, 11, 30)


def test_utc_input_is_converted(cal):
    received = datetime(2026, 2, 13, 3, 0, tzinfo=UTC)  # 10:00 local
    assert due_instant(cal, received, 3, "working_days") == at(2026, 2, 25, 17, 30)
    assert due_instant(cal, received, 3, "working_days").utcoffset() == timedelta(hours=7)


def test_working_days_start_the_next_working_day(cal):
    # Friday 10:00 before Tết: day 1 = Mon 23/02, day 3 = Wed 25/02.
    assert due_instant(cal, at(2026, 2, 13, 10), 3, "working_days") == at(2026, 2, 25, 17, 30)
    # received Saturday: deemed at Friday's close, Monday is day 1.
    assert due_instant(cal, at(2026, 3, 7, 10), 1, "working_days") == at(2026, 3, 9, 17, 30)
    # hours mode: 24 h from the reception instant
    assert due_instant(cal, at(2026, 3, 2, 10), 3, "working_days", day_mode="hours") == at(2026, 3, 5, 10)


def test_fractional_days_count_as_hours(cal):
    assert due_instant(cal, at(2026, 3, 2, 8, 0), 0.5, "working_days") == at(2026, 3, 2, 14, 0)
    assert due_instant(cal, at(2026, 3, 2, 8, 0), 1.5, "working_days") == at(2026, 3, 3, 14, 0)


def test_same_day_without_cutoff_and_on_rest_day(cal):
    assert due_instant(cal, at(2026, 3, 2, 17, 0), 0, "working_days") == at(2026, 3, 2, 17, 30)
    assert due_instant(cal, at(2026, 3, 2, 17, 45), 0, "working_days") == at(2026, 3, 3, 17, 30)
    assert due_instant(cal, at(2026, 3, 7, 8), 0, "working_days", cutoff=time(15)) == at(2026, 3, 9, 17, 30)
    assert due_instant(cal, at(2026, 3, 2, 15, 0), 0, "working_days", cutoff=time(15)) == at(2026, 3, 2, 17, 30)


def test_no_time_limit_is_none(cal):
    assert due_instant(cal, at(2026, 3, 2, 8), None, "none") is None
    assert classify(at(2026, 3, 2, 8), None, "none", cal) == "on_time"


@pytest.mark.parametrize(
    "kwargs,field",
    [
        ({"amount": 3, "unit": "weeks"}, "unit"),
        ({"amount": -1, "unit": "working_days"}, "duration"),
        ({"amount": float("nan"), "unit": "working_days"}, "duration"),
        ({"amount": 1.5, "unit": "calendar_days"}, "duration"),
        ({"amount": 3, "unit": "working_days", "policy": "again"}, "policy"),
        ({"amount": 3, "unit": "working_days", "received": at(2031, 1, 1, 9)}, "received"),
        ({"amount": 3, "unit": "working_days", "received": at(2027, 12, 31, 9)}, "duration"),
        ({"amount": 3, "unit": "working_days", "pauses": [Pause(at(2026, 3, 3, 9), at(2026, 3, 2, 9))]}, "pauses"),
        ({"amount": 3, "unit": "working_days", "pauses": [
            Pause(at(2026, 3, 3, 9), at(2026, 3, 5, 9)), Pause(at(2026, 3, 4, 9), at(2026, 3, 6, 9))]}, "pauses"),
    ],
)
def test_bad_input_names_the_field(cal, kwargs, field):
    received = kwargs.pop("received", at(2026, 3, 2, 9))
    with pytest.raises(ClockError) as err:
        due_instant(cal, received, kwargs.pop("amount"), kwargs.pop("unit"), **kwargs)
    assert err.value.field == field and err.value.message


def test_pauses_outside_the_period_change_nothing(cal):
    received = at(2026, 3, 2, 9)
    base = due_instant(cal, received, 3, "working_days")
    after = [Pause(at(2026, 3, 20, 9), at(2026, 3, 25, 9))]
    assert due_instant(cal, received, 3, "working_days", pauses=after) == base
    open_pause = [Pause(at(2026, 3, 3, 9), None)]
    assert due_instant(cal, received, 3, "working_days", pauses=open_pause) is None


def test_partial_day_pause_rounds_day_limits_to_a_close(cal):
    # a 2-hour pause pushes a day-based due instant to the end of the next working day, never to 09:30
    due = due_instant(cal, at(2026, 3, 2, 9), 3, "working_days",
                      pauses=[Pause(at(2026, 3, 3, 9), at(2026, 3, 3, 11))])
    assert due == at(2026, 3, 6, 17, 30)
    due_h = due_instant(cal, at(2026, 3, 2, 9), 24, "working_hours",
                        pauses=[Pause(at(2026, 3, 3, 9), at(2026, 3, 3, 11))])
    assert due_h == at(2026, 3, 5, 11, 0)


def test_calendar_days_pause_shifts_by_calendar_days(cal):
    due = due_instant(cal, at(2026, 3, 2, 9), 10, "calendar_days",
                      pauses=[Pause(at(2026, 3, 3, 9), at(2026, 3, 6, 9))])
    assert due == at(2026, 3, 16, 17, 30)  # 12/03 + 3 days = Sunday 15/03 → Monday 16/03


@pytest.mark.parametrize(
    "finished,expected",
    [
        (at(2026, 2, 24, 16, 0), "early"),  # an earlier day
        (at(2026, 2, 25, 8, 0), "on_time"),  # the due day, before the due instant
        (at(2026, 2, 25, 17, 30), "on_time"),  # at the due instant
        (at(2026, 2, 25, 17, 31), "late"),
        (at(2026, 2, 26, 8, 0), "late"),
    ],
)
def test_classify_day_based(cal, finished, expected):
    assert classify(finished, at(2026, 2, 25, 17, 30), "working_days", cal) == expected


@pytest.mark.parametrize(
    "finished,expected",
    [
        (at(2026, 3, 2, 14, 0), "early"),  # 3 h left
        (at(2026, 3, 2, 11, 0), "early"),  # 11:00 → 16:00 with lunch = 3 h left
        (at(2026, 3, 2, 15, 0), "early"),  # exactly one hour left
        (at(2026, 3, 2, 15, 30), "on_time"),
        (at(2026, 3, 2, 16, 0), "on_time"),
        (at(2026, 3, 2, 16, 1), "late"),
    ],
)
def test_classify_hour_based(cal, finished, expected):
    assert classify(finished, at(2026, 3, 2, 16, 0), "working_hours", cal) == expected


def test_classify_766_without_due_date_uses_legal_maximum(cal):
    received = at(2026, 3, 2, 9)
    pauses = [Pause(at(2026, 3, 3, 9), at(2026, 3, 10, 9))]
    # 3 working days from Monday → Thursday close; finished the next Wednesday minus the 7-day pause = Tuesday
    assert classify_766(received, at(2026, 3, 11, 9), None, pauses, 1, "working_days", cal, 3) == "on_time"
    assert classify_766(received, at(2026, 3, 13, 9), None, pauses, 1, "working_days", cal, 3) == "late"
    assert classify_766(received, at(2026, 9, 1, 9), None, (), 0, "none", cal, None) == "on_time"


def test_classify_766_open_supplement_ends_at_request(cal):
    pauses = [Pause(at(2026, 3, 3, 9), None)]
    assert classify_766(at(2026, 3, 2, 9), at(2026, 6, 30, 17), at(2026, 3, 5, 17, 30), pauses, 1,
                        "working_days", cal) == "on_time"


def test_in_progress_state():
    due = at(2026, 3, 31, 17, 30)
    assert in_progress_state(due, at(2026, 3, 31, 17, 30)) == "within_time"
    assert in_progress_state(due, at(2026, 4, 1, 0, 0)) == "overdue"
    assert in_progress_state(None, at(2026, 4, 1)) == "within_time"


def test_working_seconds_between_is_antisymmetric(cal):
    a, b = at(2026, 2, 12, 10), at(2026, 2, 24, 9)
    assert working_seconds_between(cal, a, b) == -working_seconds_between(cal, b, a) == (5.5 + 8 + 8 + 1.5) * 3600


def test_custom_week_and_hours():
    c = Calendar(set(), set(), ((time(8), time(12)),), weekdays=frozenset({0, 1, 2, 3, 4, 5}),
                 first_day=date(2026, 1, 1), last_day=date(2026, 12, 31))
    assert c.day_seconds == 4 * 3600 and c.is_working_day(date(2026, 3, 7))
    assert due_instant(c, at(2026, 3, 6, 10), 1, "working_days") == at(2026, 3, 7, 12)
    with pytest.raises(ClockError) as err:
        Calendar(set(), set(), ((time(12), time(8)),))
    assert err.value.field == "office_hours"
