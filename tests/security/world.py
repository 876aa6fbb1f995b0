"""One small province with two scopes, built once per test module.

Agency X (Sở Xây dựng) and agency Y (Sở Tư pháp) under the province's People's Committee. Citizen A has dossier A
at X (with a scanned document, a paid receipt, a submission draft and a PAKN to X); citizen B has the same at Y.
Roles: anonymous, citizen A, citizen B, officer X (reception + specialist), officer Y, leader X, inspector X (the
read-only role of accounts.Role), administrator (superuser).

`secrets` names, per scope, the strings that must never appear in a page shown to a role outside that scope.
"""

import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.files.base import ContentFile

from motcua.accounts.models import AccountKind, Role
from tests.factories import UserFactory, build_small_province, staff

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
TEXTS = {k: "Nội dung." for k in ("steps_text", "method_text", "applicants_text", "implementing_agency_text",
                                   "result_text", "requirements_text", "legal_basis")}
ROLES = ("anonymous", "citizen_a", "citizen_b", "officer_x", "officer_y", "leader_x", "inspector_x", "admin")
# Which scopes each role may see (the other scope's secrets must never reach it).
SEES = {"anonymous": set(), "citizen_a": {"A"}, "citizen_b": {"B"}, "officer_x": {"A"}, "officer_y": {"B"},
        "leader_x": {"A"}, "inspector_x": {"A"}, "admin": {"A", "B"}}


@dataclass
class World:
    users: dict
    objects: dict  # names used by the declaration table to fill path parameters
    secrets: dict = field(default_factory=dict)  # scope → strings

    def foreign_secrets(self, role: str) -> list[str]:
        return [s for scope, values in self.secrets.items() if scope not in SEES[role] for s in values]


def variants_of(text: str) -> set[str]:
    """A string as it appears in HTML and in JSON (non-ASCII escaped)."""
    return {text, json.dumps(text)[1:-1]}


def _procedure(code: str, name: str, agency):
    from motcua.catalog.models import (
        Fee,
        Field,
        Procedure,
        ProcedureVersion,
        ProcessStep,
        RequiredDocument,
        Variant,
    )
    from motcua.catalog.services import publish

    fld, _ = Field.objects.get_or_create(code="XD", defaults={"name": "Xây dựng"})
    proc = Procedure.objects.create(code=code, name=name, field=fld, level="province")
    proc.competent_agencies.add(agency)
    version = ProcedureVersion.objects.create(procedure=proc, decision_number=f"QĐ-{code}",
                                              decision_date=date(2024, 12, 1), effective_from=date(2025, 1, 1),
                                              **TEXTS)
    variant = Variant.objects.create(version=version, name="Trường hợp chung", legal_limit=Decimal("10"),
                                     limit_unit="working_days", online_level="full")
    RequiredDocument.objects.create(variant=variant, order=1, name="Đơn đề nghị", originals=1)
    Fee.objects.create(variant=variant, name="Lệ phí", amount=10_000, online_amount=8_000)
    ProcessStep.objects.create(variant=variant, order=1, code="xu-ly", name="Xử lý", role=Role.SPECIALIST,
                               budget=Decimal("8"), actions=["forward", "request_supplement", "request_payment",
                                                             "result_ready"])
    ProcessStep.objects.create(variant=variant, order=2, code="phe-duyet", name="Phê duyệt", role=Role.LEADER,
                               budget=Decimal("2"), actions=["approve", "return_step", "result_ready"],
                               is_final=True)
    publish(version)
    return proc, variant


def _dossier(actor, proc, variant, agency, citizen, pid: str):
    from motcua.dossiers.models import Channel, DossierDocument
    from motcua.dossiers.services import create_dossier

    applicant = {"kind": "person", "name": citizen.full_name, "personal_id": pid, "phone": citizen.phone,
                 "address": "Số 1 Lý Thái Tổ"}
    docs = [{"required_document_id": variant.documents.get(order=1).pk, "name": "Đơn đề nghị",
             "copy_kind": "original"}]
    dossier, _ = create_dossier(actor=actor, procedure=proc.code, variant=variant.pk, receiving_agency=agency,
                                applicant=applicant, documents=docs, channel=Channel.IN_PERSON,
                                applicant_user=citizen)
    document = DossierDocument.objects.filter(dossier=dossier).first()
    document.file.save("scan.pdf", ContentFile(PDF), save=False)
    document.content_type = "application/pdf"
    document.save()
    return dossier, document


def _payment(dossier, receipt: str):
    from django.utils import timezone

    from motcua.payments.models import Payment, PaymentStatus

    return Payment.objects.create(dossier=dossier, amount=8_000, gateway="sandbox", status=PaymentStatus.PAID,
                                  receipt_number=receipt, payer_name=dossier.applicant_name,
                                  items=[{"name": "Lệ phí", "amount": 8_000}], paid_at=timezone.now())


def _draft(citizen, proc, variant):
    from datetime import timedelta

    from django.utils import timezone

    from motcua.portal.models import SubmissionDraft

    return SubmissionDraft.objects.create(user=citizen, procedure=proc, variant=variant,
                                          expires_at=timezone.now() + timedelta(days=30))


def _feedback(citizen, agency, title: str):
    from motcua.feedback.services import submit

    fb, _ = submit({"title": title, "content": "Nội dung phản ánh đủ dài để hợp lệ.", "agency": agency.code,
                    "sender_name": citizen.full_name, "sender_address": "Số 1 Lý Thái Tổ",
                    "sender_phone": citizen.phone}, actor=citizen)
    return fb


def _published_feedback(agency):
    from django.utils import timezone

    from motcua.feedback.models import Feedback, Status
    from motcua.feedback.services import submit

    fb, _ = submit({"title": "Đèn đường hỏng", "content": "Đèn đường trước cổng chợ bị hỏng nhiều ngày.",
                    "agency": agency.code, "sender_name": "Người dân", "sender_address": "Chợ",
                    "sender_phone": "0900000000"})
    Feedback.objects.filter(pk=fb.pk).update(status=Status.PUBLISHED, published_at=timezone.now(),
                                              answer="Đã sửa.")  # its workflow is tested in tests/feedback
    return fb


def build_world() -> World:
    from motcua.portal.models import SubmissionDraft  # noqa: F401 - app loaded

    p = build_small_province()
    x, y = p["dept"], p["other_dept"]
    citizen_a = UserFactory(username="0911000001", kind=AccountKind.CITIZEN, full_name="Nguyễn Thị Ánh Dương",
                            personal_id="001303012345", phone="0911000001", birth_date=date(2003, 3, 1))
    citizen_b = UserFactory(username="0922000002", kind=AccountKind.CITIZEN, full_name="Lê Văn Cường Thịnh",
                            personal_id="027095000111", phone="0922000002", birth_date=date(1995, 5, 5))
    users = {
        "anonymous": None, "citizen_a": citizen_a, "citizen_b": citizen_b,
        "officer_x": staff("officer-x", x, Role.RECEPTION, Role.SPECIALIST),
        "officer_y": staff("officer-y", y, Role.RECEPTION, Role.SPECIALIST),
        "leader_x": staff("leader-x", x, Role.LEADER),
        "inspector_x": staff("inspector-x", x, Role.INSPECTOR),
        "admin": UserFactory(username="quantri", kind=AccountKind.STAFF, is_superuser=True, is_staff=True),
    }
    proc_x, var_x = _procedure("1.000101", "Cấp giấy phép xây dựng", x)
    proc_y, var_y = _procedure("1.000202", "Chứng thực bản sao", y)
    dossier_a, doc_a = _dossier(users["officer_x"], proc_x, var_x, x, citizen_a, "001303012345")
    dossier_b, doc_b = _dossier(users["officer_y"], proc_y, var_y, y, citizen_b, "027095000111")
    pay_a, pay_b = _payment(dossier_a, "BL-A-000001"), _payment(dossier_b, "BL-B-000002")
    draft_a, draft_b = _draft(citizen_a, proc_x, var_x), _draft(citizen_b, proc_y, var_y)
    fb_a = _feedback(citizen_a, x, "Phản ánh riêng của công dân A")
    fb_b = _feedback(citizen_b, y, "Phản ánh riêng của công dân B")
    published = _published_feedback(x)
    objects = {
        "agency_x": x.code, "agency_y": y.code, "procedure_x": proc_x.code, "field": "XD",
        "dossier_a": dossier_a.code, "dossier_b": dossier_b.code, "document_a": doc_a.pk, "document_b": doc_b.pk,
        "payment_a": pay_a.reference, "draft_a": str(draft_a.pk), "draft_b": str(draft_b.pk),
        "feedback_a": fb_a.code, "feedback_b": fb_b.code, "published_feedback": published.code,
        "user_a": citizen_a.pk, "pk_dossier_a": dossier_a.pk,
    }
    secrets = {
        "A": [dossier_a.code, citizen_a.full_name, "001303012345", pay_a.reference, str(draft_a.pk), fb_a.code,
              fb_a.title],
        "B": [dossier_b.code, citizen_b.full_name, "027095000111", pay_b.reference, str(draft_b.pk), fb_b.code,
              fb_b.title],
    }
    return World(users=users, objects=objects, secrets=secrets)
