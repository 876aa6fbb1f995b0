"""The dossier's legal clock as a budget plus an append-only ledger of pauses and extensions (framework-free).

Nothing here stores a due date: `original_due` and `current_due` are derived from the budget, the ledger and the
calendar every time, so a calendar correction re-plans open dossiers while frozen outcomes (stored by the dossier
engine at event time) never change.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, time

from motcua.worktime.clock import (
    Calendar,
    ClockError,
    Extension,
    Pause,
    _,
    apply_pauses,
    check_pauses,
    due_instant,
    to_local,
)


@dataclass(frozen=True)
class ClockLedger:
    """Budget (`amount` `unit` from `received_at`) and the append-only pause / extension history.

    `policy`: "resume" (remaining time continues after a supplement) or "restart" (the full limit again).
    Mutators return a new ledger; entries are only ever appended or closed, never rewritten.
    """

    received_at: datetime
    amount: float | int | None
    unit: str
    cutoff: time | None = None
    policy: str = "resume"
    pauses: tuple[Pause, ...] = ()
    extensions: tuple[Extension, ...] = ()
    day_mode: str = "end_of_day"

    # -- appending -----------------------------------------------------------------------------------------------
    def pause(self, at: datetime, reason: str = "supplement") -> ClockLedger:
        """Stop the clock (supplement requested; fee payment awaited when the deployment pauses for it)."""
        if self.is_paused:
            raise ClockError("pauses", _("Đồng hồ đang tạm dừng."))
        if self.pauses and to_local(at) < to_local(self.pauses[-1].end):
            raise ClockError("pauses", _("Thời điểm tạm dừng trước lần tiếp tục gần nhất."))
        if to_local(at) < to_local(self.received_at):
            raise ClockError("pauses", _("Thời điểm tạm dừng trước thời điểm tiếp nhận."))
        return replace(self, pauses=self.pauses + (Pause(at, None, reason),))

    def resume(self, at: datetime) -> ClockLedger:
        """Run the clock again (supplement received, fee paid)."""
        if not self.is_paused:
            raise ClockError("pauses", _("Đồng hồ không ở trạng thái tạm dừng."))
        last = self.pauses[-1]
        if to_local(at) < to_local(last.start):
            raise ClockError("pauses", _("Thời điểm tiếp tục trước thời điểm tạm dừng."))
        return replace(self, pauses=self.pauses[:-1] + (replace(last, end=at),))

    def extend(self, new_due: datetime, reason: str, at: datetime) -> ClockLedger:
        """An apology letter (Form 04) with a new due instant; it must move the due instant later."""
        if not reason.strip():
            raise ClockError("reason", _("Gia hạn phải có lý do."))
        if to_local(new_due) <= to_local(at) or (
            self.extensions and to_local(new_due) <= to_local(self.extensions[-1].new_due)
        ):
            raise ClockError("new_due", _("Hạn mới phải sau thời điểm gia hạn và sau hạn đã gia hạn trước đó."))
        return replace(self, extensions=self.extensions + (Extension(new_due, reason, at),))

    # -- derived -------------------------------------------------------------------------------------------------
    @property
    def is_paused(self) -> bool:
        return bool(self.pauses) and self.pauses[-1].end is None

    def original_due(self, cal: Calendar) -> datetime | None:
        """The due instant printed on the receipt (Form 01): no pause, no extension."""
        if self.unit == "none":
            return None
        return due_instant(cal, self.received_at, self.amount, self.unit, cutoff=self.cutoff,
                           day_mode=self.day_mode)

    def current_due(self, cal: Calendar) -> datetime | None:
        """Due instant after pauses and extensions; None with no limit or while the clock is paused."""
        if self.unit == "none" or self.is_paused:
            return None
        due = due_instant(cal, self.received_at, self.amount, self.unit, cutoff=self.cutoff,
                          pauses=self.pauses, policy=self.policy, day_mode=self.day_mode)
        if self.extensions:
            ext = self.extensions[-1]
            later = [p for p in check_pauses(self.pauses) if to_local(p.start) >= to_local(ext.at)]
            due = apply_pauses(cal, self.received_at, to_local(ext.new_due), self.amount, self.unit, later,
                               cutoff=self.cutoff, policy="resume", day_mode=self.day_mode)
        return due

    def remaining_working_seconds(self, cal: Calendar, at: datetime) -> int | None:
        """Working seconds left at `at` (negative when overdue); while paused, what is left once resumed."""
        if self.unit == "none":
            return None
        if self.is_paused:
            open_pause = self.pauses[-1]
            if self.policy == "restart":
                return self._full_budget_seconds(cal, open_pause.start)
            settled = replace(self, pauses=self.pauses[:-1])
            due = settled.current_due(cal)
            return cal.w(due, "due") - cal.w(max(to_local(open_pause.start), to_local(self.received_at)))
        due = self.current_due(cal)
        return cal.w(due, "due") - cal.w(at, "at")

    def _full_budget_seconds(self, cal: Calendar, restart_at: datetime) -> int:
        """The whole limit in working seconds (what a restart gives back)."""
        if self.unit == "working_hours":
            return round(self.amount * 3600)
        if self.unit == "working_days":
            return round(self.amount * cal.day_seconds)
        due = due_instant(cal, restart_at, self.amount, self.unit)
        return cal.w(due, "due") - cal.w(restart_at)
