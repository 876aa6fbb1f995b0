"""Optional TOTP two-factor sign-in for staff (accounts/twofactor.py, django-otp)."""

import pytest
from django.core.cache import cache
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.accounts.models import Role
from tests.factories import UserFactory, build_small_province, staff

pytestmark = pytest.mark.django_db
PASSWORD = "matkhau-Manh-123"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture
def officer(db):
    return staff("cb-2fa", build_small_province()["dept"], Role.SPECIALIST)


def code(device: TOTPDevice, drift: int = 0) -> str:
    """The current code (drift=1: the next 30-second window's, which the device accepts within its tolerance; a
    code already used is refused as a replay)."""
    device.refresh_from_db()
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift):06d}"


def unthrottle(device: TOTPDevice) -> None:
    """django-otp slows guessing down after a wrong code; the test goes on at once."""
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0, throttling_failure_timestamp=None)


def sign_in(client, username):
    return client.post("/accounts/login/", {"username": username, "password": PASSWORD, "next": "/backoffice/"})


def test_without_a_device_optional_policy_signs_in_as_before(client, officer):
    assert sign_in(client, "cb-2fa")["Location"] == "/backoffice/"
    assert client.get("/backoffice/").status_code == 200


def test_enrol_with_qr_then_every_sign_in_asks_for_a_code(client, officer):
    sign_in(client, "cb-2fa")
    page = client.get("/accounts/xac-thuc-2-buoc/dang-ky/")
    html = page.content.decode()
    assert page.status_code == 200 and "<svg" in html and 'for="id_token"' in html
    device = TOTPDevice.objects.get(user=officer, confirmed=False)
    wrong = client.post("/accounts/xac-thuc-2-buoc/dang-ky/", {"token": "000000" if code(device) != "000000"
                                                                else "111111"})
    assert wrong.status_code == 422 and "không đúng" in wrong.content.decode()
    unthrottle(device)
    first = code(device)
    done = client.post("/accounts/xac-thuc-2-buoc/dang-ky/", {"token": first, "next": "/backoffice/"})
    assert done.status_code == 302 and TOTPDevice.objects.get(pk=device.pk).confirmed

    client.post("/accounts/logout/")
    sign_in(client, "cb-2fa")
    held = client.get("/backoffice/ho-so/")
    assert held.status_code == 302 and held["Location"].startswith("/accounts/xac-thuc-2-buoc/?next=")
    api = client.get("/api/v1/dossiers")
    assert api.status_code == 403 and api.json()["error"]["code"] == "second_factor_required"
    bad = client.post("/accounts/xac-thuc-2-buoc/", {"token": "12", "next": "/backoffice/ho-so/"})
    assert bad.status_code == 422
    unthrottle(device)
    replay = client.post("/accounts/xac-thuc-2-buoc/", {"token": first, "next": "/backoffice/ho-so/"})
    assert replay.status_code == 422  # the enrolment code cannot be used twice
    unthrottle(device)
    ok = client.post("/accounts/xac-thuc-2-buoc/", {"token": code(device, drift=1), "next": "/backoffice/ho-so/"})
    assert ok.status_code == 302 and ok["Location"] == "/backoffice/ho-so/"
    assert client.get("/backoffice/ho-so/").status_code == 200


def test_next_cannot_leave_the_site(client, officer):
    sign_in(client, "cb-2fa")
    client.get("/accounts/xac-thuc-2-buoc/dang-ky/")
    device = TOTPDevice.objects.get(user=officer)
    response = client.post("/accounts/xac-thuc-2-buoc/dang-ky/", {"token": code(device),
                                                                   "next": "https://evil.example/"})
    assert response["Location"] == "/backoffice/"


def test_required_policy_sends_staff_to_enrolment(settings, client, officer):
    settings.MOTCUA_STAFF_2FA = "required"
    sign_in(client, "cb-2fa")
    response = client.get("/backoffice/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/xac-thuc-2-buoc/dang-ky/")


def test_citizens_are_never_asked(settings, client):
    settings.MOTCUA_STAFF_2FA = "required"
    UserFactory(username="dan-2fa")
    sign_in(client, "dan-2fa")
    assert client.get("/ho-so-cua-toi/").status_code == 200
    assert client.get("/accounts/xac-thuc-2-buoc/dang-ky/").status_code == 403


def test_off_policy_ignores_devices(settings, client, officer):
    TOTPDevice.objects.create(user=officer, name="app", confirmed=True)
    settings.MOTCUA_STAFF_2FA = "off"
    sign_in(client, "cb-2fa")
    assert client.get("/backoffice/").status_code == 200
