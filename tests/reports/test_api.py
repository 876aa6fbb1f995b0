"""API scoping (staff only, unit outside the scope → 404), the public endpoint and page (anonymous, no personal
data), CSV download."""

import pytest
from django.test import Client

from motcua.accounts.models import Role
from tests.factories import UserFactory, staff
from tests.reports.test_period import DEPT, DEPT_SPECS, OTHER, PC

URL = "/api/v1/reports/period"


@pytest.fixture
def data(load):
    return load(*DEPT_SPECS)


def client_for(user=None) -> Client:
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


def test_staff_sees_their_subtree_only(world, data):
    dept_staff = staff("nv", world["dept"], Role.SPECIALIST)
    c = client_for(dept_staff)
    ok = c.get(URL, {"unit": DEPT, "from": "2026-01-01", "to": "2026-03-31", "definition": "766"})
    assert ok.status_code == 200
    body = ok.json()
    assert body["received"] == 7 and body["definition"] == "766" and body["summary_vi"]
    for unit in (PC, OTHER, "999.99.99.X"):
        r = c.get(URL, {"unit": unit, "from": "2026-01-01", "to": "2026-03-31"})
        assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    province = client_for(world["tt"]).get(URL, {"unit": PC, "from": "2026-01-01", "to": "2026-03-31",
                                                 "by": "agency"})
    assert province.status_code == 200 and province.json()["received"] == 8
    assert {g["label"] for g in province.json()["groups"]} >= {"Sở Xây dựng", "Sở Tư pháp"}


def test_anonymous_and_citizens_are_refused(world, data):
    assert client_for().get(URL, {"unit": DEPT, "from": "2026-01-01", "to": "2026-03-31"}).status_code == 401
    citizen = UserFactory(username="dan")
    assert client_for(citizen).get(URL, {"unit": DEPT, "from": "2026-01-01",
                                         "to": "2026-03-31"}).status_code == 404


def test_bad_parameters_are_422_with_fields(world, data):
    c = client_for(world["tt"])
    r = c.get(URL, {"unit": DEPT, "from": "2026-01-01", "to": "2025-01-01", "by": "x"})
    assert r.status_code == 422
    assert set(r.json()["error"]["fields"]) == {"to", "by"}
    assert c.get(URL, {"unit": DEPT}).status_code == 422


def test_csv_download(world, data):
    r = client_for(world["tt"]).get(URL, {"unit": DEPT, "from": "2026-01-01", "to": "2026-03-31", "format": "csv"})
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    assert r.content.startswith(b"\xef\xbb\xbf") and "attachment" in r["Content-Disposition"]


def test_public_statistics(world, data):
    r = client_for().get(f"/api/v1/reports/public/{DEPT}", {"year": 2026})
    assert r.status_code == 200
    body = r.json()
    assert body["received"] == 7 and body["date_from"] == "2026-01-01"
    assert "groups" not in body and "Trần Thị Bình" not in r.content.decode()
    csv = client_for().get(f"/api/v1/reports/public/{DEPT}", {"year": 2026, "format": "csv"})
    assert csv.status_code == 200 and "Tiếp nhận trong kỳ" in csv.content.decode("utf-8-sig")
    assert client_for().get("/api/v1/reports/public/999.99.99.X").status_code == 404
    assert client_for().get(f"/api/v1/reports/public/{DEPT}", {"year": 1990}).status_code == 422


def test_public_page_is_an_accessible_table(world, data):
    page = client_for().get(f"/thong-ke/{DEPT}/", {"year": 2026})
    assert page.status_code == 200
    html = page.content.decode()
    assert "<caption>" in html and '<th scope="row">Tiếp nhận trong kỳ</th>' in html
    assert "Sở Xây dựng tiếp nhận 7 hồ sơ" in html and "01/01/2026" in html
    assert "format=csv" in html
    assert client_for().get("/thong-ke/999.99.99.X/").status_code == 404


def test_public_index_lists_the_units_in_force_and_the_portal_links_it(world, data):
    from motcua.agencies.models import Agency

    Agency.objects.filter(code=DEPT).update(valid_to="2020-12-31")  # abolished: reports through its successor
    html = client_for().get("/thong-ke/").content.decode()
    assert f'href="/thong-ke/{world["pc"].code}/"' in html and f'href="/thong-ke/{DEPT}/"' not in html
    assert 'href="/thong-ke/"' in client_for().get("/").content.decode()  # the portal's navigation
