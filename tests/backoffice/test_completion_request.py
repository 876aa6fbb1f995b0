"""Form 02 from the dossier page for an online dossier in status 1 (request_completion)."""

from django.urls import reverse

from motcua.dossiers.models import Channel, Status, SupplementRequest
from tests.backoffice.conftest import login


def online(world, intake):
    first = world["docs"][0]
    return intake(actor=world["citizen"], channel=Channel.ONLINE, receive=False,
                  documents=[{"required_document_id": first.pk, "name": first.name}])


def test_desk_sees_form02_prefilled_with_missing_items_and_sends_it(client, world, intake):
    d = online(world, intake)
    page = login(client, world["tn"]).get(reverse("backoffice:dossier", args=[d.code]))
    html = page.content.decode()
    assert 'id="action-request_completion"' in html and "Mẫu 02" in html
    assert "Bản vẽ thiết kế</textarea>" in html  # the one required item the citizen did not send
    r = client.post(reverse("backoffice:action", args=[d.code, "request_completion"]), {
        "request_completion-row_version": d.row_version, "request_completion-items": "Bản vẽ thiết kế\n",
        "request_completion-reason": "Bản vẽ chưa có chữ ký", "request_completion-due_by": "20/12/2099"})
    assert r.status_code == 302, r.content.decode()[:3000]
    req = SupplementRequest.objects.get(dossier=d)
    assert req.items == ["Bản vẽ thiết kế"] and req.due_by.year == 2099
    d.refresh_from_db()
    assert d.status == Status.NEW
    html = client.get(reverse("backoffice:dossier", args=[d.code])).content.decode()
    assert 'id="action-request_completion"' not in html  # one open request at a time: not offered again


def test_not_offered_to_other_staff_or_for_counter_dossiers(client, world, intake):
    d = online(world, intake)
    html = login(client, world["cv"]).get(reverse("backoffice:dossier", args=[d.code])).content.decode()
    assert 'id="action-request_completion"' not in html
    counter = intake(receive=False)
    html = login(client, world["tn"]).get(reverse("backoffice:dossier", args=[counter.code])).content.decode()
    assert 'id="action-request_completion"' not in html  # counter dossiers are guided at the counter
    r = client.post(reverse("backoffice:action", args=[counter.code, "request_completion"]), {
        "request_completion-row_version": counter.row_version, "request_completion-items": "Bản vẽ thiết kế"})
    assert r.status_code == 409 and "trực tuyến" in r.content.decode()
    assert not SupplementRequest.objects.exists()
