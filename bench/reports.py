"""Statistics: a year's report for a province read from the rollups, and counted over the dossier table.

Two modes, both on a scratch database that is DROPPED and recreated (PostgreSQL by default):

    # rollups at the size N dossiers produce, rows inserted directly (no dossier rows): target ≤ 1 s at 10 M
    .venv/bin/python -m bench.reports rollups --dossiers 10000000 [--years 3] [--communes 120] [--departments 20]
    # N real dossiers through the importer; rollups vs raw table (the fallback; target ≤ 5 s at 10 M)
    .venv/bin/python -m bench.reports raw --n 200000 [--db pg|sqlite]
        # --pg-url postgres://postgres@127.0.0.1:5432/motcua_bench_reports (default)
    # again on the database that run left, optionally enlarged first to 5× its dossiers (1 M from 200 000)
    .venv/bin/python -m bench.reports raw --reuse [--scale 5]
    # 10 M dossiers over four years from 100 000 imported (docs/benchmarks.md, "Raw-table fallback")
    .venv/bin/python -m bench.reports raw --n 100000 && \
    .venv/bin/python -m bench.reports raw --reuse --scale 145 --spread-years 4 --open-copies 6

**rollups**: the demo province plus synthetic units (departments, communes) and procedures; N dossiers spread over
`--years` years ending with the report year (2026) give each (unit, procedure, channel) combination an expected
number of events a day (3 event-days per dossier: reception, end, delivery; units, procedures by Zipf weights,
channels 55/40/5 %). A rollup row exists on a day with probability 1 − e^(−events) and carries counters of that
size, generated inside PostgreSQL (INSERT … SELECT over generate_series; indexes rebuilt after). The row count is
therefore the one N dossiers produce, independent of how they are generated. Then times `period_report` for the
province and one department (local, 766, --by agency; a year, a quarter and a period with mid-month edges), median
of 3 after ANALYZE, and once the former computation from the day rows alone (`day_only_s`, `--no-day-only` skips
it) with a check that both give the same figures. The month and year rows (`PeriodRollup`) are summed from the day
rows inside PostgreSQL. `--reuse` times the reports again on the database a previous run left.

**raw**: generates N dossiers with the demo generator, imports them (the importer maintains the rollups), rebuilds
the rollups, and times `period_report` vs `raw_period_report` (one aggregate query over the dossier table),
checking both give the same figures. `--scale K` (with `--reuse`) clones the dossiers inside PostgreSQL to K times
as many and multiplies the rollups alike (`scale_up`): larger tables without the hours an import would take;
`--spread-years Y` moves the clones back over Y years (52 weeks a step) and `--open-copies O` keeps the open
dossiers in only O of the clones, so that the table looks like a province's years, not one year's intake K times.
Prints JSON.
"""

import argparse
import json
import statistics
import sys
import tempfile
import time

from bench.import_dossiers import generate
from bench.results import figure
from motcua.scale.benchdb import setup

PG_DEFAULT = "postgres://postgres@127.0.0.1:5432/motcua_bench_reports"
YEAR = 2026
PROVINCE, DEPARTMENT = "000.00.00.H27", "000.00.12.H27"
SYNTHETIC_DEPARTMENT = "000.00.60.H27"  # the first synthetic department (rollups mode)
EVENT_DAYS_PER_DOSSIER = 3
CHANNEL_SHARES = {1: 0.55, 2: 0.40, 3: 0.05}


def timed(fn, repeat: int = 3) -> tuple[float, object]:
    times, result = [], None
    for _i in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return round(statistics.median(times), 4), result


# -- rollups mode -------------------------------------------------------------------------------------------------
def synthetic_units(departments: int, communes: int, procedures: int) -> tuple[list[int], list[int], list, list]:
    """Extra departments and communes under the demo province, and province/commune-level procedures."""
    from motcua.agencies.models import Agency, AgencyKind, AgencyLevel
    from motcua.catalog.models import Field, Procedure

    root = Agency.objects.get(code=PROVINCE)
    depts = [Agency.objects.create(code=f"000.00.{60 + i:02d}.H27" if i < 39 else f"000.01.{i:02d}.H27",
                                   name=f"Sở thử nghiệm {i}", level=AgencyLevel.PROVINCE, kind=AgencyKind.DEPARTMENT,
                                   parent=root).pk for i in range(departments)]
    comms = [Agency.objects.create(code=f"000.{i // 99 + 40:02d}.{i % 99 + 1:02d}.H27", name=f"UBND xã thử {i}",
                                   level=AgencyLevel.COMMUNE, kind=AgencyKind.PEOPLES_COMMITTEE, parent=root).pk
             for i in range(communes)]
    field = Field.objects.first() or Field.objects.create(code="TN", name="Thử nghiệm")
    procs = Procedure.objects.bulk_create(
        [Procedure(code=f"9.{i:06d}", name=f"Thủ tục thử {i}", field=field,
                   level="commune" if i % 3 == 0 else "province") for i in range(procedures)])
    commune_procs = [p.pk for p in procs if p.level == "commune"]
    province_procs = [p.pk for p in procs if p.level == "province"]
    return depts, comms, province_procs, commune_procs


def combos(n: int, days: int, depts, comms, province_procs, commune_procs, seed: int = 6):
    """(agency, procedure, channel, expected events a day) for every combination that sees dossiers."""
    import numpy as np

    rng = np.random.default_rng(seed)
    out = []
    # Departments take 40 % of the dossiers, communes 60 %; within each group units differ by a lognormal factor.
    for units, procs, share, per_unit in ((depts, province_procs, 0.4, 80), (comms, commune_procs, 0.6, 150)):
        weights = rng.lognormal(0, 0.6, len(units))
        weights = share * weights / weights.sum()
        for unit, w_unit in zip(units, weights, strict=True):
            chosen = rng.choice(procs, size=min(per_unit, len(procs)), replace=False)
            zipf = 1.0 / np.arange(1, len(chosen) + 1) ** 1.1
            zipf /= zipf.sum()
            for proc, w_proc in zip(chosen, zipf, strict=True):
                for channel, w_channel in CHANNEL_SHARES.items():
                    rate = n * EVENT_DAYS_PER_DOSSIER / days * w_unit * w_proc * w_channel
                    out.append((unit, int(proc), channel, float(rate)))
    return out


def fill_rollups(rows, date_from: str, date_to: str) -> int:
    """Insert the rollup rows inside PostgreSQL; returns the row count."""
    from django.db import connection

    from motcua.reports.models import DailyRollup

    table = DailyRollup._meta.db_table
    # A row exists, so its expected events are rate / (1 - e^-rate); a third are receptions, a third ends, a third
    # deliveries (m each); floor(2·m·U + U') is an integer with expectation m.
    r = "floor(random() * 2 * c.m + random())::int"
    values = {
        "received_counter": f"CASE WHEN c.channel = 1 THEN {r} ELSE 0 END",
        "received_online": f"CASE WHEN c.channel = 2 THEN {r} ELSE 0 END",
        "received_postal": f"CASE WHEN c.channel = 3 THEN {r} ELSE 0 END",
        "ended": "f", "finished": "f", "finished_early": "(f * 0.6)::int", "finished_on_time": "(f * 0.3)::int",
        "finished_late": "f - (f * 0.6)::int - (f * 0.3)::int", "finished_766_on_time": "(f * 0.9)::int",
        "finished_766_late": "f - (f * 0.9)::int", "delivered": r, "digitised": "(f * 0.7)::int",
        "e_result": "(f * 0.5)::int", "handling_seconds_total": "f::bigint * 432000", "open_in": r, "open_out": "f",
        "uncollected_in": "f", "uncollected_out": r, "overdue_in": "(random() < 0.05)::int",
        "overdue_out": "(random() < 0.05)::int", "supplement_in": "(random() < 0.08)::int",
        "supplement_out": "(random() < 0.08)::int",
    }
    fields = [f.column for f in DailyRollup._meta.concrete_fields if f.column not in ("id",)]
    select = []
    for col in fields:
        select.append({"agency_id": "c.agency_id", "procedure_id": "c.procedure_id", "channel": "c.channel",
                       "day": "c.day::date"}.get(col) or values.get(col, "0"))
    with connection.cursor() as cur:
        cur.execute("CREATE TEMP TABLE combo (agency_id int, procedure_id int, channel smallint, rate float8)")
        with cur.cursor.copy("COPY combo FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cur.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT LIKE "
                    "'%%pkey'", [table])
        indexes = cur.fetchall()
        for name, _definition in indexes:  # rebuilt after the load: much faster than maintaining them
            cur.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT IF EXISTS "{name}"')
            cur.execute(f'DROP INDEX IF EXISTS "{name}"')
        cur.execute("SET session_replication_role = replica")  # no per-row foreign-key triggers (bulk load)
        cur.execute(
            f'INSERT INTO "{table}" ({", ".join(fields)}) SELECT {", ".join(select)} FROM ('
            f"SELECT c.*, floor(random() * 2 * c.m + random())::int AS f FROM ("
            f"SELECT c.agency_id, c.procedure_id, c.channel, d.day, c.rate / (1 - exp(-c.rate)) / 3 AS m "
            f"FROM combo c CROSS JOIN generate_series(%s::date, %s::date, '1 day') AS d(day) "
            f"WHERE random() < 1 - exp(-c.rate)) AS c) AS c", [date_from, date_to])
        count = cur.rowcount
        cur.execute("SET session_replication_role = DEFAULT")
        for name, definition in indexes:
            if name == "uniq_daily_rollup":
                cur.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" UNIQUE (agency_id, procedure_id, '
                            f"channel, day)")
            else:
                cur.execute(definition)
        cur.execute(f'ANALYZE "{table}"')
    return count


def fill_periods() -> tuple[int, float]:
    """Month and year rows summed from the day rows inside PostgreSQL (what `rollups.resum_periods` computes
    through the ORM, here as two INSERT … SELECT for speed); VACUUM so the visibility map allows index-only scans.
    Returns (rows, seconds)."""
    from django.db import connection

    from motcua.reports.facts import COUNTERS
    from motcua.reports.models import PeriodRollup

    start = time.perf_counter()
    table = PeriodRollup._meta.db_table
    keys = "agency_id, procedure_id, channel"
    sums = ", ".join(f"sum({c})" for c in COUNTERS)
    cols = ", ".join(COUNTERS)
    with connection.cursor() as cur:
        cur.execute(f'INSERT INTO "{table}" ({keys}, grain, start, {cols}) SELECT {keys}, \'m\', '
                    f"date_trunc('month', day)::date, {sums} FROM reports_dailyrollup GROUP BY 1, 2, 3, 5")
        cur.execute(f'INSERT INTO "{table}" ({keys}, grain, start, {cols}) SELECT {keys}, \'y\', '
                    f"date_trunc('year', start)::date, {sums} FROM \"{table}\" WHERE grain = 'm' GROUP BY 1, 2, 3, 5")
        cur.execute(f'SELECT count(*) FROM "{table}"')
        count = cur.fetchone()[0]
    with connection.cursor() as cur:  # VACUUM cannot run inside a transaction block: autocommit is on here
        cur.execute(f'VACUUM ANALYZE "{table}"')
        cur.execute('VACUUM ANALYZE "reports_dailyrollup"')
    return count, time.perf_counter() - start


PERIODS = {"year": (f"{YEAR}-01-01", f"{YEAR}-12-31"), "quarter": (f"{YEAR}-07-01", f"{YEAR}-09-30"),
           "mid-month": (f"{YEAR}-03-15", f"{YEAR}-06-20")}


def day_only_report(unit, date_from: str, date_to: str, definition: str, by: str | None = None):
    """The report as computed before the month and year rows: `daily_sums` over every day row up to the end."""
    from datetime import date

    from motcua.reports.definitions import counts_from_sums, with_rates
    from motcua.reports.report import GROUPS, daily_sums
    from motcua.reports.units import resolve_unit, unit_agency_ids

    ids = unit_agency_ids(resolve_unit(unit))
    first, last = date.fromisoformat(date_from), date.fromisoformat(date_to)
    if by:
        return {k: with_rates(counts_from_sums(s, definition), definition)
                for k, s in daily_sums(ids, first, last, GROUPS[by]).items()}
    return with_rates(counts_from_sums(daily_sums(ids, first, last), definition), definition)


def dashboard_figures(unit, date_from: str, date_to: str, report: dict, definition: str) -> list:
    """The dashboard's figures without the officer one (it counts over the dossier table, empty here)."""
    from datetime import date

    from motcua.reports.charts import figures
    from motcua.reports.units import resolve_unit

    return figures(resolve_unit(unit), report, date.fromisoformat(date_from), date.fromisoformat(date_to),
                   definition, officers=False)


def time_reports(units, raw: bool, periods=("year",), day_only: bool = False) -> list[dict]:
    return [time_report(unit, period, definition, raw, day_only)
            for unit in units for period in periods for definition in ("local", "766")]


def time_report(unit, period: str, definition: str, raw: bool, day_only: bool) -> dict:
    """Median of 3 of the report (and its --by agency breakdown); with `day_only` also the former day-rows-only
    computation, once, and whether both give the same figures; with `raw` the count over the dossier table."""
    from motcua.reports.report import period_report, raw_period_report

    args = (unit, *PERIODS[period])
    fast_s, fast = timed(lambda: period_report(*args, definition=definition))
    by_s, by = timed(lambda: period_report(*args, by="agency", definition=definition))
    row = {"unit": unit, "period": period, "definition": definition, "rollups_s": fast_s,
           "rollups_by_agency_s": by_s, "received": fast["received"], "finished": fast["finished"],
           "on_time_rate": fast["on_time_rate"]}
    if period == "year":
        row["dashboard_figures_s"] = timed(lambda: dashboard_figures(*args, fast, definition))[0]
    if day_only:
        old_s, old = timed(lambda: day_only_report(*args, definition), repeat=1)
        old_by_s, old_by = timed(lambda: day_only_report(*args, definition, "agency"), repeat=1)
        groups = {g["key"]: g for g in by["groups"]}
        same = all(fast[k] == v for k, v in old.items()) and old_by.keys() == groups.keys() and all(
            groups[key][k] == v for key, g in old_by.items() for k, v in g.items())
        row.update(day_only_s=old_s, day_only_by_agency_s=old_by_s, same_as_day_only=same)
    if raw:
        raw_s, slow = timed(lambda: raw_period_report(*args, definition=definition), repeat=1)
        row.update(raw_table_s=raw_s, speedup=round(raw_s / fast_s, 1) if fast_s else None,
                   same_figures=fast == slow)
    return row


def run_rollups(args, tmp: str) -> dict:
    from datetime import date, timedelta

    from django.db import connection

    if args.reuse:
        return {"mode": "rollups", "reused": args.pg_url, "reports": reuse(args.pg_url, not args.no_day_only)}
    setup("pg", tmp, args.pg_url)
    assert connection.vendor == "postgresql"
    start = time.perf_counter()
    depts, comms, pprocs, cprocs = synthetic_units(args.departments, args.communes, args.procedures)
    first = date(YEAR - args.years + 1, 1, 1)
    days = (date(YEAR, 12, 31) - first).days + 1
    rows = combos(args.dossiers, days, depts, comms, pprocs, cprocs)
    setup_s = time.perf_counter() - start
    start = time.perf_counter()
    count = fill_rollups(rows, first.isoformat(), (first + timedelta(days=days - 1)).isoformat())
    fill_s = time.perf_counter() - start
    period_rows, periods_s = fill_periods()
    with connection.cursor() as cur:
        cur.execute("SELECT pg_size_pretty(pg_total_relation_size('reports_dailyrollup')), "
                    "pg_size_pretty(pg_total_relation_size('reports_periodrollup'))")
        size, period_size = cur.fetchone()
    return {"mode": "rollups", "db": connection.vendor, "dossiers_simulated": args.dossiers, "years": args.years,
            "units": len(depts) + len(comms), "procedures": args.procedures, "combinations": len(rows),
            "rollup_rows": count, "table_size": size, "period_rows": period_rows, "period_table_size": period_size,
            "setup_s": round(setup_s, 1), "fill_s": round(fill_s, 1), "fill_periods_s": round(periods_s, 1),
            "reports": time_reports((PROVINCE, SYNTHETIC_DEPARTMENT), raw=False, periods=tuple(PERIODS),
                                    day_only=not args.no_day_only)}


def reuse(pg_url: str, day_only: bool) -> list[dict]:
    """Time the reports again on the database a previous run filled (no reload)."""
    import os

    import django

    os.environ.update(DATABASE_URL=pg_url, DJANGO_SETTINGS_MODULE="motcua.settings")
    django.setup()
    return time_reports((PROVINCE, SYNTHETIC_DEPARTMENT), raw=False, periods=tuple(PERIODS), day_only=day_only)


# -- raw mode -----------------------------------------------------------------------------------------------------
OPEN_STATUSES = (1, 2, 4, 5, 6, 9)  # not settled: submitted, in progress, waiting, result not yet collected


def _open_contributions() -> dict:
    """The rollup counters the open imported dossiers contribute."""
    from motcua.dossiers.models import Dossier
    from motcua.reports.rollups import load_facts, total_contributions

    ids = list(Dossier.objects.filter(status__in=OPEN_STATUSES).values_list("pk", flat=True))
    return total_contributions(load_facts(ids).values())


def scale_up(copies: int, years: int = 1, open_copies: int | None = None) -> dict:
    """PostgreSQL: `copies` − 1 clones of the imported dossiers (code suffixed "#k"), with their supplement requests
    and the events of never-received dossiers (the only events the report reads). Clone k is moved (k mod `years`)
    × 52 weeks back (every instant and date, so weekdays and durations stay), spreading the table over `years`
    years as a province's history is, instead of piling every clone into one year; the clones are inserted oldest
    year first, ordered by reception, as a province's table grows. Only `open_copies` of the clones that stay in the
    imported year (k mod years = 0, the original included) keep the dossiers still open; the others clone the
    settled dossiers alone: a province does not keep years of intake open, nor a third of a year's (the demo mix).
    The rollups are the enlarged table's: per shift, the imported day rows times its clones minus the open dossiers'
    contributions times its settled-only clones, moved by the same days, and the month and year rows summed again
    from them — so both paths must still agree. Secondary indexes of the dossier table are dropped during the copy
    and rebuilt after (as a restore does). Returns the new size and the time taken."""
    from django.db import connection

    from motcua.dossiers.models import Dossier, DossierEvent, SupplementRequest
    from motcua.reports.facts import COUNTERS
    from motcua.reports.models import DailyRollup, PeriodRollup
    from motcua.scale.benchdb import bulk_insert_mode

    def moved(model, skip=(), alias=""):
        """`model`'s columns for a select list, instants and dates moved back by %(days)s days."""
        out = []
        for f in model._meta.concrete_fields:
            if f.column not in ("id", *skip):
                kind = {"DateTimeField": "timestamptz", "DateField": "date"}.get(f.get_internal_type())
                out.append(f"({alias}{f.column} - %(days)s * interval '1 day')::{kind}" if kind
                           else f"{alias}{f.column}")
        return ", ".join(out)

    def columns(model, skip=()):
        return ", ".join(f.column for f in model._meta.concrete_fields if f.column not in ("id", *skip))

    open_copies = copies if open_copies is None else open_copies
    full = {k for k in range(copies) if k % years == 0 and k // years < open_copies}
    start = time.perf_counter()
    opened = _open_contributions()
    dossier, request, event = (m._meta.db_table for m in (Dossier, SupplementRequest, DossierEvent))
    daily, keys = DailyRollup._meta.db_table, "agency_id, procedure_id, channel"
    with bulk_insert_mode(dossier), connection.cursor() as cur:
        cur.execute(f'SELECT max(id) FROM "{dossier}"')
        last = cur.fetchone()[0]
        for shift in reversed(range(years)):
            ks = [k for k in range(1, copies) if k % years == shift]
            if not ks:
                continue
            params = {"days": 364 * shift, "last": last, "open": list(OPEN_STATUSES), "ks": ks,
                      "full": [k for k in ks if k in full]}
            skip = ("code", "idempotency_key")  # the clones have no idempotency key (unique)
            cur.execute(f'INSERT INTO "{dossier}" (code, {columns(Dossier, skip)}) SELECT code || \'#\' || k, '
                        f'{moved(Dossier, skip)} FROM "{dossier}" CROSS JOIN unnest(%(ks)s::int[]) k '
                        "WHERE id <= %(last)s AND (k = ANY(%(full)s) OR NOT status = ANY(%(open)s)) "
                        "ORDER BY received_at NULLS FIRST, k", params)
            for table, model, where in ((request, SupplementRequest, ""), (event, DossierEvent,
                                                                            " AND o.received_at IS NULL")):
                cur.execute(f'INSERT INTO "{table}" (dossier_id, {columns(model, ("dossier_id",))}) SELECT n.id, '
                            f'{moved(model, ("dossier_id",), "t.")} FROM "{table}" t JOIN "{dossier}" o ON '
                            f'o.id = t.dossier_id CROSS JOIN unnest(%(ks)s::int[]) k JOIN "{dossier}" n ON '
                            f"n.code = o.code || '#' || k WHERE o.id <= %(last)s{where}", params)
    with connection.cursor() as cur:
        cur.execute(f'CREATE TEMP TABLE imported_days AS SELECT * FROM "{daily}"')
        cur.execute(f"CREATE TEMP TABLE open_days AS SELECT {keys}, day, {', '.join(COUNTERS)} FROM imported_days "
                    "WITH NO DATA")
        cur.executemany(f"INSERT INTO open_days VALUES ({', '.join(['%s'] * (4 + len(COUNTERS)))})",
                        [(*key, *(delta.get(c, 0) for c in COUNTERS)) for key, delta in opened.items()])
        cur.execute(f'DELETE FROM "{daily}"')
        cur.execute(f'DELETE FROM "{PeriodRollup._meta.db_table}"')
        for shift in range(min(years, copies)):
            clones = [k for k in range(shift, copies, years)]  # the original (k = 0) among them
            settled_only = len([k for k in clones if k not in full])
            counters = ", ".join(f"i.{c} * {len(clones)} - coalesce(o.{c}, 0) * {settled_only}" for c in COUNTERS)
            cur.execute(f'INSERT INTO "{daily}" ({keys}, day, {", ".join(COUNTERS)}) SELECT i.agency_id, '
                        f'i.procedure_id, i.channel, i.day - {364 * shift}, {counters} FROM imported_days i '
                        f'LEFT JOIN open_days o USING ({keys}, day) ON CONFLICT ({keys}, day) DO UPDATE SET '
                        + ", ".join(f'{c} = "{daily}".{c} + EXCLUDED.{c}' for c in COUNTERS))
        cur.execute("DROP TABLE imported_days, open_days")
    fill_periods()
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE")
        cur.execute(f'SELECT count(*) FROM "{dossier}"')
        size = cur.fetchone()[0]
    return {"dossiers": size, "years": years, "open_copies": open_copies,
            "scale_s": round(time.perf_counter() - start, 1)}


def run_raw(args, tmp: str) -> dict:
    if args.reuse:  # time again on the database a previous run left (e.g. after a code change)
        import os

        import django

        os.environ.update(DATABASE_URL=args.pg_url, DJANGO_SETTINGS_MODULE="motcua.settings", MOTCUA_DATA_DIR=tmp)
        django.setup()
        scaled = scale_up(args.scale, args.spread_years, args.open_copies) if args.scale > 1 else {}
        return {"mode": "raw", "reused": args.pg_url, **scaled,
                "reports": time_reports((PROVINCE, DEPARTMENT), raw=True)}
    setup(args.db, tmp, args.pg_url)
    from django.db import connection

    from motcua.dossiers.importer import import_file
    from motcua.reports.models import DailyRollup
    from motcua.reports.rollups import rebuild

    path = f"{tmp}/dossiers.jsonl"
    gen_s = generate(path, args.n)
    start = time.perf_counter()
    imported = import_file(path)
    import_s = time.perf_counter() - start
    wired = DailyRollup.objects.exists()
    start = time.perf_counter()
    rebuild()
    rebuild_s = time.perf_counter() - start
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    return {"mode": "raw", "db": connection.vendor, "dossiers": imported.created, "generate_s": round(gen_s, 1),
            "import_s": round(import_s, 1), "import_maintained_rollups": wired, "rebuild_s": round(rebuild_s, 1),
            "rollup_rows": DailyRollup.objects.count(), "reports": time_reports((PROVINCE, DEPARTMENT), raw=True)}


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("mode", nargs="?", choices=("rollups", "raw"), default="rollups")
    parser.add_argument("--dossiers", type=int, default=10_000_000, help="rollups mode: dossiers simulated")
    parser.add_argument("--years", type=int, default=3, help="rollups mode: years of history ending in 2026")
    parser.add_argument("--departments", type=int, default=20)
    parser.add_argument("--communes", type=int, default=120)
    parser.add_argument("--procedures", type=int, default=1500)
    parser.add_argument("--n", type=int, default=200_000, help="raw mode: dossiers imported")
    parser.add_argument("--db", choices=("sqlite", "pg"), default="pg", help="raw mode only (rollups: pg)")
    parser.add_argument("--no-day-only", action="store_true",
                        help="rollups mode: skip timing the former day-rows-only computation (≈ 10 s per report)")
    parser.add_argument("--reuse", action="store_true",
                        help="time the reports on the (PostgreSQL) database a previous run left (no reload)")
    parser.add_argument("--scale", type=int, default=1,
                        help="raw mode with --reuse: clone the dossiers to SCALE times as many (PostgreSQL), "
                             "rollups multiplied alike")
    parser.add_argument("--spread-years", type=int, default=1,
                        help="with --scale: move clone k back (k mod Y) × 52 weeks, spreading the table over Y years")
    parser.add_argument("--open-copies", type=int, default=None,
                        help="with --scale: how many of the clones kept in the imported year keep the open dossiers "
                             "(default: all)")
    parser.add_argument("--pg-url", default=PG_DEFAULT)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        out = run_rollups(args, tmp) if args.mode == "rollups" else run_raw(args, tmp)
        hand_over(out, args)
    json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
    print()
    return out


def hand_over(out: dict, args) -> None:
    """The province's year reports, for `make bench`'s table (bench/results.py)."""
    from motcua.dossiers.models import Dossier

    size = args.dossiers if args.mode == "rollups" else Dossier.objects.count()
    for row in out["reports"]:
        if row["unit"] != PROVINCE or row["period"] != "year":
            continue
        what = f"year report of the province, {row['definition']}, {size:,} dossiers"
        if args.mode == "rollups":
            figure(f"{what}, from the rollups", row["rollups_s"], "s", target=1, lower_is_better=True)
        else:
            figure(f"{what}, from the dossier table", row["raw_table_s"], "s", floor=row["rollups_s"],
                   floor_name="the same report from the rollups", target=5, lower_is_better=True)


if __name__ == "__main__":
    main()
