"""Federation API, mounted at /api/v1/federation (docs/federation.md).

- `POST /events` and `POST /statistics`: a province publishes, signed with its key (signing.py); 401 for a missing,
  stale or wrong signature, 409 for a replayed nonce, 403 when the key publishes for another province.
- `GET /national?period=2026-10&definition=766`: provinces ranked by on-time rate and online share; for the
  national administrator (session: superuser or province-admin role) or a signed request of a registered province.
"""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from ninja import Field, Router, Schema
from ninja.security import APIKeyHeader, django_auth

from motcua.accounts.scoping import is_province_admin
from motcua.federation import national, receive, signing

router = Router(tags=["federation"])


class SignatureAuth(APIKeyHeader):
    """The ProvinceFeed whose key signed the request (signing.py); errors raise with their own code. Without the
    signature header the next auth method (the session) is tried."""

    param_name = signing.HEADER_SIGNATURE

    def authenticate(self, request, key):
        return receive.authenticate(request) if key else None


class Province(Schema):
    code: str = Field(max_length=32)
    name: str = Field("", max_length=255)


class Cursor(Schema):
    after: int = Field(ge=0)
    last: int = Field(ge=0)


class Event(Schema):
    code: str = Field(min_length=1, max_length=64)
    seq: int = Field(ge=1)
    procedure: str = Field(max_length=64)
    receiving_agency: str = Field(max_length=32)
    competent_agency: str = Field(max_length=32)
    channel: int = Field(ge=1, le=9)
    from_status: int | None = Field(None, ge=1, le=10)
    status: int = Field(ge=1, le=10)
    at: datetime
    submitted_at: datetime | None = None
    received_at: datetime | None = None
    due_at: datetime | None = None
    finished_at: datetime | None = None
    delivered_at: datetime | None = None
    outcome: str = Field("", max_length=16)
    outcome_766: str = Field("", max_length=16)


class EventsDocument(Schema):
    format: str
    kind: str = Field(pattern="^events$")
    province: Province
    sent_at: datetime
    cursor: Cursor
    events: list[Event] = Field(max_length=5000)


class PeriodIn(Schema):
    key: str
    date_from: date = Field(alias="from")
    date_to: date = Field(alias="to")


class UnitFigures(Schema):
    code: str = Field(max_length=32)
    name: str = Field(max_length=255)
    parent: str = Field("", max_length=32)
    definition: str = Field(pattern="^(local|766)$")
    figures: dict[str, float | int | None]


class StatisticsDocument(Schema):
    format: str
    kind: str = Field(pattern="^statistics$")
    province: Province
    sent_at: datetime
    computed_at: datetime
    period: PeriodIn
    units: list[UnitFigures] = Field(max_length=2000)


@router.post("/events", auth=SignatureAuth(), summary="Tỉnh gửi các thay đổi trạng thái hồ sơ (có chữ ký)")
def events(request, payload: EventsDocument):
    return receive.store_events(request.auth, payload)


@router.post("/statistics", auth=SignatureAuth(), summary="Tỉnh gửi số liệu thống kê theo kỳ (có chữ ký)")
def statistics(request, payload: StatisticsDocument):
    return receive.store_statistics(request.auth, payload)


@router.get("/national", auth=[SignatureAuth(), django_auth],
            summary="Xếp hạng các tỉnh theo tỷ lệ đúng hạn, tỷ lệ trực tuyến trong kỳ")
def national_ranking(request, period: str, definition: str = "766"):
    if not isinstance(request.auth, receive.ProvinceFeed) and not is_province_admin(request.user):
        raise PermissionDenied
    return national.ranking(period, definition)
