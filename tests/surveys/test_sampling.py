"""Sample size n = ⌈N / (1 + N·e²)⌉ and seeded sampling, hand-computed."""

from decimal import Decimal

import pytest

from motcua.surveys.sampling import draw, sample_size


@pytest.mark.parametrize(("population", "margin", "expected"), [
    (1000, "0.05", 286),    # 1 000 / (1 + 2,5)  = 285,71 → 286
    (2000, "0.05", 334),    # 2 000 / (1 + 5)    = 333,33 → 334 (domain guide table)
    (10000, "0.05", 385),   # 10 000 / (1 + 25)  = 384,62 → 385 (domain guide table)
    (400, "0.05", 200),     # 400 / (1 + 1) = 200 exactly: no float error may push it to 201
    (1000, "0.03", 527),    # 1 000 / (1 + 0,9)  = 526,32 → 527
    (12, "0.2", 9),         # 12 / (1 + 0,48)    = 8,11 → 9
    (1, "0.05", 1),
    (0, "0.05", 0),
])
def test_sample_size_hand_computed(population, margin, expected):
    assert sample_size(population, Decimal(margin)) == expected


def test_sample_size_default_margin_is_five_percent():
    assert sample_size(1000) == 286


@pytest.mark.parametrize("margin", ["0", "1", "-0.05"])
def test_sample_size_refuses_impossible_margins(margin):
    with pytest.raises(ValueError):
        sample_size(100, margin)


def test_draw_is_reproducible_and_independent_of_input_order():
    keys = [f"k{i:03d}" for i in range(100)]
    first = draw(keys, 20, seed=7)
    assert first == draw(list(reversed(keys)), 20, seed=7)
    assert len(set(first)) == 20 and set(first) <= set(keys)
    assert draw(keys, 20, seed=8) != first


def test_draw_counts_each_key_once_and_caps_at_population():
    assert sorted(draw(["a", "b", "a", "c"], 10, seed=1)) == ["a", "b", "c"]
