"""Regressions found by the API fuzzer (tests/security/test_api_fuzz.py), kept as plain tests."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_a_request_without_a_peer_address_is_rate_limited_not_crashed():
    """A WSGI server that sets no REMOTE_ADDR made the POST rate limiter raise KeyError (500)."""
    class NoPeerClient(Client):
        def _base_environ(self, **request):
            environ = super()._base_environ(**request)
            environ.pop("REMOTE_ADDR", None)
            return environ

    response = NoPeerClient().post("/api/v1/feedback", {}, content_type="application/json")
    assert response.status_code == 422 and response.json()["error"]["code"] == "invalid"


def test_multipart_without_boundary_is_a_400_with_the_error_body(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="mp"))
    response = client.generic("POST", "/api/v1/dossiers", b"x", content_type="multipart/form-data")
    assert response.status_code == 400 and response.json()["error"]["code"] == "unreadable_body"
