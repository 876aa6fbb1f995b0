"""Back-office fixtures: one published procedure (10 working days) with three documents (two required) and three
process steps — 1. tiep-nhan at the service centre (reception) → 2. tham-dinh at the competent department
(specialist) → 3. phe-duyet at the department (leader, final) — and staff: tn (reception, centre), cv (specialist,
dept), ld (leader, dept), cv2 / ld2 (other department), citizen.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from motcua.accounts.models import Role
from motcua.catalog.models import Field, Procedure, ProcedureVersion, ProcessStep, RequiredDocument, Variant
from motcua.dossiers.models import Channel
from motcua.dossiers.services import create_dossier
from tests.factories import UserFactory, staff

PASSWORD = "matkhau-Manh-123"
TEXTS = {k: "nội dung" for k in ("steps_text", "method_text", "applicants_text", "implementing_agency_text",
                                   "result_text", "requirements_text", "legal_basis")}
APPLICANT = {"kind": "person", "name": "Trần Thị Bình", "personal_id": "001203012345", "phone": "0912345678",
             "address": "Số 1 Lý Thái Tổ"}
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def build_procedure(province, *, code="1.000001", name="Cấp giấy phép xây dựng"):
    from motcua.catalog.services import publish

    field, _ = Field.objects.get_or_create(code="XD", defaults={"name": "Xây dựng"})
    proc = Procedure.objects.create(code=code, name=name, field=field, level="province")
    proc.competent_agencies.add(province["dept"])
    version = ProcedureVersion.objects.create(procedure=proc, decision_number=f"QĐ-{code}",
                                              decision_date=date(2024, 12, 1), effective_from=date(2025, 1, 1),
                                              **TEXTS)
    variant = Variant.objects.create(version=version, name="Trường hợp chung", legal_limit=Decimal("10"),
                                     limit_unit="working_days")
    RequiredDocument.objects.create(variant=variant, order=1, name="Đơn đề nghị", originals=1)
    RequiredDocument.objects.create(variant=variant, order=2, name="Bản vẽ thiết kế", copies=1)
    RequiredDocument.objects.create(variant=variant, order=3, name="Giấy tờ khác", required=False)
    steps = [
        ("tiep-nhan", Role.RECEPTION, province["centre"], "0.5", ["forward", "hand_over", "request_supplement"]),
        ("tham-dinh", Role.SPECIALIST, None, "6",
         ["forward", "request_supplement", "request_payment", "return_step", "result_ready"]),
        ("phe-duyet", Role.LEADER, None, "2", ["approve", "return_step", "result_ready"]),
    ]
    for order, (step_code, role, agency, budget, actions) in enumerate(steps, start=1):
        ProcessStep.objects.create(variant=variant, order=order, code=step_code, name=f"Bước {step_code}", role=role,
                                   agency=agency, budget=Decimal(budget), actions=actions, is_final=order == 3)
    publish(version)
    return proc, variant


@pytest.fixture
def world(province):
    proc, variant = build_procedure(province)
    return {
        **province, "procedure": proc, "variant": variant, "docs": list(variant.documents.order_by("order")),
        "tn": staff("tn", province["centre"], Role.RECEPTION),
        "cv": staff("cv", province["dept"], Role.SPECIALIST),
        "ld": staff("ld", province["dept"], Role.LEADER),
        "cv2": staff("cv2", province["other_dept"], Role.SPECIALIST),
        "ld2": staff("ld2", province["other_dept"], Role.LEADER),
        "citizen": UserFactory(username="dan"),
    }


def doc_list(world, required_only=True):
    return [{"required_document_id": d.pk, "name": d.name, "copy_kind": "original"}
            for d in world["docs"] if d.required or not required_only]


@pytest.fixture
def intake(world):
    """Create a received dossier through the engine; `days_ago` moves the reception back in time."""
    def make(days_ago: float = 0, actor=None, **kw):
        kw.setdefault("procedure", world["procedure"].code)
        kw.setdefault("variant", world["variant"].pk)
        kw.setdefault("receiving_agency", world["centre"])
        kw.setdefault("applicant", APPLICANT)
        kw.setdefault("documents", doc_list(world))
        kw.setdefault("channel", Channel.IN_PERSON)
        now = kw.pop("now", None) or timezone.now() - timedelta(days=days_ago)
        dossier, _ = create_dossier(actor=actor or world["tn"], now=now, **kw)
        return dossier

    return make


def login(client, user):
    client.force_login(user)
    return client


def local(y, m, d, hh=9, mm=0) -> datetime:
    return timezone.make_aware(datetime(y, m, d, hh, mm))
