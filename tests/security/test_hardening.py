"""Web hardening: production settings pass `check --deploy`; security headers; CSRF; rate limits on login,
registration and PAKN; login lockout; staff idle timeout; personal ID numbers masked in logs and lists and absent
from URL patterns."""

import logging
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from motcua.accounts.models import AccountKind, Role
from motcua.core.logging import MaskPersonalIdFilter, mask_personal_ids
from tests.factories import UserFactory, build_small_province, staff

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _production_env(tmp_path, **extra) -> dict:
    # The browser harness sets DJANGO_ALLOW_ASYNC_UNSAFE for Playwright's loop; production never has it.
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("MOTCUA_", "DATABASE_URL")) and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(MOTCUA_ENV="production", MOTCUA_SECRET_KEY=secrets.token_urlsafe(64),
               MOTCUA_ALLOWED_HOSTS="motcua.example.gov.vn", MOTCUA_DATA_DIR=str(tmp_path),
               MOTCUA_PAYMENT_GATEWAYS="tests.security.gateway.ProvinceBankGateway",
               PYTHONPATH=str(ROOT), **extra)
    return env


def _motcua(env, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "motcua.cli", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = _motcua(_production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = _production_env(tmp_path)
    del env["MOTCUA_SECRET_KEY"]
    result = _motcua(env, "check")
    assert result.returncode != 0 and "MOTCUA_SECRET_KEY" in result.stderr


def test_production_settings_values(tmp_path):
    code = ("from django.conf import settings as s; print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
            "s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_HTTPONLY, s.X_FRAME_OPTIONS)")
    env = _production_env(tmp_path, MOTCUA_DEBUG="1")  # debug cannot be switched on in production
    result = subprocess.run([sys.executable, "-c", "import django; django.setup(); " + code], cwd=ROOT,
                            env={**env, "DJANGO_SETTINGS_MODULE": "motcua.settings"}, capture_output=True, text=True,
                            timeout=120)
    assert result.stdout.split() == ["False", "True", "True", "31536000", "True", "True", "DENY"], result.stderr


# --- headers and CSRF ---------------------------------------------------------------------------------------------
def test_security_headers_on_pages(client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp and "unsafe-eval" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in response["Permissions-Policy"]


def test_hsts_and_secure_cookies_when_https(settings, client):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SESSION_COOKIE_SECURE = True
    user = UserFactory(username="khach")
    response = client.post("/accounts/login/", {"username": "khach", "password": "matkhau-Manh-123"}, secure=True)
    assert response.status_code == 302, user
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    cookie = response.cookies["sessionid"]
    assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax"


def test_csrf_is_enforced_on_forms():
    client = Client(enforce_csrf_checks=True)
    assert client.post("/accounts/login/", {"username": "a", "password": "b"}).status_code == 403
    assert client.post("/phan-anh-kien-nghi/gui/", {"title": "x"}).status_code == 403


# --- rate limits and lockout ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/accounts/login/", "/dang-ky/", "/phan-anh-kien-nghi/gui/"])
def test_public_posts_are_rate_limited(settings, client, path):
    settings.MOTCUA_POST_RATE_LIMITS = {**settings.MOTCUA_POST_RATE_LIMITS, path: "3/m"}
    settings.AXES_ENABLED = False  # the limiter, not the lockout, is under test here
    statuses = [client.post(path, {"username": f"u{i}", "password": "x"}).status_code for i in range(5)]
    assert 429 not in statuses[:3] and statuses[3:] == [429, 429]
    assert "quá nhiều yêu cầu" in client.post(path, {}).content.decode()


def test_api_feedback_post_is_rate_limited(settings, client):
    settings.MOTCUA_POST_RATE_LIMITS = {**settings.MOTCUA_POST_RATE_LIMITS, "/api/v1/feedback": "2/m"}
    statuses = [client.post("/api/v1/feedback", {}, content_type="application/json").status_code for _ in range(3)]
    assert statuses[2] == 429
    assert client.post("/api/v1/feedback", {}, content_type="application/json").json()["error"]["code"] \
        == "rate_limited"


def test_login_lockout_after_repeated_failures(settings, client):
    UserFactory(username="canbo1", kind=AccountKind.STAFF)
    settings.MOTCUA_POST_RATE_LIMITS = {}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "canbo1", "password": "sai-mat-khau"})
    locked = client.post("/accounts/login/", {"username": "canbo1", "password": "matkhau-Manh-123"})
    assert locked.status_code == 429  # even the right password is refused while locked


# --- session expiry --------------------------------------------------------------------------------------------------
def test_staff_sessions_expire_when_idle_citizens_keep_the_default(settings, client):
    settings.MOTCUA_STAFF_IDLE_MINUTES = 15
    province = build_small_province()
    officer = staff("cb-phien", province["dept"], Role.SPECIALIST)
    client.force_login(officer)
    client.get("/backoffice/")
    assert client.session.get_expiry_age() == 15 * 60
    citizen = Client()
    citizen.force_login(UserFactory(username="dan-phien"))
    citizen.get("/")
    assert citizen.session.get_expiry_age() == settings.SESSION_COOKIE_AGE


def test_staff_idle_countdown_is_saved_at_most_once_a_minute(settings, client, monkeypatch):
    """Each page would otherwise write the session: the countdown restarts once a minute at most, so a session may
    end up to a minute early, never late."""
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    settings.MOTCUA_STAFF_IDLE_MINUTES = 15
    officer = staff("cb-phut", build_small_province()["dept"], Role.SPECIALIST)
    client.force_login(officer)
    now = [timezone.now()]
    monkeypatch.setattr(timezone, "now", lambda: now[0])

    def expires():
        return Session.objects.get(pk=client.session.session_key).expire_date

    client.get("/backoffice/")
    first = expires()
    assert first == now[0] + timedelta(minutes=15)
    now[0] += timedelta(seconds=59)
    client.get("/backoffice/")
    assert expires() == first  # not written again within the minute
    now[0] += timedelta(seconds=1)
    client.get("/backoffice/")
    assert expires() == now[0] + timedelta(minutes=15)


# --- personal ID numbers ---------------------------------------------------------------------------------------------
def test_log_filter_masks_personal_ids():
    record = logging.LogRecord("motcua", logging.WARNING, __file__, 1, "CCCD %s gửi hồ sơ %s", ("001203012345",
                               "000.00.12.T99-260105-0001"), None)
    assert MaskPersonalIdFilter().filter(record)
    message = record.getMessage()
    assert "001203012345" not in message and "001******345" in message
    assert "000.00.12.T99-260105-0001" in message  # dossier codes are not personal data
    assert mask_personal_ids("số 079095000111, SĐT 0912345678") == "số 079******111, SĐT 0912345678"


def test_logging_config_masks_on_every_handler(settings):
    for handler in settings.LOGGING["handlers"].values():
        assert "mask_personal_ids" in handler.get("filters", [])


def test_no_url_pattern_takes_a_personal_id():
    from tests.security.routes import url_patterns

    suspicious = [route for route, _ in url_patterns()
                  if re.search(r"<(?:\w+:)?(personal_id|cccd|cmnd|id_number|so_dinh_danh)\w*>", route)]
    assert not suspicious


def test_no_template_puts_a_personal_id_in_a_link():
    """Links and form actions carry codes, never an applicant's identity number (which would land in logs and
    browser history)."""
    offenders = []
    for path in (ROOT / "src" / "motcua").rglob("templates/**/*.html"):
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(r'(?:href|action|src)="[^"]*personal_id[^"]*"', text):
            offenders.append(f"{path.relative_to(ROOT)}: {m.group(0)}")
    assert not offenders


def test_inbox_and_api_lists_mask_personal_ids(client):
    from tests.security.world import build_world

    world = build_world()
    client.force_login(world.users["officer_x"])
    inbox = client.get(reverse("backoffice:inbox"), {"view": "queue"}).content.decode()
    assert world.objects["dossier_a"] in inbox and "001303012345" not in inbox
    listing = client.get("/api/v1/dossiers").content.decode()
    assert world.objects["dossier_a"] in listing and "001303012345" not in listing and "001******345" in listing
