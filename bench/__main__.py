"""`make bench`: the benchmark suite at full size, each module in its own process, and the table of its figures.

    .venv/bin/python -m bench                  # the whole suite (1–2 hours); writes the table into docs/benchmarks.md
    .venv/bin/python -m bench inbox sweep      # only these modules (their suite runs); their rows replaced

Each module is runnable alone (`python -m bench.<name> --help`) and prints its figures next to the floor measured in
the same run; the suite below runs each at the size issue #11 names (inbox at 1 M and 10 M, reports at 10 M, the
sweep at 1 M open dossiers, …). The figures each module hands over (bench/results.py) become one table, written
between markers near the top of docs/benchmarks.md after every module, so an interrupted run keeps what it measured;
the figures themselves are kept in docs/benchmarks.jsonl, so a run of some modules replaces only their rows.
"""

import os
import pkgutil
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

from bench import results
from motcua.scale.benchdb import recreate_pg

PG = "postgres://postgres@127.0.0.1:5432/"
SUITE = [
    ("clock", [], {}),
    ("intake", ["--workers", "2"], {}),
    ("intake", ["--workers", "2"], {"DATABASE_URL": PG + "motcua_dossiers_bench"}),
    ("http_load", ["--db", "sqlite"], {}),
    ("http_load", ["--db", "pg"], {}),
    ("lookup", [], {"DATABASE_URL": PG + "motcua_lookup_bench"}),  # SQLite, then PostgreSQL
    ("inbox", [], {"DATABASE_URL": PG + "motcua_inbox_bench"}),
    ("inbox", ["--db", "pg", "--reuse", "--copies", "10"], {"DATABASE_URL": PG + "motcua_inbox_bench"}),
    ("reports", ["rollups"], {}),
    ("reports", ["raw", "--n", "100000"], {}),
    ("reports", ["raw", "--reuse", "--scale", "169", "--spread-years", "4", "--open-copies", "6"], {}),
    ("import_dossiers", ["--db", "pg", "--n", "20000"], {}),
    ("import_dossiers", ["--db", "sqlite", "--n", "20000"], {}),
    ("generate", ["--db", "pg", "--dossiers", "20000"], {}),
    ("sweep", ["--db", "pg", "--open", "1000000"], {}),
    ("partitions", [], {}),
    ("audit", [], {}),
    ("catalog", [], {}),
    ("agency_import", [], {}),
    ("export", [], {}),
    ("federation", [], {}),
    ("index766", [], {}),
    ("lighthouse", [], {}),
]


def machine() -> str:
    mem = ""
    try:
        with open("/proc/meminfo") as f:
            mem = f"{int(f.readline().split()[1]) / 1024 / 1024:.0f} GiB"
    except OSError:
        pass
    return f"{platform.node()} · {os.cpu_count()} cores · {mem} · Python {platform.python_version()}"


def modules() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)])
                  if m.name not in ("__main__", "results"))


def runs(names: list[str]) -> list[tuple[str, list[str], dict]]:
    """The suite's runs of the named modules, or the whole suite in its order followed by any module it does not
    list (run once with its own defaults)."""
    if not names:
        return SUITE + [(m, [], {}) for m in modules() if all(r[0] != m for r in SUITE)]
    return [r for m in names for r in ([r for r in SUITE if r[0] == m] or [(m, [], {})])]


def main(argv: list[str]) -> int:
    started, where = results.now(), machine()
    unknown = sorted(set(argv) - set(modules()))
    if unknown:
        print(f"no such benchmark: {', '.join(unknown)} (bench/ has {', '.join(modules())})", file=sys.stderr)
        return 2
    print(f"# MotCua benchmarks — {where}")
    chosen, failed = runs(argv), []
    # A partial run replaces the rows of the modules it ran and keeps the others from the last run.
    kept = [f for f in results.read(results.FIGURES) if argv and f.module not in {r[0] for r in chosen}]
    with tempfile.TemporaryDirectory() as tmp:
        sink = os.path.join(tmp, "figures.jsonl")
        for name, args, env in chosen:
            print(f"\n## bench.{name} {' '.join(args)}".rstrip(), flush=True)
            if "DATABASE_URL" in env and "--reuse" not in args:  # a scratch database of the run's own
                recreate_pg(env["DATABASE_URL"])
            code = subprocess.call([sys.executable, "-m", f"bench.{name}", *args],
                                   env={**os.environ, **env, results.ENV: sink, results.ENV + "_MODULE": name})
            if code:
                failed.append(f"{name} {' '.join(args)}".strip())
            figures = kept + results.read(sink)
            results.save(figures)
            block = results.render(figures, where, started, failed)
            results.write_docs(block)
    print("\n" + block)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
