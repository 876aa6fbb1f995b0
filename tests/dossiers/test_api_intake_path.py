"""The API intake's hot path: what it reads per request, what it caches, and the SQLite intakes' write turn."""

import fcntl
import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from motcua.dossiers import catalogcache
from motcua.dossiers.models import ApiClient, Dossier
from motcua.dossiers.services import create_dossier
from tests.dossiers.conftest import APPLICANT, doc_list
from tests.dossiers.conftest import api_body as body

URL = "/api/v1/dossiers"


@pytest.fixture(autouse=True)
def _forget_caches():
    """The test transaction's rollback sends no signal: drop the agencies these tests cached."""
    yield
    catalogcache.clear()


@pytest.fixture
def bearer(api_client):
    return api_client[0], Client(HTTP_AUTHORIZATION=f"Bearer {api_client[1]}")


@pytest.mark.django_db
def test_an_intake_reads_the_client_with_its_scope_and_the_key_once(world, bearer):
    _client, c = bearer
    assert c.post(URL, body(world), content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-0").status_code == 201
    with CaptureQueriesContext(connection) as captured:
        r = c.post(URL, body(world), content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert r.status_code == 201, r.content
    reads = [q["sql"] for q in captured.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]
    # The client joined to its agencies' paths, then the idempotency key; the catalogue and the receiving agency
    # come from the per-process cache.
    assert len(reads) == 2, reads
    assert "dossiers_apiclient_agencies" in reads[0] and "idempotency_key" in reads[1]


@pytest.mark.django_db
def test_a_narrowed_scope_or_a_revoked_client_applies_to_the_next_request(world, bearer):
    client, c = bearer
    assert c.post(URL, body(world), content_type="application/json").status_code == 201
    client.agencies.remove(world["centre"])
    refused = c.post(URL, body(world), content_type="application/json")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    client.agencies.add(world["centre"])
    ApiClient.objects.filter(pk=client.pk).update(active=False)
    assert c.post(URL, body(world), content_type="application/json").status_code == 401


@pytest.mark.django_db
def test_a_receiving_agency_closed_in_this_process_is_refused_by_the_next_intake(world, bearer):
    _client, c = bearer
    assert c.post(URL, body(world), content_type="application/json").status_code == 201  # now cached
    centre = world["centre"]
    centre.valid_to = timezone.localdate() - timedelta(days=1)
    centre.save()
    r = c.post(URL, body(world), content_type="application/json")
    assert r.status_code == 422 and "receiving_agency" in r.json()["error"]["fields"]


@pytest.mark.django_db
def test_an_unknown_receiving_agency_is_a_field_error(world, bearer):
    _client, c = bearer
    r = c.post(URL, {**body(world), "receiving_agency": "000.00.99.X00"}, content_type="application/json")
    assert r.status_code == 422 and "receiving_agency" in r.json()["error"]["fields"]


@pytest.mark.django_db(transaction=True)
def test_on_a_sqlite_file_an_intake_waits_for_its_write_turn(world):
    if connection.vendor != "sqlite" or connection.is_in_memory_db():
        pytest.skip("needs a file SQLite test database (MOTCUA_TEST_SQLITE)")
    done = threading.Event()

    def intake():
        try:
            create_dossier(actor=world["tn"], procedure=world["procedure"].code, receiving_agency=world["centre"],
                           applicant=APPLICANT, documents=doc_list(world))
            done.set()
        finally:
            connections.close_all()

    with open(f"{connection.settings_dict['NAME']}.intake-lock", "ab") as turn:
        fcntl.flock(turn, fcntl.LOCK_EX)  # another process's intake holds the turn
        worker = threading.Thread(target=intake)
        worker.start()
        assert not done.wait(0.5) and not Dossier.objects.exists()
        fcntl.flock(turn, fcntl.LOCK_UN)
    worker.join(30)
    assert done.is_set() and Dossier.objects.count() == 1
