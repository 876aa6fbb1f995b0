"""The legal working-time clock: calendar, due instants, working-time arithmetic, outcome classes.

Framework-free (no Django): the dossier engine, the CLI, the API and the benchmarks all call these functions.

Design: every Calendar precomputes a *working-time index* over its supported range [first_day, last_day]:
for each day, whether it is a working day and how many working days precede it; plus the sorted list of working
days. An instant then maps to a single integer W(t) = "working seconds elapsed since the start of the range", and
every rule (add N working hours, N-th working day, working time between two instants, classification) becomes
integer arithmetic on W plus one array lookup. The same index, as numpy arrays, serves the bulk path.

Conventions (see docs/clock.md): aware datetimes, local zone Asia/Ho_Chi_Minh (UTC+7, no DST since 1975); second
precision; a "day" due instant is the close of office hours of that day.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
UTC_OFFSET_SECONDS = 7 * 3600  # Vietnam: UTC+7 without DST; the bulk path relies on it.
UNITS = ("working_hours", "working_days", "calendar_days", "none")
POLICIES = ("resume", "restart")
DAY_MODES = ("end_of_day", "hours")
DEFAULT_OFFICE_HOURS = ((time(7, 30), time(11, 30)), (time(13, 30), time(17, 30)))
WEEKDAY_NAMES = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


def _(text: str) -> str:
    """Marks a user-facing message for makemessages; it is translated when shown, through `translate`."""
    return text


translate = _  # apps.ready() installs Django's gettext here; the clock itself stays framework-free


class ClockError(ValueError):
    """Bad input to the clock; `.field` names the offending input (received, duration, unit, pauses, ...).

    The message is a Vietnamese template with %(name)s parameters, translated in the active language on display.
    """

    def __init__(self, field: str, template: str, **params):
        super().__init__(template % params if params else template)
        self.field, self.template, self.params = field, template, params

    @property
    def message(self) -> str:
        text = translate(self.template)
        return text % self.params if self.params else text


@dataclass(frozen=True)
class Pause:
    """The clock stops at `start` (supplement requested, fee payment awaited) and runs again at `end`."""

    start: datetime
    end: datetime | None = None
    reason: str = ""


@dataclass(frozen=True)
class Extension:
    """An apology letter (Form 04) setting a new due instant; the original due date is kept elsewhere."""

    new_due: datetime
    reason: str
    at: datetime


def _seconds(t: time) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second


def to_local(dt: datetime) -> datetime:
    """Aware → local zone; a naive datetime is taken as already local (CLI and forms give local times)."""
    tz = dt.tzinfo
    if tz is TZ:
        return dt
    if tz is None:
        return dt.replace(tzinfo=TZ)
    return dt.astimezone(TZ)


def _aware(dt: datetime) -> datetime:
    """Aware datetimes compare correctly whatever their zone; only naive ones need the local zone attached."""
    return dt if dt.tzinfo is not None else dt.replace(tzinfo=TZ)


class Calendar:
    """Working days (weekly pattern, days off, make-up working days) and daily office hours, indexed.

    `days_off` wins over the weekly pattern; `working_days` (make-up days, ngày làm bù) win over both.
    """

    def __init__(
        self,
        days_off: set[date],
        working_days: set[date],
        office_hours: Sequence[tuple[time, time]] = DEFAULT_OFFICE_HOURS,
        weekdays: frozenset[int] = frozenset({0, 1, 2, 3, 4}),
        reasons: dict[date, str] | None = None,
        first_day: date | None = None,
        last_day: date | None = None,
    ):
        self.days_off = frozenset(days_off)
        self.working_days = frozenset(working_days)
        self.weekdays = frozenset(weekdays)
        self.reasons = dict(reasons or {})
        known = self.days_off | self.working_days
        self.first_day = first_day or (date(min(known).year, 1, 1) if known else date(2000, 1, 1))
        self.last_day = last_day or (date(max(known).year, 12, 31) if known else date(2100, 12, 31))
        if self.last_day < self.first_day:
            raise ClockError("last_day", _("Ngày cuối của lịch phải sau ngày đầu."))
        self._set_office_hours(office_hours)
        self._build_index()

    # -- construction -------------------------------------------------------------------------------------------
    def _set_office_hours(self, office_hours: Sequence[tuple[time, time]]) -> None:
        spans = sorted((_seconds(a), _seconds(b)) for a, b in office_hours)
        if not spans or any(b <= a for a, b in spans) or any(
            spans[i][1] > spans[i + 1][0] for i in range(len(spans) - 1)
        ):
            raise ClockError("office_hours", _("Giờ làm việc không hợp lệ (khoảng trống, đảo ngược hoặc chồng lấn)."))
        self.office_hours = tuple((a, b) for a, b in office_hours)
        self.spans = tuple(spans)
        self.opening = spans[0][0]
        self.closing = spans[-1][1]
        cum, acc = [], 0
        for a, b in spans:
            cum.append(acc)  # working seconds of the day before this span starts
            acc += b - a
        self.span_cum = tuple(cum)
        self.day_seconds = acc  # S: working seconds in one working day (8 h by default)

    def _build_index(self) -> None:
        first = self.first_day.toordinal()
        n = self.last_day.toordinal() - first + 1
        self._first_ord = first
        self._first_epoch_day = first - _EPOCH_ORDINAL
        self._n_days = n
        is_work = bytearray(n)
        before = [0] * (n + 1)
        work_ords: list[int] = []
        for i in range(n):
            d = date.fromordinal(first + i)
            w = self._rule_working(d)
            is_work[i] = w
            before[i] = len(work_ords)
            if w:
                work_ords.append(first + i)
        before[n] = len(work_ords)
        self._is_work = bytes(is_work)
        self._before = before  # working days strictly before day i (index n = total)
        self._work_ords = work_ords
        self._np = None  # numpy arrays, built on first bulk call

    def _rule_working(self, d: date) -> bool:
        if d in self.working_days:
            return True
        if d in self.days_off:
            return False
        return d.weekday() in self.weekdays

    # -- day questions ------------------------------------------------------------------------------------------
    def _index(self, d: date, field: str) -> int:
        i = d.toordinal() - self._first_ord
        if i < 0 or i >= len(self._is_work):
            raise ClockError(
                field, _("Ngày %(day)s nằm ngoài phạm vi lịch làm việc hỗ trợ (%(first)s – %(last)s)."),
                day=f"{d:%d/%m/%Y}", first=f"{self.first_day:%d/%m/%Y}", last=f"{self.last_day:%d/%m/%Y}",
            )
        return i

    def is_working_day(self, d: date) -> bool:
        return bool(self._is_work[self._index(d, "date")])

    def reason(self, d: date) -> str | None:
        """Why `d` is not a working day (holiday name, override, weekend) or None for a working day."""
        if self.is_working_day(d):
            return None
        return self.reasons.get(d) or WEEKDAY_NAMES[d.weekday()]

    def working_day_at(self, k: int, field: str = "duration") -> date:
        """The k-th working day of the range (0-based)."""
        if k < 0 or k >= len(self._work_ords):
            raise ClockError(field, _("Thời hạn vượt ra ngoài phạm vi lịch làm việc hỗ trợ."))
        return date.fromordinal(self._work_ords[k])

    def next_working_day(self, d: date, field: str = "duration") -> date:
        """The first working day strictly after `d`."""
        i = self._index(d, field)
        return self.working_day_at(self._before[i] + self._is_work[i], field)

    # -- working-second coordinate ------------------------------------------------------------------------------
    def _in_day(self, sec: int) -> int:
        """Working seconds of one working day elapsed at `sec` seconds after midnight."""
        acc = 0
        for a, b in self.spans:
            if sec <= a:
                break
            acc += (sec if sec < b else b) - a
        return acc

    def w(self, dt: datetime, field: str = "received") -> int:
        """W(t): working seconds from the start of the range to instant `dt`.

        Hot path: local time is epoch + 7 h (fixed offset), so no time-zone conversion object is built.
        """
        tz = dt.tzinfo
        if tz is TZ or tz is None:  # already local: read the fields
            i = dt.toordinal() - self._first_ord
            sec = dt.hour * 3600 + dt.minute * 60 + dt.second
        else:
            day, sec = divmod(int(dt.timestamp()) + UTC_OFFSET_SECONDS, 86400)
            i = day - self._first_epoch_day
        if i < 0 or i >= self._n_days:
            self._index(to_local(dt).date(), field)  # raises the ClockError naming the field
        base = self._before[i] * self.day_seconds
        if self._is_work[i]:
            base += self._in_day(sec)
        return base

    def _at(self, k: int, sec: int) -> datetime:
        d = self.working_day_at(k)
        return datetime(d.year, d.month, d.day, sec // 3600, sec // 60 % 60, sec % 60, tzinfo=TZ)

    def instant_end(self, w: int) -> datetime:
        """Earliest instant where W reaches `w`; a day boundary maps to the close of the earlier working day."""
        if w <= 0:
            return self._at(0, self.opening)
        k, r = divmod(w, self.day_seconds)
        if r == 0:
            return self._at(k - 1, self.closing)
        for (a, b), c in zip(self.spans, self.span_cum, strict=False):
            if r <= c + (b - a):
                return self._at(k, a + r - c)
        raise AssertionError("unreachable: r < day_seconds")

    def instant_start(self, w: int) -> datetime:
        """Latest-opening form of W = `w`: a boundary maps to the next opening (clock start after a gap)."""
        k, r = divmod(w, self.day_seconds)
        for (a, b), c in zip(self.spans, self.span_cum, strict=False):
            if r < c + (b - a):
                return self._at(k, a + r - c)
        return self._at(k + 1, self.opening)

    def next_opening(self, dt: datetime) -> datetime:
        """`dt` itself when inside office hours of a working day, else the next opening instant."""
        loc = to_local(dt)
        if self.in_office_hours(loc):
            return loc
        return self.instant_start(self.w(loc))

    def in_office_hours(self, dt: datetime) -> bool:
        loc = to_local(dt)
        if not self.is_working_day(loc.date()):
            return False
        sec = loc.hour * 3600 + loc.minute * 60 + loc.second
        return any(a <= sec < b for a, b in self.spans)

    def close_of(self, d: date) -> datetime:
        return datetime(d.year, d.month, d.day, self.closing // 3600, self.closing // 60 % 60,
                        self.closing % 60, tzinfo=TZ)

    def numpy_index(self):
        """(first epoch day, is_work uint8[], before int64[], work epoch days int64[]) for the bulk path."""
        if self._np is None:
            import numpy as np

            self._np = (
                self._first_ord - _EPOCH_ORDINAL,
                np.frombuffer(self._is_work, dtype=np.uint8).astype(np.int64),
                np.asarray(self._before, dtype=np.int64),
                np.asarray(self._work_ords, dtype=np.int64) - _EPOCH_ORDINAL,
            )
        return self._np


# -- validation ----------------------------------------------------------------------------------------------------
def _check_amount(amount, unit: str) -> None:
    if unit not in UNITS:
        raise ClockError("unit", _("Đơn vị thời hạn không hợp lệ: %(value)r (chọn một trong %(choices)s)."), value=unit,
                         choices=", ".join(UNITS))
    if unit == "none":
        return
    if isinstance(amount, bool) or not isinstance(amount, (int, float)) or math.isnan(amount) or math.isinf(amount):
        raise ClockError("duration", _("Thời hạn phải là một số."))
    if amount < 0:
        raise ClockError("duration", _("Thời hạn không được âm."))
    if unit == "calendar_days" and amount != int(amount):
        raise ClockError("duration", _("Thời hạn tính theo ngày phải là số nguyên."))


def check_pauses(pauses: Sequence[Pause]) -> list[Pause]:
    """Sorted pauses; refuses a pause ending before it starts, overlaps, and an open pause that is not the last."""
    ordered = sorted(pauses, key=lambda p: _aware(p.start)) if len(pauses) > 1 else list(pauses)
    for i, p in enumerate(ordered):
        if p.end is not None and _aware(p.end) < _aware(p.start):
            raise ClockError("pauses", _("Khoảng tạm dừng %(n)s kết thúc trước khi bắt đầu."), n=i + 1)
        if i + 1 < len(ordered):
            nxt = ordered[i + 1]
            if p.end is None or _aware(p.end) > _aware(nxt.start):
                raise ClockError("pauses", _("Khoảng tạm dừng %(n)s chồng lấn khoảng tạm dừng %(m)s."), n=i + 1,
                                 m=i + 2)
    return ordered


# -- due instants --------------------------------------------------------------------------------------------------
def _calendar_due(cal: Calendar, received: datetime, amount) -> datetime:
    loc = to_local(received)
    cal._index(loc.date(), "received")
    last = loc.date() + timedelta(days=int(amount))  # Civil Code art. 147: day 1 is the day after
    try:
        working = cal.is_working_day(last)
    except ClockError as exc:
        raise ClockError("duration", exc.template, **exc.params) from None
    return cal.close_of(last if working else cal.next_working_day(last))


def _base_w(cal: Calendar, received: datetime, amount, unit: str, cutoff: time | None, day_mode: str) -> int:
    """W of the due instant for working units (hours, days)."""
    if unit == "working_hours":
        return cal.w(received) + round(amount * 3600)
    if amount == 0:
        return cal.w(_same_day_due(cal, to_local(received), cutoff), "duration")
    if day_mode == "hours" or amount != int(amount):
        return cal.w(received) + round(amount * cal.day_seconds)
    w = cal.w(received)
    # Reception inside day k (W in (kS, (k+1)S]) makes day k+1 the first counted day; outside office hours W = kS
    # exactly, deemed received at the previous close, so day k (the next opening's day) is day 1. The due W is the
    # close of that working day, (k + 1) × S.
    k = -(-w // cal.day_seconds) - 1 + int(amount)
    return (k + 1) * cal.day_seconds


def _same_day_due(cal: Calendar, loc: datetime, cutoff: time | None) -> datetime:
    """0 working days: the reception day's close if received on a working day up to the cut-off, else the next."""
    d = loc.date()
    limit = _seconds(cutoff) if cutoff is not None else cal.closing
    sec = loc.hour * 3600 + loc.minute * 60 + loc.second
    if cal.is_working_day(d) and sec <= limit:
        return cal.close_of(d)
    return cal.close_of(cal.next_working_day(d))


def _pauses_w(cal: Calendar, received: datetime, w_due: int, amount, unit: str, pauses: Sequence[Pause],
              cutoff: time | None, policy: str, day_mode: str) -> int | None:
    """Working units in W space: each pause starting while working time remains shifts the due W (resume) or
    restarts the budget from its end (restart); None while a pause is open."""
    day_based = unit == "working_days" and day_mode == "end_of_day" and amount == int(amount)
    rec_w = cal.w(received)
    s = cal.day_seconds
    for p in pauses:
        ws = cal.w(p.start, "pauses")
        if ws >= w_due:
            continue  # no working time was left when the pause began: it gives nothing back
        if p.end is None:
            return None
        if policy == "restart":
            w_due = _base_w(cal, p.end, amount, unit, cutoff, day_mode)
            continue
        w_due += max(cal.w(p.end, "pauses") - max(ws, rec_w), 0)
        if day_based:  # day-based limits end at a close: round up to the end of the day
            w_due = -(-w_due // s) * s
    return w_due


def apply_pauses(cal: Calendar, received: datetime, due: datetime, amount, unit: str, pauses: Sequence[Pause],
                 *, cutoff: time | None = None, policy: str = "resume", day_mode: str = "end_of_day"
                 ) -> datetime | None:
    """Shift `due` by each pause that starts before it; None while a pause is still open (the clock is stopped)."""
    if unit != "calendar_days":
        w = _pauses_w(cal, received, cal.w(due, "due"), amount, unit, pauses, cutoff, policy, day_mode)
        return None if w is None else cal.instant_end(w)
    for p in pauses:
        if _aware(p.start) >= due:
            continue  # a pause after the due instant cannot give time back
        if p.end is None:
            return None
        if policy == "restart":
            due = _calendar_due(cal, p.end, amount)
            continue
        start = max(to_local(p.start), to_local(received))
        due = _calendar_shift(cal, due, to_local(p.end) - start)
    return due


def _calendar_shift(cal: Calendar, due: datetime, delta: timedelta) -> datetime:
    d = (to_local(due) + timedelta(days=math.ceil(delta.total_seconds() / 86400))).date()
    return cal.close_of(d if cal.is_working_day(d) else cal.next_working_day(d))


def due_instant(cal: Calendar, received: datetime, amount, unit: str, *, cutoff: time | None = None,
                pauses: Sequence[Pause] = (), policy: str = "resume", day_mode: str = "end_of_day"
                ) -> datetime | None:
    """The due instant of a limit of `amount` `unit` from the valid reception; None for 'none' or while paused."""
    _check_amount(amount, unit)
    if policy not in POLICIES:
        raise ClockError("policy", _("Cách tính sau bổ sung không hợp lệ: %(value)r."), value=policy)
    if day_mode not in DAY_MODES:
        raise ClockError("day_mode", _("Cách tính ngày làm việc không hợp lệ: %(value)r."), value=day_mode)
    if unit == "none":
        return None
    if unit == "calendar_days":
        due = _calendar_due(cal, received, amount)
        if pauses:
            due = apply_pauses(cal, received, due, amount, unit, check_pauses(pauses), policy=policy)
        return due
    w = _base_w(cal, received, amount, unit, cutoff, day_mode)
    if pauses:
        w = _pauses_w(cal, received, w, amount, unit, check_pauses(pauses), cutoff, policy, day_mode)
        if w is None:
            return None
    return cal.instant_end(w)


def working_seconds_between(cal: Calendar, start: datetime, end: datetime) -> int:
    """Working seconds in [start, end] (negative when end is before start)."""
    return cal.w(end, "end") - cal.w(start, "start")


def add_working_seconds(cal: Calendar, start: datetime, seconds: int) -> datetime:
    return cal.instant_end(cal.w(start) + seconds)


# -- outcomes ------------------------------------------------------------------------------------------------------
def classify(finished: datetime, due: datetime | None, unit: str, cal: Calendar) -> str:
    """early | on_time | late. Day-based limits compare dates (an earlier day is early; the due day up to the due
    instant is on time); hour-based limits compare instants, early when at least one working hour remains."""
    if due is None:
        return "on_time"  # no time limit: nothing to be late against
    fin, due_l = to_local(finished), to_local(due)
    if fin > due_l:
        return "late"
    if unit == "working_hours":
        return "early" if cal.w(due_l, "due") - cal.w(fin, "finished") >= 3600 else "on_time"
    return "early" if fin.date() < due_l.date() else "on_time"


def supplement_seconds(pauses: Sequence[Pause], finished: datetime) -> float:
    """Calendar time spent waiting for supplements (766 deducts it from the end of processing)."""
    total = 0.0
    for p in pauses:
        end = to_local(p.end) if p.end is not None else to_local(finished)
        total += max((min(end, to_local(finished)) - to_local(p.start)).total_seconds(), 0.0)
    return total


def classify_766(received: datetime, finished: datetime, original_due: datetime | None, pauses: Sequence[Pause],
                 supplement_requests: int, unit: str, cal: Calendar, legal_amount=None) -> str:
    """Decision 766 indicator 2.1: on_time | late.

    More than one supplement request → late. End of processing minus the (calendar) supplement time is compared to
    the original due instant; with no due instant, the net elapsed time is compared with the legal maximum.
    """
    if supplement_requests > 1:
        return "late"
    pauses = check_pauses(pauses)
    end = to_local(finished)
    for p in pauses:
        if p.end is None:  # still waiting for the citizen: end = time of the supplement request
            end = min(end, to_local(p.start))
    net_end = end - timedelta(seconds=supplement_seconds(pauses, end))
    if original_due is not None:
        return "on_time" if net_end <= to_local(original_due) else "late"
    if legal_amount is None or unit == "none":
        return "on_time"
    limit_due = due_instant(cal, received, legal_amount, unit)
    return "on_time" if net_end <= limit_due else "late"


def in_progress_state(due: datetime | None, at: datetime) -> str:
    """Open dossier at `at` (e.g. end of a reporting period): within_time if due ≥ at, else overdue."""
    return "within_time" if due is None or to_local(due) >= to_local(at) else "overdue"


# -- the per-step clock --------------------------------------------------------------------------------------------
def step_budget_seconds(cal: Calendar, budget, unit: str) -> int:
    _check_amount(budget, unit)
    if unit == "working_hours":
        return round(budget * 3600)
    if unit == "working_days":
        return round(budget * cal.day_seconds)
    raise ClockError("unit", _("Thời hạn của bước xử lý phải tính theo giờ hoặc ngày làm việc."))


def step_due(cal: Calendar, started_at: datetime, budget, unit: str) -> datetime:
    """A process step's due instant: its budget in working time from the hand-over (1 day = one day's hours)."""
    return add_working_seconds(cal, started_at, step_budget_seconds(cal, budget, unit))


def classify_step(cal: Calendar, started: datetime, finished: datetime, budget, unit: str) -> str:
    """Tracking-sheet result: early if allotted > used, on_time if equal, late otherwise (working seconds)."""
    allotted = step_budget_seconds(cal, budget, unit)
    used = working_seconds_between(cal, started, finished)
    if allotted > used:
        return "early"
    return "on_time" if allotted == used else "late"


# -- explanation (CLI --json, API) ---------------------------------------------------------------------------------
def explain(cal: Calendar, received: datetime, due: datetime | None, pauses: Sequence[Pause] = ()) -> dict:
    """Working time counted between reception and due, and every non-working day skipped with its reason."""
    if due is None:
        return {"working_days": 0, "working_hours": 0, "skipped": []}
    start, end = to_local(received), to_local(due)
    paused = sum(working_seconds_between(cal, max(to_local(p.start), start), min(to_local(p.end), end))
                 for p in pauses if p.end is not None and to_local(p.end) > start and to_local(p.start) < end)
    seconds = working_seconds_between(cal, start, end) - paused
    skipped, d = [], start.date()
    while d <= end.date():
        if not cal.is_working_day(d):
            skipped.append({"date": d.isoformat(), "reason": cal.reason(d)})
        d += timedelta(days=1)
    # working days whose counting starts after the reception: the reception day counts only when the clock starts
    # at its opening (reception outside office hours), as in the Civil Code convention above
    s = cal.day_seconds
    days = -(-cal.w(end, "due") // s) - -(-cal.w(start) // s)
    return {"working_days": days, "working_hours": round(seconds / 3600, 2), "paused_working_hours":
            round(paused / 3600, 2), "skipped": skipped}


def iso(dt: datetime | None) -> str | None:
    return None if dt is None else to_local(dt).isoformat()


__all__ = [
    "Calendar", "ClockError", "Extension", "Pause", "TZ", "classify", "classify_766", "classify_step", "due_instant",
    "explain", "in_progress_state", "step_due", "working_seconds_between",
]
