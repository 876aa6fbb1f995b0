"""Officer evaluation: hand-computed figures from dossier events, tracking-sheet rows, ratings and PAKN about
behaviour; who may see which sheet; the XLSX sheet read back."""

import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from motcua.dossiers.models import DossierEvent, HandOver
from motcua.feedback.models import Category, Feedback
from motcua.feedback.models import Status as PS
from motcua.reform import export, officers
from tests.reform.conftest import at

pytestmark = pytest.mark.django_db


def _event(d, user, when, seq):
    DossierEvent.objects.create(dossier=d, seq=seq, action="forward", actor=user, at=when)


def _pakn(code, officer, agency, status, when):
    return Feedback.objects.create(code=code, lookup_secret="x", agency=agency, category=Category.BEHAVIOUR,
                                   status=status, title="Thái độ", content="Cán bộ gây khó khăn", officer=officer,
                                   received_at=when)


@pytest.fixture
def history(people, load):
    """cv acted on 4 dossiers in 2026 (early, early, on time, late) and one in 2025; handed 3 steps over (1 late);
    2 behaviour complaints in 2026 (1 answered) and 1 about ld."""
    specs = []
    for i, outcome in enumerate(["early", "early", "on_time", "late", "on_time"]):
        t = at(2026 if i < 4 else 2025, 3, 2 + i)
        specs.append({"code": f"O-{i}", "received_at": t, "outcome": outcome,
                      "history": [(1, t), (2, t), (4, t + timedelta(hours=2)), (9, t + timedelta(days=3))]})
    dossiers = load(*specs)
    for i, code in enumerate(sorted(dossiers)):
        d = dossiers[code]
        _event(d, people["cv"], d.received_at + timedelta(hours=3), 100)
        if i < 3:
            HandOver.objects.create(dossier=d, giver_agency=people["dept"], giver_user=people["cv"],
                                    receiver_agency=people["dept"], handed_at=d.received_at + timedelta(hours=3),
                                    outcome="late" if i == 0 else "on_time")
    _pakn("PA-1", people["cv"], people["dept"], PS.PUBLISHED, at(2026, 4, 1))
    _pakn("PA-2", people["cv"], people["dept"], PS.HANDLING, at(2026, 4, 2))
    _pakn("PA-3", people["ld"], people["dept"], PS.PUBLISHED, at(2026, 4, 3))
    return dossiers


def test_figures_of_one_officer(people, history):
    from datetime import date

    f = officers.figures(people["cv"], date(2026, 1, 1), date(2026, 12, 31))
    assert (f["handled"], f["finished"], f["early"], f["on_time"], f["late"]) == (4, 4, 2, 1, 1)
    assert (f["early_rate"], f["on_time_rate"], f["late_rate"]) == (50.0, 25.0, 25.0)
    assert (f["steps"], f["steps_late"], f["steps_overdue"]) == (3, 1, 1)
    assert (f["complaints"], f["complaints_upheld"]) == (2, 1)
    assert f["ratings"]["total"] == 0 and f["ratings"]["satisfaction_rate"] is None
    last_year = officers.figures(people["cv"], date(2025, 1, 1), date(2025, 12, 31))
    assert (last_year["handled"], last_year["finished"], last_year["complaints"]) == (1, 1, 0)


def test_who_sees_which_sheet(client, people, history):
    url = "/backoffice/cai-cach/danh-gia-can-bo/"
    cases = [("cv", "cv", 200), ("cv", "ld", 404), ("ld", "cv", 200), ("ld2", "cv", 404), ("tt", "cv", 404),
             ("cchc", "cv", 404)]
    for viewer, target, status in cases:
        client.force_login(people[viewer])
        assert client.get(f"{url}{target}/?from=2026-01-01&to=2026-12-31").status_code == status, (viewer, target)
    client.force_login(people["citizen"])
    assert client.get(f"{url}cv/").status_code == 403
    client.force_login(people["cv"])
    assert client.get(url).status_code == 302                       # a non-leader is sent to their own sheet
    r = client.get(f"{url}cv/?from=2026-13-01")
    assert r.status_code == 422 and "Ngày không hợp lệ" in r.content.decode()
    client.force_login(people["ld"])
    r = client.get(f"{url}?from=2026-01-01&to=2026-12-31")
    page = r.content.decode()
    assert r.status_code == 200 and people["cv"].full_name in page and people["cv2"].full_name not in page


def test_sheet_xlsx_reads_back(client, people, history):
    client.force_login(people["ld"])
    r = client.get("/backoffice/cai-cach/danh-gia-can-bo/cv/?from=2026-01-01&to=2026-12-31&format=xlsx")
    ws = load_workbook(io.BytesIO(r.content)).active
    assert ws["A1"].value == "Phiếu kết quả công tác từ ngày 01/01/2026 đến ngày 31/12/2026"
    header = [c.value for c in ws[2]]
    row = dict(zip(header, [c.value for c in ws[3]], strict=True))
    assert row["Tài khoản"] == "cv" and row["Hồ sơ có kết quả trong kỳ"] == "4"
    assert row["Trước hạn"] == "2 (50 %)" and row["Quá hạn"] == "1 (25 %)"
    assert row["Phản ánh về hành vi, thái độ"] == "2"
    assert export.officer_xlsx([])                                  # an empty unit still gives a workbook
