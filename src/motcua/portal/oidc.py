"""Pluggable OpenID Connect login (VNeID or a provincial identity provider), authorization-code flow.

Configured by settings.MOTCUA["OIDC"]; absent or without client_id → disabled (the login routes answer 404 and
no button is shown):

    MOTCUA["OIDC"] = {
        "name": "VNeID",                       # shown on the button
        "issuer": "https://idp.example.gov.vn",
        "client_id": "...", "client_secret": "...",
        "authorization_endpoint": ".../authorize", "token_endpoint": ".../token",
        "userinfo_endpoint": ".../userinfo", "jwks_endpoint": ".../jwks",
        "sign_algo": "RS256", "scopes": "openid profile",
        # which claim carries what (provider-specific; defaults shown):
        "claims": {"personal_id": "personal_id", "name": "name", "email": "email", "phone": "phone_number",
                   "birth_date": "birthdate"},
    }

The protocol work (state, nonce, PKCE, token exchange, ID-token signature, userinfo) is mozilla-django-oidc's;
this module maps its settings to MOTCUA["OIDC"] and the identity claims to a MotCua citizen account
(`user_from_claims`). An account that logs in this way gets `eid_verified = True`, and the session is marked so
that dossiers submitted in it carry `vneid_authenticated = True` (766 flag TaiKhoanDuocXacThucVoiVNeID).
"""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.dateparse import parse_date
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from motcua.accounts.models import AccountKind, User
from motcua.accounts.validators import validate_personal_id

SESSION_FLAG = "motcua_eid_authenticated"
PASSWORD_BACKEND = "django.contrib.auth.backends.ModelBackend"
DEFAULT_CLAIMS = {"personal_id": "personal_id", "name": "name", "email": "email", "phone": "phone_number",
                  "birth_date": "birthdate"}
# mozilla-django-oidc setting name → key in MOTCUA["OIDC"]
SETTING_KEYS = {
    "OIDC_RP_CLIENT_ID": "client_id", "OIDC_RP_CLIENT_SECRET": "client_secret",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint", "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint", "OIDC_OP_JWKS_ENDPOINT": "jwks_endpoint",
    "OIDC_RP_SIGN_ALGO": "sign_algo", "OIDC_RP_SCOPES": "scopes", "OIDC_USE_PKCE": "use_pkce",
}
FIXED = {"OIDC_AUTHENTICATION_CALLBACK_URL": "portal:oidc_callback", "LOGIN_REDIRECT_URL_FAILURE": "/accounts/login/",
         "OIDC_CREATE_USER": True, "OIDC_USE_PKCE": True, "OIDC_RP_SIGN_ALGO": "RS256",
         "OIDC_RP_SCOPES": "openid profile"}


def config() -> dict:
    return settings.MOTCUA.get("OIDC") or {}


def enabled() -> bool:
    cfg = config()
    return bool(cfg.get("client_id") and cfg.get("authorization_endpoint") and cfg.get("token_endpoint"))


def provider_name() -> str:
    return config().get("name") or "VNeID"


def get_setting(attr: str, *default):
    """mozilla-django-oidc's settings, read from MOTCUA["OIDC"] (then fixed MotCua values, then Django's)."""
    key = SETTING_KEYS.get(attr)
    cfg = config()
    if key and cfg.get(key) not in (None, ""):
        return cfg[key]
    if attr in FIXED:
        return FIXED[attr]
    if hasattr(settings, attr):
        return getattr(settings, attr)
    if default:
        return default[0]
    return None


# -- claims → account (the part testable without a provider) ---------------------------------------------------------
class ClaimsError(ValueError):
    pass


def claim(claims: dict, name: str):
    mapping = {**DEFAULT_CLAIMS, **(config().get("claims") or {})}
    value = claims.get(mapping[name])
    return value.strip() if isinstance(value, str) else value


def user_from_claims(claims: dict) -> User:
    """The citizen account of the verified identity: matched by personal ID, created when new, always marked
    eid_verified. The identity provider is authoritative for name and birth date; e-mail/phone fill blanks only."""
    birth = claim(claims, "birth_date")
    birth = parse_date(birth) if isinstance(birth, str) else (birth if isinstance(birth, date) else None)
    try:
        pid = validate_personal_id(claim(claims, "personal_id") or "", birth_date=birth)
    except ValidationError as exc:
        raise ClaimsError(exc.messages[0]) from None
    with transaction.atomic():
        user = User.objects.select_for_update().filter(personal_id=pid).first()
        if user is None:
            user = User(username=f"eid-{pid}", kind=AccountKind.CITIZEN, personal_id=pid)
            user.set_unusable_password()
        elif user.kind == AccountKind.STAFF:
            raise ClaimsError("staff accounts do not log in through the citizen identity provider")
        user.full_name = claim(claims, "name") or user.full_name
        user.birth_date = birth or user.birth_date
        user.email = user.email or (claim(claims, "email") or "")
        user.phone = user.phone or (claim(claims, "phone") or "")
        user.eid_verified = True
        user.save()
    return user


def mark_session(request) -> None:
    request.session[SESSION_FLAG] = True


def session_is_eid(request) -> bool:
    return bool(request.session.get(SESSION_FLAG))


# -- mozilla-django-oidc wiring -----------------------------------------------------------------------------------------
class EidBackend(OIDCAuthenticationBackend):
    """Used directly by the callback view (not listed in AUTHENTICATION_BACKENDS, so password logins never reach
    it): the account is found by personal ID, not by e-mail as the library's default does."""

    get_settings = staticmethod(get_setting)

    def get_or_create_user(self, access_token, id_token, payload):
        claims = {**(payload or {}), **(self.get_userinfo(access_token, id_token, payload) or {})}
        try:
            return user_from_claims(claims)
        except ClaimsError:
            return None


class EidLoginView(OIDCAuthenticationRequestView):
    get_settings = staticmethod(get_setting)

    def __init__(self, *args, **kwargs):
        if not enabled():
            raise Http404
        super().__init__(*args, **kwargs)

    def dispatch(self, request, *args, **kwargs):
        if not enabled():
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class EidCallbackView(OIDCAuthenticationCallbackView):
    """The library's callback view with our backend called directly (auth.authenticate() would walk
    AUTHENTICATION_BACKENDS, where the e-ID backend is deliberately not listed). State and nonce come from the
    session entry the request view stored; the entry is removed before the token exchange (no replay)."""

    get_settings = staticmethod(get_setting)

    def dispatch(self, request, *args, **kwargs):
        if not enabled():
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        states = request.session.get("oidc_states") or {}
        state = request.GET.get("state")
        entry = states.pop(state, None) if state else None
        request.session["oidc_states"] = states
        if request.GET.get("error") or not request.GET.get("code") or entry is None:
            return self.login_failure()
        self.user = EidBackend().authenticate(request, nonce=entry.get("nonce"),
                                              code_verifier=entry.get("code_verifier"))
        if self.user is None or not self.user.is_active:
            return self.login_failure()
        self.user.backend = PASSWORD_BACKEND  # later requests load the user like any password login
        return self.login_success()

    def login_success(self):
        response = super().login_success()
        mark_session(self.request)
        return response
