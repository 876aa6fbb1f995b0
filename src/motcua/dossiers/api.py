"""REST API for dossiers, mounted at /api/v1/dossiers.

Authentication: a staff session (cookie) or `Authorization: Bearer <token>` of an ApiClient; anonymous → 401.
Visibility: a dossier is visible when its competent or receiving agency is in the caller's scope (citizens: their
own dossiers); anything else answers 404, never 403. Errors: {"error": {"code", "message", "fields"}}.
"""

import base64
import binascii
import functools
import json
from contextlib import nullcontext
from datetime import UTC, datetime

import pydantic
from django.db import connection, transaction
from django.db.models import F, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, django_auth

from motcua.accounts.scoping import scope_queryset
from motcua.core.api_errors import DomainError
from motcua.core.logging import mask_personal_id
from motcua.dossiers import intake_files
from motcua.dossiers.actors import Actor, as_actor
from motcua.dossiers.engine import perform
from motcua.dossiers.models import RUNNING_STATUSES, ApiClient, Dossier, DossierEvent, hash_secret
from motcua.dossiers.services import create_dossier, find_idempotent, resolve_variant
from motcua.dossiers.transitions import ACTIONS


class BearerClient(HttpBearer):
    """`Authorization: Bearer <token>` of an active ApiClient (only the token's sha256 is stored)."""

    def authenticate(self, request, token):
        client = client_with_scope(token)
        if client is not None:
            request.audit_actor = f"api:{client.name}"
        return client


def client_with_scope(token: str) -> ApiClient | None:
    """`ApiClient.authenticate` and the paths of the client's agencies (`Actor.client_paths`) in one plain statement
    instead of two ORM queries: this runs on every API request. Both are read per request, so a revoked token or a
    narrowed scope takes effect at once. Fields not read (the creation instant) load on access, as deferred ones."""
    if not token:
        return None
    with connection.cursor() as cur:
        cur.execute(_client_statement(connection.vendor), [hash_secret(token), True])
        rows = cur.fetchall()
    if not rows:
        return None
    pk, name, roles, _path = rows[0]
    roles = ApiClient._meta.get_field("roles").from_db_value(roles, None, connection)
    client = ApiClient.from_db(connection.alias, ["id", "name", "roles", "active"], [pk, name, roles, True])
    client.scope_paths = [row[3] for row in rows if row[3] is not None]
    return client


@functools.lru_cache(maxsize=4)
def _client_statement(vendor: str) -> str:
    """The client of a token hash with one row per agency of its scope (constant text, built once per vendor)."""
    qn, scope = connection.ops.quote_name, ApiClient.agencies.through._meta
    agency = ApiClient.agencies.field.related_model._meta.db_table
    return (f"SELECT c.id, c.name, c.roles, a.path FROM {qn(ApiClient._meta.db_table)} c "
            f"LEFT JOIN {qn(scope.db_table)} s ON s.{qn(scope.get_field('apiclient').column)} = c.id "
            f"LEFT JOIN {qn(agency)} a ON a.id = s.{qn(scope.get_field('agency').column)} "
            f"WHERE c.token_hash = %s AND c.active = %s")


router = Router(auth=[BearerClient(), django_auth], tags=["dossiers"])


# -- schemas ------------------------------------------------------------------------------------------------------
class ErrorDetail(Schema):
    code: str
    message: str
    fields: dict[str, list[str]] = {}


class ErrorOut(Schema):
    error: ErrorDetail


class ApplicantIn(Schema):
    kind: str = "person"
    name: str
    personal_id: str = ""
    tax_code: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    representative: str = ""


class DocumentIn(Schema):
    required_document_id: int | None = None
    name: str = ""
    copy_kind: str = "copy"
    digitised: bool = False
    reused: bool = False
    from_data_store: bool = False


class DossierIn(Schema):
    procedure: str = Field(description="Mã thủ tục (phiên bản đang có hiệu lực được dùng)")
    variant: int | None = Field(None, description="Mã trường hợp; bỏ trống khi thủ tục chỉ có một trường hợp")
    receiving_agency: str = Field(description="Mã định danh đơn vị tiếp nhận")
    competent_agency: str | None = Field(None, description="Mã định danh cơ quan giải quyết")
    channel: int = Field(1, description="1 trực tiếp, 2 trực tuyến, 3 bưu chính, 4 API, 5 nhập")
    receive: bool = Field(True, description="Tiếp nhận ngay (trạng thái 2); false = chờ tiếp nhận (trạng thái 1)")
    applicant: ApplicantIn
    documents: list[DocumentIn] = []
    digitised: bool = False
    vneid_authenticated: bool = False


class DossierListItem(Schema):
    code: str
    status: int
    status_label: str
    procedure: str
    procedure_name: str
    channel: int
    applicant_name: str
    applicant_personal_id: str
    receiving_agency: str
    competent_agency: str
    current_step: str | None
    assignee: str | None
    received_at: datetime | None
    due_at: datetime | None
    row_version: int


class DossierOut(DossierListItem):
    variant: int
    applicant_kind: str
    applicant_tax_code: str
    applicant_phone: str
    applicant_email: str
    applicant_address: str
    submitted_at: datetime
    original_due_at: datetime | None
    paused_since: datetime | None
    supplement_count: int
    step_due_at: datetime | None
    finished_at: datetime | None
    outcome: str
    outcome_766: str
    delivered_at: datetime | None
    delivery_method: str
    e_result: bool
    result_code: str
    paid_online: int
    lookup_secret: str | None = Field(None, description="Chỉ trả về một lần, khi hồ sơ vừa được tạo")


class DossierPage(Schema):
    items: list[DossierListItem]
    next: str | None = Field(None, description="Con trỏ trang sau (truyền vào tham số cursor)")


class EventOut(Schema):
    seq: int
    action: str
    from_status: int | None
    to_status: int | None
    from_step: str | None
    to_step: str | None
    actor: str
    at: datetime
    reason: str
    data: dict


class ActionIn(Schema):
    row_version: int | None = Field(None, description="Phiên bản đã xem; khác phiên bản hiện tại → 409")
    reason: str | None = None
    items: list[str] | None = Field(None, description="request_supplement: mọi giấy tờ cần bổ sung")
    due_by: datetime | None = None
    agency_id: int | None = Field(None, description="route: cơ quan giải quyết mới")
    assignee_id: int | None = None
    to_step: str | None = Field(None, description="Mã bước đích (forward, hand_over, return_step)")
    method: str | None = Field(None, description="deliver: counter | post | online")
    address: str | None = None
    new_due: datetime | None = Field(None, description="extend: hạn mới")
    result_code: str | None = None
    result_file: str | None = None
    paid_online: int | None = None
    amount: int | None = None
    documents: list[DocumentIn] | None = None


class DossierFilters(Schema):
    status: list[int] | None = None
    procedure: str | None = None
    agency: str | None = Field(None, description="Mã định danh cơ quan giải quyết")
    channel: int | None = None
    due_before: datetime | None = None
    overdue: bool | None = None
    assignee: str | None = Field(None, description="'me' = hồ sơ được phân công cho tôi")
    cursor: str | None = None
    limit: int = Field(50, ge=1, le=200)


# -- helpers ------------------------------------------------------------------------------------------------------
def actor_of(request) -> Actor:
    """The request's actor, built once: an API client's agency scope is then read once per request."""
    if getattr(request, "_dossier_actor", None) is None:
        request._dossier_actor = as_actor(request.auth)
    return request._dossier_actor


def visible(actor: Actor):
    qs = Dossier.objects.all()
    if actor.client is not None:
        q = Q(pk__in=[])
        for p in actor.client_paths:
            q |= Q(competent_agency__path__startswith=p) | Q(receiving_agency__path__startswith=p)
        return qs.filter(q)
    scoped = scope_queryset(qs, actor.user, "competent_agency") | scope_queryset(qs, actor.user, "receiving_agency")
    return scoped | qs.filter(applicant_user=actor.user)


def utc(value):
    """Instants in UTC, as read from the database, also for an instance just built in memory (local time)."""
    return value.astimezone(UTC) if isinstance(value, datetime) else value


def _base(d: Dossier) -> dict:
    return {
        "code": d.code, "status": d.status, "status_label": d.get_status_display(),
        "procedure": d.procedure_version.procedure.code, "procedure_name": d.procedure_version.procedure.name,
        "channel": d.channel, "applicant_name": d.applicant_name, "receiving_agency": d.receiving_agency.code,
        "competent_agency": d.competent_agency.code,
        "current_step": d.current_step.code if d.current_step_id else None,
        "assignee": d.assignee.get_username() if d.assignee_id else None, "received_at": utc(d.received_at),
        "due_at": utc(d.due_at), "row_version": d.row_version}


def list_item(d: Dossier) -> dict:
    return {**_base(d), "applicant_personal_id": mask_personal_id(d.applicant_personal_id)}


def detail(d: Dossier) -> dict:
    out = {**_base(d), "applicant_personal_id": d.applicant_personal_id, "variant": d.variant_id}
    for name in ("applicant_kind", "applicant_tax_code", "applicant_phone", "applicant_email", "applicant_address",
                 "submitted_at", "original_due_at", "paused_since", "supplement_count", "step_due_at", "finished_at",
                 "outcome", "outcome_766", "delivered_at", "delivery_method", "e_result", "result_code",
                 "paid_online"):
        out[name] = utc(getattr(d, name))
    out["lookup_secret"] = getattr(d, "lookup_secret_plain", None)
    return out


RELATED = ("procedure_version__procedure", "receiving_agency", "competent_agency", "current_step", "assignee")


def get_visible(request, code: str) -> Dossier:
    d = Dossier.objects.select_related(*RELATED).filter(code=code).first()
    if d is None or not actor_of(request).sees(d):
        raise Http404
    return d


def encode_cursor(d: Dossier) -> str:
    raw = json.dumps([d.due_at.isoformat() if d.due_at else None, d.pk]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime | None, int]:
    try:
        due, pk = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        return (datetime.fromisoformat(due) if due else None), int(pk)
    except (ValueError, TypeError, binascii.Error):
        raise DomainError("invalid", _("Dữ liệu không hợp lệ."), fields={"cursor": [_("Con trỏ không hợp lệ.")]},
                          status=422) from None


def after_cursor(qs, cursor: str):
    """Keyset: rows after (due, pk) in the order (due_at ASC NULLS LAST, id ASC)."""
    due, pk = decode_cursor(cursor)
    if due is None:
        return qs.filter(due_at__isnull=True, pk__gt=pk)
    return qs.filter(Q(due_at__gt=due) | Q(due_at=due, pk__gt=pk) | Q(due_at__isnull=True))


def apply_filters(qs, f: DossierFilters, actor: Actor):
    if f.status:
        qs = qs.filter(status__in=f.status)
    if f.procedure:
        qs = qs.filter(procedure_version__procedure__code=f.procedure)
    if f.agency:
        qs = qs.filter(competent_agency__code=f.agency)
    if f.channel:
        qs = qs.filter(channel=f.channel)
    if f.due_before:
        qs = qs.filter(due_at__lt=f.due_before)
    if f.overdue:
        qs = qs.filter(status__in=RUNNING_STATUSES, due_at__lt=timezone.now())
    if f.assignee == "me":
        qs = qs.filter(assignee=actor.user) if actor.user is not None else qs.none()
    return qs


# -- endpoints ----------------------------------------------------------------------------------------------------
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def inline_schema(model) -> dict:
    """The model's JSON schema with its $defs inlined (the request body is documented by hand, see below)."""
    schema = model.model_json_schema()
    defs = schema.pop("$defs", {})

    def resolve(node):
        if isinstance(node, dict):
            if "$ref" in node:
                return resolve(defs[node["$ref"].rsplit("/", 1)[-1]])
            return {k: resolve(v) for k, v in node.items()}
        if isinstance(node, list):
            return [resolve(v) for v in node]
        return node

    return resolve(schema)


CREATE_BODY = {"requestBody": {"required": True, "content": {
    "application/json": {"schema": inline_schema(DossierIn)},
    "multipart/form-data": {
        "schema": {"type": "object", "required": [intake_files.PAYLOAD_PART], "properties": {
            intake_files.PAYLOAD_PART: {**inline_schema(DossierIn),
                                        "description": "Nội dung hồ sơ (JSON, như khi gửi application/json)"}},
            "patternProperties": {intake_files.FILE_PART.pattern: {"type": "string", "format": "binary"}},
            "description": "Một phần `file_<mã giấy tờ>` cho mỗi thành phần hồ sơ (PDF, JPEG, PNG, DOCX; tối đa "
                           "10 MB; nhận dạng theo nội dung tệp và quét mã độc)."},
        "encoding": {intake_files.PAYLOAD_PART: {"contentType": "application/json"}}}}}}


def read_create_request(request) -> tuple[DossierIn, dict]:
    """(payload, checked files by required-document id) from a JSON or a multipart/form-data request."""
    files = {}
    if request.content_type == "multipart/form-data":
        raw = request.POST.get(intake_files.PAYLOAD_PART)
        if raw is None:
            raise DomainError("invalid", _("Dữ liệu không hợp lệ."), status=422, fields={
                intake_files.PAYLOAD_PART: [_("Thiếu phần «dossier» chứa nội dung hồ sơ (JSON).")]})
        files = intake_files.check_files(request.FILES)
    else:
        raw = request.body
    try:
        return DossierIn.model_validate_json(raw or b"{}"), files
    except pydantic.ValidationError as exc:
        raise NinjaValidationError(exc.errors(include_url=False, include_context=False)) from None


@router.post("", response={201: DossierOut, 200: DossierOut, **ERRORS}, summary="Tiếp nhận / nộp hồ sơ",
             openapi_extra=CREATE_BODY)
def create(request):
    """Creates a dossier from a JSON body, or from multipart/form-data with the JSON in the `dossier` part and one
    file part `file_<mã giấy tờ>` per checklist item. With an `Idempotency-Key` header, repeating the request (same
    caller, same key) returns the dossier created the first time with 200 instead of 201 — never a second dossier,
    and files of the repeat are not stored. A bad file → 422 with `fields["file_<id>"]`, nothing written."""
    actor = actor_of(request)
    key = (request.headers.get("Idempotency-Key") or "").strip()[:128] or None
    # create_dossier looks the key up itself; a repeat with files is answered here already, before its files are
    # checked (type detection, malware scan) for nothing.
    existing = find_idempotent(actor, key) if request.content_type == "multipart/form-data" else None
    if existing is not None:
        return Status(200, detail(Dossier.objects.select_related(*RELATED).get(pk=existing.pk)))
    payload, files = read_create_request(request)
    dossier, created = intake(actor, payload.dict(), files, key)
    if created:  # the instance just saved, its relations already loaded: no re-read (a five-table SELECT)
        return Status(201, detail(dossier))
    return Status(200, detail(Dossier.objects.select_related(*RELATED).get(pk=dossier.pk)))


def intake(actor: Actor, data: dict, files: dict, key: str | None) -> tuple[Dossier, bool]:
    """create_dossier and the files in one transaction; stored files are removed again if it rolls back."""
    documents = data["documents"]
    if files:
        errors: dict = {}
        _proc, variant = resolve_variant(data["procedure"], data["variant"], timezone.now(), errors)
        if variant is not None:
            documents = intake_files.merge_documents({r.pk: r for r in variant.documents.all()}, documents, files)
    stored = []
    try:
        # Without files create_dossier's own transaction is enough: an outer one would begin (and on SQLite take
        # the write lock) before the validation reads instead of just before the inserts.
        with transaction.atomic() if files else nullcontext():
            dossier, created = create_dossier(
                actor=actor, procedure=data["procedure"], variant=data["variant"],
                receiving_agency=data["receiving_agency"], competent_agency=data["competent_agency"],
                channel=data["channel"], receive=data["receive"], applicant=data["applicant"], documents=documents,
                digitised=data["digitised"] or bool(files), vneid_authenticated=data["vneid_authenticated"],
                idempotency_key=key)
            if created and files:
                intake_files.attach_files(dossier, files, stored)
    except Exception:
        for f in stored:
            f.storage.delete(f.name)
        raise
    return dossier, created


@router.get("", response={200: DossierPage, **ERRORS}, summary="Danh sách hồ sơ (theo phạm vi)")
def list_dossiers(request, filters: Query[DossierFilters]):
    actor = actor_of(request)
    qs = apply_filters(visible(actor), filters, actor).select_related(*RELATED)
    if filters.cursor:
        qs = after_cursor(qs, filters.cursor)
    rows = list(qs.order_by(F("due_at").asc(nulls_last=True), "pk")[: filters.limit + 1])
    more = len(rows) > filters.limit
    rows = rows[: filters.limit]
    return {"items": [list_item(d) for d in rows], "next": encode_cursor(rows[-1]) if more else None}


@router.get("/{code}", response={200: DossierOut, **ERRORS}, summary="Chi tiết hồ sơ")
def get_dossier(request, code: str):
    return detail(get_visible(request, code))


@router.get("/{code}/history", response={200: list[EventOut], **ERRORS}, summary="Lịch sử xử lý")
def history(request, code: str):
    d = get_visible(request, code)
    events = DossierEvent.objects.filter(dossier=d).select_related("from_step", "to_step").order_by("seq")
    return [{"seq": e.seq, "action": e.action, "from_status": e.from_status, "to_status": e.to_status,
             "from_step": e.from_step.code if e.from_step_id else None,
             "to_step": e.to_step.code if e.to_step_id else None, "actor": e.actor_label, "at": e.at,
             "reason": e.reason, "data": e.data} for e in events]


@router.post("/{code}/actions/{action}", response={200: DossierOut, **ERRORS},
             summary="Thực hiện thao tác xử lý", description="Thao tác: " + ", ".join(ACTIONS))
def act(request, code: str, action: str, payload: ActionIn):
    """The engine locks the dossier by its code and answers 404 when it is missing or out of the caller's scope, so
    there is no read before it; the answer is built from the committed instance it returns (no re-read either)."""
    params = {k: v for k, v in payload.dict().items() if v is not None and k != "row_version"}
    d = perform(code, action, actor_of(request), expected_version=payload.row_version, **params)
    d.procedure_version = d.variant.version  # the engine's variant comes from the catalogue cache
    return detail(d)
