"""Dossier intake and transitions through the service layer (no HTTP).

    .venv/bin/python -m bench.intake                       # SQLite file (WAL) in a temporary directory
    .venv/bin/python -m bench.intake --count 3000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_dossiers_bench .venv/bin/python -m bench.intake  # scratch!

One intake = validation + code allocation + due instant + dossier + documents + history row + audit record, one
transaction (`dossiers.services.create_dossier`). One transition = lock + permission + state + history + audit
(`dossiers.engine.perform`), measured on a hand_over → assign → request_supplement → receive_supplement cycle.
Targets (issue #4): ≥ 300 intakes/s SQLite, ≥ 800/s PostgreSQL, ≥ 2 000 transitions/s.

`--workers N` (N > 1) adds a concurrent round after the single-connection one: N processes, each with its own
connection, run the floor, 1/N of the intakes and the transitions of their own dossiers at the same time (rate = all
operations / wall time from the common start to the last finish). Each process receives on its own local day, i.e.
its own code counter row, like N desks of different units (one unit's desks queue on their shared counter row by
design). The single-connection figures are printed too; both belong in a report.
"""

import argparse
import multiprocessing
import os
import tempfile
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from bench.results import figure

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
TEXTS = ("steps_text", "method_text", "applicants_text", "implementing_agency_text", "result_text",
         "requirements_text", "legal_basis")


def world():
    from motcua.accounts.models import AccountKind, Membership, Role, User
    from motcua.agencies.models import Agency, AgencyKind
    from motcua.catalog.models import (
        Field,
        Procedure,
        ProcedureVersion,
        ProcessStep,
        RequiredDocument,
        Variant,
    )
    from motcua.catalog.services import publish, version_in_force

    pc, _ = Agency.objects.get_or_create(code="000.00.00.B99", defaults={"name": "UBND tỉnh Thử tải",
                                                                        "level": "province"})
    centre, _ = Agency.objects.get_or_create(code="000.00.30.B99", defaults={
        "name": "Trung tâm PVHCC", "level": "province", "kind": AgencyKind.SERVICE_CENTRE, "parent": pc})
    dept, _ = Agency.objects.get_or_create(code="000.00.12.B99", defaults={"name": "Sở Xây dựng", "level": "province",
                                                                          "kind": AgencyKind.DEPARTMENT, "parent": pc})
    users = {}
    for name, agency, role in (("b.tn", centre, Role.RECEPTION), ("b.cv", dept, Role.SPECIALIST),
                               ("b.ld", dept, Role.LEADER)):
        users[name], _ = User.objects.get_or_create(username=name, defaults={"kind": AccountKind.STAFF})
        Membership.objects.get_or_create(user=users[name], agency=agency, role=role)
    field, _ = Field.objects.get_or_create(code="BENCH-XD", defaults={"name": "Xây dựng"})
    proc, created = Procedure.objects.get_or_create(code="9.900001", defaults={
        "name": "Cấp giấy phép xây dựng (thử tải)", "field": field, "level": "province"})
    if created:
        proc.competent_agencies.add(dept)
        version = ProcedureVersion.objects.create(procedure=proc, decision_number="1/QĐ-BENCH",
                                                  decision_date=date(2024, 12, 1), effective_from=date(2025, 1, 1),
                                                  **{t: "nội dung" for t in TEXTS})
        variant = Variant.objects.create(version=version, name="Chung", legal_limit=Decimal(10))
        for i in (1, 2):
            RequiredDocument.objects.create(variant=variant, order=i, name=f"Giấy tờ {i}")
        steps = [("tiep-nhan", Role.RECEPTION, centre, ["hand_over", "request_supplement"]),
                 ("tham-dinh", Role.SPECIALIST, None, ["forward", "request_supplement", "result_ready"]),
                 ("phe-duyet", Role.LEADER, None, ["approve", "result_ready"])]
        for order, (code, role, agency, actions) in enumerate(steps, start=1):
            ProcessStep.objects.create(variant=variant, order=order, code=code, name=code, role=role, agency=agency,
                                       budget=Decimal(2), actions=actions, is_final=order == 3)
        publish(version)
    variant = version_in_force(proc, date(2026, 3, 2)).variants.get()
    docs = [{"required_document_id": d.pk, "copy_kind": "original"} for d in variant.documents.all()]
    return proc, centre, users, docs


def bench_intake(count: int, proc, centre, users, docs, start: datetime) -> tuple[float, list[int]]:
    from motcua.dossiers.services import create_dossier

    applicant = {"name": "Nguyễn Văn Thử", "personal_id": "001203012345", "address": "Bắc Ninh"}
    ids, t0 = [], time.perf_counter()
    for i in range(count):
        d, _ = create_dossier(actor=users["b.tn"], procedure=proc.code, receiving_agency=centre,
                              applicant=applicant, documents=docs, now=start + timedelta(seconds=i))
        ids.append(d.pk)
    return count / (time.perf_counter() - t0), ids


def bench_transitions(ids: list[int], users, start: datetime) -> tuple[float, int]:
    from motcua.dossiers.engine import perform

    cycle = [("hand_over", "b.tn", {}), ("assign", "b.ld", {"assignee_id": users["b.cv"].pk}),
             ("request_supplement", "b.cv", {"items": ["Bản vẽ"]}), ("receive_supplement", "b.tn", {})]
    done, t0 = 0, time.perf_counter()
    for n, pk in enumerate(ids):
        for k, (action, who, params) in enumerate(cycle):
            perform(pk, action, users[who], now=start + timedelta(hours=1, seconds=n * 4 + k), **params)
            done += 1
    return done / (time.perf_counter() - t0), done


def bench_floor(count: int, first_id: int = 0) -> float:
    """Floor of this machine and database right now: bare single-row INSERT transactions per second (raw SQL, no
    ORM), measured in the same run so a loaded machine shows up as a low floor rather than a slow intake. The table
    `bench_floor` must exist (`floor_table`)."""
    from django.db import connection, transaction

    t0 = time.perf_counter()
    for i in range(first_id, first_id + count):
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute("INSERT INTO bench_floor (id, note) VALUES (%s, %s)", [i, "x"])
    return count / (time.perf_counter() - t0)


def floor_table(create: bool) -> None:
    """(Re)create the floor's scratch table, or drop it."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS bench_floor")
        if create:
            cur.execute("CREATE TABLE bench_floor (id integer PRIMARY KEY, note varchar(64))")


def _worker(barrier, results, w: int, job, args) -> None:
    """One concurrent process: connect, wait for the others, run `job`, report (start, end, operations)."""
    from django.db import connection

    connection.ensure_connection()
    barrier.wait()
    t0 = time.perf_counter()  # CLOCK_MONOTONIC: comparable between the processes of this machine
    done = job(*args)
    results.put((w, t0, time.perf_counter(), done))
    connection.close()


def concurrently(workers: int, job, args_of) -> tuple[float, dict]:
    """Run `job(*args_of(w))` in `workers` forked processes started together; returns (operations per second over
    the common wall time, {w: job's result}). `job` returns (operations, payload)."""
    from django.db import connections

    connections.close_all()  # a forked child must not share the parent's connection
    ctx = multiprocessing.get_context("fork")
    barrier, results = ctx.Barrier(workers), ctx.Queue()
    procs = [ctx.Process(target=_worker, args=(barrier, results, w, job, args_of(w))) for w in range(workers)]
    for p in procs:
        p.start()
    rows = [results.get() for _ in procs]
    for p in procs:
        p.join()
        if p.exitcode:
            raise SystemExit(f"worker failed with exit code {p.exitcode}")
    wall = max(r[2] for r in rows) - min(r[1] for r in rows)
    return sum(r[3][0] for r in rows) / wall, {r[0]: r[3][1] for r in rows}


def _floor_job(count: int, first_id: int):
    return count, bench_floor(count, first_id)


def _intake_job(count: int, proc, centre, users, docs, start):
    return count, bench_intake(count, proc, centre, users, docs, start)[1]


def _transitions_job(ids, users, start):
    return len(ids) * 4, bench_transitions(ids, users, start)[1]


def concurrent_round(workers: int, count: int, proc, centre, users, docs, start) -> None:
    from django.db import connection

    vendor, per = connection.vendor, count // workers
    floor_table(True)
    floor, _ = concurrently(workers, _floor_job, lambda w: (per, w * per))
    floor_table(False)
    print(f"{vendor:<10} floor        {per * workers:>6} inserts  {floor:10.0f} /s   ({workers} workers; load average "
          f"{os.getloadavg()[0]:.1f})")
    days = {w: start + timedelta(days=w + 1) for w in range(workers)}  # one code counter row per worker
    rate, ids = concurrently(workers, _intake_job, lambda w: (per, proc, centre, users, docs, days[w]))
    print(f"{vendor:<10} intake       {per * workers:>6} dossiers {rate:10.0f} /s   ({workers} workers; "
          f"{rate / floor * 100:.1f} % of their floor)")
    trate, _ = concurrently(workers, _transitions_job, lambda w: (ids[w], users, days[w]))
    print(f"{vendor:<10} transitions  {per * workers * 4:>6} actions  {trate:10.0f} /s   ({workers} workers; "
          f"{trate / floor * 100:.1f} % of their floor)")
    hand_over(vendor, f"{workers} processes", rate, trate, floor)


def hand_over(vendor: str, how: str, rate: float, trate: float, floor: float) -> None:
    """The round's figures for `make bench`'s table (bench/results.py)."""
    for what, value, target in (("intake", rate, 300 if vendor == "sqlite" else 800), ("transitions", trate, 2000)):
        figure(f"{what}, service layer, {how} ({vendor})", value, "/s", floor=floor,
               floor_name="one-row INSERT transactions", target=target)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000, help="dossiers to receive (default 1000)")
    parser.add_argument("--workers", type=int, default=1, help="also run a concurrent round with this many "
                        "processes (default 1: single connection only)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("MOTCUA_DATA_DIR", tmp)
        os.environ["DJANGO_SETTINGS_MODULE"] = "motcua.settings"
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)
        proc, centre, users, docs = world()
        # A fresh local day per run so codes start at 0001 and runs on a reused scratch database do not collide.
        start = datetime(2026, 3, 2, 8, tzinfo=TZ) + timedelta(days=int(time.time()) % 900)
        bench_intake(20, proc, centre, users, docs, start - timedelta(days=1))  # warm caches (calendar)
        floor_table(True)
        floor = bench_floor(args.count)
        floor_table(False)
        print(f"{connection.vendor:<10} floor        {args.count:>6} inserts  {floor:10.0f} /s   (one-row INSERT "
              f"transactions; load average {os.getloadavg()[0]:.1f})")
        # CPU time per operation next to the rate: on a shared machine the wall rate follows the neighbours' load.
        cpu = time.process_time()
        rate, ids = bench_intake(args.count, proc, centre, users, docs, start)
        cpu, intake_ms = time.process_time(), (time.process_time() - cpu) * 1000 / args.count
        print(f"{connection.vendor:<10} intake       {args.count:>6} dossiers {rate:10.0f} /s   (target "
              f"{'300' if connection.vendor == 'sqlite' else '800'}/s; {rate / floor * 100:.1f} % of the floor; "
              f"CPU {intake_ms:.2f} ms each)")
        trate, done = bench_transitions(ids, users, start)
        print(f"{connection.vendor:<10} transitions  {done:>6} actions  {trate:10.0f} /s   (target 2000/s; "
              f"{trate / floor * 100:.1f} % of the floor; CPU {(time.process_time() - cpu) * 1000 / done:.2f} ms "
              f"each)")
        hand_over(connection.vendor, "1 connection", rate, trate, floor)
        if args.workers > 1:
            concurrent_round(args.workers, args.count, proc, centre, users, docs, start)


if __name__ == "__main__":
    main()
