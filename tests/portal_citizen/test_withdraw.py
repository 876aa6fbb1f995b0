"""The applicant withdraws their own dossier: confirmation required, status 7, nobody else can."""

import pytest

from motcua.dossiers.engine import perform
from motcua.dossiers.models import Dossier, Status
from tests.portal_citizen import flows
from tests.portal_citizen.test_submission import variant_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(client, citizen, catalog):
    client.force_login(citizen)
    code, _ = flows.submit(client, variant_of(catalog["marriage"]))
    return code


def test_the_dossier_page_offers_withdrawal(client, submitted):
    assert f"/ho-so/{submitted}/rut/" in client.get(f"/ho-so/{submitted}/").content.decode()


def test_confirmation_is_required(client, submitted):
    response = client.post(f"/ho-so/{submitted}/rut/", {"reason": "Nộp nhầm"})
    assert response.status_code == 422 and "xác nhận" in response.content.decode()
    assert Dossier.objects.get(code=submitted).status == Status.NEW


def test_withdraw_records_the_reason(client, submitted):
    response = client.post(f"/ho-so/{submitted}/rut/", {"reason": "Nộp nhầm thủ tục", "confirm": "yes"})
    assert response.status_code == 302
    dossier = Dossier.objects.get(code=submitted)
    last = dossier.events.order_by("-seq").first()
    assert dossier.status == Status.WITHDRAWN and last.action == "withdraw" and last.reason == "Nộp nhầm thủ tục"
    page = client.get(f"/ho-so/{submitted}/").content.decode()
    assert f"/ho-so/{submitted}/rut/" not in page  # nothing left to withdraw
    again = client.post(f"/ho-so/{submitted}/rut/", {"confirm": "yes"})
    assert again.status_code == 302 and Dossier.objects.get(code=submitted).status == Status.WITHDRAWN


def test_withdraw_while_processing(client, submitted, commune_staff):
    perform(submitted, "receive", commune_staff["tn"])
    response = client.post(f"/ho-so/{submitted}/rut/", {"confirm": "yes"})
    assert response.status_code == 302 and Dossier.objects.get(code=submitted).status == Status.WITHDRAWN


def test_another_citizen_cannot(client, submitted, other_citizen):
    client.force_login(other_citizen)
    response = client.post(f"/ho-so/{submitted}/rut/", {"confirm": "yes"})
    assert response.status_code == 404
    assert Dossier.objects.get(code=submitted).status == Status.NEW


def test_anonymous_gets_the_login_page(client, submitted):
    client.logout()
    response = client.post(f"/ho-so/{submitted}/rut/", {"confirm": "yes"})
    assert "đăng nhập" in response.content.decode().lower()
    assert Dossier.objects.get(code=submitted).status == Status.NEW
