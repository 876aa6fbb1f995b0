"""Online supplement: the applicant sees exactly the requested items, uploads them, and the clock resumes."""

import pytest

from motcua.dossiers.engine import perform
from motcua.dossiers.models import Dossier, Status
from tests.portal_citizen import flows
from tests.portal_citizen.files import pdf, upload
from tests.portal_citizen.test_submission import variant_of

pytestmark = pytest.mark.django_db
ITEMS = ["Giấy xác nhận tình trạng hôn nhân", "Bản sao giấy khai sinh"]


@pytest.fixture
def waiting(client, citizen, catalog, commune_staff):
    """A submitted dossier, received, moved to the specialist, who asks for two items."""
    client.force_login(citizen)
    code, _ = flows.submit(client, variant_of(catalog["marriage"]))
    perform(code, "receive", commune_staff["tn"])
    perform(code, "forward", commune_staff["tn"])
    perform(code, "request_supplement", commune_staff["cv"], items=ITEMS, reason="Giấy tờ đã hết hạn")
    return Dossier.objects.get(code=code)


def test_the_page_lists_exactly_the_missing_items(client, waiting):
    body = client.get(f"/ho-so/{waiting.code}/bo-sung/").content.decode()
    for item in ITEMS:
        assert item in body
    assert body.count('type="file"') == len(ITEMS)
    status = client.get(f"/ho-so/{waiting.code}/").content.decode()
    assert "Cần bổ sung giấy tờ" in status and "Giấy tờ đã hết hạn" in status


def test_every_item_needs_a_valid_file(client, waiting):
    response = client.post(f"/ho-so/{waiting.code}/bo-sung/", {
        "item_0": upload("a.pdf", b"not a pdf at all")})
    body = response.content.decode()
    assert response.status_code == 422
    assert "không phải PDF" in body and f"Chưa tải lên «{ITEMS[1]}»" in body
    assert Dossier.objects.get(pk=waiting.pk).status == Status.SUPPLEMENT


def test_upload_resumes_processing(client, waiting):
    before = waiting.documents.count()
    response = client.post(f"/ho-so/{waiting.code}/bo-sung/", {"item_0": pdf("x.pdf"), "item_1": pdf("y.pdf")})
    assert response.status_code == 302, response.content.decode()[:2000]
    dossier = Dossier.objects.get(pk=waiting.pk)
    assert dossier.status == Status.PROCESSING and dossier.paused_since is None
    new = list(dossier.documents.order_by("pk"))[before:]
    assert [d.name for d in new] == ITEMS
    assert all(d.file.name.startswith(f"dossiers/{dossier.code}/") and d.content_type == "application/pdf"
               for d in new)
    assert dossier.events.order_by("-seq").first().action == "receive_supplement"


def test_no_open_request_redirects_with_a_message(client, citizen, catalog):
    client.force_login(citizen)
    code, _ = flows.submit(client, variant_of(catalog["marriage"]))
    response = client.get(f"/ho-so/{code}/bo-sung/", follow=True)
    assert "không ở trạng thái chờ bổ sung" in response.content.decode()
