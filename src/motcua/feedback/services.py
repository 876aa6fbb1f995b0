"""PAKN services: intake (portal, officer, API), the transition engine, votes and the sender's lookup.

`perform(feedback, action, actor, **params)` — in one transaction: row lock (select_for_update), scope check (404,
never reveals existence), status check against `rules.TRANSITIONS` (409 with a Vietnamese message), role check (403),
parameters (422 with fields), then the handler changes the row, and one append-only FeedbackEvent and one audit
record (stream `pakn:<code>`) are written. Any refusal raises before anything is written.

Every deadline is computed by the working-time clock (`worktime.services.compute_due`, unit working_days) with the
receiving agency's calendar and stored at the event that starts it.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import READ_ONLY_ROLES, AccountKind
from motcua.accounts.permissions import can_act
from motcua.accounts.scoping import user_roles, visible_agency_ids
from motcua.agencies.models import Agency
from motcua.audit.services import record
from motcua.core.api_errors import DomainError
from motcua.core.counters import next_daily_seq
from motcua.core.text import fold
from motcua.dossiers.codes import format_code
from motcua.feedback import rules
from motcua.feedback.models import (
    Attachment,
    Category,
    Channel,
    Consultation,
    Feedback,
    FeedbackCounter,
    FeedbackEvent,
    Status,
    Vote,
    hash_secret,
)
from motcua.worktime.clock import ClockError
from motcua.worktime.services import compute_due

DEFAULT_CODE_PATTERN = "PAKN-{unit}-{yymmdd}-{seq:04d}"
STAFF_CHANNELS = {Channel.PHONE, Channel.LETTER, Channel.EMAIL, Channel.FORWARDED, Channel.WEB}


def invalid(fields: dict, message: str | None = None) -> DomainError:
    return DomainError("invalid", message or _("Dữ liệu không hợp lệ."), fields=fields, status=422)


def not_found() -> DomainError:
    return DomainError("not_found", _("Không tìm thấy phản ánh, kiến nghị."), status=404)


# -- codes --------------------------------------------------------------------------------------------------------
def allocate_code(agency: Agency, at: datetime) -> str:
    """Next PAKN code of `agency` for the local day of `at`; runs inside the intake transaction."""
    day = timezone.localtime(at).date()
    pattern = getattr(settings, "MOTCUA", {}).get("PAKN_CODE_PATTERN") or DEFAULT_CODE_PATTERN
    return format_code(agency.code, day, _next_seq(agency, day), pattern)


def _next_seq(agency: Agency, day) -> int:
    return next_daily_seq(FeedbackCounter, agency, day)


# -- deadlines ----------------------------------------------------------------------------------------------------
def due(start: datetime, clock: str, agency: Agency) -> datetime:
    """The due instant of `clock` (reject, supplement, handling, publication, forward) counted from `start`."""
    return compute_due(start, rules.deadlines()[clock], rules.UNIT, agency=agency)


def start_clocks(fb: Feedback) -> None:
    """Deadlines that run from the reception (or from the transfer, for a PAKN forwarded to us)."""
    for clock in ("reject", "forward", "supplement", "handling"):
        setattr(fb, f"{clock}_due", due(fb.received_at, clock, fb.agency))
    fb.next_due = fb.reject_due


def next_due_for(fb: Feedback) -> datetime | None:
    """The deadline of the step the PAKN waits for: the inbox sorts on it."""
    return {
        Status.NEW: fb.reject_due, Status.TO_FORWARD: fb.forward_due, Status.HANDLING: fb.handling_due,
        Status.SUPPLEMENT: fb.handling_due, Status.AWAITING_APPROVAL: fb.handling_due,
        Status.AWAITING_PUBLICATION: fb.publication_due,
    }.get(fb.status)


# -- intake -------------------------------------------------------------------------------------------------------
def _text(data: dict, key: str, limit: int) -> str:
    return str(data.get(key) or "").strip()[:limit]


def _agency(value, errors: dict, key: str = "agency") -> Agency | None:
    if isinstance(value, Agency):
        return value
    value = str(value or "").strip()
    if not value:
        errors[key] = [_("Vui lòng chọn cơ quan tiếp nhận.")]
        return None
    agency = Agency.objects.filter(pk=int(value)).first() if value.isdigit() else \
        Agency.objects.filter(code=value).first()
    if agency is None or not agency.is_active:
        errors[key] = [_("Cơ quan «%(v)s» không tồn tại hoặc đã hết hiệu lực.") % {"v": value}]
        return None
    return agency


def _check_sender(data: dict, errors: dict) -> dict:
    sender = {"sender_name": _text(data, "sender_name", 255), "sender_address": _text(data, "sender_address", 255),
              "sender_phone": _text(data, "sender_phone", 20), "sender_email": _text(data, "sender_email", 254)}
    anonymous = bool(data.get("anonymous")) and rules.allow_anonymous()
    if data.get("anonymous") and not rules.allow_anonymous():
        errors["anonymous"] = [_("Không được gửi phản ánh, kiến nghị ẩn danh: pháp luật yêu cầu ghi rõ họ tên, "
                                 "địa chỉ của người gửi.")]
    if sender["sender_email"]:
        try:
            validate_email(sender["sender_email"])
        except ValidationError:
            errors["sender_email"] = [_("Địa chỉ thư điện tử không hợp lệ.")]
    phone = sender["sender_phone"].replace(" ", "").replace(".", "")
    if phone and not (phone.lstrip("+").isdigit() and 8 <= len(phone.lstrip("+")) <= 15):
        errors["sender_phone"] = [_("Số điện thoại không hợp lệ (8–15 chữ số).")]
    if not anonymous:
        if not sender["sender_name"]:
            errors["sender_name"] = [_("Vui lòng nhập họ và tên người gửi.")]
        if not sender["sender_address"]:
            errors["sender_address"] = [_("Vui lòng nhập địa chỉ người gửi.")]
        if not sender["sender_phone"] and not sender["sender_email"]:
            errors["sender_phone"] = [_("Vui lòng nhập số điện thoại hoặc thư điện tử để cơ quan liên hệ.")]
    return {**sender, "anonymous": anonymous}


def _links(data: dict, errors: dict) -> dict:
    from motcua.dossiers.models import Dossier

    links: dict = {"officer_name": _text(data, "officer_name", 255)}
    dossier_code = _text(data, "dossier_code", 64)
    if dossier_code:
        links["dossier"] = Dossier.objects.filter(code=dossier_code).first()
        if links["dossier"] is None:
            errors["dossier_code"] = [_("Không tìm thấy hồ sơ có mã «%(c)s».") % {"c": dossier_code}]
    repeat = _text(data, "repeat_of", 64)
    if repeat:
        links["repeat_of"] = Feedback.objects.filter(code=repeat, status=Status.PUBLISHED).first()
        if links["repeat_of"] is None:
            errors["repeat_of"] = [_("Không tìm thấy phản ánh đã công khai có mã «%(c)s».") % {"c": repeat}]
    return links


def _officer(value, errors: dict, key: str = "officer"):
    value = str(value or "").strip()
    if not value:
        return None
    user = get_user_model().objects.filter(username=value, kind=AccountKind.STAFF).first()
    if user is None:
        errors[key] = [_("Không tìm thấy cán bộ có tên đăng nhập «%(v)s».") % {"v": value}]
    return user


def submit(data: dict, files=(), *, actor=None, now: datetime | None = None, as_officer: bool | None = None
           ) -> tuple[Feedback, str]:
    """Register a PAKN; returns it and the sender's lookup secret (plaintext, shown once).

    Citizens (anonymous visitors or logged-in accounts) submit on the web channel; an officer with a role at the
    receiving agency enters phone calls, letters and e-mails with their channel. Bad input → 422 naming the fields.
    """
    from motcua.feedback.uploads import check_files

    errors: dict = {}
    is_officer = bool(actor and getattr(actor, "is_authenticated", False) and
                      (actor.is_superuser or actor.kind == AccountKind.STAFF))
    if as_officer is not None:  # the portal form is a citizen's channel even for a signed-in officer
        is_officer = is_officer and as_officer
    title, content = _text(data, "title", 255), str(data.get("content") or "").strip()
    if not title:
        errors["title"] = [_("Vui lòng nhập tiêu đề.")]
    if len(content) < 10:
        errors["content"] = [_("Vui lòng nhập nội dung phản ánh, kiến nghị (ít nhất 10 ký tự).")]
    agency = _agency(data.get("agency"), errors)
    sender = _check_sender(data, errors)
    links = _links(data, errors)
    channel = Channel.WEB
    if is_officer:
        channel = str(data.get("channel") or Channel.PHONE)
        if channel not in Channel.values:
            errors["channel"] = [_("Kênh tiếp nhận không hợp lệ.")]
        links["officer"] = _officer(data.get("officer"), errors)
    checked = check_files(files, errors)
    if agency is not None and is_officer and not can_act(actor, agency, rules.TRANSITIONS["classify"].roles):
        raise DomainError("forbidden", _("Bạn không có vai trò tiếp nhận phản ánh tại %(a)s.") % {"a": agency},
                          status=403)
    if errors:
        raise invalid(errors)
    with transaction.atomic():
        fb = _create(agency, channel, title, content, sender, links, actor if is_officer else None,
                     actor if (actor and getattr(actor, "is_authenticated", False) and not is_officer) else None,
                     now or timezone.now())
        secret = fb.issue_lookup_secret()
        fb.save(update_fields=["lookup_secret"])
        for item in checked:
            Attachment.objects.create(feedback=fb, file=item.as_file(), original_name=item.original_name,
                                      content_type=item.content_type, size=item.size, sha256=item.sha256)
    return fb, secret


def _create(agency, channel, title, content, sender, links, officer_actor, citizen, at, **extra) -> Feedback:
    fb = Feedback(agency=agency, channel=channel, title=title, content=content, received_at=at,
                  entered_by=officer_actor, sender_user=citizen, code=allocate_code(agency, at), **sender, **links,
                  **extra)
    try:
        start_clocks(fb)
    except ClockError as exc:
        raise invalid({"received_at": [exc.message]}, exc.message) from None
    fb.save()
    FeedbackEvent.objects.create(feedback=fb, seq=0, action="receive", to_status=fb.status, actor=officer_actor,
                                 at=at, data={"channel": channel, **_dues(fb)})
    record(f"pakn:{fb.code}", "receive", actor=officer_actor, target_type="feedback", target_id=fb.code,
           new={"status": fb.status, "channel": channel, "agency": agency.code, **_dues(fb)})
    return fb


def _dues(fb: Feedback) -> dict:
    names = ("reject_due", "forward_due", "supplement_due", "handling_due", "publication_due")
    return {n: getattr(fb, n).isoformat() for n in names if getattr(fb, n) is not None}


# -- the engine ---------------------------------------------------------------------------------------------------
@dataclass
class Ctx:
    fb: Feedback
    actor: object
    transition: rules.Transition
    params: dict
    now: datetime
    reason: str = ""
    data: dict = field(default_factory=dict)


def can_see(user, fb: Feedback) -> bool:
    ids = visible_agency_ids(user)
    return ids is None or fb.agency_id in ids


def allowed_actions(user, fb: Feedback) -> list[rules.Transition]:
    """Transitions the user could start now (for the action forms of the PAKN page)."""
    return [t for t in rules.TRANSITIONS.values()
            if fb.status in t.from_statuses and t.action != "reply_consultation"
            and can_act(user, fb.agency, t.roles)]


def perform(feedback, action: str, actor, *, now: datetime | None = None, **params) -> Feedback:
    transition = rules.TRANSITIONS.get(action)
    if transition is None:
        raise DomainError("unknown_action", _("Thao tác «%(a)s» không tồn tại.") % {"a": action}, status=404)
    with transaction.atomic():
        fb = _lock(feedback)
        consultation = _consultation(fb, actor, params) if action == "reply_consultation" else None
        if consultation is None and not can_see(actor, fb):
            raise not_found()
        if fb.status not in transition.from_statuses:
            raise DomainError("transition_not_allowed", _("Không thể «%(a)s» phản ánh đang ở trạng thái «%(s)s».")
                              % {"a": transition.label, "s": Status(fb.status).label}, status=409)
        if consultation is None and not can_act(actor, fb.agency, transition.roles):
            raise DomainError("forbidden", _("Bạn không có vai trò phù hợp để «%(a)s» phản ánh này.")
                              % {"a": transition.label}, status=403)
        missing = {k: [_("Bắt buộc nhập.")] for k in transition.required if not str(params.get(k) or "").strip()}
        if missing:
            raise invalid(missing)
        ctx = Ctx(fb, actor, transition, params, now or timezone.now(), reason=str(params.get("reason") or ""))
        old = {"status": fb.status, "assigned_to": fb.assigned_to_id}
        from_status = fb.status
        try:
            HANDLERS[action](ctx)
        except ClockError as exc:
            raise invalid({exc.field: [exc.message]}, exc.message) from None
        if transition.to_status is not None:
            fb.status = transition.to_status
        fb.next_due = next_due_for(fb)
        fb.row_version += 1
        fb.save()
        FeedbackEvent.objects.create(feedback=fb, seq=fb.row_version, action=action, from_status=from_status,
                                     to_status=fb.status, actor=actor, at=ctx.now, reason=ctx.reason, data=ctx.data)
        record(f"pakn:{fb.code}", action, actor=actor, target_type="feedback", target_id=fb.code, old=old,
               new={"status": fb.status, "assigned_to": fb.assigned_to_id, "reason": ctx.reason, **ctx.data})
    return fb


def _lock(feedback) -> Feedback:
    qs = Feedback.objects.select_for_update(of=("self",)).select_related("agency")
    key = feedback.pk if isinstance(feedback, Feedback) else feedback
    found = qs.filter(**({"code": key} if isinstance(key, str) else {"pk": key})).first()
    if found is None:
        raise not_found()
    return found


def _consultation(fb: Feedback, actor, params: dict) -> Consultation | None:
    """The open consultation addressed to `actor` (or to an agency where the actor works), else None."""
    pk = str(params.get("consultation") or "")
    c = fb.consultations.filter(pk=int(pk)).first() if pk.isdigit() else None
    if c is None or c.replied_at is not None:
        return None
    if c.to_user_id and c.to_user_id == getattr(actor, "pk", None):
        return c
    if c.to_agency_id and (user_roles(actor, c.to_agency) - READ_ONLY_ROLES):
        return c
    return None


def _classify(ctx: Ctx) -> None:
    fb, category = ctx.fb, str(ctx.params["category"])
    errors: dict = {}
    if category not in Category.values:
        raise invalid({"category": [_("Phân loại không hợp lệ.")]})
    officer = _officer(ctx.params.get("officer"), errors)
    if errors:
        raise invalid(errors)
    if category == Category.NOT_RECEIVABLE:
        if not ctx.reason.strip():
            raise invalid({"reason": [_("Vui lòng nêu lý do không thụ lý.")]})
        fb.status, fb.rejected_at, fb.reason = Status.REJECTED, ctx.now, ctx.reason
    elif category == Category.OUT_OF_COMPETENCE:
        fb.status = Status.TO_FORWARD
    else:
        fb.status = Status.HANDLING
    fb.category = category
    if officer is not None:
        fb.officer = officer
    ctx.data = {"category": category, "officer": getattr(officer, "username", None)}


def _reject(ctx: Ctx) -> None:
    ctx.fb.rejected_at, ctx.fb.reason = ctx.now, ctx.reason
    if not ctx.fb.category:
        ctx.fb.category = Category.NOT_RECEIVABLE


def _forward(ctx: Ctx) -> None:
    """Close ours and register a copy at the competent agency; its clocks start at the transfer."""
    errors: dict = {}
    target = _agency(ctx.params["agency"], errors)
    if target is not None and target.pk == ctx.fb.agency_id:
        errors["agency"] = [_("Không thể chuyển cho chính cơ quan đang xử lý.")]
    if errors:
        raise invalid(errors)
    fb = ctx.fb
    fb.forwarded_at = ctx.now
    if not fb.category:
        fb.category = Category.OUT_OF_COMPETENCE
    sender = {k: getattr(fb, k) for k in ("sender_name", "sender_address", "sender_phone", "sender_email",
                                          "anonymous", "dossier", "officer", "officer_name", "repeat_of")}
    copy = _create(target, Channel.FORWARDED, fb.title, fb.content, sender, {}, ctx.actor, fb.sender_user, ctx.now,
                   forwarded_from=fb, lookup_secret=fb.lookup_secret)  # the sender's secret opens the copy too
    for a in fb.attachments.all():
        Attachment.objects.create(feedback=copy, file=a.file.name, original_name=a.original_name,
                                  content_type=a.content_type, size=a.size, sha256=a.sha256)
    ctx.data = {"agency": target.code, "new_code": copy.code}


def _assign(ctx: Ctx) -> None:
    errors: dict = {}
    user = _officer(ctx.params["assignee"], errors, "assignee")
    if user is not None and not can_act(user, ctx.fb.agency, rules.TRANSITIONS["draft_answer"].roles):
        errors["assignee"] = [_("Cán bộ được phân công phải là chuyên viên hoặc lãnh đạo của cơ quan.")]
    if errors:
        raise invalid(errors)
    ctx.fb.assigned_to = user
    ctx.data = {"assignee": user.username}


def _request_supplement(ctx: Ctx) -> None:
    if ctx.fb.first_supplement_at is None:
        ctx.fb.first_supplement_at = ctx.now
        ctx.data = {"first": True}


def _noop(ctx: Ctx) -> None:
    return None


def _consult(ctx: Ctx) -> None:
    errors: dict = {}
    user = _officer(ctx.params.get("to_user"), errors, "to_user")
    agency = _agency(ctx.params["to_agency"], errors, "to_agency") if ctx.params.get("to_agency") else None
    if user is None and agency is None and not errors:
        errors["to_user"] = [_("Chọn cán bộ hoặc cơ quan được xin ý kiến.")]
    if errors:
        raise invalid(errors)
    c = Consultation.objects.create(feedback=ctx.fb, asked_by=ctx.actor, to_user=user, to_agency=agency,
                                    question=str(ctx.params["question"]).strip(), asked_at=ctx.now)
    ctx.data = {"consultation": c.pk, "to_user": getattr(user, "username", None),
                "to_agency": getattr(agency, "code", None)}


def _reply(ctx: Ctx) -> None:
    c = _consultation(ctx.fb, ctx.actor, ctx.params)
    if c is None:  # not addressed to this officer (or already answered): only the consulted party replies
        raise DomainError("forbidden", _("Chỉ cán bộ hoặc cơ quan được xin ý kiến mới trả lời được (và chỉ một "
                                         "lần)."), status=403)
    c.reply, c.replied_by, c.replied_at = str(ctx.params["reply"]).strip(), ctx.actor, ctx.now
    c.save()
    ctx.data = {"consultation": c.pk}


def _draft(ctx: Ctx) -> None:
    ctx.fb.answer = str(ctx.params["answer"]).strip()
    ctx.fb.answer_by = ctx.actor


def _approve(ctx: Ctx) -> None:
    """Handling ends at "chờ công khai"; the publication clock starts now."""
    fb = ctx.fb
    fb.handled_at, fb.approved_by = ctx.now, ctx.actor
    fb.publication_due = due(ctx.now, "publication", fb.agency)
    ctx.data = {"publication_due": fb.publication_due.isoformat()}


def _publish(ctx: Ctx) -> None:
    fb = ctx.fb
    fb.published_at = ctx.now
    fb.search_folded = fold(" ".join((fb.code, fb.title, fb.content, fb.answer)))


HANDLERS = {
    "classify": _classify, "reject": _reject, "forward": _forward, "assign": _assign,
    "request_supplement": _request_supplement, "receive_supplement": _noop, "consult": _consult,
    "reply_consultation": _reply, "draft_answer": _draft, "return_draft": _noop, "approve": _approve,
    "publish": _publish,
}


# -- the public side ----------------------------------------------------------------------------------------------
def vote(feedback: Feedback, value: int, *, user=None, session_key: str = "") -> Feedback:
    """Like (+1) / dislike (−1) a published answer; one vote per user (or session), a new vote replaces it."""
    if value not in (1, -1):
        raise invalid({"value": [_("Giá trị đánh giá không hợp lệ.")]})
    user = user if getattr(user, "is_authenticated", False) else None
    if user is None and not session_key:
        raise invalid({"session": [_("Không xác định được phiên làm việc.")]})
    with transaction.atomic():
        fb = Feedback.objects.select_for_update().filter(pk=feedback.pk, status=Status.PUBLISHED).first()
        if fb is None:
            raise not_found()
        key = {"user": user} if user else {"user__isnull": True, "session_key": session_key}
        existing = Vote.objects.filter(feedback=fb, **key).first()
        if existing is not None and existing.value == value:
            return fb
        if existing is not None:
            _count(fb, existing.value, -1)
            existing.value = value
            existing.save()
        else:
            Vote.objects.create(feedback=fb, user=user, session_key="" if user else session_key, value=value)
        _count(fb, value, +1)
        fb.save(update_fields=["likes", "dislikes"])
    return fb


def _count(fb: Feedback, value: int, delta: int) -> None:
    if value > 0:
        fb.likes += delta
    else:
        fb.dislikes += delta


DUMMY_HASH = hash_secret("motcua-no-such-pakn")


def find_for_sender(code: str, secret: str) -> Feedback | None:
    """The PAKN when `secret` opens it; None otherwise (unknown code and wrong secret cost the same)."""
    import hmac

    fb = Feedback.objects.filter(code=(code or "").strip()[:64]).first()
    if fb is None:
        hmac.compare_digest(DUMMY_HASH, hash_secret(secret or ""))
        return None
    return fb if fb.check_lookup_secret(secret) else None
