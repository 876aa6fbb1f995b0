"""Legacy dossier import throughput (motcua import-dossiers): dossiers/s on SQLite and PostgreSQL.

    .venv/bin/python -m bench.import_dossiers --n 100000 --db sqlite     # SQLite file in a temporary directory
    .venv/bin/python -m bench.import_dossiers --n 100000 --db pg         # PostgreSQL scratch database
        # --pg-url postgres://postgres@127.0.0.1:5432/motcua_bench_import (default); the database is DROPPED and
        # recreated, then migrated.
    .venv/bin/python -m bench.import_dossiers --n 20000 --profile /tmp/import.prof   # cProfile of the first import

Loads the demo province (agencies, accounts, calendar, catalogue), generates N lines with the demo generator
(dossiers.demo.build_records: every status, supplements, hand-overs, extensions, outcomes left to compute) into a
JSONL file, then times `import_file` — parsing, validation, clock computations, batched writes, audit records and
counters — and reports dossiers/s (wall and CPU) and rows written, then the floor: the same rows written again
raw into temporary tables (COPY / executemany), i.e. the write cost alone. A second run over the same file
measures the idempotent skip path. The load average is printed with the figures: on a shared machine wall time follows it,
CPU time much less.
"""

import argparse
import json
import os
import sys
import tempfile
import time

from bench.results import figure
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
    from motcua.reports.models import DossierFact

    return {m.__name__: m.objects.count() for m in (Dossier, DossierEvent, SupplementRequest, ClockEvent, HandOver,
                                                   AuditRecord, DossierFact)}


def raw_write_floor() -> tuple[int, float]:
    """The floor: the rows the import wrote (dossiers, history, supplements, clock events, hand-overs, audit
    records, stored facts) read back and written again, as they are, into empty temporary copies of their tables —
    COPY on PostgreSQL, executemany on SQLite, the importer's own write methods. Returns (rows, seconds of writing
    only): no parsing, no validation, no clock, no hashing, no rollups."""
    from django.db import connection, transaction

    from motcua.audit.models import AuditRecord
    from motcua.dossiers.models import ClockEvent, Dossier, DossierEvent, HandOver, SupplementRequest
    from motcua.reports.models import DossierFact

    qn, total, seconds = connection.ops.quote_name, 0, 0.0
    with transaction.atomic(), connection.cursor() as cur:
        for model in (Dossier, DossierEvent, SupplementRequest, ClockEvent, HandOver, AuditRecord, DossierFact):
            table, scratch = qn(model._meta.db_table), qn("floor_" + model._meta.db_table)
            cols = ", ".join(qn(f.column) for f in model._meta.concrete_fields)
            cur.execute(f"CREATE TEMP TABLE {scratch} AS SELECT {cols} FROM {table} WHERE 1 = 0")
            cur.execute(f"SELECT {cols} FROM {table}")
            rows = cur.fetchall()
            start = time.perf_counter()
            if connection.vendor == "postgresql":
                with cur.cursor.copy(f"COPY {scratch} ({cols}) FROM STDIN") as copy:
                    for r in rows:
                        copy.write_row(r)
            else:
                marks = ", ".join(["%s"] * len(model._meta.concrete_fields))
                cur.executemany(f"INSERT INTO {scratch} ({cols}) VALUES ({marks})", rows)
            seconds += time.perf_counter() - start
            total += len(rows)
            cur.execute(f"DROP TABLE {scratch}")
    return total, seconds


class ServerCPU:
    """CPU seconds used by the PostgreSQL backends of this database while the block runs, whichever connection or
    thread they serve (the import writes on a thread of its own). Read from /proc every 0,1 s, so the server must
    run on this machine; a backend that exits loses at most its last 0,1 s. `seconds` is None on SQLite. Unlike
    wall time it does not follow the load of a shared machine."""

    def __init__(self):
        from django.db import connection

        self.db = connection.settings_dict["NAME"] if connection.vendor == "postgresql" else None
        self.start: dict[int, float] = {}
        self.last: dict[int, float] = {}
        self.seconds: float | None = None

    def _sample(self) -> None:
        tick = os.sysconf("SC_CLK_TCK")
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                with open(f"/proc/{pid}/comm") as f:
                    if f.read().strip() != "postgres":
                        continue
                with open(f"/proc/{pid}/cmdline") as f:
                    if f" {self.db} " not in f.read().replace("\0", " ") + " ":
                        continue
                with open(f"/proc/{pid}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            self.last[int(pid)] = (int(fields[11]) + int(fields[12])) / tick  # utime + stime

    def _run(self) -> None:
        while not self._stop.wait(0.1):
            self._sample()

    def __enter__(self):
        import threading

        if self.db is not None:
            self._sample()
            self.start = dict(self.last)
            self._stop = threading.Event()
            self._thread = threading.Thread(target=self._run, daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        if self.db is not None:
            self._stop.set()
            self._thread.join()
            self._sample()
            # A backend first seen during the block counts from its start (it started then).
            self.seconds = sum(used - self.start.get(pid, 0.0) for pid, used in self.last.items())


def timed_import(path: str, batch: int, profile: str | None = None):
    """One import of the file; with `profile`, under cProfile (stats written there, the top printed)."""
    from motcua.dossiers.importer import import_file

    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    with ServerCPU() as server:
        wall, cpu = time.perf_counter(), time.process_time()
        report = import_file(path, batch_size=batch)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    if profiler is not None:
        import pstats

        profiler.disable()
        profiler.dump_stats(profile)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    return report, wall, cpu, server.seconds


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
        report, wall, cpu, server = timed_import(path, args.batch_size, args.profile)
        after = rows()
        written = {k: after[k] - before[k] for k in after}
        on_server = "" if server is None else f", server CPU {server:.2f} s"
        print(f"{args.db:<7} import {report.created:>8} dossiers in {wall:7.2f} s = {report.created / wall:9.0f} /s "
              f"(CPU {cpu:.2f} s = {report.created / cpu:.0f} /s of CPU{on_server}); errors {len(report.errors)}; "
              f"load average {load:.1f} → {os.getloadavg()[0]:.1f}")
        print("        rows written: " + ", ".join(f"{k} {v}" for k, v in written.items())
              + f" = {sum(written.values())} rows, {sum(written.values()) / wall:.0f} rows/s")
        floor_rows, floor_s = raw_write_floor()
        print(f"floor   raw write of the same {floor_rows} rows (dossier facts included): {floor_s:.2f} s = "
              f"{floor_rows / floor_s:.0f} rows/s = {report.created / floor_s:.0f} dossiers/s; the import runs at "
              f"{floor_s / wall:.1%} of it; load average {os.getloadavg()[0]:.1f}")
        figure(f"import of {report.created:,} dossiers ({args.db})", report.created / wall, "dossiers/s",
               floor=report.created / floor_s, floor_name="raw write of the same rows",
               target=20_000 if args.db == "pg" else None)
        report2, wall2, _cpu2, _server2 = timed_import(path, args.batch_size)
        print(f"{args.db:<7} re-run (idempotent) skipped {report2.skipped_existing} in {wall2:.2f} s = "
              f"{report2.lines / wall2:.0f} lines/s; created {report2.created}")
    return 0 if not report.errors else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
