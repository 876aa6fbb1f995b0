"""Schemathesis against the published schema (/api/v1/openapi.json), in process through WSGI: every operation, a
bounded and deterministic number of generated requests, anonymously and as a signed-in staff member.

Checks: no 5xx (`not_a_server_error`) and every response that the schema documents matches it
(`response_schema_conformance`). Counts are printed by the last test (run with -s) for docs/security.md.
"""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from motcua.accounts.models import Role
from motcua.api import api

MAX_EXAMPLES = 20
CSRF = "a" * 32  # an unmasked CSRF secret sent as cookie and header, as a browser page would
# The schema object the API serves at /api/v1/openapi.json, built without a request (no database at collection).
schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = get_wsgi_application()
CASES = {"anonymous": 0, "staff": 0}

pytestmark = pytest.mark.django_db
fuzz_settings = settings(max_examples=MAX_EXAMPLES, derandomize=True, deadline=None, database=None,
                         suppress_health_check=list(HealthCheck))


@pytest.fixture
def staff_cookies(client):
    from tests.factories import build_small_province, staff

    province = build_small_province()
    officer = staff("fuzz-officer", province["pc"], Role.RECEPTION, Role.SPECIALIST, Role.LEADER)
    client.force_login(officer)
    return {"sessionid": client.cookies["sessionid"].value, "csrftoken": CSRF}


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Calls go straight to the WSGI app, not through the test client, so Django's request signals would close the
    connection of the test transaction (on PostgreSQL: "the connection is closed"); the test client detaches them
    the same way."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()


@schema.parametrize()
@fuzz_settings
def test_api_anonymous(case):
    CASES["anonymous"] += 1
    case.call_and_validate(checks=[not_a_server_error, response_schema_conformance])


@schema.parametrize()
@fuzz_settings
def test_api_as_staff(case, staff_cookies):
    CASES["staff"] += 1
    case.call_and_validate(checks=[not_a_server_error, response_schema_conformance], cookies=staff_cookies,
                           headers={"X-CSRFToken": CSRF})


def test_report_fuzz_figures(capsys):
    with capsys.disabled():
        print(f"\n[fuzz] {sum(CASES.values())} generated API requests ({CASES['anonymous']} anonymous, "
              f"{CASES['staff']} as staff), max {MAX_EXAMPLES} per operation and role, derandomized")
