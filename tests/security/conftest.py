import pytest
from django.db import transaction
from django.test import override_settings


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The two-scope province (tests/security/world.py), built once per module and rolled back after it."""
    from tests.security.routes import client_for
    from tests.security.world import build_world

    media = tmp_path_factory.mktemp("security-files")
    with django_db_blocker.unblock(), override_settings(
            MEDIA_ROOT=media, PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        with transaction.atomic():
            built = build_world()
            built.media_root = media
            # Signed-in clients made here, outside any test's savepoint, so their sessions live as long as the world.
            built.clients = {role: client_for(user) for role, user in built.users.items()}
            yield built
            transaction.set_rollback(True)
