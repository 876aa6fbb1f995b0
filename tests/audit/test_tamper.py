"""Every kind of tampering done behind the ORM's back must make verify() fail and name where."""

import pytest

from motcua.audit.checkpoints import checkpoint
from motcua.audit.models import AuditCheckpoint, AuditRecord
from motcua.audit.verify import verify
from tests.audit.helpers import sql, write

pytestmark = pytest.mark.django_db


@pytest.fixture
def chains():
    return {"a": write("dossier:A", 4), "b": write("dossier:B", 3)}


def only_problem(result):
    assert not result.ok, "tampering went unnoticed"
    return result.first


def test_untouched_trail_verifies(chains):
    checkpoint()
    result = verify()
    assert result.ok and (result.records, result.streams, result.checkpoints) == (7, 2, 1)


def test_changed_new_value_names_the_record(chains):
    target = chains["a"][1]
    sql("UPDATE audit_auditrecord SET new = %s WHERE id = %s", ['{"i": 999}', target.pk])
    first = only_problem(verify())
    assert (first.kind, first.stream, first.seq, first.record_id) == ("record", "dossier:A", 2, target.pk)
    assert verify().problem_count == 1


def test_changed_hash_breaks_the_next_link(chains):
    target = chains["b"][0]
    sql("UPDATE audit_auditrecord SET hash = %s WHERE id = %s", ["f" * 64, target.pk])
    result = verify()
    assert (result.first.stream, result.first.seq, result.first.record_id) == ("dossier:B", 1, target.pk)
    assert {(p.stream, p.seq) for p in result.problems} >= {("dossier:B", 1), ("dossier:B", 2)}


def test_rewritten_record_with_recomputed_hash_breaks_the_next_link(chains):
    from motcua.audit.canonical import record_hash

    rec = chains["a"][1]
    forged = record_hash(stream=rec.stream, seq=rec.seq, at=rec.at, actor_id=None, actor_label=rec.actor_label,
                         action=rec.action, target_type=rec.target_type, target_id=rec.target_id, old=rec.old,
                         new={"i": 0}, prev_hash=rec.prev_hash)
    sql("UPDATE audit_auditrecord SET new = %s, hash = %s WHERE id = %s", ['{"i": 0}', forged, rec.pk])
    first = only_problem(verify())
    assert (first.kind, first.stream, first.seq) == ("record", "dossier:A", 3)


def test_deleted_middle_record_is_a_gap(chains):
    sql("DELETE FROM audit_auditrecord WHERE id = %s", [chains["a"][1].pk])
    first = only_problem(verify())
    assert (first.kind, first.stream, first.seq, first.record_id) == ("gap", "dossier:A", 3, chains["a"][2].pk)


def test_deleted_last_record_is_caught_by_the_head(chains):
    sql("DELETE FROM audit_auditrecord WHERE id = %s", [chains["b"][2].pk])
    first = only_problem(verify())
    assert (first.kind, first.stream, first.seq) == ("head", "dossier:B", 2)


def test_deleted_tail_with_head_rewound_is_caught_by_the_checkpoint(chains):
    checkpoint()
    last = chains["b"][2]
    sql("DELETE FROM audit_auditrecord WHERE id = %s", [last.pk])
    sql("UPDATE audit_streamhead SET last_seq = 2, last_hash = %s WHERE stream = %s", [chains["b"][1].hash, "dossier:B"])
    first = only_problem(verify())
    assert (first.kind, first.stream, first.seq) == ("entry", "dossier:B", 3)


def test_whole_stream_deleted_after_checkpoint(chains):
    checkpoint()
    write("dossier:C", 1)
    sql("DELETE FROM audit_auditrecord WHERE stream = %s", ["dossier:A"])
    sql("DELETE FROM audit_streamhead WHERE stream = %s", ["dossier:A"])
    result = verify()
    assert [(p.kind, p.stream, p.seq) for p in result.problems] == [("entry", "dossier:A", 4)]


def test_whole_stream_deleted_but_head_left(chains):
    sql("DELETE FROM audit_auditrecord WHERE stream = %s", ["dossier:B"])
    first = only_problem(verify())
    assert (first.kind, first.stream) == ("head", "dossier:B")


def test_deleted_head_row(chains):
    sql("DELETE FROM audit_streamhead WHERE stream = %s", ["dossier:A"])
    first = only_problem(verify())
    assert (first.kind, first.stream) == ("head", "dossier:A")


def test_reordered_records(chains):
    second, third = chains["a"][1], chains["a"][2]
    sql("UPDATE audit_auditrecord SET seq = 999 WHERE id = %s", [second.pk])
    sql("UPDATE audit_auditrecord SET seq = 2 WHERE id = %s", [third.pk])
    sql("UPDATE audit_auditrecord SET seq = 3 WHERE id = %s", [second.pk])
    first = only_problem(verify())
    assert (first.stream, first.seq, first.record_id) == ("dossier:A", 2, third.pk)


def test_tampered_checkpoint_totals(chains):
    cp = checkpoint()
    sql("UPDATE audit_auditcheckpoint SET record_count = 3 WHERE id = %s", [cp.pk])
    first = only_problem(verify())
    assert first.kind == "checkpoint" and "tổng số" in first.message


def test_deleted_checkpoint_entry_changes_the_digest(chains):
    checkpoint()
    sql("DELETE FROM audit_checkpointentry WHERE stream = %s", ["dossier:A"])
    assert only_problem(verify()).kind == "checkpoint"


def test_deleted_checkpoint_breaks_the_checkpoint_chain(chains):
    first_cp = checkpoint()
    write("dossier:A", 1)
    checkpoint()
    sql("DELETE FROM audit_checkpointentry WHERE checkpoint_seq = 1")
    sql("DELETE FROM audit_auditcheckpoint WHERE id = %s", [first_cp.pk])
    assert only_problem(verify()).kind == "checkpoint"


def test_external_anchor_detects_rewritten_checkpoints(chains):
    cp = checkpoint()
    assert verify(anchor=(cp.seq, cp.hash)).ok
    assert only_problem(verify(anchor=(cp.seq, "0" * 64))).kind == "anchor"
    assert only_problem(verify(anchor=(cp.seq + 5, cp.hash))).kind == "anchor"


def test_checkpoints_are_incremental(chains):
    first = checkpoint()
    assert (first.entry_count, first.stream_count, first.record_count) == (2, 2, 7)
    write("dossier:B", 2)
    write("dossier:N", 1)
    second = checkpoint()
    assert (second.entry_count, second.stream_count, second.record_count) == (2, 3, 10)
    assert second.prev_hash == first.hash
    empty = checkpoint()
    assert (empty.entry_count, empty.record_count) == (0, 10)
    assert verify().ok and AuditCheckpoint.objects.count() == 3
    assert AuditRecord.objects.count() == 10


def test_heads_are_compared_across_batches(monkeypatch):
    from motcua.audit import verify as verify_module

    monkeypatch.setattr(verify_module, "CHUNK", 2)  # several head batches and several fetch chunks
    for n in range(5):
        write(f"dossier:S{n}", 2)
    sql("UPDATE audit_streamhead SET last_seq = 7 WHERE stream = %s", ["dossier:S3"])
    result = verify()
    assert (result.records, result.streams) == (10, 5)
    assert [(p.kind, p.stream) for p in result.problems] == [("head", "dossier:S3")]
