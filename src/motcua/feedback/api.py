"""PAKN API, mounted at /api/v1/feedback.

- `GET /published?q=` — published answers, anonymous; q is matched diacritic-insensitively on the folded column.
- `GET /stats?unit=&from=&to=` — staff (session); a unit outside the caller's scope is 404, like an unknown one.
- `POST /` — intake (web channel for citizens, the given channel for an officer); 201 with the code and the
  sender's lookup secret, 422 with `fields` on bad input.
"""

from datetime import date

from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja import Status as Reply
from ninja.security import django_auth

from motcua.accounts.scoping import visible_agency_ids
from motcua.core.api_errors import DomainError
from motcua.core.text import fold
from motcua.feedback import services
from motcua.feedback.models import Feedback, Status
from motcua.feedback.stats import pakn_stats
from motcua.reports.units import resolve_unit

router = Router(tags=["feedback"])
NOT_FOUND = DomainError("not_found", _("Không tìm thấy đơn vị."), status=404)


class FeedbackIn(Schema):
    agency: str
    title: str
    content: str
    sender_name: str = ""
    sender_address: str = ""
    sender_phone: str = ""
    sender_email: str = ""
    anonymous: bool = False
    dossier_code: str = ""
    officer_name: str = ""
    officer: str = ""
    repeat_of: str = ""
    channel: str = ""


def published_item(fb: Feedback) -> dict:
    return {"code": fb.code, "title": fb.title, "content": fb.content, "answer": fb.answer,
            "agency": fb.agency.code, "agency_name": fb.agency.name, "category": fb.category,
            "received_at": fb.received_at.isoformat(),
            "published_at": fb.published_at and fb.published_at.isoformat(),  # imported rows may lack it
            "likes": fb.likes, "dislikes": fb.dislikes, "repeat_of": fb.repeat_of.code if fb.repeat_of else None}


def search_published(q: str = ""):
    qs = Feedback.objects.filter(status=Status.PUBLISHED).select_related("agency", "repeat_of")
    for word in fold(q).split()[:8]:
        qs = qs.filter(search_folded__contains=word)
    return qs.order_by("-published_at", "-pk")


@router.get("/published", summary="Phản ánh, kiến nghị đã công khai kết quả")
def published(request, q: str = "", limit: int = 50):
    return [published_item(fb) for fb in search_published(q)[:max(1, min(limit, 200))]]


@router.get("/stats", auth=django_auth, summary="Thống kê phản ánh, kiến nghị (766 nhóm 5.1–5.3)")
def stats(request, unit: str):
    fields = {}
    days = {}
    for key in ("from", "to"):
        try:
            days[key] = date.fromisoformat(request.GET.get(key, ""))
        except ValueError:
            fields[key] = [_("Ngày không hợp lệ (định dạng YYYY-MM-DD).")]
    if fields:
        raise DomainError("invalid", _("Dữ liệu không hợp lệ."), fields=fields, status=422)
    try:
        agency = resolve_unit(unit)
    except DomainError:
        raise NOT_FOUND from None
    ids = visible_agency_ids(request.user)
    if ids is not None and agency.pk not in ids:
        raise NOT_FOUND
    return pakn_stats(agency, days["from"], days["to"])


@router.post("", response={201: dict}, summary="Gửi phản ánh, kiến nghị")
def create(request, payload: FeedbackIn):
    fb, secret = services.submit(payload.dict(), actor=request.user)
    return Reply(201, {"code": fb.code, "lookup_secret": secret, "status": fb.status,
                "reject_due": fb.reject_due.isoformat(), "handling_due": fb.handling_due.isoformat()})
