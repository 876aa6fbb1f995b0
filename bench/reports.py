"""Statistics: a year report read from the daily rollups vs counted over the raw dossier table.

    .venv/bin/python -m bench.reports --n 200000 --db pg      # PostgreSQL scratch database (DROPPED and recreated)
        # --pg-url postgres://postgres@127.0.0.1:5432/motcua_bench_reports (default)
    .venv/bin/python -m bench.reports --n 20000 --db sqlite   # SQLite file in a temporary directory

Loads the demo province and catalogue, generates N dossiers over 12 months with the demo generator
(dossiers.demo.build_records) and loads them with the importer (which maintains the rollups when wired; otherwise
`rebuild()` builds them), then times, for the province (whole tree) and one department:
- `rebuild()` of the rollups from the dossier tables;
- `period_report(...)` for the calendar year from the rollups (local and 766, and --by agency);
- `raw_period_report(...)`: the same figures counted over the dossier table (every measure is a query);
and checks that both give the same figures. Prints JSON.
"""

import argparse
import json
import statistics
import sys
import tempfile
import time

from bench.import_dossiers import generate, setup

PG_DEFAULT = "postgres://postgres@127.0.0.1:5432/motcua_bench_reports"


def timed(fn, repeat: int = 3) -> tuple[float, object]:
    times, result = [], None
    for _i in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return round(statistics.median(times), 4), result


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=200_000)
    parser.add_argument("--db", choices=("sqlite", "pg"), default="pg")
    parser.add_argument("--pg-url", default=PG_DEFAULT)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        setup(args.db, tmp, args.pg_url)
        from django.db import connection

        from motcua.dossiers.importer import import_file
        from motcua.reports.models import DailyRollup
        from motcua.reports.report import period_report, raw_period_report
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
        out = {"db": connection.vendor, "dossiers": imported.created, "generate_s": round(gen_s, 1),
               "import_s": round(import_s, 1), "import_maintained_rollups": wired,
               "rebuild_s": round(rebuild_s, 1), "rollup_rows": DailyRollup.objects.count(), "reports": []}
        for unit in ("000.00.00.H27", "000.00.12.H27"):
            for definition in ("local", "766"):
                fast_s, fast = timed(lambda u=unit, d=definition: period_report(u, "2026-01-01", "2026-12-31",
                                                                                definition=d))
                raw_s, raw = timed(lambda u=unit, d=definition: raw_period_report(u, "2026-01-01", "2026-12-31",
                                                                                  definition=d), repeat=1)
                by_s, _r = timed(lambda u=unit, d=definition: period_report(u, "2026-01-01", "2026-12-31", by="agency",
                                                                            definition=d))
                out["reports"].append({"unit": unit, "definition": definition, "rollups_s": fast_s,
                                       "rollups_by_agency_s": by_s, "raw_table_s": raw_s,
                                       "speedup": round(raw_s / fast_s, 1) if fast_s else None,
                                       "same_figures": fast == raw, "received": fast["received"],
                                       "finished": fast["finished"], "on_time_rate": fast["on_time_rate"]})
        json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return out


if __name__ == "__main__":
    main()
