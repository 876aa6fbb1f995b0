import pytest
from django.db import transaction
from django.test import RequestFactory

from motcua.accounts.models import Membership, Role
from motcua.agencies.models import Agency
from motcua.audit.context import acting_as
from motcua.audit.middleware import AuditActorMiddleware
from motcua.audit.models import AuditRecord
from motcua.audit.services import record, track_model, untrack_model
from motcua.audit.tracking import REDACTED
from motcua.audit.verify import verify
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db


def records(stream):
    return list(AuditRecord.objects.filter(stream=stream).order_by("seq"))


def test_agency_create_update_delete_with_actor():
    officer = UserFactory(username="canbo1")
    with acting_as(officer):
        agency = AgencyFactory(code="000.00.77.T99", name="Sở A")
        agency.name = "Sở B"
        agency.save()
        agency.save()  # nothing changed: no record
        pk = agency.pk
        agency.delete()
    created, updated, deleted = [r for r in records("agencies") if r.target_id == str(pk)]
    assert (created.action, created.old, created.new["name"], created.new["code"]) == (
        "create", None, "Sở A", "000.00.77.T99")
    assert (updated.action, updated.old, updated.new) == ("update", {"name": "Sở A"}, {"name": "Sở B"})
    assert (deleted.action, deleted.old["name"], deleted.new) == ("delete", "Sở B", None)
    assert {r.actor_id for r in (created, updated, deleted)} == {officer.pk}
    assert {r.actor_label for r in (created, updated, deleted)} == {"canbo1"}
    assert created.target_type == "agencies.agency" and verify().ok


def test_without_context_the_actor_is_system_and_labels_work():
    AgencyFactory(code="000.00.78.T99")
    with acting_as("api:cong-dvc-quoc-gia"):
        AgencyFactory(code="000.00.79.T99")
    first, second = records("agencies")[-2:]
    assert (first.actor_id, first.actor_label) == (None, "system")
    assert (second.actor_id, second.actor_label) == (None, "api:cong-dvc-quoc-gia")


def test_user_password_is_redacted_and_last_login_not_audited(django_assert_num_queries):
    user = UserFactory(username="congdan1")
    user.set_password("mat-khau-moi-456")
    user.save()
    update = records("accounts")[-1]
    assert update.old == {"password": REDACTED} and update.new == {"password": REDACTED}
    before = AuditRecord.objects.count()
    from django.contrib.auth.models import update_last_login

    with django_assert_num_queries(1):  # the UPDATE itself: no snapshot read, no audit write
        update_last_login(None, user)
    assert AuditRecord.objects.count() == before


def test_membership_changes_go_to_the_accounts_stream():
    user, agency = UserFactory(), AgencyFactory()
    with acting_as("command:seed"):
        Membership.objects.create(user=user, agency=agency, role=Role.RECEPTION)
    last = records("accounts")[-1]
    assert last.target_type == "accounts.membership" and last.new["role"] == "reception"
    assert last.new["agency"] == agency.pk


def test_track_model_with_callable_stream_and_field_list():
    def per_code(agency):
        return f"agency:{agency.code}"

    track_model(Agency, per_code, fields=["name", "phone"], target_type="agency")
    try:
        agency = AgencyFactory(code="000.00.80.T99", name="Sở C")
        agency.address = "Số 1"  # untracked by this registration
        agency.save()
        agency.phone = "0222"
        agency.save(update_fields=["phone"])
    finally:
        untrack_model(Agency, per_code)
    own = records("agency:000.00.80.T99")
    assert [(r.action, r.old, r.new) for r in own] == [
        ("create", None, {"name": "Sở C", "phone": ""}), ("update", {"phone": ""}, {"phone": "0222"})]
    assert own[0].target_type == "agency"
    assert len(records("agencies")) == 3  # the default registration still audits every field


def test_failed_write_leaves_no_record():
    with pytest.raises(RuntimeError), transaction.atomic():
        AgencyFactory(code="000.00.81.T99")
        raise RuntimeError
    assert not AuditRecord.objects.filter(target_type="agencies.agency").exists()


def test_middleware_attributes_records_to_the_request_user():
    officer = UserFactory(username="canbo2")
    seen = []

    def view(request):
        with transaction.atomic():
            seen.append(record("catalog", "publish", target_type="t", target_id="1"))
        return "response"

    request = RequestFactory().get("/")
    request.user = officer
    assert AuditActorMiddleware(view)(request) == "response"
    request.audit_actor = "api:client-x"
    AuditActorMiddleware(view)(request)
    assert [(r.actor_id, r.actor_label) for r in seen] == [(officer.pk, "canbo2"), (None, "api:client-x")]
    with transaction.atomic():
        after = record("catalog", "publish", target_type="t", target_id="2")
    assert after.actor_label == "system"  # the request's actor does not leak past the response
