"""Every URL pattern (walked from the root resolver) and every API operation (from the OpenAPI schema), requests
made as a role, and the outcome of a response in the matrix's vocabulary."""

import json
import re
from http.cookies import SimpleCookie

from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

API_PREFIX = "api/v1/"
# Outcome vocabulary of the declaration table (tests/security/matrix.py).
OK, REDIRECT, LOGIN, UNAUTH, DENY, INVALID, METHOD = "ok", "redirect", "login", "unauth", "deny", "invalid", "405"
LOGIN_PATHS = ("/accounts/login/", "/admin/login/")


def url_patterns(resolver=None, prefix: str = ""):
    """(route, URLPattern) for every pattern, routes written as in urls.py (e.g. 'ho-so/<str:code>/')."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from url_patterns(entry, route)
        elif isinstance(entry, URLPattern):
            yield route, entry


def api_operations() -> list[tuple[str, str]]:
    """('GET', '/api/v1/dossiers/{code}') for every operation in the published OpenAPI schema."""
    from motcua.api import api

    schema = api.get_openapi_schema()
    return sorted((method.upper(), path) for path, ops in schema["paths"].items() for method in ops)


def api_route_as_openapi(route: str) -> str:
    """'api/v1/dossiers/<code>' → '/api/v1/dossiers/{code}'."""
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


def fill(route: str, params: dict) -> str:
    """Substitute path parameters ('<str:code>', '<path:object_id>', '{code}', regex groups) from `params`."""
    def value(name: str) -> str:
        if name not in params:
            raise KeyError(f"no value declared for path parameter {name!r} of {route!r}")
        return str(params[name])

    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: value(m.group(1)), route)  # admin's regex patterns
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: value(m.group(1)), path)
    path = re.sub(r"\{(\w+)\}", lambda m: value(m.group(1)), path)
    path = path.lstrip("^").rstrip("$")
    return path if path.startswith("/") else "/" + path


def client_for(user) -> Client:
    client = Client(raise_request_exception=True)
    if user is not None:
        client.force_login(user)
    return client


def request(client: Client, method: str, path: str, data=None, json_body: bool = False):
    """One request, rolled back afterwards with the client's cookies, so the order of the matrix never matters (a
    logout, a language switch); rate-limit counters reset."""
    cache.clear()
    cookies = client.cookies
    client.cookies = SimpleCookie(cookies)
    with transaction.atomic():
        if json_body:
            response = client.generic(method, path, json.dumps(data if data is not None else {}),
                                      content_type="application/json")
        elif method == "GET":
            response = client.get(path, data or {})
        else:
            response = client.generic(method, path, _form(data or {}),
                                      content_type="application/x-www-form-urlencoded")
        transaction.set_rollback(True)
    client.cookies = cookies
    return response


def _form(data: dict) -> str:
    from urllib.parse import urlencode

    return urlencode(data, doseq=True)


# Pages that answer an anonymous visitor with a login prompt in place (200) instead of a redirect.
LOGIN_TEMPLATES = {"portal/account/login_needed.html"}


def outcome(response) -> str:
    status = response.status_code
    if status == 200 and LOGIN_TEMPLATES & {t.name for t in getattr(response, "templates", []) if t.name}:
        return LOGIN
    if status == 200 or status == 201:
        return OK
    if 300 <= status < 400:
        location = response.get("Location", "")
        return LOGIN if any(p in location for p in LOGIN_PATHS) else REDIRECT
    if status == 401:
        return UNAUTH
    if status in (403, 404):
        return DENY
    if status in (400, 409, 422):
        return INVALID
    if status == 405:
        return METHOD
    return f"status {status}"
