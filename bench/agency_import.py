"""Agency catalogue import at national scale: 34 provinces, their departments and 3,321 communes.

    .venv/bin/python -m bench.agency_import                   # SQLite file in a temporary directory
    .venv/bin/python -m bench.agency_import --communes 1000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/scratch .venv/bin/python -m bench.agency_import
        # PostgreSQL: migrates that (scratch!) database and writes agencies with codes ending in Z01..Z34

Reports the dry run (parse + whole-file checks), the first import (all rows created, one transaction), the
re-import of the same file (nothing written) and the public list API over the result.
"""

import argparse
import io
import os
import tempfile
import time

from bench.results import figure

PROVINCES = 34
DEPARTMENTS = 15


def build_csv(communes: int) -> tuple[bytes, int]:
    from motcua.agencies.services import COLUMNS

    lines = [",".join(COLUMNS)]
    per_province = -(-communes // PROVINCES)
    made = 0
    for p in range(1, PROVINCES + 1):
        pc = f"000.00.00.Z{p:02d}"
        # The province PC comes last: every other row refers forward to it.
        for d in range(DEPARTMENTS):
            lines.append(f"000.00.{10 + d:02d}.Z{p:02d},Sở {d} tỉnh {p},,province,department,{pc},,,,,,")
        for c in range(min(per_province, communes - made)):
            lines.append(f"000.{20 + c // 100:02d}.{c % 100:02d}.Z{p:02d},UBND xã {c} tỉnh {p},,commune,"
                         f"peoples_committee,{pc},,,,2025-07-01,,")
            made += 1
        lines.append(f"{pc},UBND tỉnh {p},,province,peoples_committee,,,,,,,")
    return ("\n".join(lines) + "\n").encode(), len(lines) - 1


def timed(label: str, n: int, fn, hand_over: str = ""):
    start = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - start
    print(f"{label:<44} {n:>7} rows in {elapsed:7.2f} s = {n / elapsed:8.0f} rows/s")
    if hand_over:
        figure(hand_over, n / elapsed, "rows/s")
    return result


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communes", type=int, default=3321)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("MOTCUA_DATA_DIR", tmp)
        os.environ["DJANGO_SETTINGS_MODULE"] = "motcua.settings"
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client

        from motcua.agencies.services import import_agencies

        call_command("migrate", verbosity=0)
        data, rows = build_csv(args.communes)
        print(f"backend: {connection.vendor}; {rows} rows ({args.communes} communes, {PROVINCES} provinces)")
        report = timed("dry run (parse + checks, nothing written)", rows,
                       lambda: import_agencies(io.BytesIO(data), dry_run=True))
        assert report.ok, report.as_text()
        report = timed("first import (all created)", rows, lambda: import_agencies(io.BytesIO(data)),
                       f"agency import, {rows:,} units ({connection.vendor})")
        print(f"  {report.as_text()}")
        report = timed("re-import (unchanged, nothing written)", rows, lambda: import_agencies(io.BytesIO(data)))
        print(f"  {report.as_text()}")
        client = Client()
        client.get("/api/v1/agencies/000.00.00.Z01")  # warm up: URL conf and schema building are one-off
        response = timed("GET /api/v1/agencies (all)", rows, lambda: client.get("/api/v1/agencies"))
        print(f"  {len(response.content) / 1024:.0f} KiB")
        timed("GET /api/v1/agencies?q=xa 12 (folded search)", rows,
              lambda: client.get("/api/v1/agencies?q=xa 12"))


if __name__ == "__main__":
    main()
