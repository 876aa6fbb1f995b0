"""The legacy import's bulk write path: a batch the database refuses mid-COPY, counters raised in one statement,
audit records chained after a stream that already exists, audit payloads stored exactly as normalised.

The import fixtures (`world`, `line`, `run`) are those of tests/dossiers_import."""

from datetime import date

from django.db import transaction

from motcua.audit.canonical import to_jsonable
from motcua.audit.models import AuditRecord
from motcua.audit.services import record, record_bulk, verify
from motcua.dossiers.importer import BatchWriter
from motcua.dossiers.models import Dossier, DossierCounter, DossierEvent, Status
from tests.dossiers_import import conftest as imports
from tests.dossiers_import.conftest import BASE, line, run

world = imports.world  # the import tests' fixture, used here by name


def test_batch_refused_by_the_database_is_retried_line_by_line(world, monkeypatch):
    """The second line's dossier is written just before its batch, so the batch's own insert (COPY on PostgreSQL)
    hits the unique code: the batch is rolled back and written again line by line, nothing is lost or doubled."""
    original = BatchWriter.write

    def racing(self, plans):
        if len(plans) > 1:
            original(self, [plans[1]])
        return original(self, plans)

    monkeypatch.setattr(BatchWriter, "write", racing)
    report = run([line(), line(code="X-2"), line(code="X-3")])
    assert (report.created, report.errors) == (3, [])
    assert sorted(Dossier.objects.values_list("code", flat=True)) == sorted([BASE["code"], "X-2", "X-3"])
    assert DossierEvent.objects.count() == 12 and AuditRecord.objects.filter(action="import").count() == 3
    assert verify().ok


def test_counters_of_one_batch_raised_never_lowered(world):
    centre = world["centre"]
    DossierCounter.objects.create(agency=centre, day=date(2026, 1, 5), last_seq=3)
    DossierCounter.objects.create(agency=centre, day=date(2026, 1, 6), last_seq=40)
    report = run([line(code="000.00.30.T99-260105-0009"), line(code="000.00.30.T99-260105-0012"),
                  line(code="000.00.30.T99-260106-0007"), line(code="000.00.30.T99-260107-0002")])
    assert report.created == 4
    assert dict(DossierCounter.objects.filter(agency=centre).values_list("day", "last_seq")) == {
        date(2026, 1, 5): 12, date(2026, 1, 6): 40, date(2026, 1, 7): 2}


def test_import_chains_after_an_existing_stream_of_the_code(world):
    """A code whose stream already has records (e.g. a dossier of an earlier import, since purged) continues it."""
    with transaction.atomic():
        record(f"dossier:{BASE['code']}", "note", target_type="dossier", target_id=BASE["code"], new={"x": 1})
    assert run([line(), line(code="X-2")]).created == 2
    assert list(AuditRecord.objects.filter(stream=f"dossier:{BASE['code']}").values_list("seq", "action")) == [
        (1, "note"), (2, "import")]
    assert AuditRecord.objects.get(stream="dossier:X-2").seq == 1
    result = verify()
    assert result.ok, [str(p) for p in result.problems]


def test_bulk_audit_payloads_stored_as_normalised(db):
    """Flat payloads of plain values skip the normalising walk; anything else (a NUL, an enum, a nested value)
    still goes through it, and every record verifies."""
    payloads = [{"code": "A", "line": 3, "ok": True, "due_at": None},
                {"note": "nul\x00here", "n": 1},
                {"status": Status.RECEIVED, "when": date(2026, 1, 5)},
                {"nested": {"a": [1, 2]}}]
    with transaction.atomic():
        record_bulk([{"stream": f"t:{i}", "action": "import", "target_type": "dossier", "target_id": str(i),
                      "new": p} for i, p in enumerate(payloads)])
    stored = dict(AuditRecord.objects.filter(stream__startswith="t:").values_list("stream", "new"))
    assert stored == {f"t:{i}": to_jsonable(p) for i, p in enumerate(payloads)}
    assert stored["t:1"]["note"] == "nul\ufffdhere" and stored["t:2"] == {"status": 2, "when": "2026-01-05"}
    assert verify().ok
