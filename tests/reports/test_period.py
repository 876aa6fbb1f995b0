"""Hand-computed period reports over dossiers loaded through the importer: boundaries, supplements (several, one
still open), refusal before reception, stop, withdrawal, postal/online channels, merged units. Every count is
checked against the hand computation, against the raw dossier table, and against the list of dossiers behind it."""

import pytest

from motcua.reports.definitions import COUNT_MEASURES
from motcua.reports.report import dossiers_behind, period_report, raw_period_report
from motcua.reports.rollups import rebuild
from tests.reports.conftest import at

DEPT, OTHER, PC = "000.00.12.T99", "000.00.13.T99", "000.00.00.T99"
COMMUNE, DISTRICT = "000.20.31.T99", "000.20.00.T99"


def sup(req, done=None):
    return {"requested_at": req, "fulfilled_at": done, "items": ["Bản vẽ"]}


DEPT_SPECS = [
    # A1 carried over from December, finished late in January, delivered in January
    {"code": "A1", "history": [(2, at(2025, 12, 20)), (4, at(2025, 12, 21)), (9, at(2026, 1, 9)),
                               (10, at(2026, 1, 12))], "due_at": at(2026, 1, 6, 17), "outcome": "late",
     "outcome_766": "late"},
    # A2 finished in December, never collected
    {"code": "A2", "history": [(2, at(2025, 12, 10)), (9, at(2025, 12, 28))], "due_at": at(2025, 12, 30, 17),
     "outcome": "early", "outcome_766": "on_time"},
    # A3 online, digitised, paid online, electronic result; finished early; delivered after the period
    {"code": "A3", "channel": 2, "digitised": True, "paid_online": 1, "e_result": True, "result_code": "KQ1",
     "result_file": "kq/1.pdf",
     "history": [(2, at(2026, 2, 2)), (4, at(2026, 2, 3)), (9, at(2026, 2, 10)), (10, at(2026, 4, 3))],
     "due_at": at(2026, 2, 16, 17), "outcome": "early", "outcome_766": "on_time"},
    # A4 postal, in progress, overdue at the period end
    {"code": "A4", "channel": 3, "history": [(2, at(2026, 3, 20)), (4, at(2026, 3, 21))],
     "due_at": at(2026, 3, 25, 17)},
    # A5 in progress within time
    {"code": "A5", "history": [(2, at(2026, 3, 25))], "due_at": at(2026, 4, 8, 17)},
    # A6 two supplement requests, the second still open at the period end
    {"code": "A6", "history": [(2, at(2026, 1, 5)), (4, at(2026, 1, 6)), (5, at(2026, 1, 7)), (4, at(2026, 1, 12)),
                               (5, at(2026, 3, 30))],
     "supplements": [sup(at(2026, 1, 7), at(2026, 1, 12)), sup(at(2026, 3, 30))], "due_at": at(2026, 1, 25, 17)},
    # A7 stopped in February
    {"code": "A7", "history": [(2, at(2026, 1, 15)), (4, at(2026, 1, 16)), (8, at(2026, 2, 1))],
     "due_at": at(2026, 1, 29, 17), "outcome_766": "on_time"},
    # A8 online submission refused at the desk, never received
    {"code": "A8", "channel": 2, "history": [(1, at(2026, 2, 3)), (3, at(2026, 2, 4))]},
    # A9 online, withdrawn late on the last day of the period
    {"code": "A9", "channel": 2, "history": [(2, at(2026, 1, 20)), (7, at(2026, 3, 31, 23))],
     "due_at": at(2026, 2, 3, 17), "outcome_766": "on_time"},
    # A10 received on the last day, finished the next morning (after the period)
    {"code": "A10", "history": [(2, at(2026, 3, 31, 16)), (9, at(2026, 4, 1, 9))], "due_at": at(2026, 4, 14, 17),
     "outcome": "early", "outcome_766": "on_time"},
    # A11 another department: outside the department's report, inside the province's
    {"code": "A11", "competent_agency": OTHER, "history": [(2, at(2026, 2, 2)), (9, at(2026, 2, 5))],
     "due_at": at(2026, 2, 16, 17), "outcome": "early", "outcome_766": "on_time"},
]

EXPECTED_LOCAL = {
    "carried_over": 1, "received": 7, "received_counter": 4, "received_online": 2, "received_postal": 1,
    "received_api": 0, "received_import": 0, "to_process": 8, "finished": 2, "finished_early": 1,
    "finished_on_time": 0, "finished_late": 1, "in_progress": 3, "in_progress_on_time": 2,
    "in_progress_overdue": 1, "supplement": 1, "refused": 1, "withdrawn": 1, "stopped": 1, "delivered": 1,
    "not_collected": 2, "digitised": 1, "e_result": 1, "paid_online": 1, "supplement_requests": 2,
    "on_time_rate": 50.0, "early_rate": 50.0, "late_rate": 25.0, "online_rate": 28.57, "postal_rate": 14.29,
    "digitised_rate": 14.29, "e_result_rate": 50.0, "avg_handling_days": 14.0, "definition": "local",
}
EXPECTED_766 = {
    **EXPECTED_LOCAL, "finished": 4, "finished_early": None, "finished_on_time": 3, "finished_late": 1,
    "in_progress": 4, "in_progress_on_time": 2, "in_progress_overdue": 2, "on_time_rate": 62.5, "early_rate": None,
    "late_rate": 37.5, "definition": "766",
}


@pytest.fixture
def dept_data(load):
    return load(*DEPT_SPECS)


@pytest.mark.parametrize("definition, expected", [("local", EXPECTED_LOCAL), ("766", EXPECTED_766)])
def test_hand_computed_quarter(dept_data, definition, expected):
    report = period_report(DEPT, "2026-01-01", "2026-03-31", definition=definition)
    assert {k: report[k] for k in expected} == expected


@pytest.mark.parametrize("definition", ["local", "766"])
def test_every_number_has_its_dossier_list(dept_data, definition):
    report = period_report(DEPT, "2026-01-01", "2026-03-31", definition=definition)
    for measure in COUNT_MEASURES:
        if report[measure] is None:
            continue
        listed = dossiers_behind(DEPT, "2026-01-01", "2026-03-31", measure, definition)
        assert listed.count() == report[measure], measure
    codes = lambda m: sorted(dossiers_behind(DEPT, "2026-01-01", "2026-03-31", m, definition)  # noqa: E731
                             .values_list("code", flat=True))
    assert codes("carried_over") == ["A1"]
    assert codes("not_collected") == ["A2", "A3"]
    assert codes("in_progress_overdue") == (["A4"] if definition == "local" else ["A4", "A6"])
    assert sorted(dossiers_behind(DEPT, "2026-01-01", "2026-03-31", "supplement_requests")
                  .values_list("code", flat=True)) == ["A6"]


@pytest.mark.parametrize("definition", ["local", "766"])
def test_rollups_equal_the_raw_table(dept_data, definition):
    for unit, start, end in ((DEPT, "2026-01-01", "2026-03-31"), (PC, "2025-12-01", "2026-04-30"),
                             (PC, "2026-03-31", "2026-03-31"), (DEPT, "2026-04-01", "2026-04-03")):
        a = period_report(unit, start, end, definition=definition)
        b = raw_period_report(unit, start, end, definition=definition)
        assert {k: v for k, v in a.items() if k != "groups"} == b, (unit, start, end)


def test_province_includes_subtree_and_groups_add_up(dept_data):
    report = period_report(PC, "2026-01-01", "2026-03-31", by="agency")
    assert report["received"] == 8 and report["finished"] == 3
    groups = {g["label"]: g for g in report["groups"]}
    assert groups["Sở Tư pháp"]["received"] == 1 and groups["Sở Xây dựng"]["received"] == 7
    for by in ("channel", "procedure", "agency", "officer"):
        r = period_report(PC, "2026-01-01", "2026-03-31", by=by)
        for measure in ("received", "finished", "carried_over", "in_progress", "refused", "not_collected"):
            assert sum(g[measure] for g in r["groups"]) == r[measure], (by, measure)
    channels = {g["key"]: g["received"] for g in period_report(DEPT, "2026-01-01", "2026-03-31",
                                                              by="channel")["groups"]}
    assert channels == {1: 4, 2: 2, 3: 1}


def test_rebuild_gives_the_same_report(dept_data):
    before = period_report(DEPT, "2026-01-01", "2026-03-31")
    rebuild()
    assert period_report(DEPT, "2026-01-01", "2026-03-31") == before


MERGE_SPECS = [
    {"code": "B1", "competent_agency": DISTRICT, "history": [(2, at(2025, 3, 10)), (9, at(2025, 3, 20))],
     "due_at": at(2025, 3, 24, 17), "outcome": "early", "outcome_766": "on_time"},
    {"code": "B2", "competent_agency": DISTRICT, "history": [(2, at(2025, 6, 20)), (4, at(2025, 6, 23))],
     "due_at": at(2025, 7, 4, 17)},
    {"code": "B3", "competent_agency": COMMUNE, "history": [(2, at(2025, 8, 1)), (9, at(2025, 8, 14, 17))],
     "due_at": at(2025, 8, 14, 17, 30), "outcome": "on_time", "outcome_766": "on_time"},
]


def test_units_merged_mid_year_roll_into_the_successor(load):
    load(*MERGE_SPECS)
    year = period_report(COMMUNE, "2025-01-01", "2025-12-31")
    assert (year["received"], year["finished"], year["finished_early"], year["finished_on_time"]) == (3, 2, 1, 1)
    assert (year["in_progress"], year["in_progress_overdue"]) == (1, 1)
    assert period_report(DISTRICT, "2025-01-01", "2025-12-31") == year  # the abolished code reports as successor
    h2 = period_report(COMMUNE, "2025-07-01", "2025-12-31")
    assert (h2["carried_over"], h2["received"], h2["to_process"], h2["late_rate"]) == (1, 1, 2, 50.0)
    assert list(dossiers_behind(COMMUNE, "2025-07-01", "2025-12-31", "carried_over")
                .values_list("code", flat=True)) == ["B2"]
    assert period_report(PC, "2025-01-01", "2025-12-31")["received"] == 3


def test_bad_arguments_name_the_field(world):
    from motcua.core.api_errors import DomainError

    with pytest.raises(DomainError) as err:
        period_report(DEPT, "2026-02-30", "2026-01-01", definition="x", by="nope")
    assert set(err.value.fields) == {"from", "definition", "by"}
    with pytest.raises(DomainError) as err:
        period_report(DEPT, "2026-03-01", "2026-01-01")
    assert "to" in err.value.fields
    with pytest.raises(DomainError) as err:
        period_report("999.99.99.X", "2026-01-01", "2026-01-31")
    assert err.value.status == 404
