"""Coordination queue: dossiers at a service centre without a clear competent agency, or sent back as "not
competent", listed for the centre's staff and routed from there without restarting the legal clock."""

import pytest
from django.urls import reverse

from motcua.core.api_errors import DomainError
from motcua.dossiers.engine import perform
from motcua.dossiers.models import ClockEvent, Dossier, Status
from tests.backoffice.conftest import login
from tests.factories import AgencyFactory, staff

QUEUE = reverse("backoffice:coordination")


@pytest.fixture
def open_procedure(world):
    """The procedure lists no competent agency: the desk cannot tell, the centre coordinates."""
    world["procedure"].competent_agencies.clear()
    return world


def listed(response, d: Dossier) -> bool:
    return f'href="{reverse("backoffice:dossier", args=[d.code])}"' in response.content.decode()


def clock(d: Dossier) -> tuple:
    d.refresh_from_db()
    return d.received_at, d.due_at, d.original_due_at, d.paused_since, d.step_due_at


def test_unclear_competence_lands_in_the_queue_and_is_routed_without_clock_restart(client, open_procedure, intake):
    world = open_procedure
    d = intake(days_ago=2)
    assert d.competent_agency == world["centre"]
    before = clock(d)
    page = login(client, world["tn"]).get(QUEUE)
    assert page.status_code == 200 and listed(page, d)
    assert "Chưa xác định cơ quan giải quyết" in page.content.decode()
    r = client.post(reverse("backoffice:action", args=[d.code, "route"]),
                    {"route-row_version": d.row_version, "route-agency_id": world["dept"].pk, "next": QUEUE})
    assert r.status_code == 302 and r["Location"] == QUEUE
    d.refresh_from_db()
    assert d.competent_agency == world["dept"] and d.status == Status.RECEIVED
    assert clock(d) == before and not ClockEvent.objects.filter(dossier=d).exists()
    assert not listed(client.get(QUEUE), d)


def test_not_competent_goes_back_to_the_centre_with_its_reason(client, open_procedure, intake):
    world = open_procedure
    d = intake(days_ago=1, competent_agency=world["dept"])
    perform(d, "hand_over", world["tn"])
    before = clock(d)
    d = perform(d, "decline_competence", world["cv"], reason="Thuộc thẩm quyền Sở Tư pháp")
    assert d.competent_agency == world["centre"] and d.assignee is None and d.status == Status.PROCESSING
    assert clock(d) == before
    event = d.events.order_by("-seq").first()
    assert event.action == "decline_competence" and event.data["from_agency"] == world["dept"].code
    page = login(client, world["tn"]).get(QUEUE)
    html = page.content.decode()
    assert listed(page, d) and "Thuộc thẩm quyền Sở Tư pháp" in html and world["dept"].code in html
    # routed on to the right department; the clock still runs from the first reception
    d = perform(d, "route", world["tn"], agency_id=world["other_dept"].pk)
    assert d.competent_agency == world["other_dept"] and clock(d) == before


def test_queue_is_scoped(client, open_procedure, intake):
    world = open_procedure
    d = intake()
    for user in (world["cv"], world["ld"], world["cv2"]):  # department staff do not coordinate the centre's queue
        assert not listed(login(client, user).get(QUEUE), d)
    other_centre = AgencyFactory(code="000.00.31.T99", name="Trung tâm khác", parent=world["pc"],
                                 kind="service_centre")
    stranger = staff("tn2", other_centre, "reception")
    assert not listed(login(client, stranger).get(QUEUE), d)
    leader_at_centre = staff("ldtt", world["centre"], "leader")
    assert listed(login(client, leader_at_centre).get(QUEUE), d)
    assert login(client, world["citizen"]).get(QUEUE).status_code == 403


def test_dossiers_with_a_clear_competent_agency_are_not_listed(client, world, intake):
    d = intake()  # the procedure lists the department
    assert d.competent_agency == world["dept"]
    assert not listed(login(client, world["tn"]).get(QUEUE), d)


def test_decline_forbidden_cases(open_procedure, intake):
    world = open_procedure
    d = intake(competent_agency=world["dept"])
    for user, code in [(world["tn"], "forbidden"), (world["cv2"], "not_found")]:
        with pytest.raises(DomainError) as exc:
            perform(d, "decline_competence", user, reason="x")
        assert exc.value.code == code
    with pytest.raises(DomainError) as exc:
        perform(d, "decline_competence", world["cv"])
    assert exc.value.code == "invalid" and "reason" in exc.value.fields
    unclear = intake()
    with pytest.raises(DomainError) as exc:  # already at the centre: nothing to send back
        perform(unclear, "decline_competence", world["tn"], reason="x")
    assert exc.value.code in ("forbidden", "transition_not_allowed")
    perform(d, "decline_competence", world["cv"], reason="Không thuộc thẩm quyền")
    with pytest.raises(DomainError) as exc:  # the department no longer sees it
        perform(d, "decline_competence", world["cv"], reason="lần nữa")
    assert exc.value.code == "not_found"


def test_route_refusal_from_the_queue_comes_back_with_a_message(client, open_procedure, intake):
    world = open_procedure
    d = intake()
    login(client, world["tn"])
    r = client.post(reverse("backoffice:action", args=[d.code, "route"]),
                    {"route-row_version": d.row_version, "route-agency_id": "", "next": QUEUE}, follow=True)
    assert r.status_code == 200 and r.redirect_chain[-1][0] == QUEUE
    assert "Chuyển cơ quan giải quyết: Vui lòng kiểm tra" in r.content.decode() and listed(r, d)
    d.refresh_from_db()
    assert d.competent_agency == world["centre"]
