"""Federation fixtures: the small province of tests.reports (procedure, staff, importer-loaded dossiers), a
registered province feed on the national side, and a signed JSON client for the federation API."""

import json

import pytest

from motcua.federation import signing
from tests.reports.conftest import at, intake, load, world  # noqa: F401  (fixtures re-exported)

PROVINCE = "000.00.00.T99"
KEY_ID, SECRET = "t99-key", "a-shared-secret-for-tests-only"

# Dossiers of the province in October 2026 (importer specs, see tests/reports/conftest.py).
OCTOBER = [
    # F1 online, finished early; F2 counter, finished late; F3 in progress, overdue at the end of October
    {"code": "F1", "channel": 2, "history": [(2, at(2026, 10, 1)), (4, at(2026, 10, 2)), (9, at(2026, 10, 5))],
     "due_at": at(2026, 10, 15, 17), "outcome": "early", "outcome_766": "on_time"},
    {"code": "F2", "history": [(2, at(2026, 10, 1)), (4, at(2026, 10, 2)), (9, at(2026, 10, 20))],
     "due_at": at(2026, 10, 15, 17), "outcome": "late", "outcome_766": "late"},
    {"code": "F3", "history": [(2, at(2026, 10, 6)), (4, at(2026, 10, 7))], "due_at": at(2026, 10, 20, 17)},
]


@pytest.fixture
def feed(db):
    from motcua.federation.models import ProvinceFeed

    return ProvinceFeed.objects.create(code=PROVINCE, name="Tỉnh Thử", key_id=KEY_ID, secret=SECRET)


@pytest.fixture
def signed(client):
    """signed(method, path, document=None, key_id=, secret=, nonce=, timestamp=) → response of the test client."""

    def call(method, path, document=None, *, key_id=KEY_ID, secret=SECRET, body=None, **sign_kw):
        body = body if body is not None else (json.dumps(document).encode() if document is not None else b"")
        headers = signing.sign(key_id, secret, method, path, body, **sign_kw)
        if method == "GET":
            return client.get(path, headers=headers)
        return client.generic(method, path, body, content_type="application/json", headers=headers)

    return call
