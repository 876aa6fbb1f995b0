"""`motcua generate` throughput: records/s of the generator alone, dossiers/s through the bulk import path.

    .venv/bin/python -m bench.generate                             # SQLite, 5 000 dossiers
    .venv/bin/python -m bench.generate --db pg --dossiers 1000000  # PostgreSQL scratch database (DROPPED)

The floor is the generator alone (stories built in memory, nothing written): the import can only be slower, and the
ratio says how much of `motcua generate` the import takes. Target (issue #11): 10 000 000 dossiers on PostgreSQL in
≤ 15 minutes (≈ 11 000/s).
"""

import argparse
import os
import sys
import tempfile
import time
from datetime import date

from bench.results import figure


def main(argv: list[str]) -> int:
    from motcua.scale import benchdb

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "pg"], default="sqlite")
    parser.add_argument("--dossiers", type=int, default=5000)
    parser.add_argument("--years", type=float, default=1.0)
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", benchdb.PG_DEFAULT))
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        benchdb.setup(args.db, tmp, args.pg_url)
        from bench.import_dossiers import ServerCPU
        from motcua.dossiers.importer import Catalogue
        from motcua.scale import generator
        from motcua.scale.load import generate

        first, last = generator.period(args.years, date.today())
        n_floor = min(args.dossiers, 20_000)
        t = time.perf_counter()
        for _record in generator.records(Catalogue(), n_floor, first=first, last=last, seed=1):
            pass
        floor = n_floor / (time.perf_counter() - t)
        with ServerCPU() as server:
            cpu = time.process_time()
            report = generate(args.dossiers, years=args.years, seed=2)
            cpu = time.process_time() - cpu
        on_server = "" if server.seconds is None else f", server CPU {server.seconds:.2f} s"
        rate = report.created / report.seconds
        print(f"floor     generator alone: {floor:9,.0f} records/s ({n_floor} records)")
        print(f"{args.db:<9} generate + import: {rate:9,.0f} dossiers/s ({report.created} created, {report.rated} "
              f"ratings, {len(report.errors)} errors, {report.seconds:.1f} s; CPU {cpu:.2f} s{on_server}) = "
              f"{rate / floor:.0%} of the floor; 10 M would take {1e7 / rate / 60:,.0f} min (target ≤ 15); "
              f"load average {os.getloadavg()[0]:.1f}")
        figure(f"generate + import {report.created:,} dossiers ({args.db})", rate, "dossiers/s", floor=floor,
               floor_name="generator alone", target=1e7 / 900 if args.db == "pg" else None)
    return 1 if report.errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
