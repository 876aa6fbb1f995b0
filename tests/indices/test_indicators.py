"""Every indicator on the hand-computed October 2026 month of the department (fixtures in conftest.py).

Hand computation (dossiers D1–D9; received in October: D1, D2, D4–D9 = 8; carried over: D3; to process 9):

- 2.1: finished on time D1; open at the end D3–D9 (7), of which late D4 (overdue) and D5 (two supplement requests,
  although its due date is in November) → 1 + 5 = 6 / 9 → 6/9 × 20 = 13.33. D6 (supplement time moved its due
  date into November) and D7 (waiting for the citizen when its due date passed) count within time.
- 2.2: D1 4 days, D2 14 days → average 9 days (monitor, 0 points).
- 1.1: announced in October B (10 working days' notice) and C (2) → 1/2 → 3.00; 1.2: B published after 2 working
  days, C never → 1/2 → 2.00; 1.3: A complete, B lacks its method → 1/2 × 2 = 1.00; 1.4: entered 8/9 → 5.33.
- 3.1: online B of A, B → 50 % < 80 % → 0.5 × 2 / 0.8 = 1.25; 3.2: B has an online dossier → 4.00;
  3.3: online D1, D7, D8 = 3/8 → 0.375 × 6 / 0.5 = 4.50.
- 3.5: B fee and online → 1/1 → 2.00; 3.5b: B paid online (D8) → 2.00; 3.6: D8 of D8, D9 → 0.5 × 6 = 3.00.
- 4.1: D1 of D1, D2 → 3.00; 4.2: D1, D4 (D2 lacks the e-result) = 2/8 → 0.25 × 4 / 0.8 = 1.25; 4.2b not entered →
  0; 4.3: D2 = 1/8 → 0.125 × 2 / 0.8 = 0.3125 → 0.31; 4.4: D1 (e-result to the store), D4 (document from the
  store) = 2/8 → 1.00; 4.5a: A (citizens or both) has D1/D4, B none → 1/2 → 1.00; 4.5b: D1, D4 = 2/8 → 0.50.
- 5.1: 2 PAKN (monitor); 5.2: PA1 on time, PA2 overdue → 1/2 → 3.00; 5.3: PA2 more dislikes → 1/2 → 3.00;
  5.4: 9 − late (D2, D4, D5) − PAKN or dislike among the rest (D6 via PA2, D1 rated dissatisfied) = 4/9 →
  0.4444 × 6 / 0.9 = 2.96.
- Groups: 11.33, 13.33, 9.75, 7.00, 7.06, 8.96 → total 57.43.
"""

import pytest

from motcua.indices.services import compute
from tests.indices.conftest import DEPT, PERIOD

EXPECTED = {  # code: (numerator, denominator, rate %, points)
    "1.1": (1, 2, 50.0, 3.0), "1.2": (1, 2, 50.0, 2.0), "1.3": (1, 2, 50.0, 1.0), "1.4": (8, 9, 88.89, 5.33),
    "2.1": (6, 9, 66.67, 13.33), "2.2": (18, 2, 9.0, 0.0),
    "3.1": (1, 2, 50.0, 1.25), "3.2": (1, 1, 100.0, 4.0), "3.3": (3, 8, 37.5, 4.5),
    "3.5": (1, 1, 100.0, 2.0), "3.5b": (1, 1, 100.0, 2.0), "3.6": (1, 2, 50.0, 3.0),
    "4.1": (1, 2, 50.0, 3.0), "4.2": (2, 8, 25.0, 1.25), "4.2b": (None, None, None, 0.0), "4.3": (1, 8, 12.5, 0.31),
    "4.4": (2, 8, 25.0, 1.0), "4.5a": (1, 2, 50.0, 1.0), "4.5b": (2, 8, 25.0, 0.5),
    "5.1": (2, None, None, 0.0), "5.2": (1, 2, 50.0, 3.0), "5.3": (1, 2, 50.0, 3.0), "5.4": (4, 9, 44.44, 2.96),
}
GROUPS = {"1": 11.33, "2": 13.33, "3": 9.75, "4": 7.0, "5": 7.06, "6": 8.96}


@pytest.fixture
def result(october, sync_value):
    return compute(DEPT, PERIOD)


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_each_indicator_matches_the_hand_computation(result, code):
    row = next(i for i in result["indicators"] if i["code"] == code)
    assert (row["numerator"], row["denominator"], row["rate"], row["points"]) == EXPECTED[code]


def test_groups_and_total(result):
    assert {g["code"]: g["points"] for g in result["groups"]} == GROUPS
    assert result["total"] == 57.43
    assert result["max_total"] == 100.0
    assert result["lost"] == 42.57


def test_the_missing_administrator_value_is_flagged_and_recoverable(result):
    row = next(i for i in result["indicators"] if i["code"] == "4.2b")
    assert row["missing"] is True and row["source"] == "manual"
    assert "4.2b" in [r["code"] for r in result["recoverable"]]


def test_recoverable_points_are_ordered_by_points_lost(result):
    lost = [r["lost"] for r in result["recoverable"]]
    assert lost == sorted(lost, reverse=True)
    first = result["recoverable"][0]
    assert (first["code"], first["lost"], first["needed"]) == ("2.1", 6.67, 3)  # 3 more dossiers in time → 20


def test_targets_cap_at_full_points(result):
    row = next(i for i in result["indicators"] if i["code"] == "3.5")
    assert row["target"] == 80.0 and row["points"] == row["max_points"] == 2.0 and row["needed"] == 0


def test_a_quarter_covers_its_months_and_the_abolished_district_rolls_into_the_commune(october, load):
    from tests.reports.conftest import at

    # the old district (abolished 30/06/2025, successor: the commune) handled one dossier in May and one in June
    load({"code": "H1", "competent_agency": "000.20.00.T99", "history": [(2, at(2025, 5, 5)), (9, at(2025, 5, 7))],
          "due_at": at(2025, 5, 19, 17), "outcome": "early", "outcome_766": "on_time"},
         {"code": "H2", "competent_agency": "000.20.00.T99", "history": [(2, at(2025, 6, 2)), (9, at(2025, 6, 27))],
          "due_at": at(2025, 6, 16, 17), "outcome": "late", "outcome_766": "late"})
    quarter = compute("000.20.31.T99", "2025-Q2")
    row = next(i for i in quarter["indicators"] if i["code"] == "2.1")
    assert (row["numerator"], row["denominator"], row["points"]) == (1, 2, 10.0)
    may = compute("000.20.00.T99", "2025-05")  # abolished → reported as its successor
    assert may["unit"] == "000.20.31.T99"
    assert next(i for i in may["indicators"] if i["code"] == "2.1")["points"] == 20.0
