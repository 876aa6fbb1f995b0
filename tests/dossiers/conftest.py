"""A published procedure with one variant (10 working days), three documents and three process steps:

1. tiep-nhan at the service centre (reception, 0,5 day) → 2. tham-dinh at the competent department (specialist,
6 days) → 3. phe-duyet at the department (leader, 2 days, final).
Staff: tn (reception, centre), cv (specialist, dept), ld (leader, dept), tt (inspector, province), cv2 (specialist,
other department).
"""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from motcua.accounts.models import Role
from motcua.catalog.models import Field, Procedure, ProcedureVersion, ProcessStep, RequiredDocument, Variant
from motcua.dossiers.models import ApiClient, Channel
from motcua.dossiers.services import create_dossier
from tests.factories import staff

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
TEXTS = {k: "nội dung" for k in ("steps_text", "method_text", "applicants_text", "implementing_agency_text",
                                   "result_text", "requirements_text", "legal_basis")}


def at(y, m, d, hh=9, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=TZ)


def build_procedure(province, *, code="1.000001", limit=Decimal("10"), unit="working_days", policy="resume",
                    steps=None):
    from motcua.catalog.services import publish

    field, _ = Field.objects.get_or_create(code="XD", defaults={"name": "Xây dựng"})
    proc = Procedure.objects.create(code=code, name="Cấp giấy phép xây dựng", field=field, level="province")
    proc.competent_agencies.add(province["dept"])
    version = ProcedureVersion.objects.create(procedure=proc, decision_number=f"QĐ-{code}",
                                              decision_date=date(2024, 12, 1), effective_from=date(2025, 1, 1),
                                              **TEXTS)
    variant = Variant.objects.create(version=version, name="Trường hợp chung", legal_limit=limit, limit_unit=unit,
                                     supplement_policy=policy)
    RequiredDocument.objects.create(variant=variant, order=1, name="Đơn đề nghị", originals=1)
    RequiredDocument.objects.create(variant=variant, order=2, name="Bản vẽ thiết kế", copies=1)
    RequiredDocument.objects.create(variant=variant, order=3, name="Giấy tờ khác", required=False)
    for order, (code_, role, agency, budget, actions) in enumerate(steps or default_steps(province), start=1):
        ProcessStep.objects.create(variant=variant, order=order, code=code_, name=code_, role=role, agency=agency,
                                   budget=Decimal(budget), actions=actions, is_final=order == len(steps or "123"))
    publish(version)
    return proc, variant


def default_steps(province):
    return [
        ("tiep-nhan", Role.RECEPTION, province["centre"], "0.5", ["forward", "hand_over", "request_supplement"]),
        ("tham-dinh", Role.SPECIALIST, None, "6",
         ["forward", "request_supplement", "request_payment", "return_step", "result_ready"]),
        ("phe-duyet", Role.LEADER, None, "2", ["approve", "return_step", "result_ready"]),
    ]


@pytest.fixture
def world(province):
    proc, variant = build_procedure(province)
    docs = list(variant.documents.order_by("order"))
    return {
        **province, "procedure": proc, "variant": variant, "docs": docs,
        "tn": staff("tn", province["centre"], Role.RECEPTION),
        "cv": staff("cv", province["dept"], Role.SPECIALIST),
        "ld": staff("ld", province["dept"], Role.LEADER),
        "tt": staff("tt", province["pc"], Role.INSPECTOR),
        "cv2": staff("cv2", province["other_dept"], Role.SPECIALIST),
    }


def doc_list(world, required_only=True):
    return [{"required_document_id": d.pk, "name": d.name, "copy_kind": "original"}
            for d in world["docs"] if d.required or not required_only]


APPLICANT = {"kind": "person", "name": "Trần Thị Bình", "personal_id": "001203012345", "phone": "0912345678",
             "address": "Số 1 Lý Thái Tổ"}


@pytest.fixture
def intake(world):
    def make(now=None, actor=None, **kw):
        kw.setdefault("procedure", world["procedure"].code)
        kw.setdefault("variant", world["variant"].pk)
        kw.setdefault("receiving_agency", world["centre"])
        kw.setdefault("applicant", APPLICANT)
        kw.setdefault("documents", doc_list(world))
        kw.setdefault("channel", Channel.IN_PERSON)
        dossier, _ = create_dossier(actor=actor or world["tn"], now=now or at(2026, 1, 5, 9), **kw)
        return dossier

    return make


def api_body(world, **kw) -> dict:
    """A valid JSON body for POST /api/v1/dossiers, with fields replaced."""
    return {"procedure": world["procedure"].code, "variant": world["variant"].pk,
            "receiving_agency": world["centre"].code, "applicant": APPLICANT, "documents": doc_list(world), **kw}


@pytest.fixture
def api_client(world):
    """An API client of the service centre (reception) and its bearer token."""
    client = ApiClient(name="Bưu điện tỉnh", roles=["reception"])
    token = client.set_token()
    client.save()
    client.agencies.add(world["centre"])
    return client, token
