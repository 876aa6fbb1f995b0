"""Province side: the status changes it publishes (no personal data, oldest first, after the cursor, settled), the
statistics document (the unit reports of reports.period_report, both definitions), and pushes that fail (the cursor
stays, the error is kept on the peer)."""

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from motcua.dossiers.models import DossierEvent
from motcua.federation import exchange, publish
from motcua.federation.models import Peer
from motcua.indices.periods import parse
from motcua.reports.report import period_report
from tests.federation.conftest import OCTOBER, PROVINCE

pytestmark = pytest.mark.django_db
PERSONAL = ("Trần Thị Bình", "001203012345", "0912345678", "Lý Thái Tổ")


@pytest.fixture
def october(load):
    return load(*OCTOBER)


def test_pending_events_are_status_changes_without_personal_data(october):
    events, cursor = exchange.pending_events(0, 100)
    assert [(e["code"], e["seq"], e["status"]) for e in events] == [
        ("F1", 1, 2), ("F1", 2, 4), ("F1", 3, 9), ("F2", 1, 2), ("F2", 2, 4), ("F2", 3, 9), ("F3", 1, 2),
        ("F3", 2, 4)]
    assert set(events[0]) == set(exchange.EVENT_FIELDS)
    f1 = events[2]
    assert (f1["procedure"], f1["receiving_agency"], f1["competent_agency"], f1["channel"]) == (
        "1.000777", "000.00.30.T99", "000.00.12.T99", 2)
    assert f1["outcome"] == "early" and f1["finished_at"].startswith("2026-10-05T")
    text = repr(events)
    assert not any(p in text for p in PERSONAL)
    assert cursor == DossierEvent.objects.order_by("pk").last().pk
    page, after_three = exchange.pending_events(0, 3)
    assert len(page) == 3 and exchange.pending_events(after_three, 100)[0] == events[3:]
    assert exchange.pending_events(cursor, 100) == ([], cursor)


def test_settling_stops_the_batch_before_the_first_young_event(october, intake, load):
    young = intake(timezone.now())  # received just now: its event is younger than the settling time
    load({**OCTOBER[0], "code": "F9"})  # imported afterwards: old instants, higher event ids, held back too
    events, cursor = exchange.pending_events(0, 100, settle_seconds=3600)
    assert [e["code"] for e in events] == ["F1"] * 3 + ["F2"] * 3 + ["F3"] * 2
    assert cursor == max(DossierEvent.objects.filter(dossier__code="F3").values_list("pk", flat=True))
    unsettled = [e["code"] for e in exchange.pending_events(cursor, 100)[0]]
    assert unsettled[0] == young.code and unsettled[-3:] == ["F9"] * 3


def test_statistics_document_carries_each_units_period_report(october, world):
    doc = exchange.statistics_document(world["pc"], parse("2026-10"))
    assert (doc["format"], doc["kind"], doc["period"]) == (exchange.FORMAT, "statistics",
                                                          {"key": "2026-10", "from": "2026-10-01", "to": "2026-10-31"})
    units = {(u["code"], u["definition"]): u for u in doc["units"]}
    assert (PROVINCE, "local") in units and ("000.00.12.T99", "766") in units
    assert ("000.20.00.T99", "local") not in units  # the merged district reports through its successor
    for (code, definition), u in units.items():
        expected = period_report(code, "2026-10-01", "2026-10-31", definition=definition)
        assert u["figures"] == {k: expected[k] for k in u["figures"]}
        assert u["parent"] == ("" if code == PROVINCE else PROVINCE)
    total = units[(PROVINCE, "local")]["figures"]
    assert (total["received"], total["finished"], total["finished_late"], total["received_online"]) == (3, 2, 1, 1)
    assert total["on_time_rate"] == 50.0


def test_push_to_an_unreachable_national_keeps_the_cursor_and_the_error(october):
    peer = Peer.objects.create(name="quoc-gia", url="http://127.0.0.1:9", key_id="k", secret="s",
                               province_code=PROVINCE)
    with pytest.raises(CommandError, match="unreachable"):
        call_command("federation", "push", "--peer", "quoc-gia", "--settle", "0")
    peer.refresh_from_db()
    assert peer.last_cursor == 0 and peer.last_error.startswith("unreachable")


def test_push_refuses_unknown_peer_bad_period_and_unknown_province(october):
    with pytest.raises(CommandError, match="peer_unknown"):
        call_command("federation", "push", "--peer", "nowhere")
    Peer.objects.create(name="qg", url="http://127.0.0.1:9", key_id="k", secret="s", province_code="000.00.00.X01")
    with pytest.raises(CommandError, match="invalid_period"):
        call_command("federation", "push", "--peer", "qg", "--period", "2026-13")
    with pytest.raises(CommandError, match="province_unknown"):
        call_command("federation", "push", "--peer", "qg")


def test_peer_and_province_registration_commands(capsys, monkeypatch):
    from motcua.federation.models import ProvinceFeed

    with pytest.raises(CommandError, match="secret"):
        call_command("federation", "add-peer", "--name", "qg", "--url", "http://x", "--key-id", "k",
                     "--province-code", PROVINCE)
    monkeypatch.setenv("MOTCUA_FEDERATION_SECRET", "from-env")
    call_command("federation", "add-peer", "--name", "qg", "--url", "http://x", "--key-id", "k",
                 "--province-code", PROVINCE)
    assert Peer.objects.get(name="qg").secret == "from-env"
    monkeypatch.delenv("MOTCUA_FEDERATION_SECRET")
    call_command("federation", "add-province", "--code", PROVINCE, "--name", "Tỉnh Thử", "--key-id", "t99")
    secret = ProvinceFeed.objects.get(code=PROVINCE).secret
    assert len(secret) >= 40 and secret in capsys.readouterr().out
    with pytest.raises(CommandError, match="t99"):
        call_command("federation", "add-province", "--code", "000.00.00.H01", "--name", "Khác", "--key-id", "t99")
    call_command("federation", "status")
    status = capsys.readouterr().out
    assert "peer qg http://x cursor=0" in status and f"province {PROVINCE} Tỉnh Thử events=0" in status


@pytest.mark.django_db(transaction=True)
def test_round_trip_through_a_live_server_and_the_celery_task(live_server, load):
    """Province and national share one test database here (different tables); the real HTTP, signing and
    idempotency path runs end to end; the Celery task runs in-process (no broker)."""
    from motcua.agencies.models import Agency
    from motcua.federation.models import FederatedDossierStatus, FederatedStatistic, ProvinceFeed
    from motcua.federation.tasks import push_to_peer

    load(*OCTOBER)
    ProvinceFeed.objects.create(code=PROVINCE, name="Tỉnh Thử", key_id="t99", secret="shh")
    Peer.objects.create(name="qg", url=live_server.url, key_id="t99", secret="shh", province_code=PROVINCE)
    # disable_sync_subtasks=False: Celery's "inside a task" flag is one per process, not per thread, and the live
    # server's thread runs eager tasks of its own at the same time (it can leave the flag set for this thread).
    result = push_to_peer.delay("qg", "2026-10").get(disable_sync_subtasks=False)
    assert (result["batches"], result["sent"], result["accepted"], result["duplicates"]) == (1, 8, 8, 0)
    assert result["statistics_units"] == 2 * len(exchange.published_units(Agency.objects.get(code=PROVINCE)))
    Peer.objects.filter(name="qg").update(last_cursor=0)
    FederatedDossierStatus.objects.all().delete()
    result = publish.push("qg", settle_seconds=0, batch_size=3)
    assert (result["batches"], result["sent"], result["accepted"]) == (3, 8, 8)
    assert dict(FederatedDossierStatus.objects.values_list("code", "status")) == {"F1": 9, "F2": 9, "F3": 4}
    again = publish.push("qg", settle_seconds=0, rescan=True)  # lost acknowledgements: everything again
    assert (again["sent"], again["accepted"], again["duplicates"]) == (8, 0, 8)
    assert FederatedDossierStatus.objects.count() == 3
    assert FederatedStatistic.objects.filter(period="2026-10", unit_code=PROVINCE).count() == 2
    assert Peer.objects.get(name="qg").last_cursor == DossierEvent.objects.order_by("pk").last().pk
    Peer.objects.filter(name="qg").update(secret="wrong", last_cursor=0)
    with pytest.raises(CommandError, match="signature_invalid"):
        call_command("federation", "push", "--peer", "qg", "--settle", "0")
    peer = Peer.objects.get(name="qg")
    assert peer.last_cursor == 0 and peer.last_error.startswith("signature_invalid")
