"""The budget + append-only ledger: pauses, resume/restart, extensions, remaining time."""

from datetime import UTC, time

import numpy as np
import pytest

from motcua.worktime.bulk import bulk_due_working_days
from motcua.worktime.clock import ClockError, due_instant
from motcua.worktime.ledger import ClockLedger

from .conftest import at


def test_ledger_is_append_only_and_immutable(cal):
    base = ClockLedger(at(2026, 3, 2, 9), 5, "working_days")
    paused = base.pause(at(2026, 3, 3, 9))
    assert base.pauses == () and len(paused.pauses) == 1
    resumed = paused.resume(at(2026, 3, 5, 9))
    assert resumed.pauses[0].end == at(2026, 3, 5, 9) and paused.pauses[0].end is None
    assert resumed.original_due(cal) == base.original_due(cal) == at(2026, 3, 9, 17, 30)
    assert resumed.current_due(cal) == at(2026, 3, 11, 17, 30)


def test_restart_policy_counts_the_full_limit_again(cal):
    ledger = ClockLedger(at(2026, 3, 2, 9), 5, "working_days", policy="restart")
    ledger = ledger.pause(at(2026, 3, 3, 9)).resume(at(2026, 3, 5, 9))
    assert ledger.current_due(cal) == at(2026, 3, 12, 17, 30)
    assert ledger.pause(at(2026, 3, 6, 9)).remaining_working_seconds(cal, at(2026, 3, 7)) == 5 * 8 * 3600


def test_pause_and_resume_order_is_enforced():
    ledger = ClockLedger(at(2026, 3, 2, 9), 5, "working_days")
    with pytest.raises(ClockError):
        ledger.resume(at(2026, 3, 3, 9))
    paused = ledger.pause(at(2026, 3, 3, 9))
    with pytest.raises(ClockError):
        paused.pause(at(2026, 3, 4, 9))
    with pytest.raises(ClockError):
        paused.resume(at(2026, 3, 2, 9))
    with pytest.raises(ClockError):
        ledger.pause(at(2026, 3, 1, 9))


def test_extension_sets_new_due_and_keeps_original(cal):
    ledger = ClockLedger(at(2026, 3, 2, 9), 5, "working_days")
    extended = ledger.extend(at(2026, 3, 20, 17, 30), "Thư xin lỗi: cần xác minh thêm", at(2026, 3, 6, 9))
    assert extended.original_due(cal) == at(2026, 3, 9, 17, 30)
    assert extended.current_due(cal) == at(2026, 3, 20, 17, 30)
    # a pause after the extension still gives its time back
    later = extended.pause(at(2026, 3, 10, 9)).resume(at(2026, 3, 11, 9))
    assert later.current_due(cal) == at(2026, 3, 23, 17, 30)
    with pytest.raises(ClockError) as err:
        extended.extend(at(2026, 3, 19, 17, 30), "lý do", at(2026, 3, 7, 9))
    assert err.value.field == "new_due"
    with pytest.raises(ClockError):
        ledger.extend(at(2026, 3, 20, 17, 30), "  ", at(2026, 3, 6, 9))


def test_remaining_time(cal):
    ledger = ClockLedger(at(2026, 3, 2, 9), 16, "working_hours")
    assert ledger.remaining_working_seconds(cal, at(2026, 3, 2, 9)) == 16 * 3600
    assert ledger.remaining_working_seconds(cal, at(2026, 3, 3, 9)) == 8 * 3600
    assert ledger.remaining_working_seconds(cal, at(2026, 3, 5, 9)) < 0
    assert ClockLedger(at(2026, 3, 2, 9), None, "none").remaining_working_seconds(cal, at(2026, 3, 5)) is None


def test_bulk_equals_single(cal):
    rng = np.random.default_rng(7)
    start = int(at(2024, 1, 1).timestamp())
    received = start + rng.integers(0, 3 * 365 * 86400, size=5000)
    amounts = rng.integers(0, 40, size=5000)
    bulk = bulk_due_working_days(cal, received, amounts)
    from datetime import datetime

    for r, n, due in zip(received[:2000], amounts[:2000], bulk[:2000], strict=False):
        single = due_instant(cal, datetime.fromtimestamp(int(r), UTC), int(n), "working_days")
        assert int(due.astype("int64")) == int(single.timestamp())


def test_bulk_accepts_datetime64_and_cutoff(cal):
    received = np.array(["2026-04-29T07:30", "2026-04-29T08:20"], dtype="datetime64[s]")  # UTC: 14:30, 15:20 local
    due = bulk_due_working_days(cal, received, [0, 0], cutoff_seconds=15 * 3600)
    assert [str(d) for d in due] == ["2026-04-29T10:30:00", "2026-05-04T10:30:00"]  # 17:30 local
    assert due_instant(cal, at(2026, 4, 29, 15, 20), 0, "working_days", cutoff=time(15)) == at(2026, 5, 4, 17, 30)
    with pytest.raises(ClockError) as err:
        bulk_due_working_days(cal, np.array(["2035-01-01T00:00"], dtype="datetime64[s]"), [1])
    assert err.value.field == "received"
