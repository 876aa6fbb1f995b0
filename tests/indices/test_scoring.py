"""Conversion rules of the statistics guide §3, with its worked examples, and the recoverable-points list."""

import pytest

from motcua.indices.scoring import Definition, needed, points, recoverable, score_indicator, total


@pytest.mark.parametrize("rate, pmax, target, expected", [
    (0.925, 20, None, 18.50),  # 2.1 on-time rate
    (0.60, 4, 80, 3.00),  # 4.2 below target
    (0.85, 4, 80, 4.00),  # 4.2 at/above target → full points
    (0.84, 6, 90, 5.60),  # 5.4
    (0.45, 6, None, 2.70),  # 3.6 linear
    (0.80, 2, 80, 2.00),  # exactly at the target
    (None, 6, None, 0.0),  # no denominator
    (1.0, 0, None, 0.0),  # monitor-only indicator
])
def test_guide_examples(rate, pmax, target, expected):
    assert points(rate, pmax, target) == expected


def test_zero_denominator_gives_no_rate_and_no_points():
    s = score_indicator(Definition("5.2", "6", "PAKN đúng hạn", 6), 0, 0)
    assert (s.rate, s.points, s.lost, s.needed) == (None, 0.0, 6.0, None)


def test_needed_counts_the_cases_to_turn_around():
    assert needed(6, 9, None) == 3
    assert needed(2, 8, 80) == 5  # 80 % of 8 = 6.4 → 7 dossiers
    assert needed(8, 8, 80) == 0
    assert needed(0, 0, 80) is None


def test_not_applicable_indicators_leave_the_maximum():
    rows = [score_indicator(Definition("a", "1", "A", 6), 1, 2),
            score_indicator(Definition("b", "1", "B", 4, applies=False), 1, 2)]
    t = total(rows, [{"code": "1", "name": "Nhóm 1", "max_points": 10}])
    assert (t["total"], t["max_total"], t["groups"][0]["applicable_max"]) == (3.0, 6.0, 6.0)
    assert rows[1].points is None


def test_recoverable_orders_by_points_lost_and_skips_what_cannot_be_recovered():
    rows = [score_indicator(Definition("x", "1", "X", 6), 3, 6),  # lost 3, needs 3
            score_indicator(Definition("y", "1", "Y", 20), 10, 20),  # lost 10
            score_indicator(Definition("z", "1", "Z", 6), 0, 0),  # nothing to turn around
            score_indicator(Definition("w", "1", "W", 2, target=80), 9, 10)]  # full points
    assert [s.code for s in recoverable(rows)] == ["y", "x"]
