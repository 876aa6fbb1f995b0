"""Versions: creation from decisions, validity periods (overlap refused, predecessor closed), version in force,
immutability of published versions and of everything under them."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from motcua.catalog.models import (
    Fee,
    Procedure,
    ProcedureVersion,
    ProcessStep,
    PublishedVersionLocked,
    RequiredDocument,
    Variant,
    VersionStatus,
)
from motcua.catalog.services import create_version, publish, version_in_force

pytestmark = pytest.mark.django_db


def marriage():
    return Procedure.objects.get(code="1.000894")


def new_version(procedure, decision, start, end=None, copy=True):
    source = version_in_force(procedure, date(2026, 1, 1)) if copy else None
    return create_version(procedure, decision_number=decision, decision_date=start, effective_from=start,
                          effective_to=end, copy_from=source)


def test_version_in_force_on_dates(catalog):
    procedure = marriage()
    assert version_in_force(procedure, date(2023, 12, 31)) is None
    assert version_in_force(procedure, date(2024, 1, 1)).decision_number == "10/QĐ-UBND"
    assert version_in_force(procedure, date(2025, 6, 30)).decision_number == "10/QĐ-UBND"
    assert version_in_force(procedure, date(2025, 7, 1)).decision_number == "20/QĐ-UBND"
    assert version_in_force(procedure, date(2030, 1, 1)).decision_number == "20/QĐ-UBND"
    assert version_in_force(procedure).decision_number == "20/QĐ-UBND"  # today


def test_draft_is_never_in_force(catalog):
    building = Procedure.objects.get(code="1.009994")
    assert version_in_force(building, date(2027, 1, 1)).decision_number == "30/QĐ-UBND"


def test_publishing_successor_closes_open_ended_predecessor(catalog):
    procedure = marriage()
    draft = new_version(procedure, "50/QĐ-UBND", date(2027, 3, 1))
    assert draft.status == VersionStatus.DRAFT and draft.variants.count() == 2
    publish(draft)
    previous = ProcedureVersion.objects.get(decision_number="20/QĐ-UBND")
    assert previous.effective_to == date(2027, 2, 28)
    assert version_in_force(procedure, date(2027, 2, 28)) == previous
    assert version_in_force(procedure, date(2027, 3, 1)) == draft


@pytest.mark.parametrize("start, end", [
    (date(2025, 7, 1), None),                # same start as the open-ended version
    (date(2024, 6, 1), date(2024, 12, 31)),  # inside the closed 10/QĐ period
    (date(2023, 1, 1), None),                # open-ended before later versions
    (date(2023, 1, 1), date(2024, 1, 1)),    # ends on the first day of 10/QĐ
])
def test_overlapping_period_is_refused(catalog, start, end):
    procedure = marriage()
    draft = new_version(procedure, "60/QĐ-UBND", start, end)
    with pytest.raises(ValidationError) as exc:
        publish(draft)
    messages = exc.value.message_dict["effective_from"]
    assert any("trùng với phiên bản đã công bố" in m for m in messages)
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT
    # Nothing was closed by the refused publish.
    assert ProcedureVersion.objects.get(decision_number="20/QĐ-UBND").effective_to is None


def test_period_before_everything_is_accepted(catalog):
    draft = new_version(marriage(), "5/QĐ-UBND", date(2023, 1, 1), date(2023, 12, 31))
    publish(draft)
    assert version_in_force(marriage(), date(2023, 6, 1)) == draft


def test_publishing_twice_is_refused(catalog):
    published = ProcedureVersion.objects.get(decision_number="20/QĐ-UBND")
    with pytest.raises(ValidationError) as exc:
        publish(published)
    assert "đã được công bố" in exc.value.message_dict["status"][0]


def test_status_cannot_be_switched_without_publish(catalog):
    draft = ProcedureVersion.objects.get(decision_number="31/QĐ-UBND")
    draft.status = VersionStatus.PUBLISHED
    with pytest.raises(PublishedVersionLocked, match="Công bố"):
        draft.save()


def test_published_version_cannot_be_saved_or_deleted(catalog):
    published = ProcedureVersion.objects.get(decision_number="20/QĐ-UBND")
    published.legal_basis = "sửa"
    with pytest.raises(PublishedVersionLocked, match="không được sửa hoặc xoá"):
        published.save()
    with pytest.raises(PublishedVersionLocked):
        published.delete()
    with pytest.raises(PublishedVersionLocked):
        ProcedureVersion.objects.filter(pk=published.pk).delete()
    published.effective_to = date(2030, 1, 1)  # even the end date, outside publish()
    with pytest.raises(PublishedVersionLocked):
        published.save(update_fields=["effective_to"])
    assert ProcedureVersion.objects.filter(pk=published.pk, effective_to=None).exists()


@pytest.mark.parametrize("model", [Variant, Fee, RequiredDocument, ProcessStep])
def test_children_of_published_version_are_locked(catalog, model):
    lookup = "version" if model is Variant else "variant__version"
    row = model.objects.filter(**{f"{lookup}__decision_number": "20/QĐ-UBND"}).first()
    row.name = "Sửa tên"
    with pytest.raises(PublishedVersionLocked):
        row.save()
    with pytest.raises(PublishedVersionLocked):
        row.delete()
    with pytest.raises(PublishedVersionLocked):
        model.objects.filter(pk=row.pk).delete()
    assert model.objects.filter(pk=row.pk).exclude(name="Sửa tên").exists()


def test_no_child_can_be_added_to_published_version(catalog):
    variant = Variant.objects.filter(version__decision_number="20/QĐ-UBND").first()
    with pytest.raises(PublishedVersionLocked):
        Fee.objects.create(variant=variant, name="Phí mới", amount=1)
    with pytest.raises(PublishedVersionLocked):
        Variant.objects.create(version=variant.version, name="Trường hợp mới", order=9)


def test_child_cannot_be_moved_out_of_published_version(catalog):
    draft_variant = Variant.objects.get(version__decision_number="31/QĐ-UBND")
    fee = Fee.objects.filter(variant__version__decision_number="20/QĐ-UBND").first()
    fee.variant = draft_variant
    with pytest.raises(PublishedVersionLocked):
        fee.save()


def test_draft_children_stay_editable_and_deletable(catalog):
    draft = ProcedureVersion.objects.get(decision_number="31/QĐ-UBND")
    step = ProcessStep.objects.filter(variant__version=draft).first()
    step.name = "Tiếp nhận và kiểm tra"
    step.save()
    draft.delete()
    assert not ProcedureVersion.objects.filter(decision_number="31/QĐ-UBND").exists()
    assert not ProcessStep.objects.filter(pk=step.pk).exists()


def test_create_version_copies_the_source(catalog):
    procedure = marriage()
    draft = new_version(procedure, "70/QĐ-UBND", date(2027, 1, 1))
    source = ProcedureVersion.objects.get(decision_number="20/QĐ-UBND")
    assert draft.method_text == source.method_text
    assert ProcessStep.objects.filter(variant__version=draft).count() == 8
    assert Fee.objects.filter(variant__version=source).count() == 2  # source untouched


def test_duplicate_decision_refused(catalog):
    with pytest.raises(ValidationError):
        new_version(marriage(), "20/QĐ-UBND", date(2027, 1, 1))
