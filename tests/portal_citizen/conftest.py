"""A published catalogue (tests/portal/catalog_data), a registered citizen, and the commune's staff."""

from datetime import date

import pytest
from django.core.cache import cache
from django.utils import translation

from motcua.accounts.models import AccountKind, Role
from tests.factories import UserFactory, staff
from tests.portal.catalog_data import build_catalog


@pytest.fixture(autouse=True)
def _vietnamese():
    with translation.override("vi"):
        yield


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The lookup rate limiter counts in Django's cache: every test starts from zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def catalog(db):
    return build_catalog()


@pytest.fixture
def citizen(db):
    return UserFactory(username="0912345678", kind=AccountKind.CITIZEN, full_name="Trần Thị Bình",
                       personal_id="001303012345", birth_date=date(2003, 3, 1), phone="0912345678",
                       email="binh@example.vn", address="Số 1 Lý Thái Tổ")


@pytest.fixture
def other_citizen(db):
    return UserFactory(username="0987654321", kind=AccountKind.CITIZEN, full_name="Lê Văn Cường",
                       personal_id="027095000111", birth_date=date(1995, 5, 5), phone="0987654321")


@pytest.fixture
def commune_staff(catalog):
    commune = catalog["agencies"]["commune"]
    return {"tn": staff("tn-xa", commune, Role.RECEPTION), "cv": staff("cv-xa", commune, Role.SPECIALIST),
            "ld": staff("ld-xa", commune, Role.LEADER)}
