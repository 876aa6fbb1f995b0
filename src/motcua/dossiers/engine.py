"""The dossier lifecycle engine: `perform(dossier, action, actor, expected_version=None, **params)`.

Every transition, in one transaction:
1. row lock on the dossier (`SELECT ... FOR UPDATE`, `_lock`); out of the actor's scope → 404 `not_found` (never reveals
   existence);
2. optional optimistic check: `expected_version` ≠ `row_version` → 409 `conflict`;
3. status check against the TRANSITIONS table → 409 `transition_not_allowed`; an action the current process step
   does not list → 409 `transition_not_allowed`;
4. permission: the actor's roles at the transition's agency ∩ the allowed roles, and the step's role for step
   actions → 403 `forbidden`;
5. parameters → 422 `invalid` with `fields`;
6. the handler moves the state pointer (status, step, clock fields), then one DossierEvent (seq = new
   row_version) and one audit record on stream `dossier:<code>` are written.
Any refusal raises before anything is written (and the transaction rolls back whatever a handler began).
"""

import copy
import functools
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from motcua.accounts.models import READ_ONLY_ROLES, User
from motcua.agencies.models import Agency
from motcua.catalog.models import ProcessStep
from motcua.core.api_errors import ConflictError, DomainError
from motcua.dossiers import catalogcache, clockplan
from motcua.dossiers.actors import Actor, as_actor
from motcua.dossiers.coordination import HANDLERS as COORDINATION_HANDLERS
from motcua.dossiers.models import (
    ClockEvent,
    DeliveryMethod,
    Dossier,
    DossierEvent,
    HandOver,
    PaidOnline,
    Status,
    SupplementRequest,
)
from motcua.dossiers.reception import HANDLERS as RECEPTION_HANDLERS
from motcua.dossiers.transitions import AT_COMPETENT, AT_RECEIVING, AT_STEP, TRANSITIONS, Transition
from motcua.worktime.clock import ClockError, iso


@dataclass
class Ctx:
    dossier: Dossier
    actor: Actor
    transition: Transition
    params: dict
    now: datetime
    reason: str = ""
    data: dict = field(default_factory=dict)
    _cal: object = None

    @property
    def cal(self):
        if self._cal is None:
            self._cal = clockplan.calendar_for(self.dossier.competent_agency)
        return self._cal


def invalid(fields: dict, message: str | None = None) -> DomainError:
    return DomainError("invalid", message or _("Dữ liệu không hợp lệ."), fields=fields, status=422)


def not_allowed(message: str) -> DomainError:
    return DomainError("transition_not_allowed", message, status=409)


def step_agency(dossier: Dossier, step=None):
    step = step if step is not None else dossier.current_step
    if step is not None and step.agency_id:
        return step.agency
    return dossier.competent_agency


# -- the entry point ----------------------------------------------------------------------------------------------
def perform(dossier, action: str, actor, *, expected_version: int | None = None, now: datetime | None = None,
            **params) -> Dossier:
    """Apply `action` to the dossier (instance, pk or code) and return the updated, committed row."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise DomainError("unknown_action", _("Thao tác «%(a)s» không tồn tại.") % {"a": action}, status=404)
    actor = as_actor(actor)
    with transaction.atomic():
        d = _lock(dossier)
        if not actor.sees(d):
            raise DomainError("not_found", _("Không tìm thấy hồ sơ."), status=404)
        if expected_version is not None and int(expected_version) != d.row_version:
            raise ConflictError("conflict", _("Hồ sơ đã được người khác cập nhật, vui lòng tải lại."),
                                fields={"row_version": [str(d.row_version)]})
        check_allowed(d, transition)
        check_permission(d, transition, actor)
        ctx = Ctx(d, actor, transition, _check_params(transition, params), now or timezone.now())
        before, row = snapshot(d), row_values(d)
        try:
            HANDLERS[action](ctx)
        except ClockError as exc:
            raise invalid({exc.field: [exc.message]}, exc.message) from None
        commit(ctx, before, row)
    return d


def _lock(dossier) -> Dossier:
    """The dossier row, locked until commit (FOR UPDATE on PostgreSQL; SQLite has one writer), with its receiving,
    competent and current step's agencies and its assignee (shown by the API's answer) read in the same statement,
    and its variant (documents, steps) and current step from the catalogue cache (published versions are
    immutable). One plain statement instead of a seven-table select_related, whose compilation by the ORM was the
    largest cost of a transition."""
    conn = transaction.get_connection()
    if isinstance(dossier, Dossier):
        dossier = dossier.pk
    sql, readers = _lock_statement(conn, "code" if isinstance(dossier, str) else "id")
    with conn.cursor() as cur:
        cur.execute(sql, [dossier])
        row = cur.fetchone()
    if row is None:
        raise DomainError("not_found", _("Không tìm thấy hồ sơ."), status=404)
    found, receiving, competent, at_step, assignee = (read(conn, row) for read in readers)
    found.variant = catalogcache.variant(found.variant_id)
    found.receiving_agency, found.competent_agency, found.assignee = receiving, competent, assignee
    step = next((s for s in catalogcache.steps(found.variant) if s.pk == found.current_step_id), None)
    if step is not None:
        step = copy.copy(step)  # the cached step is shared: this dossier's copy gets the agency just read
        step.agency = at_step
        found.current_step = step
    return found


@functools.lru_cache(maxsize=32)  # per connection (one per thread) and lookup column: built once, not per transition
def _lock_statement(conn, column: str) -> tuple[str, list]:
    """SELECT dossier d (by `column`) joined to its receiving (r), competent (c) and current step's (s) agencies
    and its assignee (u), and one reader per alias turning its slice of the row into an instance."""
    qn, agency = conn.ops.quote_name, _table(conn, Agency)
    parts = [(Dossier, "d"), (Agency, "r"), (Agency, "c"), (Agency, "s"), (User, "u")]
    readers, offset = [], 0
    for model, alias in parts:
        readers.append(_RowReader(model, alias, offset, conn))
        offset += len(model._meta.concrete_fields)
    lock = " FOR UPDATE OF d" if conn.features.has_select_for_update_of else \
        " FOR UPDATE" if conn.features.has_select_for_update else ""
    sql = (f"SELECT {', '.join(r.select for r in readers)} FROM {_table(conn, Dossier)} d "
           f"JOIN {agency} r ON r.id = d.receiving_agency_id JOIN {agency} c ON c.id = d.competent_agency_id "
           f"LEFT JOIN {_table(conn, ProcessStep)} p ON p.id = d.current_step_id "
           f"LEFT JOIN {agency} s ON s.id = p.agency_id LEFT JOIN {_table(conn, User)} u ON u.id = d.assignee_id "
           f"WHERE d.{qn(column)} = %s{lock}")
    return sql, readers


def _table(conn, model) -> str:
    return conn.ops.quote_name(model._meta.db_table)


class _RowReader:
    """One model's columns in a hand-written SELECT: the select list, and the instance built from its slice of a
    row with the converters the ORM itself would apply (dates on SQLite, JSON, decimals)."""

    def __init__(self, model, alias: str, offset: int, conn):
        fields = model._meta.concrete_fields
        self.model, self.names = model, [f.attname for f in fields]
        self.slice = slice(offset, offset + len(fields))
        self.select = ", ".join(f"{alias}.{conn.ops.quote_name(f.column)}" for f in fields)
        cols = [f.get_col(alias) for f in fields]
        self.converters = [(col, [*conn.ops.get_db_converters(col), *col.get_db_converters(conn)]) for col in cols]

    def __call__(self, conn, row):
        values = list(row[self.slice])
        if values[0] is None:  # a LEFT JOIN found nothing (no current step or none with its own agency, no assignee)
            return None
        for i, (col, converters) in enumerate(self.converters):
            for convert in converters:
                values[i] = convert(values[i], col, conn)
        return self.model.from_db(conn.alias, self.names, values)


def check_allowed(d: Dossier, t: Transition) -> None:
    if d.status not in t.from_statuses:
        raise not_allowed(_("Không thể «%(a)s» hồ sơ đang ở trạng thái «%(s)s».")
                          % {"a": t.label, "s": Status(d.status).label})
    if t.step_listed and d.current_step is not None and t.action not in (d.current_step.actions or []):
        raise not_allowed(_("Bước «%(step)s» không cho phép thao tác «%(a)s».")
                          % {"step": d.current_step.name, "a": t.label})


def acting_agencies(d: Dossier, t: Transition) -> list:
    where = {AT_RECEIVING: d.receiving_agency, AT_COMPETENT: d.competent_agency, AT_STEP: step_agency(d)}
    return [where[w] for w in t.at]


def check_permission(d: Dossier, t: Transition, actor: Actor) -> None:
    if t.applicant_may and actor.client is None and actor.user is not None and d.applicant_user_id == actor.user.pk:
        return
    allowed = False
    for agency in acting_agencies(d, t):
        roles = actor.roles_at(agency) - READ_ONLY_ROLES
        if not roles & t.roles:
            continue
        if t.step_listed and d.current_step is not None and agency == step_agency(d):
            if d.current_step.role not in roles:
                continue
        allowed = True
        break
    if not allowed:
        raise DomainError("forbidden", _("Bạn không có quyền «%(a)s» hồ sơ này.") % {"a": t.label}, status=403)


def _check_params(t: Transition, params: dict) -> dict:
    missing = {name: [_("Bắt buộc nhập.")] for name in t.required if params.get(name) in (None, "", [], {})}
    if missing:
        raise invalid(missing, _("Thiếu thông tin bắt buộc để «%(a)s».") % {"a": t.label})
    return params


def snapshot(d: Dossier) -> dict:
    return {"status": d.status, "step": d.current_step.code if d.current_step_id else None,
            "competent_agency": d.competent_agency.code, "assignee_id": d.assignee_id,
            "due_at": d.due_at, "row_version": d.row_version}


def row_values(d: Dossier) -> dict:
    return {f.attname: getattr(d, f.attname) for f in Dossier._meta.concrete_fields}


def changed_fields(d: Dossier, before: dict) -> list[str]:
    """The columns a handler changed (plus updated_at): the UPDATE writes only those, which keeps the statement
    short on the hot path; the row is locked, so nobody else changed the others."""
    return [f.name for f in Dossier._meta.concrete_fields
            if f.name == "updated_at" or getattr(d, f.attname) != before[f.attname]]


def commit(ctx: Ctx, before: dict, row: dict | None = None) -> None:
    """Save the state pointer (only the columns changed since `row`, the values read under the lock, when given),
    append the history row and the audit record (same transaction)."""
    from motcua.audit.services import record

    d = ctx.dossier
    d.row_version += 1
    d.save(update_fields=changed_fields(d, row) if row is not None else None)
    DossierEvent.objects.create(
        dossier=d, seq=d.row_version, action=ctx.transition.action, from_status=before["status"],
        to_status=d.status, from_step_id=ctx.data.pop("_from_step_id", d.current_step_id),
        to_step_id=d.current_step_id, actor=ctx.actor.user, actor_label=ctx.actor.label, at=ctx.now,
        reason=ctx.reason, data=ctx.data)
    record(f"dossier:{d.code}", ctx.transition.action, actor=ctx.actor.audit_actor, target_type="dossier",
           target_id=d.code, old=before, new={**snapshot(d), "reason": ctx.reason, **ctx.data})


# -- shared pieces ------------------------------------------------------------------------------------------------
def _datetime_param(ctx: Ctx, name: str) -> datetime:
    value = ctx.params.get(name)
    if isinstance(value, str):
        value = parse_datetime(value)
    if not isinstance(value, datetime):
        raise invalid({name: [_("Thời điểm không hợp lệ.")]})
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def _user_param(ctx: Ctx, name: str, agency):
    user = User.objects.filter(pk=ctx.params.get(name), is_active=True).first()
    if user is None or not (as_actor(user).roles_at(agency) - READ_ONLY_ROLES):
        raise invalid({name: [_("Người được chọn không phải cán bộ của «%(u)s».") % {"u": agency.name}]})
    return user


def _pause(ctx: Ctx, cause: str) -> None:
    d = ctx.dossier
    ClockEvent.objects.create(dossier=d, kind="pause", at=ctx.now, reason=ctx.reason, data={"cause": cause})
    d.paused_since = ctx.now


def _resume(ctx: Ctx, cause: str) -> None:
    d = ctx.dossier
    ClockEvent.objects.create(dossier=d, kind="resume", at=ctx.now, data={"cause": cause})
    d.step_due_at = clockplan.shift_step_due(ctx.cal, d.step_due_at, d.paused_since, ctx.now)
    d.paused_since = None
    d.due_at = clockplan.ledger_for(d).current_due(ctx.cal)
    ctx.data["due_at"] = iso(d.due_at)


def _end_processing(ctx: Ctx) -> None:
    """Freeze finish time and both outcome classes at the event (received dossiers only; never recomputed)."""
    d = ctx.dossier
    if d.received_at is None or d.finished_at is not None:
        return
    d.finished_at = ctx.now
    d.outcome, d.outcome_766 = clockplan.outcomes(d, ctx.cal, ctx.now, clockplan.ledger_for(d))
    ctx.data.update(outcome=d.outcome, outcome_766=d.outcome_766)


def _steps(d: Dossier):
    return catalogcache.steps(catalogcache.variant(d.variant_id))


def _target_step(ctx: Ctx, later: bool):
    d, code = ctx.dossier, ctx.params.get("to_step")
    current = d.current_step.order if d.current_step_id else 0
    candidates = [s for s in _steps(d) if (s.order > current if later else s.order < current)]
    if code:
        match = [s for s in candidates if s.code == code]
        if not match:
            raise invalid({"to_step": [_("Bước «%(c)s» không hợp lệ cho thao tác này.") % {"c": code}]})
        return match[0]
    if not candidates:
        raise not_allowed(_("Không còn bước nào để chuyển.") if later else _("Đây là bước đầu tiên."))
    return candidates[0] if later else candidates[-1]


def move_to_step(ctx: Ctx, target, note: str = "") -> HandOver:
    """Close the current step on the tracking sheet (its outcome by the per-step clock) and start `target`."""
    d = ctx.dossier
    unit = d.variant.limit_unit
    giver, receiver = step_agency(d), step_agency(d, target)
    assignee = _user_param(ctx, "assignee_id", receiver) if ctx.params.get("assignee_id") else None
    row = HandOver.objects.create(
        dossier=d, from_step=d.current_step, to_step=target, giver_agency=giver, giver_user=ctx.actor.user,
        receiver_agency=receiver, receiver_user=assignee, handed_at=ctx.now, step_started_at=d.step_started_at,
        step_due_at=d.step_due_at, note=note or ctx.reason,
        outcome=clockplan.step_outcome(ctx.cal, d.step_started_at, ctx.now, d.current_step, unit))
    ctx.data.update(_from_step_id=d.current_step_id, step_outcome=row.outcome, handover_id=row.pk)
    d.current_step, d.assignee = target, assignee
    d.step_started_at = ctx.now
    d.step_due_at = clockplan.step_due(ctx.cal, ctx.now, target, unit)
    return row


# -- handlers -----------------------------------------------------------------------------------------------------
def do_receive(ctx: Ctx) -> None:
    from motcua.dossiers.services import check_required_documents, start_clock

    d = ctx.dossier
    check_required_documents(d.variant, list(d.documents.values("required_document_id")))
    start_clock(d, ctx.now, ctx.cal)
    d.status = Status.RECEIVED
    ctx.data["due_at"] = iso(d.due_at)


def do_refuse(ctx: Ctx) -> None:
    ctx.reason = ctx.params["reason"]
    ctx.dossier.status = Status.REFUSED
    _end_processing(ctx)


def do_request_supplement(ctx: Ctx) -> None:
    d, items = ctx.dossier, ctx.params["items"]
    if not isinstance(items, list) or not all(isinstance(i, str | dict) and i for i in items):
        raise invalid({"items": [_("Liệt kê đầy đủ các giấy tờ cần bổ sung (một danh sách).")]})
    ctx.reason = ctx.params.get("reason") or ""
    due_by = _datetime_param(ctx, "due_by") if ctx.params.get("due_by") else None
    req = SupplementRequest.objects.create(dossier=d, requested_at=ctx.now, requested_by=ctx.actor.user,
                                           items=items, reason=ctx.reason, due_by=due_by)
    d.previous_status, d.status = d.status, Status.SUPPLEMENT
    d.supplement_count += 1
    _pause(ctx, "supplement")
    ctx.data.update(items=items, supplement_request_id=req.pk, supplement_count=d.supplement_count)


def do_receive_supplement(ctx: Ctx) -> None:
    from motcua.dossiers.services import add_documents

    d = ctx.dossier
    SupplementRequest.objects.filter(dossier=d, fulfilled_at__isnull=True).update(fulfilled_at=ctx.now)
    if ctx.params.get("documents"):
        add_documents(d, ctx.params["documents"])
    d.status, d.previous_status = d.previous_status or Status.PROCESSING, None
    _resume(ctx, "supplement")
    ctx.data["policy"] = d.variant.supplement_policy


def do_route(ctx: Ctx) -> None:
    from motcua.dossiers.services import resolve_competent_agency

    d = ctx.dossier
    target = resolve_competent_agency(d.procedure_version.procedure, d.receiving_agency, ctx.params["agency_id"],
                                      field="agency_id")
    if target.pk == d.competent_agency_id:
        raise invalid({"agency_id": [_("Hồ sơ đã thuộc cơ quan này.")]})
    ctx.reason = ctx.params.get("reason") or ""
    ctx.data.update(from_agency=d.competent_agency.code, to_agency=target.code)
    d.competent_agency, d.assignee = target, None  # the legal clock is untouched: a re-route never restarts it


def do_assign(ctx: Ctx) -> None:
    d = ctx.dossier
    d.assignee = _user_param(ctx, "assignee_id", step_agency(d))
    ctx.data["assignee"] = d.assignee.get_username()


def do_forward(ctx: Ctx) -> None:
    d = ctx.dossier
    if d.current_step_id and d.current_step.is_final:
        raise not_allowed(_("Đây là bước cuối; hãy hoàn thành xử lý thay vì chuyển bước."))
    ctx.reason = ctx.params.get("reason") or ""
    move_to_step(ctx, _target_step(ctx, later=True))
    d.status = Status.PROCESSING


def do_hand_over(ctx: Ctx) -> None:
    d = ctx.dossier
    target = _target_step(ctx, later=True)
    if step_agency(d, target).pk == step_agency(d).pk:
        raise not_allowed(_("Bước tiếp theo thuộc cùng đơn vị; dùng «Chuyển bước tiếp theo»."))
    ctx.reason = ctx.params.get("reason") or ""
    move_to_step(ctx, target)
    d.status = Status.PROCESSING


def do_return_step(ctx: Ctx) -> None:
    ctx.reason = ctx.params["reason"]
    move_to_step(ctx, _target_step(ctx, later=False))


def do_request_payment(ctx: Ctx) -> None:
    from django.conf import settings

    from motcua.worktime.services import pause_on_payment

    d = ctx.dossier
    ctx.reason = ctx.params.get("reason") or ""
    d.previous_status, d.status = d.status, Status.PAYMENT
    if ctx.params.get("amount") is not None:
        ctx.data["amount"] = ctx.params["amount"]
    if settings.MOTCUA.get("PAUSE_ON_PAYMENT", pause_on_payment()):
        d.payment_pause = True
        _pause(ctx, "payment")


def do_confirm_payment(ctx: Ctx) -> None:
    d = ctx.dossier
    paid = ctx.params.get("paid_online")
    if paid is not None:
        if paid not in PaidOnline.values:
            raise invalid({"paid_online": [_("Giá trị phải là 0, 1 hoặc 2.")]})
        d.paid_online = paid
        ctx.data["paid_online"] = paid
    d.status, d.previous_status = d.previous_status or Status.PROCESSING, None
    if d.payment_pause:
        d.payment_pause = False
        _resume(ctx, "payment")


def do_approve(ctx: Ctx) -> None:
    d = ctx.dossier
    ctx.reason = ctx.params.get("reason") or ""
    ctx.data["approved"] = True
    if d.current_step_id and not d.current_step.is_final:
        move_to_step(ctx, _target_step(ctx, later=True))


def do_stop(ctx: Ctx) -> None:
    ctx.reason = ctx.params["reason"]
    ctx.dossier.status = Status.STOPPED
    _end_processing(ctx)


def do_withdraw(ctx: Ctx) -> None:
    ctx.reason = ctx.params.get("reason") or ""
    ctx.dossier.status = Status.WITHDRAWN
    _end_processing(ctx)


def do_result_ready(ctx: Ctx) -> None:
    d = ctx.dossier
    code, file = (ctx.params.get("result_code") or "").strip(), (ctx.params.get("result_file") or "").strip()
    if bool(code) != bool(file):
        raise invalid({"result_code" if not code else "result_file":
                       [_("Kết quả điện tử cần cả mã kết quả và đường dẫn tệp.")]})
    d.e_result, d.result_code, d.result_file = bool(code), code, file
    # The last step hands the result back to the desk: one tracking-sheet row closes it.
    row = HandOver.objects.create(
        dossier=d, from_step=d.current_step, to_step=None, giver_agency=step_agency(d), giver_user=ctx.actor.user,
        receiver_agency=d.receiving_agency, handed_at=ctx.now, step_started_at=d.step_started_at,
        step_due_at=d.step_due_at,
        outcome=clockplan.step_outcome(ctx.cal, d.step_started_at, ctx.now, d.current_step, d.variant.limit_unit))
    ctx.data.update(step_outcome=row.outcome, handover_id=row.pk, e_result=d.e_result)
    d.status = Status.FINISHED
    _end_processing(ctx)


def do_deliver(ctx: Ctx) -> None:
    d = ctx.dossier
    method, address = ctx.params["method"], (ctx.params.get("address") or "").strip()
    if method not in DeliveryMethod.values:
        raise invalid({"method": [_("Hình thức trả kết quả không hợp lệ.")]})
    if method == DeliveryMethod.POST and not (address or d.applicant_address):
        raise invalid({"address": [_("Trả qua bưu chính cần địa chỉ nhận.")]})
    d.delivery_method, d.delivered_at = method, ctx.now
    d.delivery_address = address or (d.applicant_address if method == DeliveryMethod.POST else "")
    d.status = Status.DELIVERED
    ctx.data["method"] = method


def do_extend(ctx: Ctx) -> None:
    d = ctx.dossier
    new_due = _datetime_param(ctx, "new_due")
    if d.due_at is None:
        raise not_allowed(_("Thủ tục không quy định thời hạn, không cần gia hạn."))
    if ctx.now > d.due_at:
        raise DomainError("extension_too_late", _("Hồ sơ đã quá hạn (hạn %(due)s); chỉ được xin lỗi và gia hạn "
                                                  "trước khi hồ sơ quá hạn.")
                          % {"due": timezone.localtime(d.due_at).strftime("%H:%M %d/%m/%Y")}, status=422)
    if new_due <= d.due_at:
        raise invalid({"new_due": [_("Hạn mới phải sau hạn hiện tại.")]})
    ctx.reason = ctx.params["reason"]
    previous = d.due_at
    ClockEvent.objects.create(dossier=d, kind="extend", at=ctx.now, reason=ctx.reason,
                              data={"new_due": iso(new_due), "previous_due": iso(previous)})
    d.due_at = clockplan.ledger_for(d).current_due(ctx.cal)
    ctx.data.update(previous_due=iso(previous), new_due=iso(d.due_at))


HANDLERS = {
    "receive": do_receive, "refuse": do_refuse, "request_supplement": do_request_supplement,
    "receive_supplement": do_receive_supplement, "route": do_route, "assign": do_assign, "forward": do_forward,
    "hand_over": do_hand_over, "return_step": do_return_step, "request_payment": do_request_payment,
    "confirm_payment": do_confirm_payment, "approve": do_approve, "stop": do_stop, "withdraw": do_withdraw,
    "result_ready": do_result_ready, "deliver": do_deliver, "extend": do_extend,
    **RECEPTION_HANDLERS,  # Form 02 before reception, resubmission, supplement expiry (dossiers/reception.py)
    **COORDINATION_HANDLERS,  # "not competent" back to the service centre's coordination queue
}
assert set(HANDLERS) == set(TRANSITIONS), "every transition in the table needs a handler"
