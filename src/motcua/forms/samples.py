"""Sample dossiers in every state a form is printed for, built through the dossier engine (never by writing states
directly). Used by `make forms-preview` (in a throw-away database) and by tests/forms.

Province "Bắc Ninh" (demo codes), one building-permit procedure with three steps across three units, so the tracking
sheet has real hand-overs between units:
1. tiep-nhan — Trung tâm Phục vụ hành chính công (reception, 0,5 day)
2. tham-dinh — Phòng Quản lý hoạt động xây dựng (specialist, 10 days)
3. phe-duyet — Sở Xây dựng (leader, 2 days, final)
"""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
APPLICANT = {"kind": "person", "name": "Nguyễn Thị Hương", "personal_id": "027190001234", "phone": "0912 345 678",
             "email": "huong.nguyen@example.vn", "address": "Số 12 đường Lý Thái Tổ, phường Kinh Bắc, tỉnh Bắc Ninh"}
TEXTS = {"steps_text": "Nộp hồ sơ tại Trung tâm Phục vụ hành chính công.", "method_text": "Trực tiếp, trực tuyến.",
         "applicants_text": "Cá nhân, tổ chức.", "implementing_agency_text": "Sở Xây dựng.",
         "result_text": "Giấy phép xây dựng.", "requirements_text": "Không.", "legal_basis": "Luật Xây dựng 2014."}


def at(y, m, d, hh=9, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=TZ)


def agencies() -> dict:
    from motcua.agencies.models import Agency, AgencyKind, AgencyLevel

    def unit(code, name, parent=None, kind=AgencyKind.DEPARTMENT, **extra):
        obj, _ = Agency.objects.get_or_create(code=code, defaults={
            "name": name, "parent": parent, "level": AgencyLevel.PROVINCE, "kind": kind, **extra})
        return obj

    pc = unit("000.00.00.H27", "UBND tỉnh Bắc Ninh", kind=AgencyKind.PEOPLES_COMMITTEE)
    centre = unit("000.00.30.H27", "Trung tâm Phục vụ hành chính công tỉnh Bắc Ninh", pc, AgencyKind.SERVICE_CENTRE,
                  phone="0222 3 822 000", address="Số 11 đường Lý Thái Tổ, phường Kinh Bắc")
    dept = unit("000.00.12.H27", "Sở Xây dựng", pc, phone="0222 3 824 111")
    division = unit("000.01.12.H27", "Phòng Quản lý hoạt động xây dựng", dept, AgencyKind.DIVISION)
    return {"pc": pc, "centre": centre, "dept": dept, "division": division}


def procedure(units: dict):
    from motcua.accounts.models import Role
    from motcua.catalog.models import (
        Field,
        Procedure,
        ProcedureVersion,
        ProcessStep,
        RequiredDocument,
        Variant,
    )
    from motcua.catalog.services import publish

    existing = Procedure.objects.filter(code="9.000994").first()
    if existing is not None:
        return existing, existing.versions.get().variants.get()
    field, _ = Field.objects.get_or_create(code="XDG", defaults={"name": "Hoạt động xây dựng"})
    proc = Procedure.objects.create(code="9.000994", name="Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ",
                                    field=field, level="province")
    proc.competent_agencies.add(units["dept"])
    version = ProcedureVersion.objects.create(procedure=proc, decision_number="QĐ-mẫu", decision_date=date(2024, 12, 1),
                                              effective_from=date(2025, 1, 1), **TEXTS)
    variant = Variant.objects.create(version=version, name="Nhà ở riêng lẻ tại đô thị", legal_limit=Decimal("15"),
                                     limit_unit="working_days", supplement_policy="resume")
    for order, (name, kind) in enumerate([("Đơn đề nghị cấp giấy phép xây dựng", "originals"),
                                          ("Bản sao giấy tờ chứng minh quyền sử dụng đất", "certified_copies"),
                                          ("Bản vẽ thiết kế xây dựng", "copies")], start=1):
        RequiredDocument.objects.create(variant=variant, order=order, name=name, **{kind: 1})
    steps = [("tiep-nhan", "Tiếp nhận hồ sơ", Role.RECEPTION, units["centre"], "0.5",
              ["forward", "hand_over", "request_supplement"]),
             ("tham-dinh", "Thẩm định hồ sơ", Role.SPECIALIST, units["division"], "10",
              ["forward", "hand_over", "request_supplement", "request_payment", "return_step", "result_ready",
               "extend"]),
             ("phe-duyet", "Phê duyệt, ký giấy phép", Role.LEADER, units["dept"], "2",
              ["approve", "return_step", "result_ready", "extend"])]
    for order, (code, name, role, agency, budget, actions) in enumerate(steps, start=1):
        ProcessStep.objects.create(variant=variant, order=order, code=code, name=name, role=role, agency=agency,
                                   budget=Decimal(budget), actions=actions, is_final=order == len(steps))
    publish(version)
    return proc, variant


def officers(units: dict) -> dict:
    from motcua.accounts.models import AccountKind, Membership, Role, User

    def person(username, full_name, agency, role, phone=""):
        user, created = User.objects.get_or_create(username=username, defaults={
            "kind": AccountKind.STAFF, "full_name": full_name, "phone": phone})
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        Membership.objects.get_or_create(user=user, agency=agency, role=role)
        return user

    return {"tn": person("mau.tiepnhan", "Lê Thu Trang", units["centre"], Role.RECEPTION, "0222 3 822 001"),
            "cv": person("mau.chuyenvien", "Phạm Minh Đức", units["division"], Role.SPECIALIST, "0222 3 824 115"),
            "ld": person("mau.lanhdao", "Trần Quốc Hùng", units["dept"], Role.LEADER)}


def build_world() -> dict:
    units = agencies()
    proc, variant = procedure(units)
    return {**units, **officers(units), "procedure": proc, "variant": variant}


def intake(world, now: datetime, receive: bool = True, applicant: dict | None = None, **kw):
    from motcua.dossiers.models import Channel
    from motcua.dossiers.services import create_dossier

    docs = [{"required_document_id": d.pk, "name": d.name, "digitised": True,
             "copy_kind": "original" if d.originals else ("certified_copy" if d.certified_copies else "copy")}
            for d in world["variant"].documents.order_by("order")]
    dossier, _ = create_dossier(actor=world["tn"], procedure=world["procedure"].code, variant=world["variant"].pk,
                                receiving_agency=world["centre"], competent_agency=world["division"], applicant=applicant or APPLICANT, documents=docs,
                                receive=receive, now=now,
                                channel=Channel.IN_PERSON if receive else Channel.ONLINE, **kw)
    return dossier


def build_dossiers(world: dict) -> dict:
    """One dossier per printable situation; keys name the state."""
    from motcua.dossiers.engine import perform

    tn, cv, ld = world["tn"], world["cv"], world["ld"]
    out = {}
    out["received"] = intake(world, at(2026, 2, 13, 9, 30))

    d = intake(world, at(2026, 2, 13, 10))
    perform(d, "hand_over", tn, now=at(2026, 2, 13, 14))
    perform(d, "request_supplement", cv, now=at(2026, 2, 24, 9), reason="Hồ sơ chưa đủ điều kiện thẩm định",
            items=[{"name": "Bản vẽ mặt bằng móng có chữ ký của chủ đầu tư", "reason": "Bản vẽ chưa có chữ ký",
                    "guidance": "Ký, ghi rõ họ tên trên từng trang"},
                   {"name": "Bản sao chứng thực Giấy chứng nhận quyền sử dụng đất", "reason": "Bản nộp là bản photo"},
                   "Văn bản cam kết bảo đảm an toàn cho công trình liền kề"])
    out["supplement"] = d

    d = intake(world, at(2026, 2, 13, 10, 15), receive=False)
    perform(d, "refuse", tn, now=at(2026, 2, 13, 15),
            reason="Thửa đất thuộc khu vực đã có quyết định thu hồi đất\nCông trình không thuộc thẩm quyền cấp phép "
                   "của Sở Xây dựng")
    out["refused"] = d

    d = intake(world, at(2026, 2, 13, 10, 30))
    perform(d, "hand_over", tn, now=at(2026, 2, 13, 15))
    d.refresh_from_db()
    perform(d, "extend", cv, now=at(2026, 3, 2, 9), reason="Cần lấy ý kiến của cơ quan phòng cháy chữa cháy",
            new_due=d.due_at + timedelta(days=7))
    d.refresh_from_db()
    perform(d, "extend", cv, now=at(2026, 3, 16, 9), reason="Chờ kết quả kiểm tra hiện trạng công trình liền kề",
            new_due=d.due_at + timedelta(days=7))
    out["extended"] = d

    d = intake(world, at(2026, 2, 13, 11))
    perform(d, "hand_over", tn, now=at(2026, 2, 13, 16))
    perform(d, "stop", ld, now=at(2026, 2, 25, 10),
            reason="Người đề nghị có văn bản xin dừng để điều chỉnh thiết kế\nHồ sơ thiết kế không còn phù hợp quy hoạch")
    out["stopped"] = d

    d = intake(world, at(2026, 2, 13, 8, 15))
    perform(d, "hand_over", tn, now=at(2026, 2, 13, 11, 30), reason="Chuyển phòng chuyên môn thẩm định")
    perform(d, "hand_over", cv, now=at(2026, 3, 6, 16, 30), reason="Trình lãnh đạo Sở ký")
    perform(d, "result_ready", ld, now=at(2026, 3, 10, 10), result_code="GPXD-2026-015",
            result_file="/ket-qua/GPXD-2026-015.pdf")
    perform(d, "deliver", tn, method="counter", now=at(2026, 3, 11, 9))
    out["delivered"] = d

    d = intake(world, at(2025, 3, 10, 9, 45), applicant={**APPLICANT, "name": "Hoàng Văn Nam"})
    perform(d, "hand_over", tn, now=at(2025, 3, 10, 15))
    perform(d, "extend", cv, now=at(2025, 3, 25, 9), reason="Chờ ý kiến của Sở Nông nghiệp và Môi trường",
            new_due=d.__class__.objects.get(pk=d.pk).due_at + timedelta(days=6))
    out["old"] = d

    d = intake(world, at(2025, 3, 11, 8, 30), applicant={**APPLICANT, "name": "Hoàng Văn Nam"})
    perform(d, "hand_over", tn, now=at(2025, 3, 11, 14))
    perform(d, "request_supplement", cv, now=at(2025, 3, 14, 10), reason="Bản vẽ chưa đúng quy chuẩn",
            items=["Bản vẽ mặt cắt công trình tỷ lệ 1/100"])
    out["old_supplement"] = d

    d = intake(world, at(2025, 3, 12, 9), receive=False, applicant={**APPLICANT, "name": "Hoàng Văn Nam"})
    perform(d, "refuse", tn, now=at(2025, 3, 12, 10), reason="Thửa đất đang có tranh chấp")
    out["old_refused"] = d
    for dossier in out.values():
        dossier.refresh_from_db()
    return out
