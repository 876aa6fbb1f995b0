import pytest


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    """PBKDF2 at Django's default cost takes ~0.5 s per hash; these tests create dozens of users. The tests that
    are about hashing itself restore the default."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
