"""Bulk due dates (re-plan millions of open dossiers after a calendar change) with numpy over the working-time index.

Same rule as `clock.due_instant(..., unit="working_days", day_mode="end_of_day")` for whole-day amounts, without
pauses (paused dossiers are re-planned one by one through their ledger).
"""

from __future__ import annotations

import numpy as np

from motcua.worktime.clock import UTC_OFFSET_SECONDS, Calendar, ClockError, _


def _epoch_seconds(received) -> np.ndarray:
    arr = np.asarray(received)
    if np.issubdtype(arr.dtype, np.datetime64):  # datetime64 values are UTC instants
        return arr.astype("datetime64[s]").astype(np.int64)
    return arr.astype(np.int64)


def _in_day(cal: Calendar, sec: np.ndarray) -> np.ndarray:
    acc = np.zeros_like(sec)
    for a, b in cal.spans:
        acc += np.clip(sec - a, 0, b - a)
    return acc


def bulk_due_working_days(cal: Calendar, received, amounts, *, cutoff_seconds: int | None = None) -> np.ndarray:
    """Due instants (datetime64[s], UTC) of whole working-day amounts from reception instants.

    `received`: datetime64 array (UTC) or epoch seconds; `amounts`: integers ≥ 0 (0 = same-day procedure, with
    `cutoff_seconds` after local midnight, default the close of office hours).
    """
    first_day, is_work, before, work_days = cal.numpy_index()
    local = _epoch_seconds(received) + UTC_OFFSET_SECONDS
    day, sec = np.divmod(local, 86400)
    idx = day - first_day
    if idx.size and (idx.min() < 0 or idx.max() >= is_work.size):
        raise ClockError("received", _("Có thời điểm tiếp nhận nằm ngoài phạm vi lịch làm việc hỗ trợ."))
    amounts = np.asarray(amounts, dtype=np.int64)
    if amounts.size and amounts.min() < 0:
        raise ClockError("duration", _("Thời hạn không được âm."))
    work = is_work[idx]
    prior = before[idx]
    w = prior * cal.day_seconds + work * _in_day(cal, sec)
    k = -(-w // cal.day_seconds) - 1 + amounts
    limit = cal.closing if cutoff_seconds is None else cutoff_seconds
    same_day = np.where((work == 1) & (sec <= limit), prior, prior + work)
    k = np.where(amounts == 0, same_day, k)
    if k.size and k.max() >= work_days.size:
        raise ClockError("duration", _("Thời hạn vượt ra ngoài phạm vi lịch làm việc hỗ trợ."))
    due = work_days[k] * 86400 + cal.closing - UTC_OFFSET_SECONDS
    return due.astype("datetime64[s]")
