"""Monthly partitions of the history and audit tables: conversion, months to come, detaching old months with the
audit trail still verifying, and every tampering with an archived month detected. PostgreSQL only; each test's
DDL is rolled back with its transaction."""

from datetime import date, datetime
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from motcua.accounts.models import Role
from motcua.audit.checkpoints import checkpoint
from motcua.audit.models import ArchivedPartition
from motcua.audit.services import AuditError, record
from motcua.audit.verify import verify
from motcua.dossiers.engine import perform
from motcua.dossiers.models import DossierEvent
from motcua.dossiers.services import create_dossier
from motcua.scale import partitions as P
from tests.audit.helpers import sql
from tests.dossiers.conftest import APPLICANT, at, build_procedure, doc_list
from tests.factories import staff

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _postgresql_only(request):
    if connection.vendor != "postgresql" and "embedded" not in request.node.name:
        pytest.skip("PostgreSQL partitions only")
    if P.is_partitioned(P.SPECS["events"]):
        pytest.skip("the suite runs on converted tables (MOTCUA_TEST_PARTITIONED): these tests convert them")


def rows(statement: str, params=()) -> list[tuple]:
    with connection.cursor() as cur:
        cur.execute(statement, params)
        return cur.fetchall()


def index_names(table: str) -> set[str]:
    return {r[0] for r in rows("SELECT indexname FROM pg_indexes WHERE tablename = %s", [table])}


def write_at(moment: datetime, stream: str, n: int = 1) -> None:
    """Audit records written as if at `moment` (the writer stamps its own clock)."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        for i in range(n):
            with transaction.atomic():
                record(stream, "update", target_type="test", target_id=str(i), new={"i": i})


@pytest.fixture
def dossier(province):
    _proc, variant = build_procedure(province)
    world = {"docs": list(variant.documents.order_by("order"))}
    tn = staff("tn", province["centre"], Role.RECEPTION)
    d, _ = create_dossier(actor=tn, procedure="1.000001", variant=variant.pk, receiving_agency=province["centre"],
                          applicant=APPLICANT, documents=doc_list(world), now=at(2026, 1, 5, 9))
    perform(d, "forward", tn, now=at(2026, 2, 3, 9))
    return d, tn


def test_conversion_keeps_every_row_index_and_key_and_new_rows_land_in_their_month(dossier):
    d, tn = dossier
    table = DossierEvent._meta.db_table
    before_rows = rows(f"SELECT id, dossier_id, seq, at FROM {table} ORDER BY id")
    before_indexes = index_names(table)

    months = P.convert(P.SPECS["events"], ahead=2)

    spec = P.SPECS["events"]
    assert P.is_partitioned(spec)
    assert rows(f"SELECT id, dossier_id, seq, at FROM {table} ORDER BY id") == before_rows
    assert before_indexes <= index_names(table)
    parts = P.partitions(spec, count_rows=True)
    assert parts[-1].table == f"{table}_default" and len(parts) == months + 1
    by_month = {p.lower: p.rows for p in parts if p.lower}
    assert by_month[date(2026, 1, 1)] == 1 and by_month[date(2026, 2, 1)] == 1
    assert max(by_month) == P.add_months(P.month_start(date.today()), 2)
    unique = rows("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'uniq_dossier_event_seq'")
    assert unique == [("UNIQUE (dossier_id, seq, at)",)]

    perform(d, "forward", staff("cv", d.competent_agency, Role.SPECIALIST), now=at(2026, 3, 2, 9))
    event = DossierEvent.objects.get(dossier=d, seq=3)
    assert event.pk > max(r[0] for r in before_rows)
    assert rows(f"SELECT count(*) FROM {table}_2026_03") == [(1,)]
    with pytest.raises(P.PartitionError):
        P.convert(spec)


def test_ensure_gives_a_month_to_rows_that_fell_into_the_default_partition(dossier):
    d, _tn = dossier
    spec = P.SPECS["events"]
    P.convert(spec, ahead=1)
    DossierEvent.objects.create(dossier=d, seq=90, action="import", at=at(2019, 5, 10))
    assert rows(f"SELECT count(*) FROM {spec.table}_default") == [(1,)]

    created = P.ensure(spec, ahead=4)

    assert f"{spec.table}_2019_05" in created
    assert rows(f"SELECT count(*) FROM {spec.table}_default") == [(0,)]
    assert rows(f"SELECT count(*) FROM {spec.table}_2019_05") == [(1,)]
    assert P.ensure(spec, ahead=4) == []


def test_a_month_starts_at_local_midnight(dossier):
    d, _tn = dossier
    spec = P.SPECS["events"]
    P.convert(spec, ahead=0)
    DossierEvent.objects.create(dossier=d, seq=91, action="x", at=at(2026, 2, 1, 0, 30))  # 31/01 17:30 UTC
    assert rows(f"SELECT count(*) FROM {spec.table}_2026_02 WHERE seq = 91") == [(1,)]


@pytest.fixture
def archived(db):
    """Stream A: two records in January, one in February; stream B: one in January. January detached."""
    write_at(at(2026, 1, 10), "dossier:A", 2)
    write_at(at(2026, 1, 11), "dossier:B", 1)
    write_at(at(2026, 2, 10), "dossier:A", 1)
    checkpoint()
    spec = P.SPECS["audit"]
    P.convert(spec, ahead=0)
    assert P.detach(spec, date(2026, 2, 1)) == [f"{spec.table}_2026_01"]
    return f"{spec.table}_2026_01"


def test_detached_month_leaves_a_trail_that_still_verifies(archived):
    spec = P.SPECS["audit"]
    assert all(p.table != archived for p in P.partitions(spec))
    assert rows(f"SELECT count(*) FROM {archived}") == [(3,)]
    archive = ArchivedPartition.objects.get(table=archived)
    assert (archive.record_count, archive.boundary_count) == (3, 2)
    result = verify()
    assert result.ok, [str(p) for p in result.problems]
    assert result.records == 2  # A#3 and the archival record itself


def test_deleting_the_first_live_record_after_an_archive_is_detected(archived):
    sql("DELETE FROM audit_auditrecord WHERE stream = 'dossier:A'")
    assert not verify().ok


def test_a_forged_boundary_is_detected(archived):
    sql("UPDATE audit_archiveboundary SET last_hash = %s WHERE stream = 'dossier:A'", ["0" * 64])
    kinds = {p.kind for p in verify().problems}
    assert {"record", "archive"} <= kinds


def test_a_change_to_the_detached_table_is_detected(archived):
    sql(f"UPDATE {archived} SET hash = %s WHERE stream = 'dossier:B'", ["f" * 64])
    assert [p.kind for p in verify().problems] == ["archive"]


def test_removing_the_archive_rows_is_detected(archived):
    sql("DELETE FROM audit_archiveboundary")
    sql("DELETE FROM audit_archivedpartition")
    problems = verify().problems
    assert {"gap", "head", "archive"} <= {p.kind for p in problems}


def test_a_month_holding_a_later_record_of_a_chain_is_not_detached(db):
    write_at(at(2026, 2, 10), "dossier:C", 1)
    write_at(at(2026, 1, 10), "dossier:C", 1)  # a clock behind: seq 2 stamped in January
    spec = P.SPECS["audit"]
    P.convert(spec, ahead=0)
    with pytest.raises(AuditError):
        P.detach(spec, date(2026, 2, 1))
    assert not ArchivedPartition.objects.exists()


def test_only_past_months_are_detached(db):
    spec = P.SPECS["events"]
    P.convert(spec, ahead=0)
    with pytest.raises(P.PartitionError):
        P.detach(spec, P.month_start(date.today()))


def test_command_converts_and_reports(db, capsys):
    call_command("partitions", "convert", "--table", "events", "--ahead", "1")
    call_command("partitions", "status", "--table", "events")
    out = capsys.readouterr().out
    assert "dossiers_dossierevent_default" in out and "mặc định" in out
    with pytest.raises(CommandError):
        call_command("partitions", "convert", "--table", "events")
    with pytest.raises(CommandError):
        call_command("partitions", "detach", "--before", "2026-13")


def test_embedded_database_gets_a_clear_refusal(db, capsys):
    if connection.vendor == "postgresql":
        pytest.skip("SQLite only")
    call_command("partitions", "status")
    assert "chưa phân vùng" in capsys.readouterr().out
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("partitions", "convert")


def test_detached_history_months_leave_the_live_table_and_keep_their_rows(dossier):
    d, _tn = dossier
    spec = P.SPECS["events"]
    P.convert(spec, ahead=0)
    assert P.detach(spec, date(2026, 2, 1)) == [f"{spec.table}_2026_01"]
    assert rows(f"SELECT count(*) FROM {spec.table}_2026_01") == [(1,)]
    assert list(DossierEvent.objects.filter(dossier=d).values_list("seq", flat=True)) == [2]
