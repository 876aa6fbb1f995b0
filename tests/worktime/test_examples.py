"""Worked examples 1–8 of shared/domain/clock.md, with the examples' hours and with MotCua's default hours."""

from datetime import time

import pytest

from motcua.worktime.clock import (
    Pause,
    classify,
    classify_766,
    classify_step,
    due_instant,
    step_due,
    working_seconds_between,
)
from motcua.worktime.ledger import ClockLedger

from .conftest import at

# (calendar fixture, close of day, example 1 hours-mode due)
SETTINGS = [("th_cal", (17, 0), at(2026, 2, 26, 10, 0)), ("cal", (17, 30), at(2026, 2, 26, 10, 0))]


@pytest.fixture(params=SETTINGS, ids=["07:00-17:00", "07:30-17:30"])
def setting(request):
    name, close, ex1_hours = request.param
    return request.getfixturevalue(name), close, ex1_hours


def test_example1_period_across_tet(setting):
    c, close, ex1_hours = setting
    received = at(2026, 2, 12, 10, 0)
    assert due_instant(c, received, 40, "working_hours") == ex1_hours
    assert due_instant(c, received, 5, "working_days", day_mode="hours") == ex1_hours
    assert due_instant(c, received, 5, "working_days") == at(2026, 2, 26, *close)


def test_example2_after_hours_before_holiday_cluster(setting):
    c, close, _ = setting
    received = at(2026, 4, 24, 17, 30)
    assert c.next_opening(received) == at(2026, 4, 28, c.opening // 3600, c.opening // 60 % 60)
    assert due_instant(c, received, 24, "working_hours") == at(2026, 5, 4, *close)
    assert due_instant(c, received, 3, "working_days") == at(2026, 5, 4, *close)


def test_example3_same_day_with_cutoff(setting):
    c, close, _ = setting
    assert due_instant(c, at(2026, 4, 29, 14, 30), 0, "working_days", cutoff=time(15)) == at(2026, 4, 29, *close)
    assert due_instant(c, at(2026, 4, 29, 15, 20), 0, "working_days", cutoff=time(15)) == at(2026, 5, 4, *close)


def test_example4_calendar_days_ending_on_a_holiday(setting):
    c, close, _ = setting
    assert due_instant(c, at(2026, 4, 20, 9, 0), 10, "calendar_days") == at(2026, 5, 4, *close)


def test_example5_makeup_saturday_counts(setting):
    c, close, _ = setting
    received = at(2026, 8, 20, 17, 30)
    assert due_instant(c, received, 24, "working_hours") == at(2026, 8, 24, *close)
    assert due_instant(c, received, 3, "working_days") == at(2026, 8, 24, *close)


def test_example6_supplement_resume_and_restart(setting):
    c, close, _ = setting
    received = at(2026, 1, 5, 7, 0)
    pause = Pause(at(2026, 1, 8, 7, 0), at(2026, 1, 19, 7, 0))
    assert due_instant(c, received, 10, "working_days") == at(2026, 1, 16, *close)
    assert due_instant(c, received, 80, "working_hours") == at(2026, 1, 16, *close)
    assert working_seconds_between(c, pause.start, pause.end) == 56 * 3600
    for unit, amount in (("working_days", 10), ("working_hours", 80)):
        assert due_instant(c, received, amount, unit, pauses=[pause]) == at(2026, 1, 27, *close)
        assert due_instant(c, received, amount, unit, pauses=[pause], policy="restart") == at(2026, 1, 30, *close)


def test_example6_ledger(setting):
    c, close, _ = setting
    ledger = ClockLedger(at(2026, 1, 5, 7, 0), 10, "working_days")
    ledger = ledger.pause(at(2026, 1, 8, 7, 0))
    assert ledger.is_paused and ledger.current_due(c) is None
    assert ledger.remaining_working_seconds(c, at(2026, 1, 12, 9, 0)) == 56 * 3600
    ledger = ledger.resume(at(2026, 1, 19, 7, 0))
    assert ledger.original_due(c) == at(2026, 1, 16, *close)
    assert ledger.current_due(c) == at(2026, 1, 27, *close)


def test_example7_classification(setting):
    c, close, _ = setting
    received, finished = at(2026, 1, 5, 7, 0), at(2026, 1, 26, 10, 0)
    pauses = [Pause(at(2026, 1, 8, 7, 0), at(2026, 1, 19, 7, 0))]
    current = due_instant(c, received, 10, "working_days", pauses=pauses)
    assert classify(finished, current, "working_days", c) == "early"
    original = at(2026, 1, 16, *close)
    assert classify_766(received, finished, original, pauses, 1, "working_days", c) == "on_time"
    assert classify_766(received, finished, original, pauses, 2, "working_days", c) == "late"


def test_example8_step_clock(setting):
    c, _, _ = setting
    started, finished = at(2026, 1, 6, 13, 30), at(2026, 1, 8, 15, 0)
    assert step_due(c, started, 2, "working_days") == at(2026, 1, 8, 11, 30)
    assert working_seconds_between(c, started, finished) == int(17.5 * 3600)
    assert classify_step(c, started, finished, 2, "working_days") == "late"
    assert classify_step(c, started, at(2026, 1, 8, 11, 30), 2, "working_days") == "on_time"
    assert classify_step(c, started, at(2026, 1, 8, 11, 0), 2, "working_days") == "early"
