"""Transitions around supplement requests that are not part of processing proper (lifecycle §9):

- `request_completion`: Form 02 at the desk for an online dossier in status 1 — every missing item listed once; the
  dossier is NOT received (status stays 1, the legal clock has not started, `supplement_count` is untouched: the
  766 "more than one supplement ⇒ late" rule is about supplements during processing);
- `resubmit`: the applicant completes it online; the dossier goes back to the desk's queue, still status 1;
- `expire_completion` / `expire_supplement`: the system actor closes a dossier whose open request was not answered
  in time ("quá hạn bổ sung → hủy"): not received (status 3) at reception, stopped (status 8) during processing.

The deadline of a request is its `due_by` when the officer set one, else `requested_at` + the configured number of
calendar days (`ThoiHanBoSung` is counted in calendar days in practice), to the end of that local day:
settings.MOTCUA["SUPPLEMENT_DEADLINE_DAYS"] and ["COMPLETION_DEADLINE_DAYS"] ([verify]: the period is not fixed by
the sources; provinces set it). Only the latest open request of a dossier counts, so a second request gives the
citizen a new period (OpenCPS #1254: repeated requests must not flip a dossier into "supplement overdue").

Handlers are registered in `engine.HANDLERS`; they import the engine lazily (the engine imports this module).
"""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.dossiers.actors import ACTING_ROLES, Actor
from motcua.dossiers.models import Channel, Status, SupplementRequest
from motcua.dossiers.transitions import SYSTEM as SYSTEM_ROLE

DEFAULT_DEADLINE_DAYS = 30  # [verify] placeholder when settings leave the period unset


class SystemActor(Actor):
    """Scheduled jobs (`motcua expire-supplements`): sees every dossier, holds the system role and every acting
    role; recorded in history and audit as «Hệ thống» with the job's name."""

    def __init__(self, job: str):
        super().__init__()
        self.job = job

    @property
    def label(self) -> str:
        return f"system:{self.job}"

    @property
    def audit_actor(self):
        return self.label

    def roles_at(self, agency) -> set[str]:
        return set(ACTING_ROLES) | {SYSTEM_ROLE}

    def sees(self, dossier) -> bool:
        return True


# -- deadlines ----------------------------------------------------------------------------------------------------
def deadline_days(reception: bool) -> int:
    cfg = settings.MOTCUA
    key = "COMPLETION_DEADLINE_DAYS" if reception else "SUPPLEMENT_DEADLINE_DAYS"
    return int(cfg.get(key) or cfg.get("SUPPLEMENT_DEADLINE_DAYS") or DEFAULT_DEADLINE_DAYS)


def default_deadline(requested_at: datetime, reception: bool) -> datetime:
    """End of the local day `deadline_days` calendar days after the request."""
    day = timezone.localtime(requested_at).date() + timedelta(days=deadline_days(reception))
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))


def deadline_of(req: SupplementRequest, reception: bool) -> datetime:
    return req.due_by or default_deadline(req.requested_at, reception)


def open_request(dossier) -> SupplementRequest | None:
    return (SupplementRequest.objects.filter(dossier=dossier, fulfilled_at__isnull=True)
            .order_by("-requested_at", "-pk").first())


def awaiting_completion(dossier) -> SupplementRequest | None:
    """The open Form 02 request of a not-yet-received dossier, if any."""
    if dossier.status != Status.NEW or dossier.received_at is not None:
        return None
    return open_request(dossier)


# -- handlers -----------------------------------------------------------------------------------------------------
def _items(ctx) -> list:
    from motcua.dossiers.engine import invalid

    items = ctx.params["items"]
    if not isinstance(items, list) or not items or not all(isinstance(i, str | dict) and i for i in items):
        raise invalid({"items": [_("Liệt kê đầy đủ các giấy tờ cần bổ sung (một danh sách).")]})
    return items


def completion_refusal(d) -> str | None:
    """Why Form 02 cannot be issued now (None = it can); the back office hides the action then."""
    if d.channel != Channel.ONLINE:
        return _("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ trước khi tiếp nhận chỉ dùng cho hồ sơ nộp trực tuyến; "
                 "hồ sơ trực tiếp được hướng dẫn ngay tại quầy.")
    if awaiting_completion(d) is not None:
        return _("Hồ sơ đang chờ công dân hoàn thiện theo phiếu yêu cầu trước.")
    return None


def resubmit_refusal(d) -> str | None:
    return None if awaiting_completion(d) is not None else _("Hồ sơ không có yêu cầu bổ sung, hoàn thiện nào đang "
                                                             "chờ.")


def do_request_completion(ctx) -> None:
    from motcua.dossiers.engine import _datetime_param, invalid, not_allowed

    d = ctx.dossier
    refusal = completion_refusal(d)
    if refusal:
        raise not_allowed(refusal)
    items = _items(ctx)
    ctx.reason = ctx.params.get("reason") or ""
    due_by = _datetime_param(ctx, "due_by") if ctx.params.get("due_by") else default_deadline(ctx.now, True)
    if due_by <= ctx.now:
        raise invalid({"due_by": [_("Hạn bổ sung phải sau thời điểm hiện tại.")]})
    req = SupplementRequest.objects.create(dossier=d, requested_at=ctx.now, requested_by=ctx.actor.user,
                                           items=items, reason=ctx.reason, due_by=due_by)
    ctx.data.update(form="02", items=items, supplement_request_id=req.pk, due_by=due_by.isoformat())


def do_resubmit(ctx) -> None:
    from motcua.dossiers.engine import not_allowed
    from motcua.dossiers.services import add_documents

    d = ctx.dossier
    refusal = resubmit_refusal(d)
    if refusal:
        raise not_allowed(refusal)
    req = awaiting_completion(d)
    if ctx.params.get("documents"):
        add_documents(d, ctx.params["documents"])
    req.fulfilled_at = ctx.now
    req.save(update_fields=["fulfilled_at"])
    ctx.reason = ctx.params.get("reason") or ""
    ctx.data.update(supplement_request_id=req.pk, documents=len(ctx.params.get("documents") or []))


def _expire(ctx, reception: bool) -> SupplementRequest:
    from motcua.dossiers.engine import not_allowed

    d = ctx.dossier
    req = awaiting_completion(d) if reception else open_request(d)
    if req is None or deadline_of(req, reception) >= ctx.now:
        raise not_allowed(_("Hồ sơ chưa quá hạn bổ sung."))
    deadline = deadline_of(req, reception)
    ctx.reason = ctx.params.get("reason") or _("Quá hạn bổ sung hồ sơ (hạn %(d)s) mà người nộp chưa bổ sung.") % {
        "d": timezone.localtime(deadline).strftime("%d/%m/%Y")}
    ctx.data.update(supplement_request_id=req.pk, deadline=deadline.isoformat())
    return req


def do_expire_completion(ctx) -> None:
    _expire(ctx, reception=True)
    ctx.dossier.status = Status.REFUSED


def do_expire_supplement(ctx) -> None:
    from motcua.dossiers.engine import _end_processing

    _expire(ctx, reception=False)
    ctx.dossier.status = Status.STOPPED
    _end_processing(ctx)


# Preconditions beyond status and role, asked by the back office before offering an action.
PRECONDITIONS = {"request_completion": completion_refusal, "resubmit": resubmit_refusal}
HANDLERS = {"request_completion": do_request_completion, "resubmit": do_resubmit,
            "expire_completion": do_expire_completion, "expire_supplement": do_expire_supplement}
