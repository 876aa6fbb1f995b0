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


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """MOTCUA_TEST_PARTITIONED=1 on PostgreSQL: the whole suite on history and audit tables partitioned by month
    (`motcua partitions convert`), as a province that has converted runs."""
    import os

    from django.db import connection

    if os.environ.get("MOTCUA_TEST_PARTITIONED") and connection.vendor == "postgresql":
        from motcua.scale import partitions

        with django_db_blocker.unblock():
            for spec in partitions.SPECS.values():
                if not partitions.is_partitioned(spec):
                    partitions.convert(spec)
