"""The import outside a transaction: batches are written on a thread of their own (its own connection) while the
next batch is parsed. Inside the caller's transaction they stay in line, on the caller's connection."""

import threading

import pytest
from django.db import connection, transaction

from motcua.audit.verify import verify
from motcua.dossiers.importer import BatchWriter
from motcua.dossiers.models import Dossier, DossierEvent
from tests.dossiers_import.conftest import line, refuse_batches_with, run


@pytest.fixture
def writing_threads(monkeypatch):
    """Names of the threads BatchWriter.write ran on, one per call."""
    names, original = [], BatchWriter.write

    def recording(self, plans):
        names.append(threading.current_thread().name)
        return original(self, plans)

    monkeypatch.setattr(BatchWriter, "write", recording)
    return names


@pytest.mark.django_db(transaction=True)
def test_batches_are_written_on_the_writer_thread(world, writing_threads):
    report = run([line(code=f"X-{i}") for i in range(7)], batch_size=2)
    assert (report.created, report.errors) == (7, [])
    assert len(writing_threads) == 4 and all(n.startswith("import-writer") for n in writing_threads)
    assert Dossier.objects.count() == 7 and DossierEvent.objects.count() == 28
    assert verify().ok
    again = run([line(code=f"X-{i}") for i in range(9)], batch_size=2)
    assert (again.created, again.skipped_existing) == (2, 7)


@pytest.mark.django_db(transaction=True)
def test_a_refused_batch_is_retried_line_by_line_on_the_writer_thread(world, monkeypatch):
    refuse_batches_with(monkeypatch, "X-2")
    report = run([line(code=f"X-{i}") for i in range(5)], batch_size=3)
    assert report.created == 4 and [(e.line, e.field) for e in report.errors] == [(3, "code")]
    assert set(Dossier.objects.values_list("code", flat=True)) == {"X-0", "X-1", "X-3", "X-4"}


@pytest.mark.django_db(transaction=True)
def test_a_failure_of_the_writer_reaches_the_caller(world, monkeypatch):
    def broken(self, plans):
        raise RuntimeError("disk full")

    monkeypatch.setattr(BatchWriter, "write", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        run([line(code=f"X-{i}") for i in range(5)], batch_size=2)
    assert not Dossier.objects.exists()
    assert connection.connection is None or connection.is_usable()  # the caller's connection is untouched


@pytest.mark.django_db(transaction=True)
def test_inside_a_transaction_the_writes_stay_on_the_callers_connection(world, writing_threads):
    with transaction.atomic():
        report = run([line(code=f"X-{i}") for i in range(3)], batch_size=2)
        assert Dossier.objects.count() == 3  # seen by the caller before commit: same connection
    assert report.created == 3 and writing_threads == [threading.current_thread().name] * 2
