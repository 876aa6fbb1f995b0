import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils.translation import gettext_lazy

from motcua.audit.canonical import GENESIS, canonical_dumps, to_jsonable
from motcua.audit.models import AuditRecord, StreamHead
from motcua.audit.services import AuditError, record, stream_records
from motcua.audit.verify import verify
from tests.audit.helpers import write
from tests.factories import AgencyFactory


@pytest.mark.django_db
def test_records_are_chained_per_stream():
    a = write("dossier:A", 3)
    b = write("dossier:B", 2)
    assert [r.seq for r in a] == [1, 2, 3] and [r.seq for r in b] == [1, 2]
    assert a[0].prev_hash == GENESIS and b[0].prev_hash == GENESIS
    assert a[1].prev_hash == a[0].hash and a[2].prev_hash == a[1].hash
    stored = list(stream_records("dossier:A"))
    assert [r.hash for r in stored] == [r.hash for r in a]
    assert all(r.compute_hash() == r.hash for r in stored)  # recomputable from what the database returns
    head = StreamHead.objects.get(pk="dossier:A")
    assert (head.last_seq, head.last_hash) == (3, a[2].hash)
    result = verify()
    assert result.ok and (result.records, result.streams) == (5, 2)


@pytest.mark.django_db
def test_hash_covers_every_field():
    rec = write("catalog", 1)[0]
    for field, value in [("seq", 2), ("actor_label", "x"), ("action", "delete"), ("target_id", "9"),
                         ("old", {"i": 1}), ("new", {"i": 9}), ("prev_hash", "1" * 64),
                         ("at", rec.at + dt.timedelta(microseconds=1))]:
        copy = AuditRecord(**{f.attname: getattr(rec, f.attname) for f in AuditRecord._meta.concrete_fields})
        setattr(copy, field, value)
        assert copy.compute_hash() != rec.hash, field


@pytest.mark.django_db
def test_values_survive_the_database_round_trip_and_still_verify():
    agency = AgencyFactory()
    old = {"date": dt.date(2025, 7, 1), "amount": Decimal("150000.50"), "ratio": 0.1, "big": 1e20,
           "uuid": uuid.UUID(int=7), "agency": agency, "when": dt.datetime(2025, 7, 1, 8, 0, tzinfo=dt.UTC),
           "tags": {"b", "a"}, "label": gettext_lazy("Hồ sơ"), "nul": "a\x00b", 3: (1, 2)}
    with transaction.atomic():
        rec = record("dossier:X", "update", target_type="dossier", target_id=uuid.UUID(int=1), old=old,
                     new={"n": None, "ok": True})
    stored = AuditRecord.objects.get(pk=rec.pk)
    assert stored.old == {"date": "2025-07-01", "amount": "150000.50", "ratio": "0.1", "big": "1e+20",
                          "uuid": str(uuid.UUID(int=7)), "agency": agency.pk,
                          "when": "2025-07-01T08:00:00.000000+00:00", "tags": ["a", "b"], "label": "Hồ sơ",
                          "nul": "a\ufffdb", "3": [1, 2]}
    assert stored.target_id == str(uuid.UUID(int=1))
    assert stored.compute_hash() == rec.hash and verify().ok


def test_canonical_json_is_stable():
    assert canonical_dumps(to_jsonable({"b": 1, "a": "Đ"})) == '{"a":"Đ","b":1}'


@pytest.mark.django_db
def test_record_takes_three_queries_on_a_known_stream(django_assert_num_queries):
    write("dossier:Q", 1)
    with transaction.atomic(), django_assert_num_queries(3):
        record("dossier:Q", "assign", target_type="dossier", target_id="Q")


@pytest.mark.django_db
def test_new_stream_hint_saves_the_tip_read_and_a_wrong_hint_still_chains(django_assert_num_queries):
    with transaction.atomic(), django_assert_num_queries(2):
        first = record("dossier:N", "receive", target_type="dossier", target_id="N", new_stream=True)
    with transaction.atomic():  # the stream exists: the head insert conflicts, the tip is read, the chain goes on
        second = record("dossier:N", "assign", target_type="dossier", target_id="N", new_stream=True)
    assert (first.seq, second.seq, second.prev_hash) == (1, 2, first.hash)
    assert StreamHead.objects.get(pk="dossier:N").last_seq == 2
    assert verify().ok


@pytest.mark.django_db(transaction=True)
def test_record_refuses_to_run_outside_a_transaction():
    with pytest.raises(AuditError):
        record("catalog", "create", target_type="t", target_id="1")
    assert not AuditRecord.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("kwargs, field", [
    ({"stream": ""}, "stream"), ({"stream": "x" * 201}, "stream"), ({"action": ""}, "action"),
    ({"target_id": ""}, "target_id"), ({"target_type": None}, "target_type"),
])
def test_bad_arguments_name_the_field(kwargs, field):
    args = {"stream": "catalog", "action": "create", "target_type": "t", "target_id": "1"} | kwargs
    with transaction.atomic(), pytest.raises(AuditError) as err:
        record(args.pop("stream"), args.pop("action"), **args)
    assert err.value.field == field and str(err.value)
    assert not AuditRecord.objects.exists()
