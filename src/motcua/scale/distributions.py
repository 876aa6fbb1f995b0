"""Distributions of a province's dossier flow, framework-free (no Django): who files what, when, and how it ends.

Sources for the shapes (docs/scaling.md, ../shared/domain/scale.md §1.1):
- **Channels**: 74,7 % of dossiers were filed online in July–August 2025 nationally; the rest at the desk, a few by
  post. `CHANNEL_MIX` is that split.
- **Procedure popularity** is a long tail: Hanoi's 293 most common procedures generate ~2,39 M dossiers a year out
  of ~2 000 procedures a province handles. A Zipf law (weight 1/rank^s, s ≈ 1,1) gives that shape: the top 10 % of
  procedures carry most dossiers, hundreds get a handful a year.
- **Seasonality**: offices close for Tết (the lunar new year holidays, already days off in the calendar); filings
  thin out in the week before and the two weeks after, and peak at the end of the year (Nov–Dec: land, business
  and civil-status deadlines before the year closes). Volumes grow a few percent a year.

Every sampler takes a `random.Random`, so a seed reproduces the whole flow.
"""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays

# Channel code (dossiers.models.Channel) → share: 1 in person, 2 online, 3 public postal service.
CHANNEL_MIX = {2: 0.72, 1: 0.22, 3: 0.06}
# How a processed dossier ends against its due instant (national reports: ~95 % on time, most of it early).
OUTCOME_MIX = {"early": 0.62, "on_time": 0.31, "late": 0.07}
# Supplement requests per processed dossier (0, 1, 2).
SUPPLEMENT_MIX = {0: 0.78, 1: 0.18, 2: 0.04}
# Terminal status of a dossier whose story is over: 10 delivered, 9 result ready not yet collected, 3 refused at
# reception, 7 withdrawn, 8 stopped.
TERMINAL_MIX = {10: 0.86, 9: 0.04, 3: 0.04, 7: 0.03, 8: 0.03}
# Status of a dossier still open (received within the last weeks): 1 submitted online, 2 received, 4 in
# processing, 5 waiting for a supplement, 6 waiting for a payment.
OPEN_MIX = {4: 0.62, 2: 0.12, 5: 0.12, 1: 0.08, 6: 0.06}
# Share of delivered dossiers rated by their applicant, and the overall satisfaction of those ratings.
RATED_SHARE = 0.35
OVERALL_MIX = {"very_satisfied": 0.55, "satisfied": 0.33, "neutral": 0.08, "dissatisfied": 0.03,
               "very_dissatisfied": 0.01}
# Month of year → relative daily volume (year-end peak).
MONTH_FACTOR = {1: 1.05, 2: 0.95, 3: 1.0, 4: 1.0, 5: 1.0, 6: 1.05, 7: 0.95, 8: 0.95, 9: 1.0, 10: 1.05, 11: 1.15,
                12: 1.3}
ZIPF_EXPONENT = 1.1
YEARLY_GROWTH = 0.06
# Days after which a dossier's story is surely over (the longest usual limits are 30 working days).
OPEN_HORIZON_DAYS = 45


class Mix:
    """A categorical distribution: `sample(rng)` returns one key with probability proportional to its weight."""

    def __init__(self, keys: Sequence, weights: Sequence[float]):
        if not keys or len(keys) != len(weights) or min(weights) < 0 or sum(weights) <= 0:
            raise ValueError("a mix needs as many non-negative weights as keys, with a positive sum")
        self.keys = list(keys)
        self.cumulative = list(itertools.accumulate(weights))

    @classmethod
    def of(cls, weights: dict[Hashable, float]) -> Mix:
        return cls(list(weights), list(weights.values()))

    def sample(self, rng: random.Random):
        return self.keys[bisect.bisect_right(self.cumulative, rng.random() * self.cumulative[-1])]


def zipf_weights(n: int, exponent: float = ZIPF_EXPONENT) -> list[float]:
    """Weights of ranks 1..n under a Zipf law, normalised to sum 1."""
    raw = [1.0 / rank**exponent for rank in range(1, n + 1)]
    total = sum(raw)
    return [w / total for w in raw]


def popularity(items: Sequence, rng: random.Random, exponent: float = ZIPF_EXPONENT) -> Mix:
    """A Zipf mix over `items` in a seed-chosen rank order (popularity is not alphabetical)."""
    ranked = list(items)
    rng.shuffle(ranked)
    return Mix(ranked, zipf_weights(len(ranked), exponent))


@lru_cache(maxsize=64)
def tet(year: int) -> date:
    """First day of the lunar new year (mùng 1 Tết) in Vietnam."""
    vn = holidays.country_holidays("VN", years=year, language="en_US")
    return next(d for d, name in vn.items() if name == "Lunar New Year")


def tet_factor(day: date) -> float:
    """Relative volume around Tết: a thin week before, almost nothing in the first week, a slow restart."""
    offset = (day - tet(day.year)).days
    if -7 <= offset < 0:
        return 0.75
    if 0 <= offset < 7:
        return 0.2
    if 7 <= offset < 21:
        return 0.6
    return 1.0


def day_weight(day: date, first_year: int, growth: float = YEARLY_GROWTH) -> float:
    return MONTH_FACTOR[day.month] * tet_factor(day) * (1 + growth) ** (day.year - first_year)


def weekdays(day: date) -> bool:
    return day.weekday() < 5


@dataclass
class DaySampler:
    """Reception days between `first` and `last` (inclusive), weighted by season, on working days only."""

    first: date
    last: date
    is_working_day: Callable[[date], bool] = weekdays
    growth: float = YEARLY_GROWTH

    def __post_init__(self):
        days, weights = [], []
        day = self.first
        while day <= self.last:
            if self.is_working_day(day):
                days.append(day)
                weights.append(day_weight(day, self.first.year, self.growth))
            day += timedelta(days=1)
        if not days:
            raise ValueError("no working day in the period")
        self.days = days
        self.cumulative = list(itertools.accumulate(weights))

    def sample(self, rng: random.Random) -> date:
        return self.days[bisect.bisect_right(self.cumulative, rng.random() * self.cumulative[-1])]


def status_for_age(age_days: int, rng: random.Random) -> int:
    """A dossier received `age_days` ago: the younger, the likelier it is still open."""
    p_open = max(0.0, 1.0 - age_days / OPEN_HORIZON_DAYS) ** 2
    return (OPEN if rng.random() < p_open else TERMINAL).sample(rng)


CHANNELS = Mix.of(CHANNEL_MIX)
OUTCOMES = Mix.of(OUTCOME_MIX)
SUPPLEMENTS = Mix.of(SUPPLEMENT_MIX)
TERMINAL = Mix.of(TERMINAL_MIX)
OPEN = Mix.of(OPEN_MIX)
OVERALL = Mix.of(OVERALL_MIX)
