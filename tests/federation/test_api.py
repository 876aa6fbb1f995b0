"""National endpoints in-process: signature failures answer 401/409 with the machine-readable error body before
anything is stored; a resent batch and resent statistics change nothing; a batch for another province is 403;
older events never overwrite newer ones; the ranking is for national administrators and registered provinces."""

import pytest

from motcua.accounts.models import Role
from motcua.federation.exchange import FORMAT
from motcua.federation.models import FederatedDossierStatus, FederatedStatistic, FederationNonce, ProvinceFeed
from tests.factories import AgencyFactory, UserFactory, staff
from tests.federation.conftest import PROVINCE

EVENTS = "/api/v1/federation/events"
STATS = "/api/v1/federation/statistics"
NATIONAL = "/api/v1/federation/national"
pytestmark = pytest.mark.django_db


def event(code, seq, status, at="2026-10-01T09:00:00+07:00", **kw):
    return {"code": code, "seq": seq, "procedure": "1.000777", "receiving_agency": "000.00.30.T99",
            "competent_agency": "000.00.12.T99", "channel": 1, "from_status": None, "status": status, "at": at,
            "submitted_at": "2026-10-01T08:00:00+07:00", "received_at": "2026-10-01T09:00:00+07:00",
            "due_at": "2026-10-15T17:00:00+07:00", "finished_at": None, "delivered_at": None, "outcome": "",
            "outcome_766": "", **kw}


def batch(events, province=PROVINCE, after=0, last=10, fmt=FORMAT):
    return {"format": fmt, "kind": "events", "province": {"code": province, "name": "Tỉnh Thử"},
            "sent_at": "2026-11-01T08:00:00+07:00", "cursor": {"after": after, "last": last}, "events": events}


def figures(received, online, finished, on_time, late, overdue=0):
    return {"received": received, "received_online": online, "to_process": received, "finished": finished,
            "finished_early": 0, "finished_on_time": on_time, "finished_late": late, "in_progress": received - finished,
            "in_progress_on_time": received - finished - overdue, "in_progress_overdue": overdue,
            "on_time_rate": round(100 * on_time / finished, 2) if finished else None,
            "online_rate": round(100 * online / received, 2) if received else None, "avg_handling_days": 2.0}


def stats_doc(units, computed_at="2026-11-01T08:00:00+07:00", province=PROVINCE, period=("2026-10", "2026-10-01",
                                                                                         "2026-10-31")):
    return {"format": FORMAT, "kind": "statistics", "province": {"code": province, "name": "Tỉnh"},
            "sent_at": computed_at, "computed_at": computed_at,
            "period": {"key": period[0], "from": period[1], "to": period[2]}, "units": units}


def unit(code, definition, figs, parent=""):
    return {"code": code, "name": f"Đơn vị {code}", "parent": parent, "definition": definition, "figures": figs}


def error_code(response):
    return response.json()["error"]["code"]


def test_events_are_stored_once_and_a_resend_changes_nothing(feed, signed):
    document = batch([event("A1", 1, 2), event("A1", 2, 4, at="2026-10-02T09:00:00+07:00"), event("B1", 1, 2)])
    first = signed("POST", EVENTS, document)
    assert first.status_code == 200, first.content
    assert first.json() | {} == {"format": FORMAT, "accepted": 3, "duplicates": 0, "dossiers": 2, "cursor": 10}
    again = signed("POST", EVENTS, document)  # the answer was lost: the province signs the same batch again
    assert again.json()["accepted"] == 0 and again.json()["duplicates"] == 3
    rows = {r.code: r for r in FederatedDossierStatus.objects.all()}
    assert (rows["A1"].seq, rows["A1"].status, rows["B1"].status) == (2, 4, 2)
    feed.refresh_from_db()
    assert feed.events_received == 3 and feed.last_events_at


def test_an_older_event_never_overwrites_a_newer_one(feed, signed):
    signed("POST", EVENTS, batch([event("A1", 3, 9, finished_at="2026-10-05T10:00:00+07:00", outcome="early")]))
    answer = signed("POST", EVENTS, batch([event("A1", 2, 4)])).json()
    assert (answer["accepted"], answer["duplicates"]) == (0, 1)
    row = FederatedDossierStatus.objects.get(code="A1")
    assert (row.status, row.seq, row.outcome) == (9, 3, "early")


@pytest.mark.parametrize("change, code, status", [
    ({"secret": "not-the-secret"}, "signature_invalid", 401),
    ({"key_id": "unknown"}, "key_unknown", 401),
    ({"timestamp": 1_000_000_000}, "timestamp_stale", 401),
])
def test_bad_signatures_are_refused_with_the_error_body_and_store_nothing(feed, signed, change, code, status):
    response = signed("POST", EVENTS, batch([event("A1", 1, 2)]), **change)
    assert response.status_code == status
    assert error_code(response) == code and response.json()["error"]["message"]
    assert not FederatedDossierStatus.objects.exists() and not FederationNonce.objects.exists()


def test_tampered_body_is_refused(feed, client):
    import json

    from motcua.federation import signing

    body = json.dumps(batch([event("A1", 1, 2)])).encode()
    headers = signing.sign("t99-key", "a-shared-secret-for-tests-only", "POST", EVENTS, body)
    tampered = body.replace(b'"status": 2', b'"status": 9')
    assert tampered != body
    response = client.post(EVENTS, tampered, content_type="application/json", headers=headers)
    assert response.status_code == 401 and error_code(response) == "signature_invalid"
    unsigned = client.post(EVENTS, body, content_type="application/json")
    assert unsigned.status_code == 401 and error_code(unsigned) == "unauthenticated"


def test_replayed_request_is_a_conflict(feed, signed):
    document = batch([event("A1", 1, 2)])
    assert signed("POST", EVENTS, document, nonce="same-nonce").status_code == 200
    replay = signed("POST", EVENTS, document, nonce="same-nonce")
    assert replay.status_code == 409 and error_code(replay) == "replay"


def test_disabled_feed_and_other_province_are_refused(feed, signed):
    other = signed("POST", EVENTS, batch([event("A1", 1, 2)], province="000.00.00.H01"))
    assert other.status_code == 403 and error_code(other) == "wrong_province"
    ProvinceFeed.objects.filter(pk=feed.pk).update(active=False)
    assert error_code(signed("POST", EVENTS, batch([event("A1", 1, 2)]))) == "key_unknown"
    assert not FederatedDossierStatus.objects.exists()


def test_unknown_format_and_invalid_documents_are_422(feed, signed):
    response = signed("POST", EVENTS, batch([event("A1", 1, 2)], fmt="motcua.federation/2"))
    assert response.status_code == 422 and error_code(response) == "unsupported_format"
    invalid = signed("POST", EVENTS, batch([event("A1", 0, 11)]))
    assert invalid.status_code == 422 and error_code(invalid) == "invalid"
    assert {"events.0.seq", "events.0.status"} <= set(invalid.json()["error"]["fields"])
    garbage = signed("POST", EVENTS, body=b"{not json")
    assert garbage.status_code in (400, 422)
    mismatched = signed("POST", STATS, stats_doc([], period=("2026-10", "2026-10-01", "2026-10-30")))
    assert mismatched.status_code == 422 and "period" in mismatched.json()["error"]["fields"]


def test_statistics_are_replaced_only_by_later_figures(feed, signed):
    doc = stats_doc([unit(PROVINCE, "766", figures(10, 4, 8, 6, 2)),
                     unit("000.00.12.T99", "766", figures(6, 2, 5, 4, 1), parent=PROVINCE)])
    assert signed("POST", STATS, doc).json() == {"format": FORMAT, "stored": 2, "unchanged": 0, "period": "2026-10"}
    assert signed("POST", STATS, doc).json()["stored"] == 0
    older = stats_doc([unit(PROVINCE, "766", figures(99, 0, 0, 0, 0))], computed_at="2026-10-31T08:00:00+07:00")
    assert signed("POST", STATS, older).json()["stored"] == 0
    newer = stats_doc([unit(PROVINCE, "766", figures(12, 4, 8, 6, 2))], computed_at="2026-11-02T08:00:00+07:00")
    assert signed("POST", STATS, newer).json()["stored"] == 1
    assert FederatedStatistic.objects.get(unit_code=PROVINCE).figures["received"] == 12
    assert FederatedStatistic.objects.count() == 2
    twice = stats_doc([unit("000.00.13.T99", "local", figures(1, 0, 0, 0, 0))] * 2)
    assert signed("POST", STATS, twice).json()["stored"] == 1


@pytest.fixture
def three_provinces(feed, signed):
    """Tỉnh Thử 75 % on time, 40 % online; H01 90 %, 10 %; H02 75 %, 80 %; H03 registered but silent."""
    from motcua.federation.models import ProvinceFeed

    for code, key in (("000.00.00.H01", "h01"), ("000.00.00.H02", "h02"), ("000.00.00.H03", "h03")):
        ProvinceFeed.objects.create(code=code, name=f"Tỉnh {code[-3:]}", key_id=key, secret=f"secret-{key}")
    for code, key, secret, figs in (
        (PROVINCE, "t99-key", "a-shared-secret-for-tests-only", figures(10, 4, 8, 6, 2, overdue=1)),
        ("000.00.00.H01", "h01", "secret-h01", figures(30, 3, 20, 18, 2)),
        ("000.00.00.H02", "h02", "secret-h02", figures(20, 16, 12, 9, 3)),
    ):
        for definition in ("766", "local"):
            response = signed("POST", STATS, stats_doc([unit(code, definition, figs)], province=code),
                              key_id=key, secret=secret)
            assert response.status_code == 200, response.content
    signed("POST", EVENTS, batch([event("A1", 2, 4, due_at="2026-10-15T17:00:00+07:00"), event("A2", 1, 9)]))


def test_ranking_orders_provinces_and_sums_the_nation(three_provinces, signed):
    response = signed("GET", f"{NATIONAL}?period=2026-10&definition=766")
    assert response.status_code == 200, response.content
    r = response.json()
    assert [(p["province"][-3:], p["rank"], p["rank_online"]) for p in r["provinces"]] == [
        ("H01", 1, 3), ("H02", 2, 1), ("T99", 2, 2)]
    t99 = r["provinces"][2]
    assert (t99["dossiers_tracked"], t99["overdue_now"], t99["on_time_rate"]) == (2, 1, 75.0)
    assert r["totals"]["received"] == 60 and r["totals"]["received_online"] == 23
    assert r["totals"]["online_rate"] == round(100 * 23 / 60, 2)
    assert r["totals"]["late_rate"] == round(100 * (7 + 1) / 60, 2)
    assert r["missing"] == [{"province": "000.00.00.H03", "name": "Tỉnh H03"}]
    assert r["period_label"] == "Tháng 10/2026"


def test_ranking_access_and_bad_parameters(three_provinces, client):
    pc = AgencyFactory(code="000.00.00.T99")
    assert client.get(NATIONAL, {"period": "2026-10"}).status_code == 401
    client.force_login(staff("cv", pc, Role.SPECIALIST))
    forbidden = client.get(NATIONAL, {"period": "2026-10"})
    assert forbidden.status_code == 403 and error_code(forbidden) == "forbidden"
    client.force_login(staff("qt", pc, Role.PROVINCE_ADMIN))
    assert client.get(NATIONAL, {"period": "2026-10"}).json()["provinces"][0]["rank"] == 1
    bad = client.get(NATIONAL, {"period": "2026-13"})
    assert bad.status_code == 422 and "period" in bad.json()["error"]["fields"]
    assert error_code(client.get(NATIONAL, {"period": "2026-10", "definition": "x"})) == "invalid"
    client.force_login(UserFactory(username="root", is_superuser=True))
    assert client.get(NATIONAL, {"period": "2026-10"}).status_code == 200


def test_backoffice_page_for_national_admins_only(three_provinces, client):
    pc = AgencyFactory(code="000.00.00.T99")
    url = "/backoffice/lien-thong/"
    assert client.get(url).status_code == 302
    client.force_login(staff("cv", pc, Role.SPECIALIST))
    assert client.get(url).status_code == 403
    client.force_login(staff("qt", pc, Role.PROVINCE_ADMIN))
    page = client.get(url, {"period": "2026-10"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "Tháng 10/2026" in html and "90,00 %" in html and "38,33 %" in html
    assert html.index("Tỉnh H01") < html.index("Tỉnh H02") < html.index("Tỉnh Thử")
    assert "Tỉnh H03" in html  # listed as not having published
    bad = client.get(url, {"period": "tháng mười"})
    assert bad.status_code == 422 and "Kỳ đánh giá không hợp lệ" in bad.content.decode()
