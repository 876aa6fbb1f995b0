"""Public clock API (/api/v1/worktime): due instants and the working calendar are public information (anonymous)."""

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from motcua.core.api_errors import DomainError
from motcua.worktime import inputs, services
from motcua.worktime.calendar_vn import year_listing
from motcua.worktime.clock import ClockError

router = Router(tags=["worktime"])


def _domain_error(exc: ClockError) -> DomainError:
    return DomainError(f"invalid_{exc.field}", exc.message, {exc.field: [exc.message]})


class DeadlineQuery(Schema):
    received: str
    duration: str | None = None
    unit: str = "working_days"
    cutoff: str | None = None
    province: str | None = None
    policy: str = "resume"
    day_mode: str | None = None
    pause: list[str] = []


@router.get("/deadline", summary="Tính hạn giải quyết")
def deadline(request, q: Query[DeadlineQuery]):
    """Due instant (ISO 8601, Asia/Ho_Chi_Minh) and the explanation: working time counted, days skipped."""
    try:
        unit = inputs.parse_unit(q.unit)
        duration = inputs.parse_duration(q.duration, unit)
        received = inputs.parse_instant(q.received, "received")
        cutoff = inputs.parse_cutoff(q.cutoff)
        pauses = inputs.parse_pauses(q.pause)
        policy = inputs.parse_policy(q.policy)
        mode = q.day_mode or services.day_mode()
        if mode not in ("end_of_day", "hours"):
            raise ClockError("day_mode", _("Cách tính ngày làm việc không hợp lệ (end_of_day hoặc hours)."))
        agency = _agency(q.province)
        return inputs.deadline_payload(services.get_calendar(agency), received, duration, unit, cutoff=cutoff,
                                       pauses=pauses, policy=policy, day_mode=mode)
    except ClockError as exc:
        raise _domain_error(exc) from None


def _agency(code: str | None):
    if not code:
        return None
    from motcua.agencies.models import Agency

    agency = Agency.objects.filter(code=code).first()
    if agency is None:
        raise ClockError("province", _("Không tìm thấy cơ quan có mã %(code)s."), code=code)
    return agency


@router.get("/calendar/{year}", summary="Lịch làm việc của một năm")
def calendar_year(request, year: int):
    """Days off and make-up working days of `year` with their names, and whether the year is confirmed."""
    from motcua.worktime.models import CalendarYear

    first, last = services.year_range()
    if not first <= year <= last:
        msg = _("Năm %(year)s nằm ngoài phạm vi lịch hỗ trợ (%(first)s–%(last)s).") % {
            "year": year, "first": first, "last": last}
        raise DomainError("invalid_year", msg, {"year": [msg]})
    cal = services.get_calendar(None)
    row = CalendarYear.objects.filter(year=year).first()
    return {
        "year": year,
        "confirmed": bool(row and row.confirmed),
        "confirmed_at": row.confirmed_at.isoformat() if row and row.confirmed_at else None,
        "office_hours": [[a.strftime("%H:%M"), b.strftime("%H:%M")] for a, b in cal.office_hours],
        "days": [{"date": r["date"].isoformat(), "kind": r["kind"], "name": r["name"]} for r in year_listing(cal, year)],
    }
