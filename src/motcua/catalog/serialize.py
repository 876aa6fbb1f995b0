"""Stored catalogue → plain data in the exchange-format shape (Decimal, date and time values kept as Python
objects; `to_json` turns them into JSON types). Used by export, by `publish` (rules run on this shape) and by the
importer to compare a file's version with the stored one."""

from datetime import date, time
from decimal import Decimal

from motcua.catalog.models import Procedure, ProcedureVersion, Variant

PROCEDURE_KEYS = ("code", "name", "field", "level", "applicant_type", "competent_agencies", "life_events")
VERSION_TEXT_KEYS = ("steps_text", "method_text", "applicants_text", "implementing_agency_text", "result_text",
                     "requirements_text", "legal_basis")
VERSION_KEYS = ("decision_number", "decision_date", "effective_from", "effective_to", "status", *VERSION_TEXT_KEYS)
VARIANT_KEYS = ("name", "legal_limit", "limit_unit", "committed_limit", "same_day_cutoff", "supplement_policy",
                "fee_note", "result_type", "result_name", "online_level", "postal_in", "postal_out", "on_the_spot",
                "legal_basis")
FEE_KEYS = ("name", "amount", "online_amount", "exemption")
DOCUMENT_KEYS = ("name", "originals", "certified_copies", "copies", "required", "template_name", "from_data_store")
STEP_KEYS = ("order", "code", "name", "role", "agency", "budget", "actions", "is_final")


def catalogue_queryset():
    """Procedures with everything the export needs, in a constant number of queries."""
    return Procedure.objects.select_related("field").prefetch_related(
        "competent_agencies", "versions__variants__fees", "versions__variants__documents",
        "versions__variants__steps__agency",
    ).order_by("code")


def procedure_data(procedure: Procedure, *, with_versions: bool = True) -> dict:
    data = {
        "code": procedure.code, "name": procedure.name, "field": procedure.field.code, "level": procedure.level,
        "applicant_type": procedure.applicant_type,
        "competent_agencies": sorted(a.code for a in procedure.competent_agencies.all()),
        "life_events": procedure.life_events,
    }
    if with_versions:
        data["versions"] = [version_data(v) for v in procedure.versions.all()]
    return data


def version_data(version: ProcedureVersion) -> dict:
    data = {key: getattr(version, key) for key in VERSION_KEYS}
    data["variants"] = [variant_data(v) for v in sorted(version.variants.all(), key=lambda v: (v.order, v.pk))]
    return data


def variant_data(variant: Variant) -> dict:
    data = {key: getattr(variant, key) for key in VARIANT_KEYS}
    data["fees"] = [{k: getattr(f, k) for k in FEE_KEYS} for f in sorted(variant.fees.all(), key=lambda f: f.pk)]
    data["documents"] = [{k: getattr(d, k) for k in DOCUMENT_KEYS}
                         for d in sorted(variant.documents.all(), key=lambda d: (d.order, d.pk))]
    data["steps"] = [step_data(s) for s in sorted(variant.steps.all(), key=lambda s: s.order)]
    return data


def step_data(step) -> dict:
    data = {key: getattr(step, key) for key in STEP_KEYS if key != "agency"}
    data["agency"] = step.agency.code if step.agency_id else None
    data["actions"] = list(step.actions or [])
    return data


def to_json(value):
    """Python values of the plain data → JSON types (numbers stay numbers: 1, 0.25)."""
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return value
