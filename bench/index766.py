"""Decision 766 index: one unit-month, and the back-office dashboard of the province (the unit, six trend months,
every department and commune ranked), over N demo-generator dossiers on a scratch database.

    .venv/bin/python -m bench.index766 [--n 20000] [--db sqlite|pg] [--pg-url URL]

Prints the median of 3 wall-clock times and the number of SQL queries of each.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time

from bench.import_dossiers import PG_DEFAULT, generate
from bench.results import figure
from motcua.scale.benchdb import setup

PROVINCE = "000.00.00.H27"
PERIOD = "2026-10"


def timed(fn, repeat: int = 3) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries = [], 0
    for _i in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
        queries = len(ctx)
    return statistics.median(times), queries


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--db", choices=["sqlite", "pg"], default="sqlite")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", PG_DEFAULT))
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        setup(args.db, tmp, args.pg_url)
        from motcua.dossiers.importer import import_file

        path = os.path.join(tmp, "hoso.jsonl")
        generate(path, args.n)
        import_file(path, batch_size=2000)
        from motcua.agencies.models import Agency
        from motcua.indices.periods import parse, previous_months
        from motcua.indices.services import compute, ranking, trend

        unit, period = Agency.objects.get(code=PROVINCE), parse(PERIOD)
        one, q1 = timed(lambda: compute(unit, period))
        page, q2 = timed(lambda: (compute(unit, period), trend(unit, previous_months(period, 6)),
                                  ranking(unit, period)))
        print(f"{args.db:<7} {args.n} dossiers: one unit-month {one:.3f} s ({q1} queries); "
              f"province dashboard {page:.3f} s ({q2} queries)")
        figure(f"Decision 766 index, province dashboard, {args.n:,} dossiers ({args.db})", page, "s",
               lower_is_better=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
