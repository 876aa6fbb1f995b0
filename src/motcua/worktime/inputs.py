"""Parsing and checking of deadline requests shared by the CLI and the API (framework-free).

Every error is a ClockError naming the field, so the CLI exits with code 2 and the API answers 422.
"""

from __future__ import annotations

import math
from datetime import datetime, time

from motcua.worktime.clock import (
    POLICIES,
    UNITS,
    Calendar,
    ClockError,
    Pause,
    _,
    check_pauses,
    due_instant,
    explain,
    iso,
    to_local,
)


def parse_instant(text: str, field: str) -> datetime:
    """ISO 8601 instant; without an offset it is local time (Asia/Ho_Chi_Minh)."""
    try:
        return to_local(datetime.fromisoformat((text or "").strip()))
    except ValueError:
        raise ClockError(field, _("Thời điểm không hợp lệ: %(value)r (dạng 2026-02-13T10:00)."), value=text) from None


def parse_duration(text, unit: str) -> float | int | None:
    if unit == "none" and (text is None or text == ""):
        return None
    try:
        value = float(text)
    except (TypeError, ValueError):
        raise ClockError("duration", _("Thời hạn phải là một số: %(value)r."), value=text) from None
    if math.isnan(value) or math.isinf(value):
        raise ClockError("duration", _("Thời hạn phải là một số hữu hạn."))
    if value < 0:
        raise ClockError("duration", _("Thời hạn không được âm."))
    return int(value) if value.is_integer() else value


def parse_unit(text: str) -> str:
    if text not in UNITS:
        raise ClockError("unit", _("Đơn vị thời hạn không hợp lệ: %(value)r (chọn một trong %(choices)s)."), value=text,
                         choices=", ".join(UNITS))
    return text


def parse_policy(text: str) -> str:
    if text not in POLICIES:
        raise ClockError("policy", _("Cách tính sau bổ sung không hợp lệ: %(value)r (resume hoặc restart)."), value=text)
    return text


def parse_cutoff(text: str | None) -> time | None:
    if not text:
        return None
    try:
        return time.fromisoformat(text.strip())
    except ValueError:
        raise ClockError("cutoff", _("Giờ tiếp nhận muộn nhất không hợp lệ: %(value)r (dạng 15:00)."),
                         value=text) from None


def parse_pauses(items) -> tuple[Pause, ...]:
    """'START/END' strings (END may be empty for a pause still open); refuses reversed and overlapping pauses."""
    pauses = []
    for item in items or ():
        start, sep, end = (item or "").partition("/")
        if not sep:
            raise ClockError("pauses", _("Khoảng tạm dừng không hợp lệ: %(value)r (dạng BẮT_ĐẦU/KẾT_THÚC)."),
                             value=item)
        pauses.append(Pause(parse_instant(start, "pauses"), parse_instant(end, "pauses") if end.strip() else None))
    return tuple(check_pauses(pauses))


def deadline_payload(cal: Calendar, received: datetime, duration, unit: str, *, cutoff: time | None = None,
                     pauses=(), policy: str = "resume", day_mode: str = "end_of_day") -> dict:
    """{"due", "explain"} as the CLI (--json) and the API print it."""
    if unit != "none" and duration is None:
        raise ClockError("duration", _("Thiếu thời hạn."))
    due = due_instant(cal, received, duration, unit, cutoff=cutoff, pauses=pauses, policy=policy,
                      day_mode=day_mode)
    start = cal.next_opening(received) if unit == "working_hours" else received
    info = explain(cal, start, due, pauses)
    info.update({
        "received": iso(received), "duration": duration, "unit": unit, "cutoff": cutoff.strftime("%H:%M")
        if cutoff else None, "policy": policy, "day_mode": day_mode,
        "clock_starts": iso(cal.next_opening(received)),
        "pauses": [{"start": iso(p.start), "end": iso(p.end)} for p in pauses],
    })
    return {"due": iso(due), "explain": info}
