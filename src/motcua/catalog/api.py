"""Public catalogue API under /api/v1/procedures (anonymous access): search, fields, and the detail of the version
in force."""

from datetime import date, time

from django.http import Http404
from django.utils import timezone
from ninja import Query, Router, Schema

from motcua.catalog.models import Field, Procedure
from motcua.catalog.search import MAX_LIMIT, highest_online_level, search_procedures
from motcua.catalog.services import version_in_force

router = Router(tags=["Thủ tục hành chính"])


class ProcedureFilters(Schema):
    q: str = ""
    field: str | None = None
    level: str | None = None
    online_level: str | None = None
    agency: str | None = None
    limit: int = 50


class ProcedureItem(Schema):
    code: str
    name: str
    field: str
    field_code: str
    level: str
    online_level: str
    time_limit: float | None
    time_limit_unit: str | None
    decision_number: str
    effective_from: date


class FieldOut(Schema):
    code: str
    name: str


class AgencyRef(Schema):
    code: str
    name: str


class FeeOut(Schema):
    name: str
    amount: int
    online_amount: int | None
    exemption: str


class DocumentOut(Schema):
    order: int
    name: str
    originals: int
    certified_copies: int
    copies: int
    required: bool
    template_name: str
    from_data_store: bool


class StepOut(Schema):
    order: int
    code: str
    name: str
    role: str
    agency: AgencyRef | None
    budget: float
    actions: list[str]
    is_final: bool


class VariantOut(Schema):
    order: int
    name: str
    legal_limit: float
    limit_unit: str
    committed_limit: float | None
    effective_limit: float
    same_day_cutoff: time | None
    supplement_policy: str
    fee_note: str
    result_type: str
    result_name: str
    online_level: str
    postal_in: bool
    postal_out: bool
    on_the_spot: bool
    legal_basis: str
    fees: list[FeeOut]
    documents: list[DocumentOut]
    steps: list[StepOut]


class VersionOut(Schema):
    decision_number: str
    decision_date: date
    effective_from: date
    effective_to: date | None
    steps_text: str
    method_text: str
    applicants_text: str
    implementing_agency_text: str
    result_text: str
    requirements_text: str
    legal_basis: str
    variants: list[VariantOut]


class ProcedureDetail(Schema):
    code: str
    name: str
    field: str
    field_code: str
    level: str
    applicant_type: str
    life_events: str
    online_level: str
    competent_agencies: list[AgencyRef]
    version: VersionOut


@router.get("", response=list[ProcedureItem], auth=None, summary="Tìm thủ tục đang có hiệu lực")
def list_procedures(request, filters: Query[ProcedureFilters]):
    """Diacritic-insensitive search; every word must match. Only procedures with a version in force today."""
    found = search_procedures(filters.q, field=filters.field, agency=filters.agency, level=filters.level,
                              online_level=filters.online_level, limit=max(1, min(filters.limit, MAX_LIMIT)))
    return [_item(p) for p in found]


def _item(procedure: Procedure) -> dict:
    version = procedure.current_version
    first = next(iter(version.variants.all()), None)
    return {
        "code": procedure.code, "name": procedure.name, "field": procedure.field.name,
        "field_code": procedure.field.code, "level": procedure.level,
        "online_level": highest_online_level(version),
        "time_limit": float(first.effective_limit) if first else None,
        "time_limit_unit": first.limit_unit if first else None,
        "decision_number": version.decision_number, "effective_from": version.effective_from,
    }


@router.get("/fields", response=list[FieldOut], auth=None, summary="Danh sách lĩnh vực")
def list_fields(request):
    return list(Field.objects.order_by("name"))


@router.get("/{code}", response=ProcedureDetail, auth=None, summary="Chi tiết thủ tục (phiên bản đang có hiệu lực)")
def procedure_detail(request, code: str, on: date | None = None):
    """The version in force today, or on the date `on` (YYYY-MM-DD)."""
    procedure = Procedure.objects.select_related("field").filter(code=code).first()
    version = version_in_force(procedure, on or timezone.localdate()) if procedure else None
    if version is None:
        raise Http404
    variants = version.variants.order_by("order", "pk").prefetch_related("fees", "documents", "steps__agency")
    version_out = {key: getattr(version, key) for key in VersionOut.model_fields if key != "variants"}
    version_out["variants"] = [_variant(v) for v in variants]
    return {
        "code": procedure.code, "name": procedure.name, "field": procedure.field.name,
        "field_code": procedure.field.code, "level": procedure.level, "applicant_type": procedure.applicant_type,
        "life_events": procedure.life_events, "online_level": highest_online_level(version),
        "competent_agencies": list(procedure.competent_agencies.order_by("code")), "version": version_out,
    }


def _variant(variant) -> dict:
    data = {key: getattr(variant, key) for key in VariantOut.model_fields if key not in ("fees", "documents", "steps")}
    data["fees"] = sorted(variant.fees.all(), key=lambda f: f.pk)
    data["documents"] = sorted(variant.documents.all(), key=lambda d: (d.order, d.pk))
    data["steps"] = sorted(variant.steps.all(), key=lambda s: s.order)
    return data
