"""A province's dossier flow at scale: N import records over Y years, for benchmarks and capacity tests.

The stories (reception, hand-over, supplements, payment, apology letters, result, delivery: every instant on the
competent agency's working calendar) are the demo's (`dossiers.demo.Story`); this module replaces its toy choices
with the province-scale distributions of `scale.distributions`: Zipf procedure popularity, seasonal reception days
(Tết dip, year-end peak, yearly growth), a status that depends on the dossier's age, the national channel and
outcome mixes. Records are the import format (docs/import-format.md) and go through the bulk import path.

Deterministic: the same catalogue, seed, period and N give the same records.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

from motcua.dossiers import demo
from motcua.scale import distributions as dist
from motcua.worktime import clock

DEFAULT_SEED = 20260101
SOURCE = "generate"


def _pairs(mix: dict) -> tuple[list, list]:
    return list(mix), list(mix.values())


class ScaleStory(demo.Story):
    CHANNELS = _pairs(dist.CHANNEL_MIX)
    SUPPLEMENTS = _pairs(dist.SUPPLEMENT_MIX)
    AIMS = _pairs(dist.OUTCOME_MIX)


class ProvinceFlow(demo.Generator):
    """Dossiers received between `first` and `last` (inclusive); nothing happens after `last`."""

    def __init__(self, cat, first: date, last: date, seed: int = DEFAULT_SEED, code_prefix: str = ""):
        super().__init__(cat, last + timedelta(days=1), seed, code_prefix)
        if not self.choices:
            raise ValueError("the catalogue has no published procedure with a competent agency")
        calendar = cat.calendar(self.centre or next(iter(cat.agencies.values())))
        self.first, self.last = max(first, catalogue_start(cat)), last
        self.days = dist.DaySampler(self.first, last, calendar.is_working_day)
        # Ranks come from their own generator so that they do not depend on N.
        self.popular = dist.popularity(self.choices, random.Random(seed ^ 0x5EED))

    def one(self) -> dict:
        horizon = datetime.combine(self.ref, time(0), tzinfo=clock.TZ)
        day = self.days.sample(self.rng)
        status = dist.status_for_age((self.last - day).days, self.rng)
        for attempt in range(30):
            choice = self.popular.sample(self.rng)
            line = ScaleStory(self, choice, status, day).build()
            if line is not None and datetime.fromisoformat(line["history"][-1]["at"]) < horizon:
                return line
            if attempt >= 2:  # a story too long for the time left: it is still open today
                status = 2 if attempt > 10 else 4
        raise RuntimeError("generator: no procedure in force for the chosen dates")


def catalogue_start(cat) -> date:
    """The first day on which most procedures have a published version in force (older dossiers could only use
    the few procedures in force then, which would distort popularity)."""
    starts = sorted(min((v.effective_from for v in p.versions if v.variants), default=date.max)
                    for p in cat.procedures.values())
    if not starts or starts[0] == date.max:
        raise ValueError("the catalogue has no published procedure version")
    return starts[len(starts) // 2] + timedelta(days=7)  # online submissions come days before reception


def period(years: float, today: date) -> tuple[date, date]:
    """The `years` before `today` (the last day is yesterday)."""
    last = today - timedelta(days=1)
    return last - timedelta(days=round(365.25 * years) - 1), last


def records(cat, n: int, *, first: date, last: date, seed: int = DEFAULT_SEED, code_prefix: str = "") -> Iterator[dict]:
    flow = ProvinceFlow(cat, first, last, seed, code_prefix)
    for _i in range(n):
        yield flow.one()


def ratings_for(codes_delivered: list[str], seed: int) -> list[tuple[str, str]]:
    """(code, overall) for the share of delivered dossiers their applicants rate; deterministic per code set."""
    rng = random.Random(f"{seed}:{len(codes_delivered)}:{codes_delivered[:1]}")
    return [(code, dist.OVERALL.sample(rng)) for code in codes_delivered if rng.random() < dist.RATED_SHARE]
