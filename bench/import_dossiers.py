"""Legacy dossier import throughput (motcua import-dossiers): dossiers/s on SQLite and PostgreSQL.

    .venv/bin/python -m bench.import_dossiers --n 100000 --db sqlite     # SQLite file in a temporary directory
    .venv/bin/python -m bench.import_dossiers --n 100000 --db pg         # PostgreSQL scratch database
        # --pg-url postgres://postgres@127.0.0.1:5432/motcua_bench_import (default); the database is DROPPED and
        # recreated, then migrated.
    .venv/bin/python -m bench.import_dossiers --n 20000 --profile /tmp/import.prof   # cProfile of the first import

Loads the demo province (agencies, accounts, calendar, catalogue), generates N lines with the demo generator
(dossiers.demo.build_records: every status, supplements, hand-overs, extensions, outcomes left to compute) into a
JSONL file, then times `import_file` — parsing, validation, clock computations, batched writes, audit records and
counters — and reports dossiers/s (wall and CPU) and rows written. A second run over the same file measures the
idempotent skip path. The load average is printed with the figures: on a shared machine wall time follows it,
CPU time much less.
"""

import argparse
import json
import os
import sys
import tempfile
import time

from motcua.scale import benchdb

PG_DEFAULT = "postgres://postgres@127.0.0.1:5432/motcua_bench_import"


def generate(path: str, n: int) -> float:
    from datetime import date

    from motcua.dossiers.demo import build_records

    start = time.perf_counter()
    with open(path, "w", encoding="utf-8") as f:
        for record in build_records(n, ref=date(2026, 11, 1), seed=7):
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
    return time.perf_counter() - start


def rows() -> dict:
    from motcua.audit.models import AuditRecord
    from motcua.dossiers.models import ClockEvent, Dossier, DossierEvent, HandOver, SupplementRequest

    return {m.__name__: m.objects.count() for m in (Dossier, DossierEvent, SupplementRequest, ClockEvent, HandOver,
                                                   AuditRecord)}


def timed_import(path: str, batch: int, profile: str | None = None):
    """One import of the file; with `profile`, under cProfile (stats written there, the top printed)."""
    from motcua.dossiers.importer import import_file

    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    wall, cpu = time.perf_counter(), time.process_time()
    report = import_file(path, batch_size=batch)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    if profiler is not None:
        import pstats

        profiler.disable()
        profiler.dump_stats(profile)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    return report, wall, cpu


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--db", choices=["sqlite", "pg"], default="sqlite")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", PG_DEFAULT))
    parser.add_argument("--batch-size", type=int, default=2000)
    parser.add_argument("--profile", metavar="FILE", help="run the first import under cProfile, stats to FILE")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        benchdb.setup(args.db, tmp, args.pg_url)
        path = os.path.join(tmp, "hoso.jsonl")
        gen = generate(path, args.n)
        print(f"generated {args.n} lines in {gen:.1f} s ({os.path.getsize(path) / 1e6:.1f} MB)")
        before = rows()
        load = os.getloadavg()[0]
        report, wall, cpu = timed_import(path, args.batch_size, args.profile)
        after = rows()
        written = {k: after[k] - before[k] for k in after}
        print(f"{args.db:<7} import {report.created:>8} dossiers in {wall:7.2f} s = {report.created / wall:9.0f} /s "
              f"(CPU {cpu:.2f} s = {report.created / cpu:.0f} /s of CPU); errors {len(report.errors)}; "
              f"load average {load:.1f} → {os.getloadavg()[0]:.1f}")
        print("        rows written: " + ", ".join(f"{k} {v}" for k, v in written.items())
              + f" = {sum(written.values())} rows, {sum(written.values()) / wall:.0f} rows/s")
        report2, wall2, _cpu2 = timed_import(path, args.batch_size)
        print(f"{args.db:<7} re-run (idempotent) skipped {report2.skipped_existing} in {wall2:.2f} s = "
              f"{report2.lines / wall2:.0f} lines/s; created {report2.created}")
    return 0 if not report.errors else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
