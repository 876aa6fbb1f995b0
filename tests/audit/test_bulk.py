"""record_bulk(): many records in one go, chained exactly like record(), verifiable, refused outside a transaction."""

import pytest
from django.db import transaction

from motcua.audit.models import AuditRecord, StreamHead
from motcua.audit.services import AuditError, record, record_bulk, verify

pytestmark = pytest.mark.django_db


def entries(n, stream="dossier:{i}"):
    return [{"stream": stream.format(i=i), "action": "import", "target_type": "dossier", "target_id": str(i),
             "new": {"status": 10, "line": i, "note": "Hồ sơ nhập từ hệ thống cũ"}} for i in range(n)]


def test_new_streams_start_at_one_and_verify():
    with transaction.atomic():
        assert record_bulk(entries(50), actor="command:import") == 50
    assert AuditRecord.objects.filter(stream__startswith="dossier:").count() == 50
    rec = AuditRecord.objects.get(stream="dossier:7")
    assert (rec.seq, rec.action, rec.actor_label, rec.new["line"]) == (1, "import", "command:import", 7)
    assert StreamHead.objects.get(pk="dossier:7").last_hash == rec.hash
    assert verify().ok


def test_existing_streams_and_repeated_streams_continue_the_chain():
    with transaction.atomic():
        record("dossier:A", "receive", target_type="dossier", target_id="A", new={"status": 2})
    with transaction.atomic():
        record_bulk(entries(3, stream="dossier:A") + entries(2, stream="dossier:B"))
    with transaction.atomic():
        record("dossier:A", "deliver", target_type="dossier", target_id="A", new={"status": 10})
    assert list(AuditRecord.objects.filter(stream="dossier:A").order_by("seq").values_list("seq", "action")) == [
        (1, "receive"), (2, "import"), (3, "import"), (4, "import"), (5, "deliver")]
    assert StreamHead.objects.get(pk="dossier:B").last_seq == 2
    result = verify()
    assert result.ok, [str(p) for p in result.problems]


def test_tampering_with_a_bulk_record_is_detected():
    with transaction.atomic():
        record_bulk(entries(3))
    assert verify().ok
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("UPDATE audit_auditrecord SET target_id = 'x' WHERE stream = 'dossier:1'")
    assert not verify().ok


@pytest.mark.django_db(transaction=True)
def test_refused_outside_a_transaction_and_bad_fields():
    with pytest.raises(AuditError):
        record_bulk(entries(1))
    with transaction.atomic(), pytest.raises(AuditError) as exc:
        record_bulk([{"stream": "s", "action": "", "target_type": "dossier", "target_id": "1"}])
    assert exc.value.field == "action"
    with transaction.atomic():
        assert record_bulk([]) == 0
