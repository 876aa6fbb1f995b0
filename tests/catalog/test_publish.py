"""Publishing validation: every rule, and every problem reported at once with Vietnamese messages naming the variant
and the step."""

from datetime import date, time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from motcua.catalog.models import (
    Field,
    Procedure,
    ProcedureVersion,
    ProcessStep,
    RequiredDocument,
    Variant,
    VersionStatus,
)
from motcua.catalog.services import publish, publishing_problems

pytestmark = pytest.mark.django_db

STEPS = [(1, "receive", "reception", "0.5", ["receive", "route"], False),
         (2, "appraise", "specialist", "2", ["forward", "return_step"], False),
         (3, "approve", "leader", "1", ["approve"], False),
         (4, "result", "reception", "0.5", ["result_ready", "deliver"], True)]


@pytest.fixture
def draft(db):
    field = Field.objects.create(code="HT", name="Hộ tịch")
    procedure = Procedure.objects.create(code="1.000894", name="Đăng ký kết hôn", field=field, level="commune")
    version = ProcedureVersion.objects.create(
        procedure=procedure, decision_number="1/QĐ", decision_date=date(2025, 7, 1), effective_from=date(2025, 7, 1),
        steps_text="Các bước", method_text="Trực tiếp", applicants_text="Công dân", implementing_agency_text="UBND xã")
    variant = Variant.objects.create(version=version, name="Thông thường", legal_limit=5, limit_unit="working_days")
    RequiredDocument.objects.create(variant=variant, name="Tờ khai", originals=1)
    for order, code, role, budget, actions, final in STEPS:
        ProcessStep.objects.create(variant=variant, order=order, code=code, name=code.title(), role=role,
                                   budget=Decimal(budget), actions=actions, is_final=final)
    return version


def errors_of(version) -> dict:
    with pytest.raises(ValidationError) as exc:
        publish(version)
    version.refresh_from_db()
    assert version.status == VersionStatus.DRAFT
    return exc.value.message_dict


def test_valid_draft_publishes(draft):
    assert publishing_problems(draft) == {}
    publish(draft)
    draft.refresh_from_db()
    assert draft.status == VersionStatus.PUBLISHED and draft.published_at is not None


def test_missing_components_all_reported_at_once(draft):
    ProcedureVersion.objects.filter(pk=draft.pk).update(steps_text="", method_text=" ", applicants_text="",
                                                        implementing_agency_text="")
    Procedure.objects.filter(pk=draft.procedure_id).update(name="")
    RequiredDocument.objects.filter(variant__version=draft).delete()
    draft.refresh_from_db()
    errors = errors_of(draft)
    assert {"name", "steps_text", "method_text", "applicants_text", "implementing_agency_text",
            "variants[0].documents"} <= errors.keys()
    assert "trình tự thực hiện" in errors["steps_text"][0]
    assert "Trường hợp 1 «Thông thường»" in errors["variants[0].documents"][0]


def test_version_without_variant(draft):
    Variant.objects.filter(version=draft).delete()
    assert "variants" in errors_of(draft)


def test_step_budgets_exceed_effective_limit(draft):
    Variant.objects.filter(version=draft).update(committed_limit=3)
    errors = errors_of(draft)
    assert "tổng thời gian các bước (4) vượt thời hạn giải quyết (3)" in errors["variants[0].steps"][0]


def test_budget_ignored_when_no_time_limit(draft):
    Variant.objects.filter(version=draft).update(legal_limit=0, limit_unit="none")
    assert publishing_problems(draft) == {}


def test_committed_limit_longer_than_legal(draft):
    Variant.objects.filter(version=draft).update(committed_limit=6)
    assert "dài hơn thời hạn theo quy định" in errors_of(draft)["variants[0].committed_limit"][0]


@pytest.mark.parametrize("unit, limit, allowed", [
    ("working_days", 5, True), ("calendar_days", 0, True), ("calendar_days", 5, False),
    ("working_hours", 8, False),
])
def test_same_day_cutoff(draft, unit, limit, allowed):
    Variant.objects.filter(version=draft).update(same_day_cutoff=time(15), limit_unit=unit, legal_limit=limit)
    ProcessStep.objects.filter(variant__version=draft).update(budget=0)
    assert ("variants[0].same_day_cutoff" not in publishing_problems(draft)) is allowed


def test_steps_not_contiguous_and_final_not_last(draft):
    ProcessStep.objects.filter(variant__version=draft, order=4).update(order=7)
    ProcessStep.objects.filter(variant__version=draft, order=3).update(is_final=True)
    errors = errors_of(draft)
    steps_messages = " ".join(errors["variants[0].steps"])
    assert "liên tục từ 1 đến 4" in steps_messages
    assert "đúng một bước cuối (hiện có 2)" in steps_messages


def test_final_step_must_be_last(draft):
    ProcessStep.objects.filter(variant__version=draft, order=4).update(is_final=False)
    ProcessStep.objects.filter(variant__version=draft, order=2).update(is_final=True)
    errors = errors_of(draft)
    assert "bước 2 «Appraise»: bước cuối phải là bước có thứ tự lớn nhất" in errors["variants[0].steps[1].is_final"][0]


def test_no_steps(draft):
    ProcessStep.objects.filter(variant__version=draft).delete()
    assert "chưa có bước xử lý nào" in errors_of(draft)["variants[0].steps"][0]


def test_unknown_role_and_action_name_the_step(draft):
    ProcessStep.objects.filter(variant__version=draft, order=2).update(role="director", actions=["fly", "forward"])
    errors = errors_of(draft)
    assert errors["variants[0].steps[1].role"] == [
        "Trường hợp 1 «Thông thường», bước 2 «Appraise»: vai trò «director» không hợp lệ (cho phép: "
        "agency_admin, inspector, leader, province_admin, reception, reform_office, specialist)."]
    assert "thao tác không xác định: fly" in errors["variants[0].steps[1].actions"][0]


def test_every_problem_of_every_variant_at_once(draft):
    second = Variant.objects.create(version=draft, order=2, name="Lưu động", legal_limit=2, limit_unit="working_days",
                                    committed_limit=3)
    ProcessStep.objects.create(variant=second, order=1, code="receive", name="Tiếp nhận", role="nobody", budget=5,
                               actions=["receive"], is_final=True)
    ProcedureVersion.objects.filter(pk=draft.pk).update(method_text="")
    draft.refresh_from_db()
    errors = errors_of(draft)
    assert set(errors) == {"method_text", "variants[1].committed_limit", "variants[1].documents",
                           "variants[1].steps[0].role", "variants[1].steps"}
    assert all("Trường hợp 2 «Lưu động»" in m for key, ms in errors.items() if key.startswith("variants[1]")
               for m in ms)
