"""Month and year rollup rows (`PeriodRollup`).

- `spans` splits any day range into whole years, whole months and days that cover it exactly once;
- the month and year rows always equal the sums of the day rows, whatever deltas the upsert received (new
  dossiers, re-routes to another unit, changed dates: rows that shrink to zero disappear);
- every report sum read from year + month + edge-day rows (`rollup_sums`) equals the same sum over the day rows alone
  (`daily_sums`), for random histories and random periods (edges mid-month, across years), merged units and every
  breakdown; and the dashboard's monthly flows equal day-row sums per month.
"""

import random
from collections import defaultdict
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motcua.reports import facts as F
from motcua.reports.charts import TREND_FLOWS, monthly_flows
from motcua.reports.models import DailyRollup, Grain, PeriodRollup
from motcua.reports.report import DAY, daily_sums, rollup_sums, spans
from motcua.reports.rollups import _upsert
from motcua.reports.units import unit_agency_ids
from tests.reports.conftest import build_procedure

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
FIRST, LAST = date(2024, 10, 1), date(2026, 4, 30)
DOMAIN = (date(2023, 1, 1), date(2027, 12, 31))


# -- spans --------------------------------------------------------------------------------------------------------
def _starts(grain: str, lo: date | None, hi: date) -> list[date]:
    """Every period start of `grain` in [lo, hi] (lo None: from the start of the test domain)."""
    out, d = [], lo or DOMAIN[0]
    while d <= hi:
        out.append(d)
        d = (d + timedelta(days=1) if grain == DAY else
             d.replace(year=d.year + 1) if grain == Grain.YEAR else (d + timedelta(days=32)).replace(day=1))
    return out


def _days(grain: str, start: date) -> list[date]:
    end = (start.replace(year=start.year + 1) if grain == Grain.YEAR else
           (start + timedelta(days=32)).replace(day=1) if grain == Grain.MONTH else start + timedelta(days=1))
    return [start + timedelta(days=i) for i in range((end - start).days)]


@settings(max_examples=300, deadline=None)
@given(first=st.one_of(st.none(), st.dates(DOMAIN[0], DOMAIN[1])), last=st.dates(DOMAIN[0], DOMAIN[1]))
def test_spans_cover_the_range_exactly_once_with_few_rows(first, last):
    parts = spans(first, last)
    covered = [day for grain, lo, hi in parts for start in _starts(grain, lo, hi) for day in _days(grain, start)]
    lo = first or DOMAIN[0]
    assert sorted(covered) == [lo + timedelta(days=i) for i in range(max((last - lo).days + 1, 0))]
    for grain, lo_start, hi_start in parts:  # ranges of real period starts
        for start in (s for s in (lo_start, hi_start) if s is not None):
            assert grain == DAY or start.day == 1 and (grain == Grain.MONTH or start.month == 1)
    assert sum(g == Grain.YEAR for g, _lo, _hi in parts) <= 1
    assert sum(g == Grain.MONTH for g, _lo, _hi in parts) <= 2 and sum(g == DAY for g, _lo, _hi in parts) <= 2
    # no day rows where a month row would do, no month rows where a year row would do
    for grain, lo_start, hi_start in parts:
        if grain != Grain.YEAR:
            coarser = Grain.MONTH if grain == DAY else Grain.YEAR
            inside = set(_starts(grain, lo_start, hi_start))
            assert not any(set(_days(coarser, s)) <= {d for i in inside for d in _days(grain, i)}
                           for s in {s.replace(day=1) if coarser == Grain.MONTH else s.replace(month=1, day=1)
                                     for s in inside})


def test_spans_examples():
    assert spans(date(2024, 3, 15), date(2026, 5, 10)) == [
        (DAY, date(2024, 3, 15), date(2024, 3, 31)), (Grain.MONTH, date(2024, 4, 1), date(2024, 12, 1)),
        (Grain.YEAR, date(2025, 1, 1), date(2025, 1, 1)), (Grain.MONTH, date(2026, 1, 1), date(2026, 4, 1)),
        (DAY, date(2026, 5, 1), date(2026, 5, 10))]
    assert spans(None, date(2026, 12, 31)) == [(Grain.YEAR, None, date(2026, 1, 1))]
    assert spans(date(2026, 2, 3), date(2026, 2, 1)) == []


# -- random histories -----------------------------------------------------------------------------------------------
def _instant(rnd: random.Random, after: datetime | None = None, within: int = 120) -> datetime:
    if after is None:
        base = datetime(FIRST.year, FIRST.month, FIRST.day, 7, tzinfo=TZ)
        return base + timedelta(days=rnd.randrange((LAST - FIRST).days), hours=rnd.randrange(12))
    return after + timedelta(days=rnd.randrange(within), hours=rnd.randrange(1, 30))


def random_facts(rnd: random.Random, agencies: list[int], procedures: list[int]) -> dict:
    """Facts of a dossier in any state: open or not, supplements, overdue, result delivered or not, refused."""
    received = _instant(rnd)
    finished = _instant(rnd, received) if rnd.random() < 0.7 else None
    status = rnd.choice([9, 10, 9, 3, 7, 8]) if finished else rnd.choice([2, 4, 5, 6])
    supplements = []
    for _i in range(rnd.choice([0, 0, 1, 2, 3])):
        requested = _instant(rnd, received, 60)
        supplements.append((requested, _instant(rnd, requested, 20) if rnd.random() < 0.6 else None))
    return F.build_facts(
        agency_id=rnd.choice(agencies), procedure_id=rnd.choice(procedures), channel=rnd.choice([1, 2, 3, 4, 5]),
        status=status, received_at=received, finished_at=finished, due_at=_instant(rnd, received, 40),
        delivered_at=_instant(rnd, finished, 30) if finished and status in (9, 10) and rnd.random() < 0.7 else None,
        outcome=rnd.choice(["early", "on_time", "late"]), outcome_766=rnd.choice(["on_time", "late"]),
        digitised=rnd.random() < 0.5, e_result=rnd.random() < 0.5, paid_online=rnd.randrange(2),
        supplements=supplements)


def write_history(seed: int, agencies: list[int], procedures: list[int]) -> None:
    """New dossiers, then changes (re-route, new dates, withdrawal): the deltas the hooks would write."""
    rnd = random.Random(seed)
    DailyRollup.objects.all().delete()
    PeriodRollup.objects.all().delete()
    for _i in range(rnd.randint(5, 30)):
        old = random_facts(rnd, agencies, procedures)
        _upsert(F.contributions(old))
        if rnd.random() < 0.5:
            new = random_facts(rnd, agencies, procedures) if rnd.random() < 0.5 else {**old, "a": rnd.choice(agencies)}
            _upsert(F.diff(old, new))
            if rnd.random() < 0.3:  # gone entirely (purged): every row it alone made must disappear
                _upsert(F.diff(new, None))


def folded_day_rows() -> dict:
    """Month and year sums of the day rows, computed here independently of the application code."""
    out: dict = defaultdict(lambda: [0] * len(F.COUNTERS))
    for row in DailyRollup.objects.values_list("agency_id", "procedure_id", "channel", "day", *F.COUNTERS):
        day = row[3]
        for key in ((*row[:3], "m", day.replace(day=1)), (*row[:3], "y", day.replace(month=1, day=1))):
            out[key] = [a + b for a, b in zip(out[key], row[4:], strict=True)]
    return {k: tuple(v) for k, v in out.items() if any(v)}


def period_rows() -> dict:
    return {(*row[:3], row[3], row[4]): tuple(row[5:]) for row in PeriodRollup.objects.values_list(
        "agency_id", "procedure_id", "channel", "grain", "start", *F.COUNTERS)}


def random_period(rnd: random.Random) -> tuple[date, date]:
    a = FIRST - timedelta(days=40) + timedelta(days=rnd.randrange((LAST - FIRST).days + 80))
    kind = rnd.randrange(4)
    if kind == 0:  # a calendar year
        return date(a.year, 1, 1), date(a.year, 12, 31)
    if kind == 1:  # whole months
        b = (a.replace(day=1) + timedelta(days=32 * rnd.randint(1, 14))).replace(day=1) - timedelta(days=1)
        return a.replace(day=1), b
    return a, a + timedelta(days=rnd.choice([0, 1, 9, 30, 45, 200, 400, 700]))  # edges anywhere


@pytest.fixture
def setting(world):
    other, _variant = build_procedure(world, code="1.000888")
    units = [world["pc"], world["dept"], world["commune"]]  # the commune carries the merged district
    agencies = [world[k].pk for k in ("dept", "division", "commune", "district", "other_dept", "centre")]
    return units, agencies, [world["procedure"].pk, other.pk]


@pytest.mark.django_db
@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1))
def test_month_and_year_rows_are_the_sums_of_the_day_rows(setting, seed):
    _units, agencies, procedures = setting
    write_history(seed, agencies, procedures)
    assert DailyRollup.objects.exists()
    assert period_rows() == folded_day_rows()


def _zero_none(sums: dict) -> dict:
    return {k: v or 0 for k, v in sums.items()}


@pytest.mark.django_db
@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1))
def test_reports_from_month_and_year_rows_equal_the_day_rows_alone(setting, seed):
    units, agencies, procedures = setting
    write_history(seed, agencies, procedures)
    rnd = random.Random(seed + 1)
    merged = unit_agency_ids(units[2])
    assert len(merged) > 1  # the commune's report includes the abolished district
    for _i in range(6):
        date_from, date_to = random_period(rnd)
        for unit in units:
            ids = unit_agency_ids(unit)
            assert rollup_sums(ids, date_from, date_to) == _zero_none(daily_sums(ids, date_from, date_to))
            group = rnd.choice(["channel", "procedure_id", "agency_id"])
            assert rollup_sums(ids, date_from, date_to, group) == {
                k: _zero_none(v) for k, v in daily_sums(ids, date_from, date_to, group).items()}
        ids = unit_agency_ids(units[0])
        by_month = defaultdict(lambda: dict.fromkeys(TREND_FLOWS, 0))
        for row in DailyRollup.objects.filter(agency_id__in=ids, day__gte=date_from, day__lte=date_to).values(
                "day", *TREND_FLOWS):
            for k in TREND_FLOWS:
                by_month[row["day"].replace(day=1)][k] += row[k]
        assert {m: {k: c[k] for k in ("received", "finished", "finished_late")}
                for m, c in monthly_flows(ids, date_from, date_to, "local").items()} == {
            m: {k: c[k] for k in ("received", "finished", "finished_late")}
            for m, c in ((m, _counts(s)) for m, s in by_month.items())}


def _counts(sums: dict) -> dict:
    from motcua.reports.definitions import counts_from_sums

    return counts_from_sums(sums, "local")
