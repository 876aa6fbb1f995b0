"""Monthly partitions of the history table at size (PostgreSQL): conversion, a dossier's timeline, detaching.

    .venv/bin/python -m bench.partitions --events 5000000     # scratch database DROPPED and recreated
        # --pg-url postgres://postgres@127.0.0.1:5432/motcua_partition_bench (default)

Generates a province with 3 000 dossiers over five years (scale.generator), copies them inside PostgreSQL and gives
each copy the history of a generated dossier, up to about N events, then times, on
the plain table and again once partitioned: a dossier's timeline (the dossier page's query, 300 random dossiers,
p50/p95) and a year's terminal events (the raw-table report's probe); and the conversion itself
(`partitions.convert`, events/s), `ensure`, and detaching the oldest year. The floor of the conversion is a bare
`CREATE TABLE … AS SELECT` copy of the same rows.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date

from bench.results import figure


def main(argv: list[str]) -> int:
    from motcua.scale import benchdb

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=2_000_000)
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", benchdb.PG_DEFAULT.replace(
        "motcua_scale_bench", "motcua_partition_bench")))
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        benchdb.setup("pg", tmp, args.pg_url)
        from motcua.scale import partitions as P
        from motcua.scale.load import generate

        generate(3000, years=5, seed=5)
        spec = P.SPECS["events"]
        n = _grow(spec.table, args.events)
        print(f"{n:,} events in {spec.table}")
        ids = random.Random(1).sample(_dossier_ids(spec.table), 300)
        before = _reads(spec.table, ids)
        floor = _timed(lambda: _sql(f"CREATE TABLE bench_copy AS SELECT * FROM {spec.table}"))
        _sql("DROP TABLE bench_copy")
        took = _timed(lambda: P.convert(spec, ahead=3))
        _sql(f"ANALYZE {spec.table}")
        after = _reads(spec.table, ids)
        ensure_s = _timed(lambda: P.ensure(spec, ahead=3))
        oldest = min(p.lower for p in P.partitions(spec) if p.lower)
        detach_s = _timed(lambda: P.detach(spec, date(oldest.year + 1, 1, 1)))
    print(f"convert    {took:.1f} s ({n / took:,.0f} events/s); floor, bare copy of the rows: {floor:.1f} s "
          f"({n / floor:,.0f}/s)")
    for label, (timeline, terminal) in (("plain", before), ("partitioned", after)):
        print(f"{label:11} timeline p50 {statistics.median(timeline):.2f} ms, p95 {_p95(timeline):.2f} ms; "
              f"a year's terminal events (median of 5) {terminal:.0f} ms")
    print(f"ensure     {ensure_s * 1000:.0f} ms; detach the year {oldest.year}: {detach_s * 1000:.0f} ms")
    figure(f"history of {n:,} events converted to monthly partitions", n / took, "events/s", floor=n / floor,
           floor_name="bare copy of the rows")
    figure("a dossier's timeline, partitioned, p95", _p95(after[0]), "ms", floor=_p95(before[0]),
           floor_name="same read, plain table", lower_is_better=True)
    return 0


def _sql(statement: str, params=()) -> list[tuple]:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(statement, params)
        return cur.fetchall() if cur.description else []


def _timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def _grow(table: str, target: int) -> int:
    """Copy the generated dossiers (benchdb.multiply_open) and give each copy the history of a generated dossier,
    so the table reaches about `target` events with the generated mix of events per dossier and instants."""
    from motcua.dossiers.models import Dossier
    from motcua.scale.benchdb import bulk_insert_mode, multiply_open

    events, dossiers, last = _sql(f"SELECT count(*), count(DISTINCT dossier_id), max(dossier_id) FROM {table}")[0]
    multiply_open(int(target * dossiers / events))
    cols = [r[0] for r in _sql("SELECT column_name FROM information_schema.columns WHERE table_name = %s "
                               "AND column_name NOT IN ('id', 'dossier_id') ORDER BY ordinal_position", [table])]
    names, templates = ", ".join(cols), [r[0] for r in _sql(f"SELECT DISTINCT dossier_id FROM {table}")]
    with bulk_insert_mode(table):
        _sql(f"INSERT INTO {table} (dossier_id, {names}) SELECT d.id, {', '.join('e.' + c for c in cols)} "
             f"FROM {Dossier._meta.db_table} d JOIN {table} e ON e.dossier_id = (%s::bigint[])[1 + d.id %% %s] "
             f"WHERE d.id > %s", [templates, len(templates), last])
    _sql(f"VACUUM ANALYZE {table}")
    return _sql(f"SELECT count(*) FROM {table}")[0][0]


def _dossier_ids(table: str) -> list[int]:
    return [r[0] for r in _sql(f"SELECT DISTINCT dossier_id FROM {table}")]


def _reads(table: str, ids: list[int]) -> tuple[list[float], float]:
    from django.utils import timezone

    from motcua.dossiers.models import DossierEvent

    timeline = []
    for pk in ids:
        t = time.perf_counter()
        list(DossierEvent.objects.filter(dossier_id=pk).order_by("seq").values_list("seq", "action", "at"))
        timeline.append((time.perf_counter() - t) * 1000)
    year, terminal = timezone.localdate().year - 1, []
    for _ in range(5):
        t = time.perf_counter()
        _sql(f"SELECT count(DISTINCT dossier_id) FROM {table} WHERE to_status IN (3, 7, 8) AND at >= %s AND at < %s",
             [date(year, 1, 1), date(year + 1, 1, 1)])
        terminal.append((time.perf_counter() - t) * 1000)
    return timeline, statistics.median(terminal)


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
