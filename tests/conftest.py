import pytest

pytest_plugins = ["tests.browser.harness"]  # Chromium, `page`, axe (one browser per worker)


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    # Fast hasher for test accounts; tests/accounts/test_login.py checks the production default explicitly.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.MOTCUA = {**settings.MOTCUA, "SMS_FILE_PATH": str(tmp_path / "sms" / "outbox.jsonl")}  # notifications


@pytest.fixture
def province(db):
    from tests.factories import build_small_province

    return build_small_province()
