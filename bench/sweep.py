"""Deadline sweep over N open dossiers (scale.sweep): seconds, next to a bare scan of the same rows.

    .venv/bin/python -m bench.sweep                          # SQLite, 100 000 open dossiers
    .venv/bin/python -m bench.sweep --db pg --open 1000000   # PostgreSQL scratch database (DROPPED and recreated)
        # --pg-url postgres://postgres@127.0.0.1:5432/motcua_scale_bench (default)

Builds the demo province, generates 2 000 dossiers (scale.generator, recent ones are open), multiplies the open
running ones with INSERT … SELECT to N, spreads their due instants over the next 10 days (so a 24-hour sweep warns
about a tenth), then times: the floor (one `SELECT count(*)` with the sweep's predicate), the sweep writing the
warnings, and the idempotent re-run. Target (issue #11): 1 000 000 open dossiers swept in ≤ 60 s.
"""

import argparse
import os
import sys
import tempfile
import time

from bench.results import figure


def main(argv: list[str]) -> int:
    from motcua.scale import benchdb

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "pg"], default="sqlite")
    parser.add_argument("--open", type=int, default=100_000)
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", benchdb.PG_DEFAULT))
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        benchdb.setup(args.db, tmp, args.pg_url)
        from django.db import connection
        from django.utils import timezone

        from motcua.dossiers.models import Dossier
        from motcua.scale.load import generate
        from motcua.scale.sweep import DEFAULT_LEAD, RUNNING, sweep

        generate(2000, years=0.25, seed=11)
        t = time.perf_counter()
        n = benchdb.multiply_open(args.open)
        now = timezone.now()
        benchdb.spread_due(now)
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("VACUUM ANALYZE " + connection.ops.quote_name(Dossier._meta.db_table))
        print(f"{args.db}: {n} open running dossiers prepared in {time.perf_counter() - t:.1f} s")

        t = time.perf_counter()
        floor = Dossier.objects.filter(status__in=RUNNING, paused_since__isnull=True, due_at__gt=now,
                                       due_at__lte=now + DEFAULT_LEAD).count()
        floor_s = time.perf_counter() - t
        t = time.perf_counter()
        written = sweep(now=now)
        sweep_s = time.perf_counter() - t
        t = time.perf_counter()
        again = sweep(now=now)
        again_s = time.perf_counter() - t
        print(f"floor  bare count of due-soon rows ({floor}): {floor_s:.2f} s")
        print(f"sweep  {n} open → {written['dossier']} warnings written: {sweep_s:.2f} s "
              f"({n / sweep_s:,.0f} open dossiers/s; {sweep_s / max(floor_s, 1e-9):.1f}× the floor; target ≤ 60 s "
              f"for 1 000 000)")
        print(f"re-run idempotent, {again['dossier']} new: {again_s:.2f} s")
        figure(f"deadline sweep of {n:,} open dossiers ({args.db})", sweep_s, "s", floor=floor_s,
               floor_name="bare count of the due-soon rows", target=60 * n / 1_000_000, lower_is_better=True)
        ok = written["dossier"] == floor and again["dossier"] == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
