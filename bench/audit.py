"""Audit trail throughput: records/s for 1 stream vs 100 streams, one transaction per record; verify speed.

    .venv/bin/python -m bench.audit                      # SQLite file in a temporary directory
    .venv/bin/python -m bench.audit --records 5000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/scratch .venv/bin/python -m bench.audit --threads 4
        # PostgreSQL: migrates that (scratch!) database, adds rows under bench-* streams, then concurrent writers

On SQLite every write transaction takes the database lock, so streams cannot help there; the PostgreSQL run with
threads shows what per-stream heads buy: writers of different streams do not queue behind one row lock.
"""

import argparse
import os
import sys
import tempfile
import threading
import time

from bench.results import figure


def setup(tmp: str) -> None:
    os.environ.setdefault("MOTCUA_DATA_DIR", tmp)
    os.environ["DJANGO_SETTINGS_MODULE"] = "motcua.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def write(prefix: str, streams: int, n: int, offset: int = 0) -> None:
    from django.db import transaction

    from motcua.audit.services import record

    for i in range(offset, offset + n):
        with transaction.atomic():
            record(f"{prefix}:{i % streams}", "update", target_type="dossier", target_id=str(i),
                   old={"status": 2, "step": i}, new={"status": 4, "step": i + 1})


def timed(label: str, n: int, fn) -> float:
    """Wall-clock rate, plus this process's CPU per item (less sensitive to a loaded machine; on SQLite it
    includes the database work, on PostgreSQL only the client side)."""
    start, cpu = time.perf_counter(), time.process_time()
    fn()
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"{label:<44} {n:>7} in {elapsed:7.2f} s = {n / elapsed:7.0f} /s   cpu {1000 * cpu / n:6.2f} ms each")
    return n / elapsed


def threaded(prefix: str, streams: int, n: int, threads: int) -> None:
    from django.db import connections

    def run(t):
        try:
            write(f"{prefix}-t", streams, n // threads, offset=t * (n // threads))
        finally:
            connections.close_all()

    workers = [threading.Thread(target=run, args=(t,)) for t in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=3000)
    parser.add_argument("--threads", type=int, default=0, help="also run N concurrent writers (PostgreSQL)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        setup(tmp)
        from django.db import connection

        from motcua.audit.checkpoints import checkpoint
        from motcua.audit.verify import verify

        run = f"bench-{int(time.time())}"
        print(f"backend: {connection.vendor}; records per case: {args.records}")
        timed("1 stream, 1 transaction per record", args.records, lambda: write(f"{run}-one", 1, args.records))
        rate = timed("100 streams, 1 transaction per record", args.records,
                     lambda: write(f"{run}-many", 100, args.records))
        figure(f"audit records, 100 streams, a transaction each ({connection.vendor})", rate, "/s")
        if args.threads:
            timed(f"{args.threads} threads, 1 stream", args.records,
                  lambda: threaded(f"{run}-one", 1, args.records, args.threads))
            timed(f"{args.threads} threads, 100 streams", args.records,
                  lambda: threaded(f"{run}-many", 100, args.records, args.threads))
        start = time.perf_counter()
        cp = checkpoint()
        print(f"checkpoint #{cp.seq}: {cp.entry_count} streams sealed in {time.perf_counter() - start:.2f} s")
        result = None

        def check():
            nonlocal result
            result = verify()

        from motcua.audit.models import AuditRecord

        rate = timed("verify (all records in the database)", AuditRecord.objects.count(), check)
        figure(f"audit verify ({connection.vendor})", rate, "records/s")
        if not result.ok:
            print("verify FAILED:", result.first)
            sys.exit(1)


if __name__ == "__main__":
    main()
