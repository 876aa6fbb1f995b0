"""e-ID (OpenID Connect) login. A real provider cannot be reached offline: these tests cover the claim → account
mapping, the session flag that marks submitted dossiers, the settings bridge and the disabled state."""

from datetime import date
from unittest import mock

import pytest
from django.urls import reverse

from motcua.accounts.models import AccountKind, User
from motcua.portal import oidc

pytestmark = pytest.mark.django_db
CLAIMS = {"personal_id": "001303012345", "name": "Trần Thị Bình", "birthdate": "2003-03-01",
          "email": "binh@vneid.vn", "phone_number": "0912345678"}
CONFIG = {"client_id": "motcua", "client_secret": "s3cret", "authorization_endpoint": "https://idp.test/auth",
          "token_endpoint": "https://idp.test/token", "userinfo_endpoint": "https://idp.test/userinfo",
          "jwks_endpoint": "https://idp.test/jwks"}


@pytest.fixture
def configured(settings):
    settings.MOTCUA = {**settings.MOTCUA, "OIDC": CONFIG}


def test_new_identity_creates_a_verified_citizen():
    user = oidc.user_from_claims(CLAIMS)
    assert user.kind == AccountKind.CITIZEN and user.eid_verified
    assert user.personal_id == "001303012345" and user.birth_date == date(2003, 3, 1)
    assert user.full_name == "Trần Thị Bình" and not user.has_usable_password()


def test_existing_account_is_matched_by_personal_id_and_verified(citizen):
    citizen.email = "giu-nguyen@example.vn"
    citizen.save()
    user = oidc.user_from_claims({**CLAIMS, "name": "Trần Thị Bình (VNeID)"})
    assert user.pk == citizen.pk and user.eid_verified
    assert user.email == "giu-nguyen@example.vn"  # contact data the citizen entered is kept
    assert user.full_name == "Trần Thị Bình (VNeID)"  # the identity provider is authoritative for the name
    assert User.objects.count() == 1


def test_claim_names_are_configurable(settings):
    settings.MOTCUA = {**settings.MOTCUA, "OIDC": {**CONFIG, "claims": {"personal_id": "so_dinh_danh"}}}
    user = oidc.user_from_claims({"so_dinh_danh": "001303012345", "name": "B"})
    assert user.personal_id == "001303012345"


@pytest.mark.parametrize("claims", [{}, {"personal_id": "123"}, {**CLAIMS, "birthdate": "1990-01-01"}])
def test_bad_identity_claims_are_refused(claims):
    with pytest.raises(oidc.ClaimsError):
        oidc.user_from_claims(claims)
    assert not User.objects.exists()


def test_staff_accounts_cannot_log_in_as_citizens():
    User.objects.create(username="cb", kind=AccountKind.STAFF, personal_id="001303012345")
    with pytest.raises(oidc.ClaimsError):
        oidc.user_from_claims(CLAIMS)


def test_disabled_without_configuration(client):
    assert not oidc.enabled()
    assert client.get(reverse("portal:oidc_login")).status_code == 404
    assert client.get(reverse("portal:oidc_callback")).status_code == 404


def test_settings_bridge(configured):
    assert oidc.enabled()
    assert oidc.get_setting("OIDC_OP_TOKEN_ENDPOINT") == "https://idp.test/token"
    assert oidc.get_setting("OIDC_RP_SIGN_ALGO") == "RS256"
    assert oidc.get_setting("OIDC_AUTHENTICATION_CALLBACK_URL") == "portal:oidc_callback"


def test_login_redirects_to_the_provider_with_state_nonce_and_pkce(client, configured):
    response = client.get(reverse("portal:oidc_login") + "?next=/nop-ho-so/1.000894/")
    assert response.status_code == 302 and response["Location"].startswith("https://idp.test/auth?")
    location = response["Location"]
    for part in ("client_id=motcua", "response_type=code", "state=", "nonce=", "code_challenge="):
        assert part in location
    assert client.session["oidc_states"]


def test_callback_logs_in_marks_the_session_and_the_account(client, configured):
    client.get(reverse("portal:oidc_login"))
    state = next(iter(client.session["oidc_states"]))
    with mock.patch.object(oidc.EidBackend, "get_token", return_value={"id_token": "x", "access_token": "y"}), \
            mock.patch.object(oidc.EidBackend, "verify_token", return_value={"sub": "1"}), \
            mock.patch.object(oidc.EidBackend, "get_userinfo", return_value=CLAIMS):
        response = client.get(reverse("portal:oidc_callback"), {"code": "abc", "state": state})
    assert response.status_code == 302
    user = User.objects.get(personal_id="001303012345")
    assert user.eid_verified and int(client.session["_auth_user_id"]) == user.pk
    assert client.session[oidc.SESSION_FLAG] is True
    # replaying the same state fails
    again = client.get(reverse("portal:oidc_callback"), {"code": "abc", "state": state})
    assert again["Location"] == "/accounts/login/"


def test_callback_with_unknown_state_fails(client, configured):
    response = client.get(reverse("portal:oidc_callback"), {"code": "abc", "state": "forged"})
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert "_auth_user_id" not in client.session
