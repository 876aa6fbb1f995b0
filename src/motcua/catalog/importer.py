"""Checking and writing a catalogue in the exchange-format shape (see docs/catalog-format.md).

`check(data)` converts every value (types, lengths, choices, references to fields and agencies, duplicates, the
publishing rules of versions marked published, conflicts with stored published versions) and returns the
normalised plan plus every problem as (path, message); `write(plan)` stores a plan that had no problem, reusing what
is already stored (idempotent by procedure code + decision number), and publishes through `services.publish`.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from motcua.agencies.models import Agency
from motcua.catalog import rules
from motcua.catalog.models import (
    ApplicantType,
    Fee,
    Field,
    OnlineLevel,
    Procedure,
    ProcedureLevel,
    ProcedureVersion,
    ProcessStep,
    RequiredDocument,
    ResultType,
    SupplementPolicy,
    TimeUnit,
    Variant,
    VersionStatus,
)
from motcua.catalog.serialize import VARIANT_KEYS, VERSION_KEYS, procedure_data, version_data
from motcua.catalog.services import KNOWN_ROLES, publish

FORMAT = "motcua.catalog/1"
REQUIRED = object()
Problem = tuple[str, str]


# --- value converters: raw value → Python value, or ValueError with a Vietnamese message ------------------------

def text(max_length: int):
    def convert(value):
        if isinstance(value, bool) or isinstance(value, float):
            raise ValueError(_("phải là chuỗi ký tự (hãy nhập dạng văn bản)."))
        value = str(value).strip()
        if len(value) > max_length:
            raise ValueError(_("dài quá %(n)d ký tự.") % {"n": max_length})
        return value
    return convert


def choice(choices):
    def convert(value):
        if value not in choices.values:
            raise ValueError(_("giá trị «%(v)s» không hợp lệ (cho phép: %(ok)s).")
                             % {"v": value, "ok": ", ".join(choices.values)})
        return value
    return convert


def decimal(value):
    if isinstance(value, bool):
        raise ValueError(_("phải là một số."))
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise ValueError(_("«%(v)s» không phải là một số.") % {"v": value}) from None
    if not number.is_finite() or number < 0 or number >= 100000:
        raise ValueError(_("phải là số không âm nhỏ hơn 100.000."))
    if number != number.quantize(Decimal("0.01")):
        raise ValueError(_("chỉ được có tối đa 2 chữ số thập phân."))
    return number


def integer(maximum: int):
    def convert(value):
        number = decimal(value) if not isinstance(value, int) or isinstance(value, bool) else value
        if number != int(number) or not 0 <= int(number) <= maximum:
            raise ValueError(_("phải là số nguyên từ 0 đến %(m)s.") % {"m": f"{maximum:,}".replace(",", ".")})
        return int(number)
    return convert


def day(value):
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(str(value).strip(), pattern).date()
        except ValueError:
            continue
    raise ValueError(_("ngày «%(v)s» không hợp lệ (dạng 2025-07-01 hoặc 01/07/2025).") % {"v": value})


def clock_time(value):
    if isinstance(value, datetime):
        return value.time().replace(second=0, microsecond=0)
    if isinstance(value, time):
        return value.replace(second=0, microsecond=0)
    if re.fullmatch(r"\d{1,2}:\d{2}(:00)?", str(value).strip()):
        hours, minutes = (int(p) for p in str(value).strip().split(":")[:2])
        if hours < 24 and minutes < 60:
            return time(hours, minutes)
    raise ValueError(_("giờ «%(v)s» không hợp lệ (dạng 15:00).") % {"v": value})


_TRUE = {"true", "1", "x", "có", "co", "yes"}
_FALSE = {"false", "0", "không", "khong", "no"}


def boolean(value):
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    lowered = str(value).strip().lower()
    if lowered in _TRUE | _FALSE:
        return lowered in _TRUE
    raise ValueError(_("«%(v)s» không phải giá trị đúng/sai (true/false).") % {"v": value})


def str_list(value):
    """A JSON list of strings, or (from a spreadsheet cell) one string separated by commas."""
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise ValueError(_("phải là danh sách chuỗi ký tự."))
    return [i.strip() for i in items if i.strip()]


def version_status(value):
    return choice(VersionStatus)(value)


FIELD_SPEC = {"code": (text(32), REQUIRED), "name": (text(255), REQUIRED)}
PROCEDURE_SPEC = {
    "code": (text(32), REQUIRED), "name": (text(500), REQUIRED), "field": (text(32), REQUIRED),
    "level": (choice(ProcedureLevel), REQUIRED), "applicant_type": (choice(ApplicantType), ApplicantType.BOTH),
    "competent_agencies": (str_list, []), "life_events": (text(255), ""),
}
VERSION_SPEC = {
    "decision_number": (text(64), REQUIRED), "decision_date": (day, REQUIRED), "effective_from": (day, REQUIRED),
    "effective_to": (day, None), "status": (version_status, VersionStatus.DRAFT),
    **{key: (text(100000), "") for key in VERSION_KEYS if key.endswith("_text") or key == "legal_basis"},
}
VARIANT_SPEC = {
    "name": (text(500), REQUIRED), "legal_limit": (decimal, REQUIRED), "limit_unit": (choice(TimeUnit), REQUIRED),
    "committed_limit": (decimal, None), "same_day_cutoff": (clock_time, None),
    "supplement_policy": (choice(SupplementPolicy), SupplementPolicy.RESUME), "fee_note": (text(100000), ""),
    "result_type": (choice(ResultType), ResultType.BOTH), "result_name": (text(500), ""),
    "online_level": (choice(OnlineLevel), OnlineLevel.NONE), "postal_in": (boolean, True),
    "postal_out": (boolean, True), "on_the_spot": (boolean, False), "legal_basis": (text(100000), ""),
}
FEE_SPEC = {"name": (text(255), REQUIRED), "amount": (integer(10**15), 0), "online_amount": (integer(10**15), None),
            "exemption": (text(500), "")}
DOCUMENT_SPEC = {
    "name": (text(1000), REQUIRED), "originals": (integer(32767), 0), "certified_copies": (integer(32767), 0),
    "copies": (integer(32767), 0), "required": (boolean, True), "template_name": (text(255), ""),
    "from_data_store": (boolean, False),
}
STEP_SPEC = {
    "order": (integer(32767), REQUIRED), "code": (text(32), REQUIRED), "name": (text(255), REQUIRED),
    "role": (text(32), REQUIRED), "agency": (text(32), None), "budget": (decimal, Decimal(0)),
    "actions": (str_list, []), "is_final": (boolean, False),
}
_SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")


# --- checking -----------------------------------------------------------------------------------------------------

class Checker:
    """Walks the raw data once, converting values and collecting every problem."""

    def __init__(self):
        self.problems: list[Problem] = []
        self.field_refs: list[tuple[str, str]] = []   # (path, field code)
        self.agency_refs: list[tuple[str, str]] = []  # (path, agency code)

    def add(self, path: str, message: str) -> None:
        self.problems.append((path, message))

    def record(self, raw, spec: dict, path: str, children: tuple[str, ...] = ()) -> dict:
        if not isinstance(raw, dict):
            self.add(path, _("phải là một đối tượng (các cặp khóa: giá trị)."))
            return {}
        for key in raw.keys() - spec.keys() - set(children):
            self.add(f"{path}.{key}", _("khóa «%(k)s» không thuộc định dạng %(f)s.") % {"k": key, "f": FORMAT})
        out = {}
        for key, (convert, default) in spec.items():
            value = raw.get(key)
            if value is None or (isinstance(value, str) and not value.strip()):
                if default is REQUIRED:
                    self.add(f"{path}.{key}", _("thiếu giá trị bắt buộc."))
                out[key] = None if default is REQUIRED else (list(default) if isinstance(default, list) else default)
                continue
            try:
                out[key] = convert(value)
            except ValueError as exc:
                self.add(f"{path}.{key}", str(exc))
                out[key] = None
        return out

    def items(self, raw, key: str, path: str) -> list:
        value = raw.get(key, []) if isinstance(raw, dict) else []
        if value is None:
            return []
        if not isinstance(value, list):
            self.add(f"{path}.{key}", _("phải là một danh sách."))
            return []
        return value

    def duplicates(self, values: list, path: str, key: str, label: str) -> None:
        seen = set()
        for index, value in enumerate(values):
            if value in seen and value is not None:
                self.add(f"{path}[{index}].{key}", _("%(l)s «%(v)s» bị trùng.") % {"l": label, "v": value})
            seen.add(value)

    def has_problem_under(self, path: str) -> bool:
        return any(p == path or p.startswith(path + ".") or p.startswith(path + "[") for p, _m in self.problems)


def check(data) -> tuple[dict, list[Problem]]:
    """The normalised plan and every problem of `data` (the parsed exchange format)."""
    checker = Checker()
    if not isinstance(data, dict):
        return {}, [("", _("Nội dung phải là một đối tượng JSON theo định dạng %(f)s.") % {"f": FORMAT})]
    if data.get("format") != FORMAT:
        checker.add("format", _("định dạng phải là «%(f)s».") % {"f": FORMAT})
    if not isinstance(data.get("notes", ""), str):
        checker.add("notes", _("ghi chú phải là chuỗi ký tự."))
    for key in data.keys() - {"format", "notes", "fields", "procedures"}:  # notes: free text, not imported
        checker.add(key, _("khóa «%(k)s» không thuộc định dạng %(f)s.") % {"k": key, "f": FORMAT})
    fields = [checker.record(raw, FIELD_SPEC, f"fields[{i}]") for i, raw in enumerate(checker.items(data, "fields", ""))]
    checker.duplicates([f.get("code") for f in fields], "fields", "code", _("Mã lĩnh vực"))
    procedures = [_check_procedure(checker, raw, f"procedures[{i}]")
                  for i, raw in enumerate(checker.items(data, "procedures", ""))]
    checker.duplicates([p.get("code") for p in procedures], "procedures", "code", _("Mã thủ tục"))
    _check_references(checker, {f.get("code") for f in fields})
    plan = {"fields": fields, "procedures": procedures}
    _check_publishing(checker, plan)
    _check_stored(checker, plan)
    return plan, checker.problems


def _check_procedure(checker: Checker, raw, path: str) -> dict:
    procedure = checker.record(raw, PROCEDURE_SPEC, path, children=("versions",))
    if procedure.get("field"):
        checker.field_refs.append((f"{path}.field", procedure["field"]))
    procedure["competent_agencies"] = sorted(set(procedure.get("competent_agencies") or []))  # a set, stored sorted
    for code in procedure.get("competent_agencies") or []:
        checker.agency_refs.append((f"{path}.competent_agencies", code))
    procedure["versions"] = [_check_version(checker, v, f"{path}.versions[{i}]")
                             for i, v in enumerate(checker.items(raw, "versions", path))]
    checker.duplicates([v.get("decision_number") for v in procedure["versions"]], f"{path}.versions",
                       "decision_number", _("Số quyết định"))
    return procedure


def _check_version(checker: Checker, raw, path: str) -> dict:
    version = checker.record(raw, VERSION_SPEC, path, children=("variants",))
    start, end = version.get("effective_from"), version.get("effective_to")
    if start and end and end < start:
        checker.add(f"{path}.effective_to", _("ngày hết hiệu lực trước ngày có hiệu lực."))
    version["variants"] = [_check_variant(checker, v, f"{path}.variants[{i}]")
                           for i, v in enumerate(checker.items(raw, "variants", path))]
    return version


def _check_variant(checker: Checker, raw, path: str) -> dict:
    variant = checker.record(raw, VARIANT_SPEC, path, children=("fees", "documents", "steps"))
    variant["fees"] = [checker.record(f, FEE_SPEC, f"{path}.fees[{i}]")
                       for i, f in enumerate(checker.items(raw, "fees", path))]
    variant["documents"] = [checker.record(d, DOCUMENT_SPEC, f"{path}.documents[{i}]")
                            for i, d in enumerate(checker.items(raw, "documents", path))]
    steps = [checker.record(s, STEP_SPEC, f"{path}.steps[{i}]") for i, s in enumerate(checker.items(raw, "steps", path))]
    for index, step in enumerate(steps):
        if step.get("code") and not _SLUG.match(step["code"]):
            checker.add(f"{path}.steps[{index}].code", _("mã bước chỉ gồm chữ không dấu, số, «-» và «_»."))
        if step.get("agency"):
            checker.agency_refs.append((f"{path}.steps[{index}].agency", step["agency"]))
    checker.duplicates([s.get("order") for s in steps], f"{path}.steps", "order", _("Thứ tự bước"))
    checker.duplicates([s.get("code") for s in steps], f"{path}.steps", "code", _("Mã bước"))
    variant["steps"] = steps
    return variant


def _check_references(checker: Checker, file_fields: set) -> None:
    stored_fields = set(Field.objects.filter(code__in={c for _p, c in checker.field_refs}).values_list("code", flat=True))
    for path, code in checker.field_refs:
        if code not in file_fields and code not in stored_fields:
            checker.add(path, _("lĩnh vực «%(c)s» không có trong tệp (fields) và chưa có trong hệ thống.") % {"c": code})
    codes = {c for _p, c in checker.agency_refs}
    known = set(Agency.objects.filter(code__in=codes).values_list("code", flat=True))
    for path, code in checker.agency_refs:
        if code not in known:
            checker.add(path, _("không có cơ quan, đơn vị mã «%(c)s».") % {"c": code})


def _check_publishing(checker: Checker, plan: dict) -> None:
    """The publishing rules, up front, for versions the file marks published (and that are otherwise well-formed)."""
    for pi, procedure in enumerate(plan["procedures"]):
        for vi, version in enumerate(procedure["versions"]):
            path = f"procedures[{pi}].versions[{vi}]"
            if version.get("status") != VersionStatus.PUBLISHED or checker.has_problem_under(path):
                continue
            for rel, message in rules.check_version(procedure.get("name"), version, KNOWN_ROLES):
                checker.add(f"procedures[{pi}].name" if rel == "name" else f"{path}.{rel}", message)


def _check_stored(checker: Checker, plan: dict) -> None:
    """A version already published in the system may appear in the file only unchanged."""
    stored = {(v.procedure.code, v.decision_number): v for v in ProcedureVersion.objects.select_related("procedure")
              .filter(procedure__code__in=[p.get("code") for p in plan["procedures"]], status=VersionStatus.PUBLISHED)}
    for pi, procedure in enumerate(plan["procedures"]):
        for vi, version in enumerate(procedure["versions"]):
            existing = stored.get((procedure.get("code"), version.get("decision_number")))
            if existing is not None and not same_version(version, version_data(existing)):
                checker.add(f"procedures[{pi}].versions[{vi}]", _(
                    "phiên bản theo quyết định %(d)s đã công bố trong hệ thống và khác nội dung trong tệp; phiên bản "
                    "đã công bố không được sửa (hãy nhập theo quyết định công bố mới).") % {"d": existing.decision_number})


def same_version(file_version: dict, stored: dict) -> bool:
    """Equal content; a file's open end date also matches a stored end date set when a successor was published."""
    candidate = dict(file_version)
    if candidate.get("effective_to") is None:
        candidate["effective_to"] = stored.get("effective_to")
    return canonical(candidate) == canonical(stored)


def canonical(version: dict) -> dict:
    """Steps are identified by their order, not by their place in the list (documents and variants are)."""
    variants = [{**v, "steps": sorted(v.get("steps") or [], key=lambda s: s.get("order") or 0)}
                for v in version.get("variants") or []]
    return {**version, "variants": variants}


# --- writing ------------------------------------------------------------------------------------------------------

@dataclass
class ImportSummary:
    counts: dict = field(default_factory=lambda: dict.fromkeys(
        ("fields_created", "fields_updated", "procedures_created", "procedures_updated", "procedures_unchanged",
         "versions_created", "versions_updated", "versions_unchanged", "versions_published"), 0))
    dry_run: bool = False

    def add(self, key: str) -> None:
        self.counts[key] += 1

    @property
    def changed(self) -> bool:
        return any(v for k, v in self.counts.items() if not k.endswith("_unchanged"))

    def __str__(self) -> str:
        c = self.counts
        text_ = _("Lĩnh vực: %(fc)d mới, %(fu)d cập nhật. Thủ tục: %(pc)d mới, %(pu)d cập nhật, %(pn)d không đổi. "
                  "Phiên bản: %(vc)d mới, %(vu)d cập nhật, %(vn)d không đổi, %(vp)d được công bố.") % {
            "fc": c["fields_created"], "fu": c["fields_updated"], "pc": c["procedures_created"],
            "pu": c["procedures_updated"], "pn": c["procedures_unchanged"], "vc": c["versions_created"],
            "vu": c["versions_updated"], "vn": c["versions_unchanged"], "vp": c["versions_published"]}
        return (_("(Chạy thử, không ghi gì.) ") if self.dry_run else "") + text_


def write(plan: dict, user=None) -> tuple[ImportSummary, list[Problem]]:
    """Store a checked plan inside the caller's transaction; problems found while publishing are returned (the
    caller rolls everything back)."""
    summary, problems = ImportSummary(), []
    _write_fields(plan["fields"], summary)
    fields = {f.code: f for f in Field.objects.all()}
    agency_codes = {c for p in plan["procedures"] for c in p["competent_agencies"]}
    agency_codes |= {s["agency"] for p in plan["procedures"] for v in p["versions"] for va in v["variants"]
                     for s in va["steps"] if s["agency"]}
    agencies = {a.code: a for a in Agency.objects.filter(code__in=agency_codes)}
    for pi, data in enumerate(plan["procedures"]):
        procedure = _write_procedure(data, fields, agencies, summary)
        stored = {v.decision_number: v for v in procedure.versions.all()}
        # Oldest first, so publishing a successor closes its open-ended predecessor.
        for vi, version in sorted(enumerate(data["versions"]), key=lambda iv: iv[1]["effective_from"]):
            problems += _write_version(procedure, version, stored.get(version["decision_number"]), agencies,
                                       f"procedures[{pi}]", vi, summary, user)
    return summary, problems


def _write_fields(items: list[dict], summary: ImportSummary) -> None:
    for item in items:
        stored = Field.objects.filter(code=item["code"]).first()
        if stored is None:
            Field.objects.create(**item)
            summary.add("fields_created")
        elif stored.name != item["name"]:
            stored.name = item["name"]
            stored.save()
            for procedure in stored.procedures.all():  # the folded search text includes the field name
                procedure.save(update_fields=["search_text"])
            summary.add("fields_updated")


def _write_procedure(data: dict, fields: dict, agencies: dict, summary: ImportSummary) -> Procedure:
    wanted = {k: v for k, v in data.items() if k != "versions"}
    procedure = Procedure.objects.filter(code=data["code"]).select_related("field").first()
    if procedure is not None and procedure_data(procedure, with_versions=False) == wanted:
        summary.add("procedures_unchanged")
        return procedure
    summary.add("procedures_created" if procedure is None else "procedures_updated")
    procedure = procedure or Procedure(code=data["code"])
    procedure.name, procedure.field, procedure.level = data["name"], fields[data["field"]], data["level"]
    procedure.applicant_type, procedure.life_events = data["applicant_type"], data["life_events"]
    procedure.save()
    procedure.competent_agencies.set([agencies[c] for c in data["competent_agencies"]])
    return procedure


def _write_version(procedure, data: dict, stored, agencies, prefix: str, vi: int, summary, user) -> list[Problem]:
    if stored is not None and stored.is_published:  # identical to the file: checked up front
        summary.add("versions_unchanged")
        return []
    draft = {**data, "status": VersionStatus.DRAFT}
    if stored is None:
        stored = ProcedureVersion(procedure=procedure)
        _store(stored, draft, agencies)
        summary.add("versions_created")
    elif canonical(version_data(stored)) != canonical(draft):
        for variant in stored.variants.all():
            variant.delete()
        _store(stored, draft, agencies)
        summary.add("versions_updated")
    else:
        summary.add("versions_unchanged")
    if data["status"] != VersionStatus.PUBLISHED:
        return []
    try:
        publish(stored, user=user)
    except ValidationError as exc:
        return [(f"{prefix}.name" if key == "name" else f"{prefix}.versions[{vi}].{key}", message)
                for key, messages in exc.message_dict.items() for message in messages]
    summary.add("versions_published")
    return []


def _store(version: ProcedureVersion, draft: dict, agencies: dict) -> None:
    for key in VERSION_KEYS:
        setattr(version, key, draft[key])
    version.save()
    _write_variants(version, draft["variants"], agencies)


def _write_variants(version: ProcedureVersion, variants: list[dict], agencies: dict) -> None:
    for index, data in enumerate(variants, start=1):
        variant = Variant.objects.create(version=version, order=index, **{k: data[k] for k in VARIANT_KEYS})
        for fee in data["fees"]:
            Fee.objects.create(variant=variant, **fee)
        for order, document in enumerate(data["documents"], start=1):
            RequiredDocument.objects.create(variant=variant, order=order, **document)
        for step in data["steps"]:
            ProcessStep.objects.create(variant=variant, **{**step, "agency": agencies.get(step["agency"])})
