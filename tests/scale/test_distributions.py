"""The framework-free distributions: mixes, Zipf popularity, seasonal reception days."""

import random
from collections import Counter
from datetime import date, timedelta

import pytest

from motcua.scale import distributions as dist


def test_mix_proportions_within_tolerance():
    rng = random.Random(1)
    n = 40_000
    counts = Counter(dist.CHANNELS.sample(rng) for _i in range(n))
    for channel, share in dist.CHANNEL_MIX.items():
        assert counts[channel] / n == pytest.approx(share, abs=0.01)


def test_mix_refuses_bad_weights():
    with pytest.raises(ValueError):
        dist.Mix(["a", "b"], [1.0])
    with pytest.raises(ValueError):
        dist.Mix(["a"], [-1.0])


def test_zipf_long_tail():
    rng = random.Random(2)
    items = list(range(200))
    mix = dist.popularity(items, rng)
    counts = Counter(mix.sample(rng) for _i in range(50_000))
    ranked = [c for _item, c in counts.most_common()]
    top_tenth = sum(ranked[:20]) / 50_000
    assert top_tenth > 0.5  # the 10 % most popular procedures carry most dossiers
    assert len(counts) > 150  # …and the tail is still filed now and then
    assert ranked[0] / ranked[9] == pytest.approx(10**dist.ZIPF_EXPONENT, rel=0.25)


def test_popularity_order_depends_on_seed_only():
    a = dist.popularity(list(range(50)), random.Random(7)).keys
    b = dist.popularity(list(range(50)), random.Random(7)).keys
    c = dist.popularity(list(range(50)), random.Random(8)).keys
    assert a == b != c


def test_tet_dates():
    assert dist.tet(2026) == date(2026, 2, 17)
    assert dist.tet(2025) == date(2025, 1, 29)


def _daily_means(sampler, draws: int):
    rng = random.Random(3)
    counts = Counter(sampler.sample(rng) for _i in range(draws))
    return counts


def test_tet_dip_and_year_end_peak():
    sampler = dist.DaySampler(date(2026, 1, 1), date(2026, 12, 31), growth=0.0)
    counts = _daily_means(sampler, 200_000)
    t = dist.tet(2026)

    def mean(days):
        days = [d for d in days if d.weekday() < 5]
        return sum(counts[d] for d in days) / len(days)

    after_tet = mean([t + timedelta(days=k) for k in range(7, 21)])
    spring = mean([date(2026, 3, 1) + timedelta(days=k) for k in range(61)])
    december = mean([date(2026, 12, 1) + timedelta(days=k) for k in range(31)])
    assert after_tet < 0.7 * spring
    assert december > 1.2 * spring
    assert all(counts[d] == 0 for d in counts if d.weekday() >= 5)  # working days only


def test_day_sampler_uses_the_given_calendar():
    off = {date(2026, 4, 30), date(2026, 5, 1)}
    sampler = dist.DaySampler(date(2026, 4, 27), date(2026, 5, 8), lambda d: d.weekday() < 5 and d not in off)
    rng = random.Random(4)
    assert not off & {sampler.sample(rng) for _i in range(2000)}


def test_status_by_age():
    rng = random.Random(5)
    young = Counter(dist.status_for_age(0, rng) in dist.OPEN_MIX for _i in range(5000))
    old = Counter(dist.status_for_age(400, rng) in dist.OPEN_MIX for _i in range(5000))
    assert young[True] == 5000
    assert old[True] == 0
