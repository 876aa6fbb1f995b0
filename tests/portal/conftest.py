import pytest
from django.utils import translation

from tests.portal.catalog_data import build_catalog


@pytest.fixture(autouse=True)
def _vietnamese():
    """Portal wording is asserted in Vietnamese, whatever language an earlier request left active."""
    with translation.override("vi"):
        yield


@pytest.fixture
def catalog(db):
    """Published procedures (marriage, foreign marriage, birth, building permit), a draft and a future one."""
    return build_catalog()
