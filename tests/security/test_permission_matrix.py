"""Every URL pattern and every API operation × every role: the declared outcome (tests/security/matrix.py), and no
response body carrying another scope's data (the other dossier's code, applicant name, personal ID, payment
reference, draft id, PAKN code or title).

Undeclared patterns or operations fail: a new endpoint must be declared with who may use it.
"""

from urllib.parse import urlencode

import pytest
from django.apps import apps

from tests.security import matrix
from tests.security.routes import (
    API_PREFIX,
    api_operations,
    api_route_as_openapi,
    fill,
    outcome,
    request,
    url_patterns,
)
from tests.security.world import ROLES, variants_of

ROUTES = sorted({route for route, _ in url_patterns()})
WEB_ROUTES = [r for r in ROUTES if not r.startswith((API_PREFIX, matrix.ADMIN_PREFIX))]
ADMIN_ROUTES = [r for r in ROUTES if r.startswith(matrix.ADMIN_PREFIX)]
API_ROUTES = [r for r in ROUTES if r.startswith(API_PREFIX)]
OPERATIONS = [f"{method} {path}" for method, path in api_operations()]
CHECKED = {"requests": 0}
# Every test runs in a savepoint of the module's world (and the mark makes pytest-django create the test database).
pytestmark = pytest.mark.django_db


@pytest.fixture
def clients(world):
    return world.clients


@pytest.fixture(autouse=True)
def _world_files(settings, world):
    settings.MEDIA_ROOT = world.media_root  # the root conftest gives each test a fresh, empty one


# --- completeness ----------------------------------------------------------------------------------------------
def test_every_url_pattern_is_declared():
    missing = [r for r in WEB_ROUTES if r not in matrix.URLS]
    missing += [r for r in API_ROUTES if r in ("api/v1/openapi.json", "api/v1/docs", "api/v1/")
                and r not in matrix.URLS]
    assert not missing, f"declare these URL patterns in tests/security/matrix.py: {missing}"


def test_every_api_operation_is_declared():
    missing = [op for op in OPERATIONS if op not in matrix.API]
    assert not missing, f"declare these API operations in tests/security/matrix.py: {missing}"


def test_every_api_url_is_an_openapi_operation():
    """A view mounted under /api/v1/ outside the OpenAPI schema would escape both the matrix and the fuzzer."""
    documented = {path for _method, path in api_operations()}
    extra = [r for r in API_ROUTES if r not in matrix.URLS and api_route_as_openapi(r) not in documented]
    assert not extra, f"API routes outside the OpenAPI schema: {extra}"


def test_no_stale_declarations():
    stale = [r for r in matrix.URLS if r not in ROUTES] + [op for op in matrix.API if op not in OPERATIONS]
    stale += [r for r in matrix.ADMIN_SPECIAL if r not in ROUTES]
    assert not stale, f"declared but no longer served (remove from matrix.py): {stale}"


# --- the matrix -------------------------------------------------------------------------------------------------
def resolve(refs: dict, world) -> dict:
    """'=literal' stays a literal, anything else names an object of the world."""
    return {name: ref[1:] if ref.startswith("=") else world.objects[ref] for name, ref in refs.items()}


def run(world, clients, route: str, decl: matrix.Decl, *, api_method: str | None = None) -> list[str]:
    problems = []
    path = fill(route, resolve(decl.params, world))
    query = resolve(decl.query, world)
    plans = [(api_method, decl.get)] if api_method else [("GET", decl.get)] + (
        [("POST", decl.post)] if decl.post else [])
    for method, expected in plans:
        for role in ROLES:
            data = decl.post_data if method == "POST" else query
            target = path if method != "POST" or not query else f"{path}?{urlencode(query)}"
            response = request(clients[role], method, target, data, json_body=api_method is not None
                               and method != "GET")
            CHECKED["requests"] += 1
            got = outcome(response)
            if got not in expected[role].split("|"):
                problems.append(f"{method} {path} as {role}: got {got} ({response.status_code}), "
                                f"declared {expected[role]}")
            if not decl.capability:
                problems += leaks(world, role, method, path, response)
    return problems


def leaks(world, role: str, method: str, path: str, response) -> list[str]:
    if getattr(response, "streaming", False):
        return []
    body = response.content.decode("utf-8", errors="replace")
    found = [s for s in world.foreign_secrets(role) if s not in path and any(v in body for v in variants_of(s))]
    return [f"LEAK {method} {path} as {role}: body contains {s!r}" for s in found]


@pytest.mark.parametrize("route", [r for r in WEB_ROUTES if r in matrix.URLS] +
                         [r for r in API_ROUTES if r in matrix.URLS])
def test_url_pattern(route, world, clients):
    problems = run(world, clients, route, matrix.URLS[route])
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("operation", [op for op in OPERATIONS if op in matrix.API])
def test_api_operation(operation, world, clients):
    method, path = operation.split(" ", 1)
    problems = run(world, clients, path, matrix.API[operation], api_method=method)
    assert not problems, "\n".join(problems)


def admin_params(route: str, world) -> dict:
    """Fill the admin's generated parameters: an existing object of the model in the route when there is one."""
    from django.contrib.contenttypes.models import ContentType

    user_type = ContentType.objects.get_for_model(world.users["citizen_a"])
    params = {"app_label": "accounts", "url": "khong-co/", "content_type_id": user_type.pk,
              "object_id": world.objects["user_a"], "id": world.objects["user_a"], "pk": 0}
    parts = route.split("/")
    if len(parts) > 3 and "<" not in parts[1] and "(" not in parts[1] and "<" not in parts[2]:
        try:
            model = apps.get_model(parts[1], parts[2])
        except LookupError:
            return params
        first = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
        params["object_id"] = params["pk"] = first if first is not None else 0
    return params


@pytest.mark.parametrize("route", ADMIN_ROUTES)
def test_admin_pattern(route, world, clients):
    decl = matrix.ADMIN_SPECIAL.get(route, matrix.ADMIN)
    path = fill(route, admin_params(route, world))
    problems = []
    for role in ROLES:
        response = request(clients[role], "GET", path)
        CHECKED["requests"] += 1
        got = outcome(response)
        if got not in decl.get[role].split("|"):
            problems.append(f"GET {path} as {role}: got {got} ({response.status_code}), declared {decl.get[role]}")
        problems += leaks(world, role, "GET", path, response)
    assert not problems, "\n".join(problems)


def test_report_figures(capsys):
    """Printed for docs/security.md (run with -s): patterns, operations and role requests checked."""
    with capsys.disabled():
        print(f"\n[matrix] {len(ROUTES)} URL patterns ({len(ADMIN_ROUTES)} admin), {len(OPERATIONS)} API "
              f"operations, {len(ROLES)} roles, {CHECKED['requests']} requests checked")
