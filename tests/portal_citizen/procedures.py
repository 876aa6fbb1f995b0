"""An extra published procedure for the citizen tests: a fee, and a process that can ask for a supplement and for
payment and then finish (the portal catalogue's procedures cannot ask for payment)."""

from datetime import date

from motcua.accounts.models import Role
from motcua.catalog import services
from motcua.catalog.models import (
    Fee,
    Field,
    OnlineLevel,
    Procedure,
    ProcedureLevel,
    ProcessStep,
    RequiredDocument,
    Variant,
)

CODE = "1.000999"
NAME = "Cấp bản sao trích lục hộ tịch"


def build_paid_procedure(catalog) -> Variant:
    field = Field.objects.get(code="HT")
    procedure = Procedure.objects.create(code=CODE, name=NAME, field=field, level=ProcedureLevel.COMMUNE)
    procedure.competent_agencies.set([catalog["agencies"]["commune"]])
    texts = {k: "Nội dung." for k in ("steps_text", "method_text", "applicants_text", "implementing_agency_text",
                                       "result_text", "requirements_text", "legal_basis")}
    version = services.create_version(procedure, decision_number="QĐ-99/2025", decision_date=date(2025, 6, 20),
                                      effective_from=date(2025, 7, 1), **texts)
    variant = Variant.objects.create(version=version, order=1, name="Trường hợp chung", legal_limit=3,
                                     online_level=OnlineLevel.FULL)
    RequiredDocument.objects.create(variant=variant, order=1, name="Tờ khai", originals=1)
    Fee.objects.create(variant=variant, name="Lệ phí cấp bản sao", amount=8_000, online_amount=4_000)
    ProcessStep.objects.create(variant=variant, order=1, code="tiep-nhan", name="Tiếp nhận", role=Role.RECEPTION,
                               actions=["receive", "forward"])
    ProcessStep.objects.create(variant=variant, order=2, code="xu-ly", name="Xử lý", role=Role.SPECIALIST, budget=1,
                               actions=["request_supplement", "request_payment", "result_ready"], is_final=True)
    services.publish(version)
    return variant
