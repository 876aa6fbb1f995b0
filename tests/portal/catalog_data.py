"""A small published catalogue for the portal tests (Django client and browser), built through the catalogue's
own services so every version passes the publishing rules like real data does."""

from datetime import date

from motcua.accounts.models import Role
from motcua.catalog import services
from motcua.catalog.models import (
    ApplicantType,
    Fee,
    Field,
    OnlineLevel,
    Procedure,
    ProcedureLevel,
    ProcessStep,
    RequiredDocument,
    TimeUnit,
    Variant,
)
from tests.factories import build_small_province

EFFECTIVE = date(2025, 7, 1)


def _steps(variant: Variant, budget) -> None:
    ProcessStep.objects.create(variant=variant, order=1, code="tiep-nhan", name="Tiếp nhận hồ sơ",
                               role=Role.RECEPTION, budget=0, actions=["receive", "refuse", "forward"])
    ProcessStep.objects.create(variant=variant, order=2, code="xu-ly", name="Thẩm định, trình ký",
                               role=Role.SPECIALIST, budget=budget, actions=["approve", "request_supplement"],
                               is_final=True)


def _procedure(code, name, field, level, agencies, *, life_events="", applicant=ApplicantType.CITIZEN,
               online=OnlineLevel.NONE, limit=5, unit=TimeUnit.WORKING_DAYS, fees=(), documents=(),
               publish=True, effective_from=EFFECTIVE, decision="QĐ-01/2025") -> Procedure:
    procedure = Procedure.objects.create(code=code, name=name, field=field, level=level, applicant_type=applicant,
                                         life_events=life_events)
    procedure.competent_agencies.set(agencies)
    version = services.create_version(
        procedure, decision_number=decision, decision_date=date(2025, 6, 20), effective_from=effective_from,
        steps_text=f"Bước 1: Nộp hồ sơ {name.lower()}. Bước 2: Nhận kết quả.",
        method_text="Nộp trực tiếp tại Bộ phận Một cửa hoặc qua dịch vụ bưu chính.",
        applicants_text="Công dân Việt Nam cư trú tại tỉnh.",
        implementing_agency_text=", ".join(a.name for a in agencies),
        result_text=f"Kết quả: {name}.",
        requirements_text="Không.",
        legal_basis="Luật Hộ tịch số 60/2014/QH13.",
    )
    variant = Variant.objects.create(version=version, order=1, name="Trường hợp chung", legal_limit=limit,
                                     limit_unit=unit, online_level=online, result_name=f"Giấy xác nhận {code}")
    for index, (doc_name, originals, copies, template_name) in enumerate(documents or
                                                                         [("Tờ khai", 1, 0, "")], start=1):
        RequiredDocument.objects.create(variant=variant, order=index, name=doc_name, originals=originals,
                                        copies=copies, template_name=template_name)
    for fee_name, amount in fees:
        Fee.objects.create(variant=variant, name=fee_name, amount=amount)
    _steps(variant, min(limit, 1))
    if publish:
        services.publish(version)
    return procedure


def build_catalog() -> dict:
    """Four procedures in force, one only drafted, one whose version starts in the future."""
    agencies = build_small_province()
    civil = Field.objects.create(code="HT", name="Hộ tịch")
    building = Field.objects.create(code="XD", name="Hoạt động xây dựng")
    records = Field.objects.create(code="LLTP", name="Lý lịch tư pháp")
    commune, dept, justice = agencies["commune"], agencies["dept"], agencies["other_dept"]
    data = {"agencies": agencies, "fields": {"civil": civil, "building": building, "records": records}}
    data["marriage"] = _procedure(
        "1.000894", "Đăng ký kết hôn", civil, ProcedureLevel.COMMUNE, [commune], life_events="Kết hôn",
        online=OnlineLevel.FULL, limit=1,
        documents=[("Tờ khai đăng ký kết hôn", 1, 0, "Mẫu tờ khai đăng ký kết hôn"),
                   ("Giấy xác nhận tình trạng hôn nhân", 1, 2, "")])
    data["foreign_marriage"] = _procedure(
        "2.000806", "Đăng ký kết hôn có yếu tố nước ngoài", civil, ProcedureLevel.COMMUNE, [commune],
        life_events="Kết hôn", online=OnlineLevel.PARTIAL, limit=10,
        fees=[("Lệ phí đăng ký kết hôn", 1_644_000)])
    data["birth"] = _procedure(
        "1.001193", "Đăng ký khai sinh", civil, ProcedureLevel.COMMUNE, [commune],
        life_events="Sinh con, Khai sinh", online=OnlineLevel.FULL, limit=0)
    data["permit"] = _procedure(
        "1.009994", "Cấp giấy phép xây dựng nhà ở riêng lẻ", building, ProcedureLevel.PROVINCE, [dept],
        applicant=ApplicantType.BOTH, limit=15, fees=[("Lệ phí cấp giấy phép xây dựng", 75_000)],
        life_events="Xây nhà")
    data["draft_only"] = _procedure(
        "2.001417", "Cấp phiếu lý lịch tư pháp cho công dân", records, ProcedureLevel.PROVINCE, [justice],
        publish=False)
    data["future"] = _procedure(
        "1.004000", "Đăng ký kết hôn lưu động", civil, ProcedureLevel.COMMUNE, [commune],
        effective_from=date(2099, 1, 1))
    return data
