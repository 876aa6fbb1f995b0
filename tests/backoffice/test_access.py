import pytest
from django.urls import reverse

from tests.backoffice.conftest import login

PAGES = ["backoffice:home", "backoffice:desk", "backoffice:inbox", "backoffice:approvals"]


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_is_sent_to_login(client, world, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/backoffice/")


@pytest.mark.parametrize("name", PAGES)
def test_citizen_gets_403_everywhere(client, world, name):
    login(client, world["citizen"])
    assert client.get(reverse(name)).status_code == 403


def test_citizen_gets_403_on_dossier_pages_and_actions(client, world, intake):
    d = intake()
    login(client, world["citizen"])
    assert client.get(reverse("backoffice:dossier", args=[d.code])).status_code == 403
    url = reverse("backoffice:action", args=[d.code, "hand_over"])
    assert client.post(url, {"hand_over-row_version": d.row_version}).status_code == 403
    assert d.events.count() == 1


def test_dossier_of_another_agency_is_404(client, world, intake):
    d = intake()
    login(client, world["cv2"])  # specialist of another department: neither receiving nor competent
    assert client.get(reverse("backoffice:dossier", args=[d.code])).status_code == 404
    response = client.post(reverse("backoffice:action", args=[d.code, "refuse"]),
                           {"refuse-row_version": d.row_version, "refuse-reason": "x"})
    assert response.status_code == 404
    assert d.events.count() == 1


def test_staff_see_their_dossier_and_dashboard(client, world, intake):
    d = intake()
    for user in (world["tn"], world["cv"], world["ld"]):
        login(client, user)
        assert client.get(reverse("backoffice:dossier", args=[d.code])).status_code == 200
        assert client.get(reverse("backoffice:home")).status_code == 200


def test_desk_needs_a_reception_role(client, world):
    login(client, world["cv"])
    assert client.get(reverse("backoffice:desk")).status_code == 403


def test_navigation_for_staff(client, world):
    login(client, world["tn"])
    html = client.get(reverse("backoffice:home")).content.decode()
    for label in ("Tiếp nhận", "Hồ sơ", "Phê duyệt"):
        assert label in html
    assert "htmx/htmx.min.js" in html and "backoffice/backoffice.css" in html
