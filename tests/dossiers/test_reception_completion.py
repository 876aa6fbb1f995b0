"""Form 02 at the desk for online dossiers in status 1 (request_completion) and the citizen's resubmission."""

import pytest
from django.test import Client

from motcua.audit.models import AuditRecord
from motcua.core.api_errors import DomainError
from motcua.dossiers.engine import perform
from motcua.dossiers.models import Channel, Dossier, DossierEvent, Status, SupplementRequest
from motcua.dossiers.reception import SystemActor
from tests.dossiers.conftest import at
from tests.factories import UserFactory

ITEMS = ["Bản vẽ thiết kế"]  # the catalogue name: the portal matches the upload to the checklist item by it


@pytest.fixture
def citizen(db):
    return UserFactory(username="dan")


@pytest.fixture
def online(world, intake, citizen):
    """An online submission awaiting the desk (status 1), without the drawing."""
    first = world["docs"][0]
    return intake(actor=citizen, channel=Channel.ONLINE, receive=False, now=at(2026, 1, 5, 9),
                  documents=[{"required_document_id": first.pk, "name": first.name}])


def codes(exc) -> str:
    return exc.value.code


def test_desk_requests_completion_dossier_stays_unreceived(world, online):
    d = perform(online, "request_completion", world["tn"], now=at(2026, 1, 5, 10), items=ITEMS,
                reason="Thiếu bản vẽ")
    assert d.status == Status.NEW and d.received_at is None and d.due_at is None
    assert d.supplement_count == 0 and d.paused_since is None  # not a processing supplement, no clock
    req = SupplementRequest.objects.get(dossier=d)
    assert req.items == ITEMS and req.reason == "Thiếu bản vẽ" and req.due_by > at(2026, 2, 3)  # 30 days default
    event = DossierEvent.objects.get(dossier=d, action="request_completion")
    assert event.from_status == event.to_status == Status.NEW and event.data["form"] == "02"
    assert AuditRecord.objects.filter(stream=f"dossier:{d.code}", action="request_completion").exists()


def test_citizen_resubmits_then_desk_receives(world, online, citizen):
    perform(online, "request_completion", world["tn"], now=at(2026, 1, 5, 10), items=ITEMS)
    drawing = world["docs"][1]
    d = perform(online, "resubmit", citizen, now=at(2026, 1, 6, 8),
                documents=[{"required_document_id": drawing.pk, "name": drawing.name}])
    assert d.status == Status.NEW
    assert SupplementRequest.objects.get(dossier=d).fulfilled_at == at(2026, 1, 6, 8)
    d = perform(d, "receive", world["tn"], now=at(2026, 1, 6, 9))
    assert d.status == Status.RECEIVED and d.received_at == at(2026, 1, 6, 9) and d.supplement_count == 0
    assert [e.action for e in d.events.order_by("seq")] == ["submit", "request_completion", "resubmit", "receive"]


@pytest.mark.parametrize("who", ["cv", "ld", "tt", "cv2"])
def test_only_reception_at_the_receiving_unit_may_request(world, online, who):
    with pytest.raises(DomainError) as exc:
        perform(online, "request_completion", world[who], items=ITEMS)
    assert codes(exc) in ("forbidden", "not_found")
    assert not SupplementRequest.objects.exists()


def test_forbidden_cases(world, online, intake, citizen):
    # citizen cannot issue Form 02, staff cannot resubmit for the citizen, nothing to resubmit yet
    for actor, action, params, code in [
        (citizen, "request_completion", {"items": ITEMS}, "forbidden"),
        (world["tn"], "resubmit", {}, "forbidden"),
        (citizen, "resubmit", {}, "transition_not_allowed"),
        (world["tn"], "request_completion", {}, "invalid"),
        (world["tn"], "request_completion", {"items": "một chuỗi"}, "invalid"),
        (world["tn"], "request_completion", {"items": ITEMS, "due_by": "2026-01-01T00:00:00+07:00"}, "invalid"),
    ]:
        with pytest.raises(DomainError) as exc:
            perform(online, action, actor, now=at(2026, 1, 5, 10), **params)
        assert codes(exc) == code, (action, params)
    perform(online, "request_completion", world["tn"], now=at(2026, 1, 5, 10), items=ITEMS)
    with pytest.raises(DomainError) as exc:  # one open request at a time: all items at once
        perform(online, "request_completion", world["tn"], items=ITEMS)
    assert codes(exc) == "transition_not_allowed"
    counter = intake()  # a counter dossier is already received: status 2
    with pytest.raises(DomainError) as exc:
        perform(counter, "request_completion", world["tn"], items=ITEMS)
    assert codes(exc) == "transition_not_allowed"
    pending = intake(channel=Channel.IN_PERSON, receive=False)  # status 1 but not online
    with pytest.raises(DomainError) as exc:
        perform(pending, "request_completion", world["tn"], items=ITEMS)
    assert codes(exc) == "transition_not_allowed" and "trực tuyến" in exc.value.message


def test_no_person_may_expire(world, online):
    perform(online, "request_completion", world["tn"], now=at(2026, 1, 5, 10), items=ITEMS)
    admin = UserFactory(username="root", is_superuser=True, kind="staff")
    for user in (world["tn"], admin):
        with pytest.raises(DomainError) as exc:
            perform(online, "expire_completion", user, now=at(2026, 6, 1))
        assert codes(exc) == "forbidden"
    with pytest.raises(DomainError) as exc:  # the system actor only after the deadline
        perform(online, "expire_completion", SystemActor("test"), now=at(2026, 1, 6))
    assert codes(exc) == "transition_not_allowed"


def test_api_action_and_portal_resubmission(world, online, citizen):
    staff = Client()
    staff.force_login(world["tn"])
    r = staff.post(f"/api/v1/dossiers/{online.code}/actions/request_completion",
                   {"items": ITEMS, "reason": "Thiếu bản vẽ"}, content_type="application/json")
    assert r.status_code == 200, r.content
    assert r.json()["status"] == 1
    portal = Client()
    portal.force_login(citizen)
    page = portal.get(f"/ho-so/{online.code}/")
    assert page.status_code == 200 and ITEMS[0] in page.content.decode()
    form = portal.get(f"/ho-so/{online.code}/bo-sung/")
    assert form.status_code == 200 and ITEMS[0] in form.content.decode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = SimpleUploadedFile("ban-ve.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    r = portal.post(f"/ho-so/{online.code}/bo-sung/", {"item_0": pdf})
    assert r.status_code == 302, r.content.decode()[:2000]
    d = Dossier.objects.get(pk=online.pk)
    assert d.status == Status.NEW and d.events.order_by("-seq").first().action == "resubmit"
    assert d.documents.filter(file__gt="").count() == 1
    # the desk can now receive it: the drawing is there
    assert perform(d, "receive", world["tn"]).status == Status.RECEIVED
