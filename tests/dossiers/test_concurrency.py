"""Concurrent intakes and transitions on real connections (one per thread).

PostgreSQL: row locks decide. SQLite: only with a file test database (MOTCUA_TEST_SQLITE=path) — the default
in-memory shared-cache test database answers "table is locked" instead of waiting, which is not how the WAL file
database behaves in production.
"""

import threading

import pytest
from django.db import connection, connections

from motcua.core.api_errors import ConflictError
from motcua.dossiers.engine import perform
from motcua.dossiers.models import Dossier, DossierCounter, DossierEvent
from motcua.dossiers.services import create_dossier
from tests.dossiers.conftest import APPLICANT, at, doc_list

THREADS = 6


def _skip_memory_sqlite():
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("needs PostgreSQL or a file SQLite test database (MOTCUA_TEST_SQLITE)")


def run_threads(target, n):
    barrier, results, errors = threading.Barrier(n), [], []

    def worker(i):
        try:
            barrier.wait()
            results.append(target(i))
        except Exception as exc:  # collected and asserted on by the test
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results, errors


@pytest.mark.django_db(transaction=True)
def test_concurrent_intakes_never_duplicate_a_code(world):
    _skip_memory_sqlite()
    docs = doc_list(world)

    def intake(i):
        d, _ = create_dossier(actor=world["tn"], procedure=world["procedure"].code, receiving_agency=world["centre"],
                              applicant=APPLICANT, documents=docs, now=at(2026, 3, 2, 9, i))
        return d.code

    codes, errors = run_threads(intake, THREADS)
    assert errors == []
    assert sorted(codes) == [f"000.00.30.T99-260302-{n:04d}" for n in range(1, THREADS + 1)]
    assert DossierCounter.objects.get(agency=world["centre"]).last_seq == THREADS


@pytest.mark.django_db(transaction=True)
def test_concurrent_same_idempotency_key_creates_one(world):
    _skip_memory_sqlite()
    docs = doc_list(world)

    def intake(i):
        d, created = create_dossier(actor=world["tn"], procedure=world["procedure"].code,
                                    receiving_agency=world["centre"], applicant=APPLICANT, documents=docs,
                                    now=at(2026, 3, 2, 9), idempotency_key="same")
        return d.code, created

    results, errors = run_threads(intake, 4)
    assert errors == []
    assert len({code for code, _ in results}) == 1 and sum(created for _, created in results) == 1
    assert Dossier.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_transitions_on_one_version_one_wins(world):
    _skip_memory_sqlite()
    d, _ = create_dossier(actor=world["tn"], procedure=world["procedure"].code, receiving_agency=world["centre"],
                          applicant=APPLICANT, documents=doc_list(world), now=at(2026, 3, 2, 9))

    def forward(i):
        perform(d.pk, "hand_over", world["tn"], expected_version=1, now=at(2026, 3, 2, 10))
        return i

    ok, errors = run_threads(forward, 4)
    assert len(ok) == 1 and len(errors) == 3 and all(isinstance(e, ConflictError) for e in errors)
    assert Dossier.objects.get(pk=d.pk).row_version == 2 and DossierEvent.objects.filter(dossier=d).count() == 2
