"""Legacy dossier import: one JSON object per line (format in docs/import-format.md).

How provinces migrate dossiers from their old one-stop system and how test scenarios are loaded. Design:

- **Validate first, in memory.** Procedures, versions, variants, steps and agencies are read into dicts once
  (`Catalogue`); each line becomes a `Plan` (the dossier row and its child rows as plain dicts) or a `LineError`
  naming the line and the field. No query per line.
- **Write in batches** (default 2 000 dossiers): one query finds codes already present (skipped and counted: the
  import is idempotent by code), then the dossiers, history rows, supplement requests, clock ledger events, hand-overs,
  one audit record per dossier, the code counters and the statistics (each dossier's facts, computed from its rows in
  memory, and their sum added to the rollups) are written in one transaction with multi-row inserts (COPY on
  PostgreSQL). Models are filled from their own metadata (defaults, auto_now), so a field added later with a default
  needs no change here.
- **Parsing and writing overlap.** Outside a transaction each batch is written on a thread of its own while the
  next is parsed (`_BatchSink`): the parsing runs while the database works on the previous batch. The writer's own
  Python (rows, hashes, rollups) still shares the interpreter lock with the parser.
- **Per-line atomicity.** A bad line is reported and nothing of it is written; valid lines are still written. If a
  batch fails in the database (e.g. a code inserted meanwhile by someone else), it is rolled back and retried line by
  line, so only the offending line is reported.
- Imported dossiers keep their code. Codes matching the configured pattern bump the (unit, day) counter to at least
  their sequence number, so a later live intake of that unit and day gets the next free number.
- Outcomes not given are computed at import with the worktime clock (`classify`, `classify_766`) from the due and
  finish instants, and frozen like the engine's.
"""

from __future__ import annotations

import json
import os
import re
import string
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from decimal import Decimal
from operator import itemgetter

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, connection, connections, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.audit.canonical import iso_utc
from motcua.dossiers.codes import DEFAULT_PATTERN
from motcua.dossiers.models import (
    ApplicantKind,
    Channel,
    ClockEvent,
    DeliveryMethod,
    Dossier,
    DossierCounter,
    DossierEvent,
    HandOver,
    Outcome,
    PaidOnline,
    Status,
    SupplementRequest,
)
from motcua.worktime import clock
from motcua.worktime.clock import ClockError, Pause, to_local
from motcua.worktime.ledger import ClockLedger

DEFAULT_BATCH = 2000
SOURCE_DEFAULT = "import"
TERMINAL = frozenset({3, 7, 8, 9, 10})
OPEN = frozenset({2, 4, 5, 6})
# Statuses a dossier can only reach after a valid reception (then received_at is required).
NEEDS_RECEPTION = frozenset({2, 4, 5, 6, 8, 9, 10})
# Default history action per (from status, to status) when the line gives none.
ACTION_TO = {1: "submit", 2: "receive", 3: "refuse", 4: "forward", 5: "request_supplement",
             6: "request_payment", 7: "withdraw", 8: "stop", 9: "result_ready", 10: "deliver"}
ACTION_FROM = {5: "receive_supplement", 6: "confirm_payment"}

KEYS = frozenset({
    "code", "procedure", "version", "variant", "receiving_agency", "competent_agency", "channel", "applicant",
    "submitted_at", "received_at", "due_at", "original_due_at", "history", "finished_at", "returned_at",
    "delivery_method", "supplements", "extensions", "handovers", "step", "digitised", "e_result", "result_code",
    "result_file", "vneid_authenticated", "paid_online", "outcome", "outcome_766",
})
APPLICANT_KEYS = frozenset({"kind", "name", "personal_id", "tax_code", "phone", "email", "address",
                            "representative"})
REQUIRED = ("code", "procedure", "receiving_agency", "applicant", "submitted_at", "history")
# Choice values as plain sets, computed once (Django's .values builds a new list on every access).
STATUSES = frozenset(int(v) for v in Status.values)
CHANNELS = sorted(int(v) for v in Channel.values)
PAID = sorted(int(v) for v in PaidOnline.values)
DELIVERY = sorted(str(v) for v in DeliveryMethod.values)
OUTCOMES = sorted(str(v) for v in Outcome.values)
OUTCOMES_766 = [str(Outcome.ON_TIME), str(Outcome.LATE)]
APPLICANT_KINDS = frozenset(str(v) for v in ApplicantKind.values)
HISTORY_KEYS = frozenset({"status", "at", "action", "actor", "reason"})
_SPACE = re.compile(r"\s")  # str.isspace's characters


# -- results ------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class LineError:
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return _("Dòng %(line)d, trường «%(field)s»: %(msg)s") % {"line": self.line, "field": self.field,
                                                                  "msg": self.message}


@dataclass
class ImportReport:
    lines: int = 0
    created: int = 0
    skipped_existing: int = 0
    skipped_duplicate: int = 0
    dry_run: bool = False
    errors: list[LineError] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        verb = _("sẽ nhập") if self.dry_run else _("đã nhập")
        return _("%(lines)s dòng: %(verb)s %(created)s hồ sơ, bỏ qua %(existing)s hồ sơ đã có, %(dup)s mã trùng "
                 "trong tệp, %(errors)s dòng lỗi.") % {
            "lines": self.lines, "verb": verb, "created": self.created, "existing": self.skipped_existing,
            "dup": self.skipped_duplicate, "errors": len({e.line for e in self.errors})}


class LineInvalid(Exception):
    """Every problem found on one line: {field: message}."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(errors)
        self.errors = errors


# -- the catalogue, read once -------------------------------------------------------------------------------------
@dataclass
class AgencyInfo:
    pk: int
    code: str
    name: str
    valid_from: date | None
    valid_to: date | None


@dataclass
class VariantInfo:
    pk: int
    name: str
    limit_unit: str
    effective_limit: int | float
    legal_limit: int | float
    cutoff: object
    policy: str
    steps: dict[str, tuple[int, object]]  # step code → (pk, budget)
    first_step: str | None


@dataclass
class VersionInfo:
    pk: int
    decision_number: str
    effective_from: date
    effective_to: date | None
    variants: list[VariantInfo]


@dataclass
class ProcedureInfo:
    pk: int
    code: str
    versions: list[VersionInfo]  # published only, newest first
    competent: list[int]


def _number(value: Decimal | None):
    if value is None:
        return None
    f = float(value)
    return int(f) if f.is_integer() else f


class Catalogue:
    """Procedures (published versions, variants, steps) and agencies by code, plus calendars per agency."""

    def __init__(self):
        from motcua.agencies.models import Agency

        self.agencies = {a.code: AgencyInfo(a.pk, a.code, a.name, a.valid_from, a.valid_to)
                         for a in Agency.objects.only("pk", "code", "name", "valid_from", "valid_to")}
        self.agencies_by_pk = {a.pk: a for a in self.agencies.values()}
        self.procedures = self._procedures()
        self._calendars: dict[int, clock.Calendar] = {}

    @staticmethod
    def _procedures() -> dict[str, ProcedureInfo]:
        from motcua.catalog.models import Procedure, ProcedureVersion, ProcessStep, Variant, VersionStatus

        steps: dict[int, list] = {}
        for s in ProcessStep.objects.order_by("variant_id", "order").values("pk", "variant_id", "code", "budget"):
            steps.setdefault(s["variant_id"], []).append(s)
        variants: dict[int, list[VariantInfo]] = {}
        for v in Variant.objects.filter(version__status=VersionStatus.PUBLISHED).order_by("version_id", "order",
                                                                                          "pk"):
            own = steps.get(v.pk, [])
            variants.setdefault(v.version_id, []).append(VariantInfo(
                v.pk, v.name, v.limit_unit, _number(v.effective_limit), _number(v.legal_limit), v.same_day_cutoff,
                v.supplement_policy, {s["code"]: (s["pk"], s["budget"]) for s in own},
                own[0]["code"] if own else None))
        procs: dict[str, ProcedureInfo] = {}
        versions = (ProcedureVersion.objects.filter(status=VersionStatus.PUBLISHED)
                    .select_related("procedure").order_by("procedure_id", "-effective_from"))
        for ver in versions:
            p = procs.get(ver.procedure.code)
            if p is None:
                p = procs[ver.procedure.code] = ProcedureInfo(ver.procedure_id, ver.procedure.code, [], [])
            p.versions.append(VersionInfo(ver.pk, ver.decision_number, ver.effective_from, ver.effective_to,
                                          variants.get(ver.pk, [])))
        through = Procedure.competent_agencies.through
        by_pk = {p.pk: p for p in procs.values()}
        for proc_id, agency_id in through.objects.values_list("procedure_id", "agency_id"):
            if proc_id in by_pk:
                by_pk[proc_id].competent.append(agency_id)
        return procs

    def calendar(self, agency: AgencyInfo) -> clock.Calendar:
        cal = self._calendars.get(agency.pk)
        if cal is None:
            from motcua.agencies.models import Agency
            from motcua.worktime.services import get_calendar

            cal = self._calendars[agency.pk] = get_calendar(Agency.objects.get(pk=agency.pk))
        return cal


# -- parsing one line ---------------------------------------------------------------------------------------------
@dataclass
class Plan:
    line: int
    code: str
    dossier: dict
    events: list[dict]
    supplements: list[dict]
    clock_events: list[dict]
    handovers: list[dict]
    audit: dict
    procedure_id: int


def _instant(value, name: str, errors: dict, required: bool = False) -> datetime | None:
    """ISO 8601 instant; a value without an offset is local time (Asia/Ho_Chi_Minh)."""
    if value is None or value == "":
        if required:
            errors[name] = _("Bắt buộc nhập.")
        return None
    if not isinstance(value, str):
        errors[name] = _("Thời điểm phải là chuỗi ISO 8601, ví dụ 2026-01-05T09:00:00+07:00.")
        return None
    try:
        dt = datetime.fromisoformat(value.strip())
    except ValueError:
        errors[name] = _("Thời điểm «%(v)s» không đúng định dạng ISO 8601.") % {"v": value[:40]}
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=clock.TZ)
    if not 1990 <= dt.year <= 2100:
        errors[name] = _("Thời điểm «%(v)s» nằm ngoài khoảng cho phép.") % {"v": value[:40]}
        return None
    return dt


def _storable(value: str) -> bool:
    """Text both databases can store: no NUL character, no lone UTF-16 surrogate (JSON allows both)."""
    if "\x00" in value:
        return False
    if value.isascii():
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _text(obj: dict, key: str, name: str, errors: dict, max_length: int, required: bool = False) -> str:
    value = obj.get(key)
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors[name] = _("Phải là chuỗi ký tự.")
        return ""
    if not _storable(value):
        errors[name] = _("Chứa ký tự không hợp lệ (NUL hoặc mã UTF-16 lẻ).")
        return ""
    value = value.strip()
    if required and not value:
        errors[name] = _("Bắt buộc nhập.")
    elif len(value) > max_length:
        errors[name] = _("Dài quá %(n)d ký tự.") % {"n": max_length}
    return value


def _flag(obj: dict, key: str, errors: dict) -> bool:
    value = obj.get(key, False)
    if value in (True, False, 0, 1, None):
        return bool(value)
    errors[key] = _("Phải là true/false (hoặc 1/0).")
    return False


def _choice(obj: dict, key: str, allowed, errors: dict, default):
    value = obj.get(key)
    if value is None or value == "":
        return default
    same_type = isinstance(value, int) if isinstance(default, int) else isinstance(value, str)
    if isinstance(value, bool) or not same_type or value not in allowed:
        errors[key] = _("Giá trị «%(v)s» không hợp lệ; chọn một trong: %(c)s.") % {
            "v": str(value)[:40], "c": ", ".join(str(a) for a in allowed)}
        return default
    return value


def _iso(value: datetime | None) -> str | None:
    """An instant of the audit payload, already in the audit trail's canonical form (not normalised again)."""
    return None if value is None else iso_utc(value)


def _local_day(dt: datetime) -> date:
    return to_local(dt).date()


class LineParser:
    """Turns one decoded JSON value into a Plan, or raises LineInvalid with every problem of the line."""

    def __init__(self, cat: Catalogue, *, source: str = SOURCE_DEFAULT, now: datetime | None = None):
        from motcua.worktime.services import day_mode

        self.cat, self.source = cat, source
        self.event_data = _json_text({"imported": source})  # the same on every history row of this import
        self.now = now or timezone.now()
        self.day_mode = day_mode()
        self._pid_prefixes: dict[str, tuple] = {}

    # entry point
    def parse(self, obj, line: int) -> Plan:
        if not isinstance(obj, dict):
            raise LineInvalid({"(dòng)": _("Mỗi dòng phải là một đối tượng JSON {...}.")})
        errors: dict[str, str] = {}
        for key in sorted(set(obj) - KEYS):
            errors[json.dumps(key)[1:-1][:64] or '""'] = _("Trường không được hỗ trợ.")
        for key in REQUIRED:
            if obj.get(key) in (None, "", [], {}):
                errors.setdefault(key, _("Bắt buộc nhập."))
        code = _text(obj, "code", "code", errors, 64, required=True)
        if code and _SPACE.search(code):
            errors["code"] = _("Mã hồ sơ không được chứa khoảng trắng.")
        times = self._times(obj, errors)
        history = self._history(obj.get("history"), errors)
        applicant = self._applicant(obj.get("applicant"), errors)
        if errors and ("history" in errors or "submitted_at" in errors):
            raise LineInvalid(errors)
        day = _local_day(times["received_at"] or times["submitted_at"])
        receiving = self._agency(obj.get("receiving_agency"), "receiving_agency", day, errors)
        proc, variant = self._variant(obj, day, errors)
        competent = self._competent(obj.get("competent_agency"), proc, receiving, day, errors)
        flags = self._flags(obj, errors)
        if errors:
            raise LineInvalid(errors)
        state = self._state(obj, history, times, errors)
        supplements = self._supplements(obj.get("supplements"), state, errors)
        extensions = self._extensions(obj.get("extensions"), state, errors)
        handovers = self._handovers(obj.get("handovers"), state, day, errors)
        step = self._step(obj.get("step"), variant, state, errors)
        if errors:
            raise LineInvalid(errors)
        return self._plan(line, code, obj, proc, variant, receiving, competent, applicant, flags, state,
                          supplements, extensions, handovers, step, history)

    # pieces
    def _times(self, obj: dict, errors: dict) -> dict:
        return {name: _instant(obj.get(name), name, errors, required=name == "submitted_at") for name in (
            "submitted_at", "received_at", "due_at", "original_due_at", "finished_at", "returned_at")}

    def _history(self, value, errors: dict) -> list[dict]:
        if value is None:
            return []
        if not isinstance(value, list) or not value:
            errors["history"] = _("Phải là danh sách (ít nhất một mục) các trạng thái kèm thời điểm.")
            return []
        rows, prev = [], None
        for i, item in enumerate(value):
            name = f"history[{i}]"
            if not isinstance(item, dict) or not HISTORY_KEYS.issuperset(item):
                errors[name] = _("Mỗi mục gồm status, at và tuỳ chọn action, actor, reason.")
                continue
            status = item.get("status")
            if type(status) is not int or status not in STATUSES:
                errors[f"{name}.status"] = _("Trạng thái phải là số từ 1 đến 10.")
                continue
            at = _instant(item.get("at"), f"{name}.at", errors, required=True)
            texts = {k: _text(item, k, f"{name}.{k}", errors, n) if k in item else "" for k, n in (
                ("action", 32), ("actor", 255), ("reason", 2000))}
            if at is None:
                continue
            if prev is not None and at < prev["at"]:
                errors[f"{name}.at"] = _("Lịch sử trạng thái không theo thứ tự thời gian (trước mục %(i)d).") % {
                    "i": i - 1}
            rows.append({"status": status, "at": at, **texts})
            prev = rows[-1]
        if len(rows) != len(value):
            errors.setdefault("history", _("Lịch sử trạng thái có mục không hợp lệ."))
        else:
            self._check_sequence(rows, errors)
        return rows

    @staticmethod
    def _check_sequence(rows: list[dict], errors: dict) -> None:
        if rows[0]["status"] not in (1, 2, 3):
            errors["history[0].status"] = _("Hồ sơ phải bắt đầu ở trạng thái 1, 2 hoặc 3.")
        for i in range(1, len(rows)):
            before, after = rows[i - 1]["status"], rows[i]["status"]
            if before in TERMINAL and not (before == 9 and after == 10):
                errors[f"history[{i}].status"] = _("Không thể chuyển từ trạng thái kết thúc %(a)d sang %(b)d.") % {
                    "a": before, "b": after}
                return

    def _applicant(self, value, errors: dict) -> dict:
        from motcua.accounts.validators import validate_tax_code

        if not isinstance(value, dict):
            if value is not None:
                errors["applicant"] = _("Phải là một đối tượng JSON.")
            return {}
        for key in sorted(set(value) - APPLICANT_KEYS):
            errors[f"applicant.{json.dumps(key)[1:-1][:40]}"] = _("Trường không được hỗ trợ.")
        a = {k: _text(value, k, f"applicant.{k}", errors, n, required=k == "name") for k, n in (
            ("kind", 16), ("name", 255), ("personal_id", 12), ("tax_code", 16), ("phone", 20), ("email", 254),
            ("address", 500), ("representative", 255))}
        a["kind"] = a["kind"] or ApplicantKind.PERSON
        if a["kind"] not in APPLICANT_KINDS:
            errors["applicant.kind"] = _("Loại người nộp phải là person hoặc business.")
        for key, check in (("personal_id", self._personal_id), ("tax_code", validate_tax_code)):
            if a[key] and f"applicant.{key}" not in errors:
                try:
                    a[key] = check(a[key])
                except ValidationError as exc:
                    errors[f"applicant.{key}"] = " ".join(str(m) for m in exc.messages)
        if a["email"] and ("@" not in a["email"] or " " in a["email"]):
            errors["applicant.email"] = _("Địa chỉ thư điện tử không hợp lệ.")
        return a

    def _personal_id(self, value: str) -> str:
        """accounts.validators.validate_personal_id (legacy 9 digits allowed). For a 12-digit number the validator
        only judges the first six digits (province, century, year), so its verdict is cached per prefix."""
        from motcua.accounts.validators import validate_personal_id

        if len(value) != 12 or not (value.isdigit() and value.isascii()):
            return validate_personal_id(value, legacy=True)
        verdict = self._pid_prefixes.get(value[:6])
        if verdict is None:
            try:
                validate_personal_id(value[:6] + "000000")
                verdict = self._pid_prefixes[value[:6]] = ()
            except ValidationError as exc:
                verdict = self._pid_prefixes[value[:6]] = tuple(exc.messages)
        if verdict:
            raise ValidationError(list(verdict))
        return value

    def _agency(self, code, name: str, day: date, errors: dict) -> AgencyInfo | None:
        if code in (None, ""):
            return None  # reported as required (receiving) or defaulted (competent)
        info = self.cat.agencies.get(code) if isinstance(code, str) else None
        if info is None:
            errors[name] = _("Không tìm thấy đơn vị có mã «%(c)s».") % {"c": str(code)[:40]}
        elif (info.valid_from and day < info.valid_from) or (info.valid_to and day > info.valid_to):
            errors[name] = _("Đơn vị «%(n)s» không có hiệu lực vào ngày %(d)s.") % {
                "n": info.name, "d": day.strftime("%d/%m/%Y")}
            return None
        return info

    def _variant(self, obj: dict, day: date, errors: dict) -> tuple[ProcedureInfo | None, VariantInfo | None]:
        code = obj.get("procedure")
        proc = self.cat.procedures.get(code) if isinstance(code, str) else None
        if proc is None:
            if code not in (None, ""):
                errors["procedure"] = _("Không tìm thấy thủ tục đã công bố có mã «%(c)s».") % {"c": str(code)[:40]}
            return None, None
        version = self._version(proc, obj.get("version"), day, errors)
        if version is None:
            return proc, None
        wanted = obj.get("variant")
        if not version.variants:
            errors["variant"] = _("Phiên bản thủ tục không có trường hợp nào.")
            return proc, None
        if wanted is None or wanted == "":
            return proc, version.variants[0]
        if isinstance(wanted, int) and not isinstance(wanted, bool):
            if 0 <= wanted < len(version.variants):
                return proc, version.variants[wanted]
        elif isinstance(wanted, str):
            found = next((v for v in version.variants if v.name.strip().lower() == wanted.strip().lower()), None)
            if found is not None:
                return proc, found
        errors["variant"] = _("Không có trường hợp «%(v)s» (số thứ tự từ 0 đến %(n)d hoặc tên trường hợp).") % {
            "v": str(wanted)[:60], "n": len(version.variants) - 1}
        return proc, None

    @staticmethod
    def _version(proc: ProcedureInfo, decision, day: date, errors: dict) -> VersionInfo | None:
        if decision not in (None, ""):
            found = next((v for v in proc.versions if v.decision_number == decision), None)
            if found is None:
                errors["version"] = _("Thủ tục «%(c)s» không có phiên bản đã công bố theo quyết định «%(d)s».") % {
                    "c": proc.code, "d": str(decision)[:64]}
            return found
        for v in proc.versions:
            if v.effective_from <= day and (v.effective_to is None or day <= v.effective_to):
                return v
        errors["procedure"] = _("Thủ tục «%(c)s» không có phiên bản có hiệu lực vào ngày %(d)s "
                                "(có thể chỉ định «version»).") % {"c": proc.code, "d": day.strftime("%d/%m/%Y")}
        return None

    def _competent(self, code, proc, receiving, day: date, errors: dict) -> AgencyInfo | None:
        if code in (None, ""):
            if proc is not None and len(proc.competent) == 1:
                return self.cat.agencies_by_pk.get(proc.competent[0], receiving)
            return receiving
        return self._agency(code, "competent_agency", day, errors)

    def _flags(self, obj: dict, errors: dict) -> dict:
        flags = {k: _flag(obj, k, errors) for k in ("digitised", "e_result", "vneid_authenticated")}
        flags["paid_online"] = _choice(obj, "paid_online", PAID, errors, 0)
        flags["channel"] = _choice(obj, "channel", CHANNELS, errors, 1)
        flags["delivery_method"] = _choice(obj, "delivery_method", DELIVERY, errors, "")
        flags["outcome"] = _choice(obj, "outcome", OUTCOMES, errors, "")
        flags["outcome_766"] = _choice(obj, "outcome_766", OUTCOMES_766, errors, "")
        flags["result_code"] = _text(obj, "result_code", "result_code", errors, 128)
        flags["result_file"] = _text(obj, "result_file", "result_file", errors, 500)
        return flags

    def _state(self, obj: dict, history: list[dict], t: dict, errors: dict) -> dict:
        """Status, reception, finish and delivery instants, checked against the history and each other."""
        statuses = [h["status"] for h in history]
        status = statuses[-1]
        received = t["received_at"] or next((h["at"] for h in history if h["status"] == 2), None)
        if received is None and NEEDS_RECEPTION & set(statuses):
            errors["received_at"] = _("Hồ sơ đã qua tiếp nhận (theo lịch sử) nên phải có thời điểm tiếp nhận.")
        first_end = next((h["at"] for h in history if h["status"] in TERMINAL), None)
        finished = t["finished_at"] or (first_end if received is not None else None)
        if t["finished_at"] is not None and status not in TERMINAL:
            errors["finished_at"] = _("Hồ sơ chưa kết thúc xử lý (trạng thái %(s)d).") % {"s": status}
        returned = t["returned_at"] or next((h["at"] for h in history if h["status"] == 10), None)
        if t["returned_at"] is not None and status != 10:
            errors["returned_at"] = _("Chỉ hồ sơ đã trả kết quả (trạng thái 10) mới có thời điểm trả.")
        order = [("submitted_at", t["submitted_at"]), ("received_at", received), ("finished_at", finished),
                 ("returned_at", returned)]
        known = [(n, v) for n, v in order if v is not None]
        for (n1, v1), (n2, v2) in zip(known, known[1:], strict=False):
            if v2 < v1:
                errors[n2] = _("Phải sau %(other)s.") % {"other": n1}
        if history[0]["at"] < t["submitted_at"]:
            errors["history[0].at"] = _("Lịch sử bắt đầu trước thời điểm nộp hồ sơ.")
        if (obj.get("outcome") or obj.get("outcome_766")) and finished is None:
            errors["outcome"] = _("Chỉ hồ sơ đã kết thúc xử lý mới có kết quả đúng hạn/quá hạn.")
        previous = None
        if status in (5, 6):
            previous = next((s for s in reversed(statuses) if s not in (5, 6)), Status.PROCESSING)
            previous = previous if previous in (2, 4) else Status.PROCESSING
        return {"status": status, "previous": previous, "submitted": t["submitted_at"], "received": received,
                "finished": finished, "returned": returned, "due": t["due_at"], "original_due": t["original_due_at"],
                "last_at": history[-1]["at"]}

    def _supplements(self, value, state: dict, errors: dict) -> list[dict]:
        if value in (None, []):
            if state["status"] == 5:
                errors["supplements"] = _("Hồ sơ đang chờ bổ sung (trạng thái 5) phải có một yêu cầu bổ sung chưa "
                                          "hoàn thành.")
            return []
        if not isinstance(value, list):
            errors["supplements"] = _("Phải là danh sách các yêu cầu bổ sung.")
            return []
        if state["received"] is None:
            errors["supplements"] = _("Hồ sơ chưa được tiếp nhận thì không có yêu cầu bổ sung.")
            return []
        rows, last_end = [], state["received"]
        for i, item in enumerate(value):
            name = f"supplements[{i}]"
            if not isinstance(item, dict) or set(item) - {"requested_at", "fulfilled_at", "items", "reason"}:
                errors[name] = _("Mỗi yêu cầu gồm requested_at, fulfilled_at, items và tuỳ chọn reason.")
                return []
            req = _instant(item.get("requested_at"), f"{name}.requested_at", errors, required=True)
            done = _instant(item.get("fulfilled_at"), f"{name}.fulfilled_at", errors)
            items = item.get("items")
            if not isinstance(items, list) or not items or not all(
                    isinstance(x, str) and x.strip() and _storable(x) and len(x) <= 1000 for x in items):
                errors[f"{name}.items"] = _("Liệt kê các giấy tờ cần bổ sung (danh sách chuỗi, không rỗng).")
            reason = _text(item, "reason", f"{name}.reason", errors, 2000)
            if req is None:
                return []
            if last_end is None or req < last_end:
                errors[f"{name}.requested_at"] = _("Yêu cầu bổ sung phải sau khi tiếp nhận và sau khi yêu cầu "
                                                   "trước đã được bổ sung.")
            if done is not None and done < req:
                errors[f"{name}.fulfilled_at"] = _("Thời điểm bổ sung xong phải sau thời điểm yêu cầu.")
            rows.append({"requested_at": req, "fulfilled_at": done, "items": items, "reason": reason})
            last_end = done
        open_last = rows and rows[-1]["fulfilled_at"] is None
        if state["status"] == 5 and not open_last:
            errors["supplements"] = _("Hồ sơ đang chờ bổ sung (trạng thái 5) phải có yêu cầu bổ sung cuối cùng chưa "
                                      "hoàn thành.")
        elif open_last and state["status"] not in (5, 7, 8):
            errors["supplements"] = _("Còn yêu cầu bổ sung chưa hoàn thành nhưng hồ sơ ở trạng thái %(s)d.") % {
                "s": state["status"]}
        return rows

    def _extensions(self, value, state: dict, errors: dict) -> list[dict]:
        if value in (None, []):
            return []
        if not isinstance(value, list) or state["received"] is None:
            errors["extensions"] = _("Phải là danh sách gia hạn của hồ sơ đã tiếp nhận.")
            return []
        rows = []
        for i, item in enumerate(value):
            name = f"extensions[{i}]"
            if not isinstance(item, dict) or set(item) - {"at", "new_due", "reason"}:
                errors[name] = _("Mỗi lần gia hạn gồm at, new_due, reason.")
                return []
            at = _instant(item.get("at"), f"{name}.at", errors, required=True)
            new_due = _instant(item.get("new_due"), f"{name}.new_due", errors, required=True)
            reason = _text(item, "reason", f"{name}.reason", errors, 2000, required=True)
            if at is None or new_due is None:
                return []
            if new_due <= at or (rows and new_due <= rows[-1]["new_due"]):
                errors[f"{name}.new_due"] = _("Hạn mới phải sau thời điểm gia hạn và sau hạn đã gia hạn trước đó.")
            if at < state["received"]:
                errors[f"{name}.at"] = _("Gia hạn phải sau thời điểm tiếp nhận.")
            rows.append({"at": at, "new_due": new_due, "reason": reason})
        return rows

    def _handovers(self, value, state: dict, day: date, errors: dict) -> list[dict]:
        if value in (None, []):
            return []
        if not isinstance(value, list):
            errors["handovers"] = _("Phải là danh sách các lần bàn giao.")
            return []
        rows = []
        for i, item in enumerate(value):
            name = f"handovers[{i}]"
            if not isinstance(item, dict) or set(item) - {"at", "from_agency", "to_agency", "outcome", "note"}:
                errors[name] = _("Mỗi lần bàn giao gồm at, from_agency, to_agency và tuỳ chọn outcome, note.")
                return []
            at = _instant(item.get("at"), f"{name}.at", errors, required=True)
            giver = self._agency(item.get("from_agency"), f"{name}.from_agency", day, errors)
            receiver = self._agency(item.get("to_agency"), f"{name}.to_agency", day, errors)
            outcome = _choice(item, "outcome", OUTCOMES, errors, "")
            if "outcome" in errors:
                errors[f"{name}.outcome"] = errors.pop("outcome")
            note = _text(item, "note", f"{name}.note", errors, 2000)
            if giver is None or receiver is None:
                errors.setdefault(f"{name}.to_agency" if giver else f"{name}.from_agency", _("Bắt buộc nhập."))
                continue
            rows.append({"at": at, "giver": giver.pk, "receiver": receiver.pk, "outcome": outcome, "note": note})
        return rows

    @staticmethod
    def _step(value, variant: VariantInfo, state: dict, errors: dict):
        if value in (None, ""):
            code = variant.first_step if state["status"] in OPEN else None
        elif not isinstance(value, str) or value not in variant.steps:
            errors["step"] = _("Trường hợp thủ tục không có bước «%(s)s».") % {"s": str(value)[:32]}
            return None
        else:
            code = value
        return variant.steps[code] if code else None

    # the plan
    def _plan(self, line, code, obj, proc, variant, receiving, competent, applicant, flags, state, supplements,
              extensions, handovers, step, history) -> Plan:
        cal = self.cat.calendar(competent)
        clocks = self._clock(variant, cal, state, supplements, extensions, flags)
        if flags["result_code"] and not flags["e_result"]:
            flags["e_result"] = True
        status = state["status"]
        step_pk, step_budget = step if step else (None, None)
        step_started = state["last_at"] if step_pk and status in OPEN else None
        step_due = self._step_due(cal, step_started, step_budget, variant.limit_unit) if step_started else None
        dossier = {
            "code": code, "lookup_secret": os.urandom(32).hex(), "procedure_version_id": None,
            "variant_id": variant.pk, "receiving_agency_id": receiving.pk, "competent_agency_id": competent.pk,
            "channel": flags["channel"], "submitted_at": state["submitted"], "received_at": state["received"],
            "status": status, "previous_status": state["previous"], "current_step_id": step_pk,
            "due_at": clocks["due"], "original_due_at": clocks["original_due"], "paused_since": clocks["paused"],
            "supplement_count": len(supplements), "step_started_at": step_started, "step_due_at": step_due,
            "finished_at": state["finished"], "outcome": clocks["outcome"], "outcome_766": clocks["outcome_766"],
            "delivered_at": state["returned"] if status == 10 else None,
            "delivery_method": flags["delivery_method"], "digitised": flags["digitised"],
            "e_result": flags["e_result"], "result_code": flags["result_code"], "result_file": flags["result_file"],
            "vneid_authenticated": flags["vneid_authenticated"], "paid_online": flags["paid_online"],
            "row_version": len(history), **{f"applicant_{k}": v for k, v in applicant.items()},
        }
        dossier["procedure_version_id"] = self._version_pk(proc, variant)
        events = self._events(history)
        return Plan(line, code, dossier, events, self._supplement_rows(supplements),
                    self._clock_rows(supplements, extensions, clocks), handovers, {
                        "status": status, "procedure": proc.code, "variant": variant.pk,
                        "receiving_agency": receiving.code, "competent_agency": competent.code,
                        "received_at": _iso(state["received"]), "due_at": _iso(clocks["due"]),
                        "finished_at": _iso(state["finished"]),
                        "outcome": clocks["outcome"], "outcome_766": clocks["outcome_766"], "events": len(events),
                        "supplements": len(supplements), "source": self.source, "line": line}, proc.pk)

    @staticmethod
    def _version_pk(proc: ProcedureInfo, variant: VariantInfo) -> int:
        return next(v.pk for v in proc.versions if any(x is variant for x in v.variants))

    def _clock(self, variant: VariantInfo, cal, state: dict, supplements: list[dict], extensions: list[dict],
               flags: dict) -> dict:
        """Due instants (given or derived from the ledger) and outcomes (given or classified now)."""
        received = state["received"]
        pauses = tuple(Pause(s["requested_at"], s["fulfilled_at"], "supplement") for s in supplements)
        paused = pauses[-1].start if pauses and pauses[-1].end is None else None
        out = {"due": state["due"], "original_due": state["original_due"] or state["due"], "paused": paused,
               "outcome": flags["outcome"], "outcome_766": flags["outcome_766"], "pauses": pauses}
        if received is None:
            return out
        try:
            if out["due"] is None or out["original_due"] is None:
                self._derive_due(variant, cal, received, pauses, extensions, out)
        except ClockError as exc:
            raise LineInvalid({"due_at": exc.message}) from None
        finished = state["finished"]
        if finished is not None and not (out["outcome"] and out["outcome_766"]):
            try:
                judged = pauses[-1].start if pauses and pauses[-1].end is None else finished
                local = clock.classify(judged, out["due"], variant.limit_unit, cal)
                o766 = clock.classify_766(received, finished, out["original_due"], pauses, len(supplements),
                                          variant.limit_unit, cal, variant.legal_limit)
            except ClockError as exc:
                raise LineInvalid({"finished_at": exc.message}) from None
            out["outcome"] = out["outcome"] or local
            out["outcome_766"] = out["outcome_766"] or o766
        return out

    def _derive_due(self, variant: VariantInfo, cal, received, pauses, extensions, out: dict) -> None:
        led = ClockLedger(received_at=received, amount=variant.effective_limit, unit=variant.limit_unit,
                          cutoff=variant.cutoff, policy=variant.policy, day_mode=self.day_mode)
        closed = tuple(p for p in pauses if p.end is not None)  # an open pause: the due as it stood before it
        derived = out["original_due"] is None
        if derived:
            out["original_due"] = led.original_due(cal)
        if out["due"] is None:
            if derived and not closed and not extensions:  # nothing moved it: the due is the original one
                out["due"] = out["original_due"]
                return
            settled = replace(led, pauses=closed, extensions=tuple(
                clock.Extension(e["new_due"], e["reason"], e["at"]) for e in extensions))
            out["due"] = settled.current_due(cal)

    @staticmethod
    def _step_due(cal, started: datetime, budget, unit: str):
        number = _number(budget)
        if not number or unit not in ("working_hours", "working_days"):
            return None
        try:
            return clock.step_due(cal, started, number, unit)
        except ClockError:
            return None

    def _events(self, history: list[dict]) -> list[dict]:
        events, prev = [], None
        for seq, h in enumerate(history, start=1):
            if h["action"]:
                action = h["action"]
            elif prev in ACTION_FROM and h["status"] != prev:
                action = ACTION_FROM[prev]
            else:
                action = ACTION_TO[h["status"]]
            events.append({"seq": seq, "action": action, "from_status": prev, "to_status": h["status"],
                           "actor_label": h["actor"] or SOURCE_DEFAULT, "at": h["at"], "reason": h["reason"],
                           "data": self.event_data})
            prev = h["status"]
        return events

    @staticmethod
    def _supplement_rows(supplements: list[dict]) -> list[dict]:
        return [{"requested_at": s["requested_at"], "fulfilled_at": s["fulfilled_at"], "items": s["items"],
                 "reason": s["reason"]} for s in supplements]

    @staticmethod
    def _clock_rows(supplements: list[dict], extensions: list[dict], clocks: dict) -> list[dict]:
        rows = []
        for s in supplements:
            rows.append({"kind": "pause", "at": s["requested_at"], "reason": s["reason"],
                         "data": {"cause": "supplement"}})
            if s["fulfilled_at"] is not None:
                rows.append({"kind": "resume", "at": s["fulfilled_at"], "reason": "", "data": {"cause": "supplement"}})
        previous = clocks["original_due"]
        for e in extensions:
            rows.append({"kind": "extend", "at": e["at"], "reason": e["reason"], "data": {
                "new_due": e["new_due"].isoformat(), "previous_due": previous.isoformat() if previous else None}})
            previous = e["new_due"]
        rows.sort(key=lambda r: r["at"])
        return rows


def parse_line(text: str, line: int, parser: LineParser) -> Plan | list[LineError]:
    """One JSONL line → Plan, or the list of its errors. Never raises for bad input."""
    try:
        obj = json.loads(text)
    except (ValueError, RecursionError) as exc:
        return [LineError(line, "(json)", _("Không đọc được JSON: %(e)s") % {"e": str(exc)[:120]})]
    return parse_value(obj, line, parser)


def parse_value(obj, line: int, parser: LineParser) -> Plan | list[LineError]:
    try:
        return parser.parse(obj, line)
    except LineInvalid as exc:
        return [LineError(line, f, m) for f, m in exc.errors.items()]


# -- writing ------------------------------------------------------------------------------------------------------
def _sqlite_datetime(value: datetime) -> str:
    """What Django's SQLite backend stores for an aware datetime: naive UTC text (fast path of the same rule)."""
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")


def _json_text(value) -> str:
    """JSON column text; values already serialised (shared constants) pass through."""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class TableWriter:
    """Multi-row inserts filled from the model's metadata: given values (every key present in each row dict),
    else the field's default (auto_now fields get the import instant). COPY on PostgreSQL, executemany elsewhere.
    Rows are built with one itemgetter call plus the few adapters a backend needs (datetimes on SQLite, JSON)."""

    def __init__(self, model: type[models.Model], given: Iterable[str], now: datetime, with_pk: bool = False):
        self.model = model
        self.table = model._meta.db_table
        given = set(given)
        keys, given_cols, fixed_cols, fixed, self.adapt = [], [], [], [], []
        for f in model._meta.concrete_fields:
            if f.primary_key and not with_pk:
                continue
            adapter = self._adapter(f)
            if f.attname in given:
                if adapter is not None:
                    self.adapt.append((len(keys), adapter))
                keys.append(f.attname)
                given_cols.append(f.column)
            else:
                value = self._default(f, now)
                fixed.append(adapter(value) if adapter is not None and value is not None else value)
                fixed_cols.append(f.column)
        missing = given - set(keys)
        if missing:
            raise RuntimeError(f"{self.table} has no field(s) {sorted(missing)}")
        self.columns = given_cols + fixed_cols
        self.fixed = tuple(fixed)
        getter = itemgetter(*keys)
        self.getter = getter if len(keys) > 1 else (lambda values: (getter(values),))

    @staticmethod
    def _adapter(f):
        if isinstance(f, models.DateTimeField):
            if connection.vendor == "sqlite":
                return _sqlite_datetime
            return None if connection.vendor == "postgresql" else connection.ops.adapt_datetimefield_value
        if isinstance(f, models.DateField):
            return None if connection.vendor == "postgresql" else connection.ops.adapt_datefield_value
        if isinstance(f, models.JSONField):
            return _json_text
        return None

    def _default(self, f, now):
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            return now
        value = f.get_default()  # the declared default, "" for text fields, else None
        if value is None and not (f.null or f.primary_key):
            raise RuntimeError(f"importer cannot fill {self.table}.{f.attname}: no value, no default")
        return value

    def row(self, values: dict) -> tuple:
        r = self.getter(values)
        if self.adapt:
            r = list(r)
            for i, fn in self.adapt:
                if r[i] is not None:
                    r[i] = fn(r[i])
        return (*r, *self.fixed)

    def write(self, rows: list[tuple]) -> None:
        if not rows:
            return
        qn = connection.ops.quote_name
        cols = ", ".join(qn(c) for c in self.columns)
        # COPY runs on the driver's cursor: its errors are converted to Django's so a refused batch (a code
        # inserted meanwhile) is caught and retried line by line like any other database error.
        with connection.cursor() as cur, connection.wrap_database_errors:
            if connection.vendor == "postgresql":
                with cur.cursor.copy(f"COPY {qn(self.table)} ({cols}) FROM STDIN") as copy:
                    for r in rows:
                        copy.write_row(r)
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                cur.executemany(f"INSERT INTO {qn(self.table)} ({cols}) VALUES ({marks})", rows)


def reserve_ids(model: type[models.Model], n: int) -> list[int]:
    """n fresh primary keys for `model`, inside the current transaction."""
    table = model._meta.db_table
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, n])
            return [r[0] for r in cur.fetchall()]
        cur.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")
        start = cur.fetchone()[0] + 1
    return list(range(start, start + n))


class BatchWriter:
    """Writes a list of Plans: dossiers with reserved ids, their child rows, audit records and counters."""

    CHILDREN = (
        ("events", DossierEvent, ("dossier_id", "seq", "action", "from_status", "to_status", "actor_label", "at",
                                  "reason", "data")),
        ("supplements", SupplementRequest, ("dossier_id", "requested_at", "fulfilled_at", "items", "reason")),
        ("clock_events", ClockEvent, ("dossier_id", "kind", "at", "reason", "data")),
        ("handovers", HandOver, ("dossier_id", "giver_agency_id", "receiver_agency_id", "handed_at", "outcome",
                                 "note")),
    )

    def __init__(self, cat: Catalogue, now: datetime, actor=None):
        self.cat, self.now, self.actor = cat, now, actor
        keys = ("id", "code", "lookup_secret", "procedure_version_id", "variant_id", "receiving_agency_id",
                "competent_agency_id", "channel", "submitted_at", "received_at", "status", "previous_status",
                "current_step_id", "due_at", "original_due_at", "paused_since", "supplement_count", "step_started_at",
                "step_due_at", "finished_at", "outcome", "outcome_766", "delivered_at", "delivery_method",
                "digitised", "e_result", "result_code", "result_file", "vneid_authenticated", "paid_online",
                "row_version", "created_by_id", *(f"applicant_{k}" for k in APPLICANT_KEYS))
        self.dossiers = TableWriter(Dossier, keys, now, with_pk=True)
        self.children = [(attr, TableWriter(model, cols, now)) for attr, model, cols in self.CHILDREN]
        self.counter = CounterBump(cat)
        from motcua.reports.models import DossierFact

        self.facts = TableWriter(DossierFact, ("dossier_id", "facts"), now, with_pk=True)

    def write(self, plans: list[Plan]) -> None:
        from motcua.audit.services import record_bulk
        from motcua.reports.rollups import on_imported

        ids = reserve_ids(Dossier, len(plans))
        created_by = getattr(self.actor, "pk", None)
        rows, child_rows = [], {attr: [] for attr, _w in self.children}
        for pk, plan in zip(ids, plans, strict=True):
            rows.append(self.dossiers.row({**plan.dossier, "id": pk, "created_by_id": created_by}))
            for attr, writer in self.children:
                out = child_rows[attr]
                for child in getattr(plan, attr):
                    out.append(writer.row(self._child(attr, child, pk)))
        self.dossiers.write(rows)
        for attr, writer in self.children:
            writer.write(child_rows[attr])
        record_bulk([{"stream": f"dossier:{p.code}", "action": "import", "target_type": "dossier",
                      "target_id": p.code, "new": p.audit} for p in plans], actor=self.actor)
        self.counter.bump([p.code for p in plans])
        # Statistics (reports app), same transaction: bulk inserts send no signal. Each new dossier's facts come
        # from the rows just written (nothing is read back); they are stored like its other rows and their
        # contributions added to the rollups.
        facts = {pk: self._facts(plan) for pk, plan in zip(ids, plans, strict=True)}
        self.facts.write([self.facts.row({"dossier_id": pk, "facts": f}) for pk, f in facts.items()])
        on_imported(facts)

    @staticmethod
    def _facts(plan: Plan) -> dict:
        from motcua.reports.rollups import facts_of

        d = plan.dossier
        terminal_at = None
        if d["received_at"] is None and d["status"] in (3, 7):  # refused / withdrawn before reception
            terminal_at = next(e["at"] for e in reversed(plan.events) if e["to_status"] == d["status"])
        return facts_of(d, plan.procedure_id, [(s["requested_at"], s["fulfilled_at"]) for s in plan.supplements],
                        terminal_at)

    @staticmethod
    def _child(attr: str, child: dict, pk: int) -> dict:
        if attr == "handovers":
            return {"dossier_id": pk, "giver_agency_id": child["giver"], "receiver_agency_id": child["receiver"],
                    "handed_at": child["at"], "outcome": child["outcome"], "note": child["note"]}
        return {**child, "dossier_id": pk}


# -- code counters ------------------------------------------------------------------------------------------------
def code_regex(pattern: str) -> re.Pattern | None:
    """A regex reading (unit, day, seq) back from codes made by `codes.format_code(pattern)`; None if the pattern
    has no {seq} or no full date."""
    parts, names = [], set()
    groups = {"unit": r"(?P<unit>.+?)", "yymmdd": r"(?P<yymmdd>\d{6})", "yyyymmdd": r"(?P<yyyymmdd>\d{8})",
              "yyyy": r"(?P<yyyy>\d{4})", "yy": r"(?P<yy>\d{2})", "mm": r"(?P<mm>\d{2})", "dd": r"(?P<dd>\d{2})",
              "seq": r"(?P<seq>\d+)"}
    try:
        for literal, name, _spec, _conv in string.Formatter().parse(pattern):
            parts.append(re.escape(literal))
            if name is not None:
                if name not in groups or name in names:
                    return None
                names.add(name)
                parts.append(groups[name])
    except ValueError:
        return None
    has_day = "yymmdd" in names or "yyyymmdd" in names or {"mm", "dd"} <= names and ({"yy", "yyyy"} & names)
    if "seq" not in names or "unit" not in names or not has_day:
        return None
    return re.compile("^" + "".join(parts) + "$")


def read_code(rx: re.Pattern, code: str) -> tuple[str, date, int] | None:
    m = rx.match(code)
    if m is None:
        return None
    g = m.groupdict()
    try:
        if g.get("yyyymmdd"):
            v = g["yyyymmdd"]
            day = date(int(v[:4]), int(v[4:6]), int(v[6:]))
        elif g.get("yymmdd"):
            v, yy = g["yymmdd"], int(g["yymmdd"][:2])
            day = date(2000 + yy if yy < 69 else 1900 + yy, int(v[2:4]), int(v[4:]))  # as strptime("%y")
        else:
            year = int(g["yyyy"]) if g.get("yyyy") else 2000 + int(g["yy"])
            day = date(year, int(g["mm"]), int(g["dd"]))
    except ValueError:
        return None
    return g["unit"], day, int(g["seq"])


class CounterBump:
    """Raises each (unit, day) DossierCounter to at least the highest imported sequence of that unit and day."""

    def __init__(self, cat: Catalogue):
        pattern = getattr(settings, "MOTCUA", {}).get("DOSSIER_CODE_PATTERN") or DEFAULT_PATTERN
        self.rx = code_regex(pattern)
        self.cat = cat

    def bump(self, codes: list[str]) -> None:
        if self.rx is None:
            return
        wanted: dict[tuple[int, date], int] = {}
        for code in codes:
            parsed = read_code(self.rx, code)
            agency = self.cat.agencies.get(parsed[0]) if parsed else None
            if agency is not None:
                key = (agency.pk, parsed[1])
                wanted[key] = max(wanted.get(key, 0), parsed[2])
        if not wanted:
            return
        # One statement for the batch instead of a read and an UPDATE per (unit, day): insert the counter or raise
        # it to the imported sequence, never lower it. Keys in order so concurrent writers lock rows in one order.
        # On PostgreSQL the rows go as three array parameters (one statement, not one per row).
        qn, ops = connection.ops.quote_name, connection.ops
        table = qn(DossierCounter._meta.db_table)
        rows = sorted(wanted.items())
        with connection.cursor() as cur:
            if connection.vendor == "postgresql":
                cur.execute(
                    f"INSERT INTO {table} (agency_id, day, last_seq) SELECT * FROM unnest(%s::bigint[], %s::date[], "
                    f"%s::integer[]) ON CONFLICT (agency_id, day) DO UPDATE SET last_seq = "
                    f"GREATEST({table}.last_seq, excluded.last_seq)",
                    [[a for (a, _d), _s in rows], [d for (_a, d), _s in rows], [s for _k, s in rows]])
            else:
                cur.executemany(
                    f"INSERT INTO {table} (agency_id, day, last_seq) VALUES (%s, %s, %s) ON CONFLICT (agency_id, day) "
                    f"DO UPDATE SET last_seq = MAX({table}.last_seq, excluded.last_seq)",
                    [(agency, ops.adapt_datefield_value(day), seq) for (agency, day), seq in rows])


# -- driving an import --------------------------------------------------------------------------------------------
def _batches(items: Iterator, size: int) -> Iterator[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def import_values(values: Iterable[tuple[int, object]], *, dry_run: bool = False, batch_size: int = DEFAULT_BATCH,
                  actor=None, source: str = SOURCE_DEFAULT, progress: Callable[[int], None] | None = None,
                  decoded: bool = True) -> ImportReport:
    """Import (line number, value) pairs; values are JSON text (decoded=False) or already-decoded dicts."""
    import time

    started = time.perf_counter()
    now = timezone.now()
    cat = Catalogue()
    parser = LineParser(cat, source=source, now=now)
    writer = None if dry_run else BatchWriter(cat, now, actor)
    report = ImportReport(dry_run=dry_run)
    seen: set[str] = set()
    with _BatchSink(writer, report) as sink:
        for batch in _batches(iter(values), max(1, batch_size)):
            plans = []
            for line, value in batch:
                report.lines += 1
                result = parse_value(value, line, parser) if decoded else parse_line(value, line, parser)
                if isinstance(result, list):
                    report.errors.extend(result)
                elif result.code in seen:
                    report.skipped_duplicate += 1
                else:
                    seen.add(result.code)
                    plans.append(result)
            sink.put(plans)
            if progress is not None:
                progress(len(batch))
    report.errors.sort(key=lambda e: e.line)  # a batch's write errors may land after the next batch's parse errors
    report.seconds = time.perf_counter() - started
    return report


class _BatchSink:
    """Hands parsed batches to `_write_batch`. Outside a transaction the writes run on a thread of their own (its
    own connection, one batch at a time) while the caller parses the next batch: the database works on a batch
    while Python reads the next, instead of each waiting for the other (the drivers release the GIL while the
    server works). Inside the caller's transaction (tests, a command wrapped in atomic) the writes stay on the
    caller's connection, in line, so they belong to that transaction."""

    def __init__(self, writer: BatchWriter | None, report: ImportReport):
        self.writer, self.report = writer, report
        self.pool = (ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-writer")
                     if writer is not None and not connection.in_atomic_block else None)
        self.pending: Future | None = None

    def put(self, plans: list[Plan]) -> None:
        if self.pool is None:
            _write_batch(plans, self.writer, self.report)
            return
        self._wait()
        self.pending = self.pool.submit(_write_batch, plans, self.writer, self.report)

    def _wait(self) -> None:
        if self.pending is not None:
            pending, self.pending = self.pending, None
            pending.result()  # a failure of the writer surfaces here, in the caller

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        if self.pool is None:
            return
        try:
            if exc[0] is None:
                self._wait()
        finally:
            self.pool.submit(connections.close_all).result()  # the writer thread's connection
            self.pool.shutdown()


def existing_codes(codes: list[str]) -> set[str]:
    """The codes already in the database. On PostgreSQL one array parameter: binding an IN list of a batch's
    thousands of placeholders cost the driver more than the query cost the server."""
    if connection.vendor != "postgresql":
        return set(Dossier.objects.filter(code__in=codes).values_list("code", flat=True))
    with connection.cursor() as cur:
        cur.execute(f"SELECT code FROM {connection.ops.quote_name(Dossier._meta.db_table)} "
                    "WHERE code = ANY(%s::varchar[])", [codes])
        return {code for (code,) in cur.fetchall()}


def _write_batch(plans: list[Plan], writer: BatchWriter | None, report: ImportReport) -> None:
    if not plans:
        return
    present = existing_codes([p.code for p in plans])
    todo = [p for p in plans if p.code not in present]
    report.skipped_existing += len(plans) - len(todo)
    if writer is None:
        report.created += len(todo)
        return
    try:
        with transaction.atomic():
            writer.write(todo)
        report.created += len(todo)
    except (IntegrityError, DatabaseError):
        for plan in todo:  # find the offending line(s); the others are written one by one
            try:
                with transaction.atomic():
                    writer.write([plan])
                report.created += 1
            except (IntegrityError, DatabaseError) as exc:
                report.errors.append(LineError(plan.line, "code", _("Không ghi được hồ sơ: %(e)s") % {
                    "e": str(exc).splitlines()[0][:200]}))


def read_lines(path) -> Iterator[tuple[int, str]]:
    """(line number, text) of non-blank lines; a UTF-8 BOM on the first line is ignored."""
    with open(path, encoding="utf-8-sig", errors="replace") as f:
        for number, text in enumerate(f, start=1):
            if text.strip():
                yield number, text


def count_lines(path) -> int:
    with open(path, "rb") as f:
        return sum(1 for raw in f if raw.strip())


def import_file(path, **kwargs) -> ImportReport:
    return import_values(read_lines(path), decoded=False, **kwargs)


def import_records(records: Iterable[dict], **kwargs) -> ImportReport:
    """Import already-decoded line objects (demo data, tests); line numbers count from 1."""
    return import_values(enumerate(records, start=1), **kwargs)


__all__ = ["Catalogue", "ImportReport", "LineError", "LineParser", "code_regex", "import_file", "import_records",
           "parse_line", "read_code"]
