"""Officer inbox with many dossiers in the database: p50/p95 of the inbox query as the view runs it, and of the view.

    .venv/bin/python -m bench.inbox                    # 1 000 000 dossiers, SQLite file in a temporary directory;
                                                       # also PostgreSQL when DATABASE_URL points to one
    .venv/bin/python -m bench.inbox --n 100000 --db sqlite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_inbox_bench .venv/bin/python -m bench.inbox --db pg
                                                       # a SCRATCH database: its dossiers are replaced
    .venv/bin/python -m bench.inbox --db sqlite --data-dir /tmp/inbox --reuse
                                                       # keep the SQLite file; later runs skip the load (and run
                                                       # ANALYZE, e.g. after a migration added an index)
    DATABASE_URL=… .venv/bin/python -m bench.inbox --db pg --n 1000000 --copies 10 --reuse
                                                       # 10 M: the 1 M loaded dossiers cloned in SQL (see `clone`)

Dossiers are bulk-inserted directly (executemany on SQLite, COPY on PostgreSQL), not through the engine: a
province-sized mix over 40 agencies — ~82 % finished or delivered, the rest open (statuses 1, 2, 4, 5, 6, 9), due
instants spread over -30…+60 days, nine in ten received open dossiers (statuses 2, 4, 5, 6) assigned to one of the
competent department's 20 specialists. Measured for a specialist of one department
(≈ 1/40 of the province) and for a reception officer of the service centre (who receives for every agency), and
as a floor for a staff account with nothing in scope (same code path, no rows: what the machine's load costs now):
- query: what `backoffice.views.inbox` runs — `queries.inbox_pages(...)`, the paginator's COUNT and the first page
  of 50 with its joins, plus the urgency of each row;
- view: GET /backoffice/ho-so/?... through Django's test client (session, middleware, template).
Target (issue #4): inbox p95 ≤ 25 ms with 1 000 000 dossiers.
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from bench.results import figure

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
AGENCIES = 40
SPECIALISTS = 20  # per department: its open dossiers are spread over them, as in a real department
BENCH_PREFIX = "000.00.30.I99-"  # codes of the loaded dossiers (the centre's code)
OPEN_MIX = [(1, 3), (2, 4), (4, 8), (5, 2), (6, 1), (9, 2)]  # (status, weight) of the ~18 % open dossiers
ACCOUNTS = {"specialist": "i.cv", "reception": "i.tn", "floor: no scope": "i.none"}
CASES = [
    ("floor: no scope", "queue", {}),  # same view and queries, nothing in scope: the machine's floor in this run
    ("specialist", "mine", {}),
    ("specialist", "queue", {}),
    ("specialist", "queue", {"due": "overdue"}),
    ("specialist", "queue", {"status": "4"}),
    ("reception", "queue", {}),
    ("reception", "queue", {"status": "1"}),
]


# -- data ---------------------------------------------------------------------------------------------------------
def build_world():
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
    from motcua.catalog.services import publish

    pc, _ = Agency.objects.get_or_create(code="000.00.00.I99", defaults={"name": "UBND tỉnh Thử tải",
                                                                        "level": "province"})
    centre, _ = Agency.objects.get_or_create(code="000.00.30.I99", defaults={
        "name": "Trung tâm PVHCC", "level": "province", "kind": AgencyKind.SERVICE_CENTRE, "parent": pc})
    depts = [Agency.objects.get_or_create(code=f"000.00.{40 + i:02d}.I99", defaults={
        "name": f"Sở thử {i}", "level": "province", "kind": AgencyKind.DEPARTMENT, "parent": pc})[0]
        for i in range(AGENCIES)]
    users = {}
    for name, agency, role in (("i.cv", depts[0], Role.SPECIALIST), ("i.tn", centre, Role.RECEPTION),
                               ("i.none", None, None)):
        users[name], _ = User.objects.get_or_create(username=name, defaults={"kind": AccountKind.STAFF,
                                                                             "full_name": name})
        if agency is not None:
            Membership.objects.get_or_create(user=users[name], agency=agency, role=role)
    field, _ = Field.objects.get_or_create(code="BENCH-IN", defaults={"name": "Thử tải"})
    variants = []
    for p in range(5):
        proc, created = Procedure.objects.get_or_create(code=f"9.80000{p}", defaults={
            "name": f"Thủ tục thử tải số {p}", "field": field, "level": "province"})
        if created:
            version = ProcedureVersion.objects.create(
                procedure=proc, decision_number=f"{p}/QĐ-IN", decision_date=date(2024, 12, 1),
                effective_from=date(2025, 1, 1), **{t: "nội dung" for t in (
                    "steps_text", "method_text", "applicants_text", "implementing_agency_text", "result_text",
                    "requirements_text", "legal_basis")})
            variant = Variant.objects.create(version=version, name="Chung", legal_limit=Decimal(10))
            RequiredDocument.objects.create(variant=variant, order=1, name="Đơn")
            for order, role in enumerate((Role.RECEPTION, Role.SPECIALIST, Role.LEADER), start=1):
                ProcessStep.objects.create(variant=variant, order=order, code=f"b{order}", name=f"Bước {order}",
                                           role=role, budget=Decimal(2), actions=["forward"], is_final=order == 3)
            publish(version)
        variant = Variant.objects.filter(version__procedure=proc).select_related("version").first()
        variants.append((variant.version_id, variant.pk, list(variant.steps.values_list("pk", flat=True))))
    return centre, depts, users, variants


def specialists(depts, first) -> dict[int, list[int]]:
    """User ids of each department's SPECIALISTS specialists (created when missing); `first` is department 0's
    first one, the measured officer. Only accounts: the others need no membership to be assignees."""
    from motcua.accounts.models import AccountKind, User

    names = {d.pk: [f"i.cv{i}.{k}" for k in range(SPECIALISTS)] for i, d in enumerate(depts)}
    names[depts[0].pk][0] = first.username
    User.objects.bulk_create([User(username=name, kind=AccountKind.STAFF, full_name=name)
                              for group in names.values() for name in group], ignore_conflicts=True)
    ids = dict(User.objects.filter(username__in=[n for group in names.values() for n in group])
               .values_list("username", "pk"))
    return {dept: [ids[name] for name in group] for dept, group in names.items()}


def rows(n: int, centre, depts, users, variants, now: datetime, seed: int = 4):
    """Yield one dict per dossier (column → value)."""
    rnd = random.Random(seed)
    statuses, weights = zip(*OPEN_MIX, strict=True)
    dept_ids = [d.pk for d in depts]
    assignees = specialists(depts, users["i.cv"])
    # dept 0 (the measured specialist's) gets its 1/40 share like the others
    for i in range(n):
        version_id, variant_id, steps = variants[i % len(variants)]
        submitted = now - timedelta(days=rnd.uniform(0, 365))
        is_open = rnd.random() < 0.18
        status = rnd.choices(statuses, weights)[0] if is_open else rnd.choice((9, 10, 10, 10, 3, 7, 8))
        competent = dept_ids[rnd.randrange(AGENCIES)]
        received = None if status == 1 else submitted + timedelta(minutes=rnd.randint(0, 600))
        due = (now + timedelta(days=rnd.uniform(-30, 60))) if is_open and received else (
            received + timedelta(days=14) if received else None)
        assigned = is_open and status in (2, 4, 5, 6) and rnd.random() < 0.9
        assignee = rnd.choice(assignees[competent]) if assigned else None
        yield {
            "code": f"{BENCH_PREFIX}{i:09d}", "lookup_secret": "x" * 64, "procedure_version_id": version_id,
            "variant_id": variant_id, "receiving_agency_id": centre.pk, "competent_agency_id": competent,
            "channel": rnd.choice((1, 1, 2, 3)), "applicant_name": f"Người nộp {i}", "submitted_at": submitted,
            "received_at": received, "status": status, "current_step_id": steps[1] if status in (2, 4) else None,
            "assignee_id": assignee, "due_at": due, "original_due_at": due,
            "paused_since": submitted if status == 5 else None,
            "finished_at": received + timedelta(days=7) if status in (3, 7, 8, 9, 10) and received else None,
            "created_at": submitted, "updated_at": submitted,
        }


def bulk_insert(n: int, centre, depts, users, variants, now: datetime, batch: int = 20000) -> float:
    from django.db import connection, transaction

    from motcua.dossiers.models import Dossier

    fields = [f for f in Dossier._meta.concrete_fields if f.column != "id"]
    defaults = {f.column: f.get_default() for f in fields}
    columns = [f.column for f in fields]
    table = Dossier._meta.db_table
    t0 = time.perf_counter()
    buffer = []

    def flush():
        with transaction.atomic(), connection.cursor() as cur:
            if connection.vendor == "postgresql":
                with cur.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in buffer:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(columns))
                cur.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", buffer)
        buffer.clear()

    for i, row in enumerate(rows(n, centre, depts, users, variants, now), start=1):
        buffer.append(tuple(row.get(c, defaults[c]) for c in columns))
        if len(buffer) >= batch:
            flush()
            print(f"\r  inserted {i:>9,}", end="", file=sys.stderr, flush=True)
    if buffer:
        flush()
    print(file=sys.stderr)
    analyze()
    return time.perf_counter() - t0


def clone(copies: int, first: int = 1) -> float:
    """Grow the N loaded dossiers to `copies` × N with set-based INSERT … SELECT (new codes, same columns): 10 M
    rows in minutes instead of an hour of Python rows (copies `first`… already there are kept: 1 M → 3 M → 10 M).
    Every department then holds `copies` times as many open dossiers — the inbox's worst case for size, where a
    real 10 M table would be mostly older, finished ones."""
    from django.db import connection, transaction

    from motcua.dossiers.models import Dossier
    from motcua.scale.benchdb import bulk_insert_mode

    table = Dossier._meta.db_table
    columns = ", ".join(f.column for f in Dossier._meta.concrete_fields if f.column not in ("id", "code"))
    originals = Dossier.objects.filter(code__startswith=BENCH_PREFIX).exclude(code__contains="-c")
    last_id = originals.order_by("-id").values_list("id", flat=True).first()
    t0 = time.perf_counter()
    with bulk_insert_mode(table):
        for k in range(first, copies):
            with transaction.atomic(), connection.cursor() as cur:
                cur.execute(f"INSERT INTO {table} (code, {columns}) SELECT code || '-c{k}', {columns} FROM {table} "
                            f"WHERE code LIKE '{BENCH_PREFIX}%%' AND code NOT LIKE '%%-c%%' AND id <= %s", [last_id])
            print(f"  copy {k}/{copies - 1} after {time.perf_counter() - t0:.0f} s", file=sys.stderr, flush=True)
    analyze()
    return time.perf_counter() - t0


def analyze() -> None:
    """Planner statistics for the loaded dossiers and the bulk-created specialists (and for indexes a migration
    added since the load). PostgreSQL: VACUUM too, as autovacuum would after a load — without a visibility map an
    index-only scan reads the table."""
    from django.db import connection

    from motcua.accounts.models import User
    from motcua.dossiers.models import Dossier

    with connection.cursor() as cur:
        vacuum = "VACUUM " if connection.vendor == "postgresql" else ""
        cur.execute(f"{vacuum}ANALYZE {Dossier._meta.db_table}")
        cur.execute(f"ANALYZE {User._meta.db_table}")


# -- measurements -------------------------------------------------------------------------------------------------
def run_query(user, view: str, filters: dict, now: datetime) -> int:
    """What views.inbox does with the database: the inbox queryset, COUNT, first page, urgency per row."""
    from django.core.paginator import Paginator

    from motcua.backoffice import queries

    paginator = Paginator(queries.inbox_pages(user, view=view, now=now, **filters), queries.PAGE_SIZE)
    page = paginator.get_page(1)
    for d in page.object_list:
        queries.urgency(d, now)
    return paginator.count


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[max(0, int(len(ordered) * 0.95) - 1)]


def measure(users, samples: int, now: datetime) -> list[tuple]:
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.utils.http import urlencode

    results = []
    for who, view, filters in CASES:
        user = get_user_model().objects.get(username=ACCOUNTS[who])
        client = Client()
        client.force_login(user)
        url = "/backoffice/ho-so/?" + urlencode({"view": view, **filters})
        for _ in range(3):  # warm caches (calendar, scope, template)
            run_query(user, view, filters, now)
            assert client.get(url).status_code == 200
        query_ms, view_ms, view_cpu, count = [], [], [], 0
        for _ in range(samples):
            user = get_user_model().objects.get(pk=user.pk)  # a fresh request has no scope cache
            t0 = time.perf_counter()
            count = run_query(user, view, filters, now)
            query_ms.append((time.perf_counter() - t0) * 1000)
            t0, c0 = time.perf_counter(), time.process_time()
            client.get(url)
            view_ms.append((time.perf_counter() - t0) * 1000)
            view_cpu.append((time.process_time() - c0) * 1000)
        label = f"{who} {view}" + (f" {urlencode(filters)}" if filters else "")
        results.append((label, count, *percentiles(query_ms), *percentiles(view_ms), statistics.median(view_cpu)))
    return results


def explain(user, now: datetime) -> str:
    from motcua.backoffice import queries

    qs = queries.inbox(user, view="queue", now=now).filter(due_at__isnull=False).order_by("due_at", "pk")
    return qs[: queries.PAGE_SIZE].explain()


def run_one(db: str, n: int, samples: int, show_plan: bool, data_dir: str | None = None,
            reuse: bool = False, copies: int = 1) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["MOTCUA_DATA_DIR"] = data_dir or tmp
        if db == "sqlite":
            os.environ.pop("DATABASE_URL", None)
        os.environ["DJANGO_SETTINGS_MODULE"] = "motcua.settings"
        os.environ.setdefault("MOTCUA_DEBUG", "0")
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection

        settings.ALLOWED_HOSTS = ["testserver"]
        call_command("migrate", verbosity=0)
        from motcua.dossiers.models import Dossier

        centre, depts, users, variants = build_world()
        now = datetime.now(TZ)
        loaded = Dossier.objects.filter(code__startswith=BENCH_PREFIX).count()
        if reuse and loaded == n * copies:  # due instants were spread around the load time: fine for hours, not days
            print(f"{connection.vendor}: reusing the {loaded:,} dossiers already loaded")
            analyze()
        else:
            cloned = loaded // n if reuse and loaded % n == 0 and n <= loaded < n * copies else 0
            if not cloned:
                with connection.cursor() as cur:  # scratch database: start from no dossiers (history is append-only)
                    cur.execute(f"DELETE FROM {Dossier._meta.db_table} WHERE code LIKE '{BENCH_PREFIX}%%'")
                seconds = bulk_insert(n, centre, depts, users, variants, now)
                print(f"{connection.vendor}: {n:,} dossiers inserted in {seconds:.0f} s ({n / seconds:,.0f}/s)")
            if copies > 1:
                seconds = clone(copies, first=max(cloned, 1))
                print(f"{connection.vendor}: cloned to {n * copies:,} dossiers in {seconds:.0f} s")
        if show_plan:
            print(explain(users["i.cv"], now))
        # cpu: the view's CPU time in this process (p50) — less moved by other processes' load than wall time; on
        # PostgreSQL it leaves out the server's share
        print(f"{'case':<40} {'rows':>7} {'query p50':>10} {'p95':>7} {'view p50':>9} {'p95':>7} {'cpu':>6}   (ms)")
        cases = measure(users, samples, now)
        for label, count, qp50, qp95, vp50, vp95, cpu in cases:
            flag = "" if max(qp95, vp95) <= 25 else "  > 25 ms"
            print(f"{label:<40} {count:>7} {qp50:>10.1f} {qp95:>7.1f} {vp50:>9.1f} {vp95:>7.1f} {cpu:>6.1f}{flag}")
        floor, queues = cases[0], cases[1:]
        for what, i in (("query", 3), ("page", 5)):
            figure(f"inbox at {n * copies:,} dossiers, slowest queue's {what} p95 ({connection.vendor})",
                   max(c[i] for c in queues), "ms", floor=floor[i], floor_name=floor[0], target=25,
                   lower_is_better=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="dossiers to load (default 1 000 000)")
    parser.add_argument("--samples", type=int, default=100, help="timed requests per case (default 100)")
    parser.add_argument("--db", choices=["sqlite", "pg"], help="one database only (default: SQLite, and PostgreSQL "
                                                                "too when DATABASE_URL points to one)")
    parser.add_argument("--plan", action="store_true", help="print the query plan of the queue query")
    parser.add_argument("--data-dir", help="SQLite: keep the database in this directory (default: a temporary one)")
    parser.add_argument("--reuse", action="store_true", help="skip the load when the database already holds --n "
                                                            "bench dossiers (SQLite: with --data-dir)")
    parser.add_argument("--copies", type=int, default=1, help="clone the N loaded dossiers to COPIES × N in SQL "
                                                               "(e.g. --n 1000000 --copies 10 --reuse: 10 M)")
    args = parser.parse_args(argv)
    if args.db:
        run_one(args.db, args.n, args.samples, args.plan, args.data_dir, args.reuse, args.copies)
        return 0
    dbs = ["sqlite"] + (["pg"] if os.environ.get("DATABASE_URL", "").startswith("postgres") else [])
    failed = 0
    for db in dbs:  # one process per database: Django's settings are fixed at setup
        cmd = [sys.executable, "-m", "bench.inbox", "--db", db, "--n", str(args.n), "--samples", str(args.samples)]
        cmd += (["--plan"] if args.plan else []) + (["--reuse"] if args.reuse else []) + ["--copies", str(args.copies)]
        failed |= subprocess.call(cmd + (["--data-dir", args.data_dir] if args.data_dir and db == "sqlite" else [])) != 0
    return failed


if __name__ == "__main__":
    sys.exit(main())
