"""A small published procedure with fees, staff and a citizen, shared by the payments, notifications and ratings
tests (imported by their conftest files).

Procedure 2.000001 (province level, competent: the department), one variant (10 working days), one required
document, fees: lệ phí 1.500.000 (online 1.350.000) + phí thẩm định 294.000 (no online reduction).
Steps: tiep-nhan (reception, centre) → tham-dinh (specialist, department; may request payment, finish).
"""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from motcua.accounts.models import AccountKind, Role
from motcua.catalog.models import (
    Fee,
    Field,
    Procedure,
    ProcedureVersion,
    ProcessStep,
    RequiredDocument,
    Variant,
)
from motcua.dossiers.engine import perform
from motcua.dossiers.models import Channel, Dossier
from motcua.dossiers.services import create_dossier
from tests.factories import UserFactory, staff

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
TEXTS = {k: "nội dung" for k in ("steps_text", "method_text", "applicants_text", "implementing_agency_text",
                                   "result_text", "requirements_text", "legal_basis")}
APPLICANT = {"kind": "person", "name": "Trần Thị Bình", "personal_id": "001203012345", "phone": "0912345678",
             "email": "binh@example.vn", "address": "Số 1 Lý Thái Tổ"}


def at(y, m, d, hh=9, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=TZ)


def build(province, fees: bool = True) -> dict:
    from motcua.catalog.services import publish

    field, _ = Field.objects.get_or_create(code="XD", defaults={"name": "Xây dựng"})
    proc = Procedure.objects.create(code="2.000001", name="Cấp giấy phép xây dựng", field=field, level="province")
    proc.competent_agencies.add(province["dept"])
    version = ProcedureVersion.objects.create(procedure=proc, decision_number="QĐ-1", decision_date=date(2024, 12, 1),
                                              effective_from=date(2025, 1, 1), **TEXTS)
    variant = Variant.objects.create(version=version, name="Trường hợp chung", legal_limit=Decimal("10"),
                                     limit_unit="working_days")
    doc = RequiredDocument.objects.create(variant=variant, order=1, name="Đơn đề nghị", originals=1)
    if fees:
        Fee.objects.create(variant=variant, name="Lệ phí cấp giấy phép", amount=1_500_000, online_amount=1_350_000)
        Fee.objects.create(variant=variant, name="Phí thẩm định", amount=294_000)
    ProcessStep.objects.create(variant=variant, order=1, code="tiep-nhan", name="Tiếp nhận", role=Role.RECEPTION,
                               agency=province["centre"], budget=Decimal("0.5"), actions=["forward", "hand_over"])
    ProcessStep.objects.create(variant=variant, order=2, code="tham-dinh", name="Thẩm định", role=Role.SPECIALIST,
                               agency=None, budget=Decimal("8"), is_final=True,
                               actions=["request_payment", "request_supplement", "result_ready"])
    publish(version)
    return {**province, "procedure": proc, "variant": variant, "doc": doc,
            "tn": staff("tn", province["centre"], Role.RECEPTION),
            "cv": staff("cv", province["dept"], Role.SPECIALIST),
            "cv2": staff("cv2", province["other_dept"], Role.SPECIALIST),
            "tn2": staff("tn2", province["commune"], Role.RECEPTION),
            "citizen": UserFactory(username="congdan", kind=AccountKind.CITIZEN, email="binh@example.vn"),
            "other_citizen": UserFactory(username="congdan2", kind=AccountKind.CITIZEN)}


@pytest.fixture
def world(request, province):
    """Indirect parametrisation: @pytest.mark.parametrize("world", [{"fees": False}], indirect=True)."""
    return build(province, **getattr(request, "param", {}))


@pytest.fixture
def make_dossier(world):
    """make_dossier(status="received" | "payment" | "processing" | "finished" | "delivered", **applicant overrides)"""

    def make(status="received", channel=Channel.IN_PERSON, now=None, **applicant):
        d, _ = create_dossier(actor=world["tn"], procedure=world["procedure"].code, variant=world["variant"].pk,
                              receiving_agency=world["centre"], applicant={**APPLICANT, **applicant},
                              documents=[{"required_document_id": world["doc"].pk, "copy_kind": "original"}],
                              channel=channel, applicant_user=world["citizen"], now=now or at(2026, 1, 5, 9))
        if status == "received":
            return d
        perform(d, "hand_over", world["tn"], now=at(2026, 1, 5, 14))
        if status == "payment":
            perform(d, "request_payment", world["cv"], now=at(2026, 1, 6, 9))
        if status in ("finished", "delivered"):
            perform(d, "result_ready", world["cv"], now=at(2026, 1, 7, 9))
        if status == "delivered":
            perform(d, "deliver", world["tn"], method="counter", now=at(2026, 1, 8, 9))
        return Dossier.objects.get(pk=d.pk)

    return make
