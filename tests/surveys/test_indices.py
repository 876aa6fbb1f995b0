"""Indices and 95 % intervals against hand computations (z = 1,959964)."""

import pytest

from motcua.surveys.indices import Estimate, Item, compare, compute, wilson

APPROX = {"abs": 0.01}  # percentage points


def test_wilson_eight_of_ten():
    # p = 0,8; z² = 3,841459; denominator 1 + z²/10 = 1,384146
    # centre = (0,8 + 0,192073) / 1,384146 = 0,716740
    # half = 1,959964 × √(0,016 + 0,0096036) / 1,384146 = 0,226577  → [49,02; 94,33]
    est = wilson(8, 10)
    assert est.value == pytest.approx(80.0)
    assert est.low == pytest.approx(49.02, **APPROX)
    assert est.high == pytest.approx(94.33, **APPROX)
    assert est.n == 10 and est.method == "wilson"
    assert est.se == pytest.approx(12.649, abs=0.001)  # 100 × √(0,8 × 0,2 / 10)


def test_wilson_zero_of_five_stays_inside_zero_hundred():
    # centre = (z²/10) / (1 + z²/5) = 0,384146 / 1,768292 = 0,217240 = half → [0; 43,45]
    est = wilson(0, 5)
    assert est.low == 0.0
    assert est.high == pytest.approx(43.45, **APPROX)


def test_wilson_without_respondents_is_none():
    assert wilson(0, 0) is None


ITEMS = [Item("a1", "a", "assessment"), Item("a2", "a", "assessment"), Item("aS", "a", "satisfaction"),
         Item("aE", "a", "expectation"), Item("bS", "b", "satisfaction")]
RESPONSES = [
    {"a1": 5, "a2": 3, "aS": 4, "aE": 5, "bS": 2},
    {"a1": 4, "a2": 4, "aS": 5, "aE": 2, "bS": 4},
    {"a1": 2, "a2": 1, "aS": 3, "aE": 4, "bS": 5},
    {"a1": 5, "a2": 4, "aS": 1, "aE": 4},  # did not answer element b (optional)
]


def test_element_indices_hand_computed():
    res = compute(ITEMS, RESPONSES, ["a", "b"])
    assert res.respondents == 4
    a = res.elements["a"]
    # satisfaction a: answers 4, 5, 3, 1 → 2 of 4 positive = 50 % (Wilson)
    assert a["satisfaction"].value == pytest.approx(50.0) and a["satisfaction"].method == "wilson"
    # expectation a: 5, 2, 4, 4 → 3 of 4 = 75 %
    assert a["expectation"].value == pytest.approx(75.0)
    # assessment a: per respondent share of a1, a2 ≥ 4: 0,5; 1; 0; 1 → mean 0,625
    # sample variance = (0,015625 + 0,140625 + 0,390625 + 0,140625) / 3 = 0,229167; SE = √(0,229167/4) = 0,239357
    # 62,5 ± 1,959964 × 23,9357 = 62,5 ± 46,91 → [15,59; 100 (clipped)]
    assert a["assessment"].value == pytest.approx(62.5)
    assert a["assessment"].method == "mean"
    assert a["assessment"].low == pytest.approx(15.59, **APPROX)
    assert a["assessment"].high == 100.0
    # satisfaction b: 2, 4, 5 → 2 of 3
    assert res.elements["b"]["satisfaction"].value == pytest.approx(66.667, **APPROX)
    assert res.elements["b"]["satisfaction"].n == 3
    assert res.elements["b"]["assessment"] is None  # no assessment item in b


def test_overall_is_mean_of_element_satisfaction_with_linearised_interval():
    # SIPAS = (50 + 66,667) / 2 = 58,333
    # influences (1/K)Σ(y − p_k)/n_k with K = 2, p_a = 0,5, n_a = 4, p_b = 2/3, n_b = 3:
    #   R1: 0,5/8 − 0,6667/6 = −0,048611   R2: 0,5/8 + 0,3333/6 = 0,118056
    #   R3: −0,5/8 + 0,3333/6 = −0,006944  R4: −0,5/8 = −0,0625
    # Σ squares = 0,0023630 + 0,0139371 + 0,0000482 + 0,0039063 = 0,0202546 → SE = 0,142319
    # 58,333 ± 1,959964 × 14,2319 = 58,333 ± 27,894 → [30,44; 86,23]
    overall = compute(ITEMS, RESPONSES, ["a", "b"]).overall
    assert overall.value == pytest.approx(58.333, **APPROX)
    assert overall.se == pytest.approx(14.232, **APPROX)
    assert overall.low == pytest.approx(30.44, **APPROX)
    assert overall.high == pytest.approx(86.23, **APPROX)
    assert overall.n == 4 and overall.method == "linearised"


def test_overall_with_complete_answers_is_the_mean_of_respondent_averages():
    # Both elements answered by all: respondent averages 1, 0,5, 0 → mean 0,5;
    # SE = √(Σ(s − s̄)² / n²) = √(0,5 / 9) = 0,235702
    items = [Item("aS", "a", "satisfaction"), Item("bS", "b", "satisfaction")]
    responses = [{"aS": 5, "bS": 4}, {"aS": 4, "bS": 1}, {"aS": 2, "bS": 3}]
    overall = compute(items, responses, ["a", "b"]).overall
    assert overall.value == pytest.approx(50.0)
    assert overall.se == pytest.approx(23.570, **APPROX)


def test_no_responses_give_no_indices():
    res = compute(ITEMS, [], ["a", "b"])
    assert res.overall is None and res.elements["a"]["satisfaction"] is None


def test_compare_previous_campaign():
    now, before = Estimate(60, 50, 70, 100, 5.0, "wilson"), Estimate(50, 44, 56, 100, 3.0, "wilson")
    change = compare(now, before)
    # SE = √(25 + 9) = 5,831; 1,96 × 5,831 = 11,43 > 10 → not significant
    assert change.delta == pytest.approx(10.0) and change.se == pytest.approx(5.831, abs=0.001)
    assert change.significant is False
    better = compare(Estimate(70, 64, 76, 100, 3.0, "wilson"), before)
    assert better.delta == pytest.approx(20.0) and better.significant is True  # 20 > 1,96 × 4,243
    assert compare(now, None) is None
