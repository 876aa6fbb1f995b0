"""Real concurrency needs PostgreSQL row locks (SQLite serialises every write transaction anyway)."""

import threading

import pytest
from django.db import connection, connections, transaction

from motcua.audit.models import AuditRecord
from motcua.audit.services import record
from motcua.audit.verify import verify

pg_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")


def _in_thread(fn, errors):
    def run():
        try:
            fn()
        except Exception as exc:  # reported by the test thread
            errors.append(exc)
        finally:
            connections.close_all()
    return threading.Thread(target=run)


@pg_only
@pytest.mark.django_db(transaction=True)
def test_two_writers_of_a_new_stream_get_seq_1_to_n_without_gaps():
    start, errors, per_thread = threading.Barrier(2), [], 20

    def writer():
        start.wait()
        for i in range(per_thread):
            with transaction.atomic():
                record("dossier:RACE", "update", target_type="dossier", target_id=str(i))

    threads = [_in_thread(writer, errors) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    seqs = list(AuditRecord.objects.filter(stream="dossier:RACE").order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, 2 * per_thread + 1))
    assert verify().ok


@pg_only
@pytest.mark.django_db(transaction=True)
def test_a_writer_holding_one_stream_does_not_block_another_stream():
    holding, release, errors, done = threading.Event(), threading.Event(), [], threading.Event()

    def slow_writer():
        with transaction.atomic():
            record("dossier:SLOW", "assign", target_type="dossier", target_id="1")
            holding.set()
            release.wait(30)

    def other_writer():
        holding.wait(30)
        with transaction.atomic():
            record("dossier:FAST", "assign", target_type="dossier", target_id="2")
        done.set()

    threads = [_in_thread(slow_writer, errors), _in_thread(other_writer, errors)]
    for t in threads:
        t.start()
    finished_while_held = done.wait(10)
    release.set()
    for t in threads:
        t.join(30)
    assert not errors and finished_while_held
