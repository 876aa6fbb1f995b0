"""Citizen lookup (code + lookup secret) with many dossiers in the database: server time p50/p95.

    .venv/bin/python -m bench.lookup                   # 1 000 000 dossiers, SQLite file in a temporary directory;
                                                       # also PostgreSQL when DATABASE_URL points to one
    .venv/bin/python -m bench.lookup --n 100000 --db sqlite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_lookup_bench .venv/bin/python -m bench.lookup --db pg
                                                       # a SCRATCH database: its bench dossiers are replaced
                                                       # (kept when it already holds N of them)

The province is loaded the way `bench.inbox` loads it (bulk insert, not the engine); then 200 of the dossiers get a
real lookup secret and a six-line history. Measured through Django's test client (middleware, form, template, the
rate limit switched off so every request does the full work):
- found: POST /tra-cuu/ with a right code and secret → the dossier page with its timeline;
- wrong secret and unknown code: the same "not found" page (the two must cost the same: no enumeration by timing);
- floor through the web tier: GET /_bench/select (scale/bench_urls.py, the HTTP bench's floor endpoint), the same
  SELECT behind the same middleware stack: what the lookup's view, form, queries and template add is the difference;
- floor: the indexed `SELECT … WHERE code = %s` alone, the least any lookup can cost.
`--profile` adds a cProfile of 50 successful lookups (top 30 functions by cumulative time).
Target (issue #5): p95 ≤ 10 ms server time at 1 000 000 dossiers.
"""

import argparse
import cProfile
import os
import pstats
import random
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta

from bench.inbox import BENCH_PREFIX, TZ, build_world, bulk_insert, percentiles
from bench.results import figure

SAMPLED = 200


def give_secrets_and_history(now: datetime) -> list[tuple[str, str]]:
    """A real secret and a history for SAMPLED random bench dossiers; returns (code, secret) pairs."""
    from django.db import transaction

    from motcua.dossiers.models import Dossier, DossierEvent

    ids = list(Dossier.objects.filter(code__startswith=BENCH_PREFIX).values_list("pk", flat=True))
    picked = Dossier.objects.filter(pk__in=random.Random(7).sample(ids, min(SAMPLED, len(ids))))
    pairs, events = [], []
    with transaction.atomic():
        for d in picked:
            secret = d.issue_lookup_secret()
            Dossier.objects.filter(pk=d.pk).update(lookup_secret=d.lookup_secret)
            pairs.append((d.code, secret))
            for seq, (action, status) in enumerate([("receive", 2), ("forward", 4), ("request_supplement", 5),
                                                    ("receive_supplement", 4), ("forward", 4),
                                                    ("result_ready", 9)], start=1):
                events.append(DossierEvent(dossier=d, seq=seq, action=action, to_status=status,
                                           at=now - timedelta(days=10 - seq), actor_label="bench"))
        DossierEvent.objects.bulk_create(events)
    return pairs


def timed(fn, samples: int) -> tuple[float, float, float, float]:
    """p50/p95 of wall time and of this process's CPU time: on a shared, loaded machine the CPU time is what the
    request costs, the wall time adds the wait for a core."""
    wall, cpu = [], []
    for i in range(samples):
        t0, c0 = time.perf_counter(), time.process_time()
        fn(i)
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    return (*percentiles(wall), *percentiles(cpu))


def measure(pairs: list[tuple[str, str]], samples: int) -> list[tuple]:
    from django.db import connection
    from django.test import Client

    from motcua.dossiers.models import Dossier

    client = Client()

    def found(i):
        code, secret = pairs[i % len(pairs)]
        response = client.post("/tra-cuu/", {"code": code, "secret": secret})
        assert response.status_code == 200 and code.encode() in response.content

    def wrong_secret(i):
        client.post("/tra-cuu/", {"code": pairs[i % len(pairs)][0], "secret": "sai-ma-tra-cuu"})

    def unknown(i):
        client.post("/tra-cuu/", {"code": f"000.00.30.I99-9{i:08d}", "secret": "sai-ma-tra-cuu"})

    def floor_endpoint(i):
        assert client.get("/_bench/select", {"code": pairs[i % len(pairs)][0]}).status_code == 200

    def floor(i):
        with connection.cursor() as cur:
            cur.execute(f"SELECT id, status FROM {Dossier._meta.db_table} WHERE code = %s", [pairs[i % len(pairs)][0]])
            cur.fetchone()

    for fn in (found, wrong_secret, unknown, floor_endpoint, floor):  # warm up
        for i in range(5):
            fn(i)
    return [(label, *timed(fn, samples)) for label, fn in [
        ("found (dossier page with timeline)", found), ("wrong secret", wrong_secret), ("unknown code", unknown),
        ("floor: same middleware, bare endpoint", floor_endpoint), ("floor: indexed select by code", floor)]]


def profile_found(pairs: list[tuple[str, str]], repeat: int = 50) -> None:
    """cProfile (CPU time: the machine is shared) of `repeat` successful lookups through the test client."""
    from django.test import Client

    client = Client()
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    for i in range(repeat):
        client.post("/tra-cuu/", {"code": pairs[i % len(pairs)][0], "secret": pairs[i % len(pairs)][1]})
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)


def run_one(db: str, n: int, samples: int, profile: bool = False, data_dir: str | None = None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["MOTCUA_DATA_DIR"] = data_dir or tmp
        if db == "sqlite":
            os.environ.pop("DATABASE_URL", None)
        os.environ["DJANGO_SETTINGS_MODULE"] = "motcua.settings"
        os.environ.setdefault("MOTCUA_DEBUG", "0")  # DEBUG keeps every query in memory and skews the timings
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection

        settings.ALLOWED_HOSTS = ["testserver"]
        settings.ROOT_URLCONF = "motcua.scale.bench_urls"  # the site's URLs plus the HTTP bench's floor endpoints
        settings.RATELIMIT_ENABLE = False  # measure the lookup itself, every time
        settings.MOTCUA = {**settings.MOTCUA, "SHED_MAX_IN_FLIGHT": 0}
        call_command("migrate", verbosity=0)
        from motcua.dossiers.models import Dossier

        loaded = Dossier.objects.filter(code__startswith=BENCH_PREFIX).count()
        with connection.cursor() as cur:  # scratch database: bench history (and dossiers unless kept) start empty
            cur.execute("DELETE FROM dossiers_dossierevent WHERE actor_label = 'bench'")
            if loaded != n:
                cur.execute(f"DELETE FROM dossiers_dossier WHERE code LIKE '{BENCH_PREFIX}%%'")
        centre, depts, users, variants = build_world()
        now = datetime.now(TZ)
        if loaded == n:  # --data-dir kept them from an earlier run: the lookup does not depend on load time
            print(f"{connection.vendor}: reusing the {n:,} dossiers already loaded")
        else:
            seconds = bulk_insert(n, centre, depts, users, variants, now)
            print(f"{connection.vendor}: {n:,} dossiers inserted in {seconds:.0f} s")
        pairs = give_secrets_and_history(now)
        print(f"{'case':<40} {'wall p50':>8} {'p95':>7} {'CPU p50':>8} {'p95':>7}   (ms, through the test client)")
        cases = measure(pairs, samples)
        for label, p50, p95, c50, c95 in cases:
            flag = "" if p95 <= 10 else "  > 10 ms"
            print(f"{label:<40} {p50:>8.2f} {p95:>7.2f} {c50:>8.2f} {c95:>7.2f}{flag}")
        for label, _p50, p95, _c50, _c95 in cases[:3]:
            figure(f"citizen lookup at {n:,} dossiers, {label}, p95 ({connection.vendor}, test client)", p95, "ms",
                   floor=cases[-1][2], floor_name="indexed select by code", target=10, lower_is_better=True)
        print(f"load average (1/5/15 min): {' / '.join(f'{x:.2f}' for x in os.getloadavg())}")
        if profile:
            profile_found(pairs)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=300)
    parser.add_argument("--db", choices=["sqlite", "pg"])
    parser.add_argument("--profile", action="store_true", help="also print a cProfile of 50 successful lookups")
    parser.add_argument("--data-dir", help="SQLite: keep the database in this directory and reuse its dossiers when "
                                           "it already holds N of them (default: a temporary directory)")
    args = parser.parse_args(argv)
    if args.db:
        run_one(args.db, args.n, args.samples, args.profile, args.data_dir)
        return 0
    dbs = ["sqlite"] + (["pg"] if os.environ.get("DATABASE_URL", "").startswith("postgres") else [])
    failed = 0
    for db in dbs:  # one process per database: Django's settings are fixed at setup
        cmd = [sys.executable, "-m", "bench.lookup", "--db", db, "--n", str(args.n), "--samples", str(args.samples)]
        cmd += ["--profile"] if args.profile else []
        failed |= subprocess.call(cmd + (["--data-dir", args.data_dir] if args.data_dir else [])) != 0
    return failed


if __name__ == "__main__":
    sys.exit(main())
