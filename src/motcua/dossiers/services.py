"""Dossier intake and code allocation.

`create_dossier(...)` is the one way a dossier comes into existence (counter, postal, API, online submission):
validate everything first (collecting every field error, 422), then in ONE transaction allocate the code, compute
the legal due instant, insert the dossier, its documents, the first history row and the audit record.

Codes: `{unit}-{yymmdd}-{seq:04d}` (settings.MOTCUA["DOSSIER_CODE_PATTERN"]), `seq` per receiving unit per local
day, allocated by `allocate_code()` inside the intake transaction: an UPDATE ... SET last_seq = last_seq + 1 takes
the counter row lock until commit, so concurrent intakes queue on it (PostgreSQL row lock; SQLite's single writer)
and a rolled-back intake rolls its increment back too — no duplicates, no gaps.

Everything that needs no lock (validation, the due instant, the row itself) is done before the transaction begins;
on SQLite, BEGIN IMMEDIATE takes the database's single write lock, and intakes queue for it on a file lock
(`sqlite_write_turn`).
"""

import fcntl
import os
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.agencies.models import Agency, AgencyKind
from motcua.catalog.models import Procedure, RequiredDocument, Variant
from motcua.core.api_errors import DomainError
from motcua.core.counters import next_daily_seq
from motcua.dossiers import catalogcache, clockplan
from motcua.dossiers.actors import as_actor
from motcua.dossiers.codes import DEFAULT_PATTERN, format_code
from motcua.dossiers.models import (
    ApplicantKind,
    Channel,
    CopyKind,
    Dossier,
    DossierCounter,
    DossierDocument,
    DossierEvent,
    Status,
)
from motcua.worktime.clock import ClockError, iso


def invalid(fields: dict) -> DomainError:
    return DomainError("invalid", _("Dữ liệu không hợp lệ."), fields=fields, status=422)


# -- codes --------------------------------------------------------------------------------------------------------
def allocate_code(agency: Agency, at: datetime) -> str:
    """Next code of `agency` for the local day of `at`. Must run inside the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("allocate_code() must run inside the intake transaction")
    day = timezone.localtime(at).date()
    pattern = settings.MOTCUA.get("DOSSIER_CODE_PATTERN") or DEFAULT_PATTERN
    return format_code(agency.code, day, next_seq(agency, day), pattern)


def next_seq(agency: Agency, day) -> int:
    """One statement instead of `core.counters.next_daily_seq`'s update-then-read (this runs on every intake):
    INSERT ... ON CONFLICT DO UPDATE ... RETURNING takes the counter row lock until commit exactly like the UPDATE
    did (PostgreSQL row lock; SQLite's single writer), so the guarantees are the same: no duplicates, and a
    rolled-back intake gives its number back."""
    conn = transaction.get_connection()
    if conn.vendor not in ("sqlite", "postgresql"):
        return next_daily_seq(DossierCounter, agency, day)
    table = conn.ops.quote_name(DossierCounter._meta.db_table)
    with conn.cursor() as cur:
        cur.execute(f"INSERT INTO {table} (agency_id, day, last_seq) VALUES (%s, %s, 1) ON CONFLICT (agency_id, day) "
                    f"DO UPDATE SET last_seq = {table}.last_seq + 1 RETURNING last_seq",
                    [agency.pk, conn.ops.adapt_datefield_value(day)])
        return int(cur.fetchone()[0])


# -- validation ---------------------------------------------------------------------------------------------------
@dataclass
class Resolved:
    procedure: Procedure
    variant: Variant
    receiving: Agency
    competent: Agency


def _agency(value, field: str, errors: dict) -> Agency | None:
    if isinstance(value, Agency):
        return value
    if value in (None, ""):
        errors[field] = [_("Bắt buộc chọn đơn vị.")]
        return None
    agency = catalogcache.agency(value) if isinstance(value, str) and not value.isdigit() else \
        Agency.objects.filter(pk=int(value)).first()
    if agency is None:
        errors[field] = [_("Không tìm thấy đơn vị «%(v)s».") % {"v": value}]
    elif agency.valid_to is not None and agency.valid_to < timezone.localdate():
        errors[field] = [_("Đơn vị «%(n)s» đã hết hiệu lực.") % {"n": agency.name}]
        return None
    return agency


def _province_root(agency: Agency) -> str:
    return agency.path.split("/")[1] if agency.path else ""


def resolve_competent_agency(procedure: Procedure, receiving: Agency, value, field: str = "competent_agency"):
    """The agency that decides the dossier. A service centre receives for any agency of its province; other units
    receive for themselves and their subtree. When the procedure lists competent agencies, the choice must be one of
    them (or inside one of them); with exactly one listed it is the default."""
    errors: dict = {}
    listed = list(procedure.competent_agencies.all())
    if value in (None, "") and len(listed) == 1:
        value = listed[0]
    if value in (None, ""):
        value = receiving
    agency = _agency(value, field, errors)
    if errors:
        raise invalid(errors)
    if listed and not any(agency.path.startswith(a.path) for a in listed):
        raise invalid({field: [_("«%(n)s» không có thẩm quyền giải quyết thủ tục này.") % {"n": agency.name}]})
    if receiving.kind == AgencyKind.SERVICE_CENTRE:
        ok = _province_root(agency) == _province_root(receiving)
    else:
        ok = agency.path.startswith(receiving.path)
    if not ok:
        raise invalid({field: [_("«%(r)s» không tiếp nhận hồ sơ thay cho «%(n)s».")
                               % {"r": receiving.name, "n": agency.name}]})
    return agency


def resolve_variant(procedure, variant, at: datetime, errors: dict) -> tuple[Procedure | None, Variant | None]:
    """The variant must belong to the procedure's version in force on the local reception day."""
    proc = procedure if isinstance(procedure, Procedure) else \
        catalogcache.procedure(str(procedure)) if procedure not in (None, "") else None
    if proc is None:
        errors["procedure"] = [_("Không tìm thấy thủ tục «%(c)s».") % {"c": procedure or ""}]
        return None, None
    version = catalogcache.version_in_force(proc, timezone.localtime(at).date())
    if version is None:
        errors["procedure"] = [_("Thủ tục «%(c)s» không có phiên bản đang có hiệu lực.") % {"c": proc.code}]
        return proc, None
    variants = list(version.variants.all())
    if variant in (None, "") and len(variants) == 1:
        return proc, variants[0]
    pk = variant.pk if isinstance(variant, Variant) else variant
    found = next((v for v in variants if str(v.pk) == str(pk)), None)
    if found is None:
        errors["variant"] = [_("Trường hợp không thuộc phiên bản thủ tục đang có hiệu lực.")]
    return proc, found


def clean_applicant(applicant: dict, errors: dict) -> dict:
    a = {k: (applicant.get(k) or "").strip() if isinstance(applicant.get(k), str) or applicant.get(k) is None
         else applicant.get(k) for k in ("kind", "name", "personal_id", "tax_code", "phone", "email", "address",
                                         "representative")}
    a["kind"] = a["kind"] or ApplicantKind.PERSON
    if a["kind"] not in ApplicantKind.values:
        errors["applicant.kind"] = [_("Loại người nộp không hợp lệ.")]
    if not a["name"]:
        errors["applicant.name"] = [_("Bắt buộc nhập tên người nộp.")]
    if a["personal_id"] and not (a["personal_id"].isdigit() and len(a["personal_id"]) == 12):
        errors["applicant.personal_id"] = [_("Số định danh cá nhân gồm 12 chữ số.")]
    if a["tax_code"] and not (a["tax_code"].replace("-", "").isdigit() and len(a["tax_code"]) in (10, 14)):
        errors["applicant.tax_code"] = [_("Mã số thuế gồm 10 hoặc 13 chữ số.")]
    if a["kind"] == ApplicantKind.BUSINESS and not a["tax_code"]:
        errors["applicant.tax_code"] = [_("Tổ chức, doanh nghiệp phải có mã số thuế.")]
    if a["email"] and "@" not in a["email"]:
        errors["applicant.email"] = [_("Địa chỉ thư điện tử không hợp lệ.")]
    return a


def clean_documents(variant: Variant | None, documents, errors: dict) -> list[dict]:
    known = {d.pk: d for d in variant.documents.all()} if variant is not None else {}
    cleaned = []
    for i, doc in enumerate(documents or []):
        rid = doc.get("required_document_id")
        if rid is not None and variant is not None and rid not in known:
            errors[f"documents[{i}].required_document_id"] = [_("Giấy tờ không thuộc trường hợp thủ tục này.")]
            continue
        name = (doc.get("name") or (known[rid].name if rid in known else "")).strip()
        if not name:
            errors[f"documents[{i}].name"] = [_("Bắt buộc nhập tên giấy tờ.")]
        kind = doc.get("copy_kind") or CopyKind.COPY
        if kind not in CopyKind.values:
            errors[f"documents[{i}].copy_kind"] = [_("Loại bản không hợp lệ.")]
        cleaned.append({"required_document_id": rid, "name": name, "copy_kind": kind,
                        **{k: bool(doc.get(k)) for k in ("digitised", "reused", "from_data_store")}})
    return cleaned


def missing_documents(variant: Variant, documents: list[dict]) -> list[RequiredDocument]:
    given = {d.get("required_document_id") for d in documents}
    return [r for r in catalogcache.documents(variant) if r.required and r.pk not in given]


def check_required_documents(variant: Variant, documents: list[dict]) -> None:
    missing = missing_documents(variant, documents)
    if missing:
        raise invalid({"documents": [_("Thiếu giấy tờ bắt buộc: %(n)s.") % {"n": r.name} for r in missing]})


def add_documents(dossier: Dossier, documents: list[dict]) -> None:
    errors: dict = {}
    cleaned = clean_documents(dossier.variant, documents, errors)
    if errors:
        raise invalid(errors)
    DossierDocument.objects.bulk_create([DossierDocument(dossier=dossier, **doc) for doc in cleaned])


def start_clock(d: Dossier, at: datetime, cal) -> None:
    """Valid reception: the legal clock and the first step's clock start now."""
    d.received_at = at
    d.due_at = d.original_due_at = clockplan.initial_due(d, cal)
    first = next(iter(catalogcache.steps(d.variant)), None)
    d.current_step = first
    d.step_started_at = at
    d.step_due_at = clockplan.step_due(cal, at, first, d.variant.limit_unit)


_turn = threading.local()


@contextmanager
def sqlite_write_turn():
    """On a SQLite file, intakes queue for the write lock on a blocking file lock (`flock` on `<database>.intake-lock`,
    one open file per thread and process, so it orders the threads of a process as well as the processes) instead
    of in SQLite's busy handler. That handler polls with growing sleeps (up to 100 ms): under load the write lock
    sat idle while every waiter slept, and unlucky waiters made the tail of the saturated HTTP intake reach a
    second; a released `flock` wakes its waiters at once. Other writers do not take it and still queue in SQLite, so
    it cannot deadlock with them. Not taken inside an outer transaction: that one may hold the write lock already,
    and an intake queueing behind it would then wait for itself."""
    conn = transaction.get_connection()
    if conn.vendor != "sqlite" or conn.in_atomic_block or conn.is_in_memory_db():
        yield
        return
    if getattr(_turn, "pid", None) != os.getpid():  # a forked child must not share its parent's open file
        _turn.pid, _turn.file = os.getpid(), open(f"{conn.settings_dict['NAME']}.intake-lock", "ab")
    fcntl.flock(_turn.file, fcntl.LOCK_EX)
    try:
        yield
    finally:
        fcntl.flock(_turn.file, fcntl.LOCK_UN)


# -- intake -------------------------------------------------------------------------------------------------------
def _check_actor(actor, receiving: Agency, channel: int, receive: bool) -> None:
    from motcua.accounts.models import Role

    if actor.is_staff_or_client:
        if Role.RECEPTION not in actor.roles_at(receiving):
            raise DomainError("forbidden", _("Bạn không có quyền tiếp nhận hồ sơ tại «%(n)s».")
                              % {"n": receiving.name}, status=403)
        return
    if actor.user is None or not actor.user.is_authenticated or receive or channel != Channel.ONLINE:
        raise DomainError("forbidden", _("Chỉ được nộp hồ sơ trực tuyến, chờ cán bộ tiếp nhận."), status=403)


def _idempotency_owner(actor) -> str:
    return f"client:{actor.client.pk}" if actor.client is not None else f"user:{actor.user.pk}"


def find_idempotent(actor, key: str | None) -> Dossier | None:
    """The dossier this caller created with this key, if any. Every intake with a key (the API's clients send one)
    asks, and almost always finds nothing: a plain indexed probe first, the dossier read only on a hit."""
    if not key:
        return None
    conn = transaction.get_connection()
    with conn.cursor() as cur:
        cur.execute(f"SELECT id FROM {conn.ops.quote_name(Dossier._meta.db_table)} WHERE idempotency_owner = %s "
                    f"AND idempotency_key = %s", [_idempotency_owner(as_actor(actor)), key])
        row = cur.fetchone()
    return None if row is None else Dossier.objects.get(pk=row[0])


def create_dossier(*, actor, procedure, variant=None, receiving_agency, competent_agency=None,
                   channel: int = Channel.IN_PERSON, applicant: dict, documents=(), applicant_user=None,
                   receive: bool = True, submitted_at: datetime | None = None, now: datetime | None = None,
                   idempotency_key: str | None = None, digitised: bool = False,
                   vneid_authenticated: bool = False) -> tuple[Dossier, bool]:
    """Create a dossier; returns (dossier, created). `receive=True` (counter, postal, API) receives it at once
    (status 2, due computed); `receive=False` is an online submission awaiting the desk (status 1, code assigned
    already). With an `idempotency_key`, a repeated call by the same client/user returns the first dossier and
    created=False. The plaintext lookup secret is on `dossier.lookup_secret_plain` when created."""
    actor = as_actor(actor)
    existing = find_idempotent(actor, idempotency_key)
    if existing is not None:
        return existing, False
    now = now or timezone.now()
    errors: dict = {}
    if channel not in Channel.values:
        errors["channel"] = [_("Kênh nộp hồ sơ không hợp lệ.")]
    receiving = _agency(receiving_agency, "receiving_agency", errors)
    proc, var = resolve_variant(procedure, variant, now, errors)
    app = clean_applicant(applicant or {}, errors)
    docs = clean_documents(var, documents, errors)
    if errors:
        raise invalid(errors)
    _check_actor(actor, receiving, channel, receive)
    competent = resolve_competent_agency(proc, receiving, competent_agency)
    if receive:
        check_required_documents(var, docs)
    try:
        return _insert(actor, Resolved(proc, var, receiving, competent), app, docs, channel=channel,
                       applicant_user=applicant_user, receive=receive, submitted_at=submitted_at or now, now=now,
                       idempotency_key=idempotency_key, digitised=digitised,
                       vneid_authenticated=vneid_authenticated), True
    except IntegrityError:
        again = find_idempotent(actor, idempotency_key)  # a concurrent request with the same key won
        if again is None:
            raise
        return again, False


def _insert(actor, r: Resolved, app: dict, docs: list[dict], *, channel, applicant_user, receive, submitted_at,
            now, idempotency_key, digitised, vneid_authenticated) -> Dossier:
    from motcua.audit.services import record

    if actor.user is not None and not actor.is_staff_or_client:
        applicant_user = actor.user  # a citizen submits for themself
    # The row and its clock are computed before the transaction begins: on SQLite BEGIN IMMEDIATE takes the single
    # write lock, which every other writer then waits for until commit.
    d = Dossier(
        procedure_version=r.variant.version, variant=r.variant, receiving_agency=r.receiving,
        competent_agency=r.competent, channel=channel, applicant_user=applicant_user, submitted_at=submitted_at,
        status=Status.RECEIVED if receive else Status.NEW, digitised=digitised,
        vneid_authenticated=vneid_authenticated, idempotency_key=idempotency_key or None,
        idempotency_owner=_idempotency_owner(actor) if idempotency_key else "", api_client=actor.client,
        created_by=actor.user, **{f"applicant_{k}": v for k, v in app.items()})
    secret = d.issue_lookup_secret()
    if receive:
        try:
            start_clock(d, now, clockplan.calendar_for(r.competent))
        except ClockError as exc:
            raise invalid({exc.field: [exc.message]}) from None
    with sqlite_write_turn(), transaction.atomic():
        d.code = allocate_code(r.receiving, now)
        d.save()
        DossierDocument.objects.bulk_create([DossierDocument(dossier=d, **doc) for doc in docs])
        action = "receive" if receive else "submit"
        data = {"channel": channel, "due_at": iso(d.due_at),
                "documents": len(docs)}
        DossierEvent.objects.create(dossier=d, seq=1, action=action, to_status=d.status, to_step=d.current_step,
                                    actor=actor.user, actor_label=actor.label, at=now, data=data)
        record(f"dossier:{d.code}", action, actor=actor.audit_actor, target_type="dossier", target_id=d.code,
               new={"status": d.status, "procedure": r.procedure.code, "variant": r.variant.pk,
                    "receiving_agency": r.receiving.code, "competent_agency": r.competent.code, **data},
               new_stream=True)
    d.lookup_secret_plain = secret
    return d
