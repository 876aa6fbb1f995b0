"""Scratch databases for the scale benchmarks (bench/generate.py, bench/sweep.py, bench/http_load.py).

`setup(db, tmp)` points Django at a fresh SQLite file under `tmp` or a PostgreSQL database that is DROPPED and
recreated, migrates it and loads the demo province. `multiply_open(target)` grows the open dossiers to `target`
rows with one set-based INSERT … SELECT per round (copies of the generated ones under new codes), which is how a
million open dossiers are made in seconds instead of generating each story.
"""

from __future__ import annotations

import os
from contextlib import contextmanager

PG_DEFAULT = "postgres://postgres@127.0.0.1:5432/motcua_scale_bench"


def recreate_pg(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


@contextmanager
def bulk_insert_mode(table: str):
    """PostgreSQL bulk copies into `table`: its secondary indexes (those not backing a constraint) dropped before
    and rebuilt after — far faster than maintaining them row by row, as a restore does — and no per-row
    foreign-key triggers (the copied rows reference existing ones). Scratch databases only (needs a superuser);
    nothing to do on SQLite."""
    from django.db import connection

    if connection.vendor != "postgresql":
        yield
        return
    from motcua.scale.partitions import secondary_indexes

    indexes = secondary_indexes(table)
    with connection.cursor() as cur:
        for name, _definition in indexes:
            cur.execute(f'DROP INDEX "{name}"')
        cur.execute("SET session_replication_role = replica")
    try:
        yield
    finally:
        with connection.cursor() as cur:
            cur.execute("SET session_replication_role = DEFAULT")
            for _name, definition in indexes:
                cur.execute(definition)


def setup(db: str, tmp: str, pg_url: str = PG_DEFAULT, *, fresh: bool = True) -> None:
    os.environ["MOTCUA_DATA_DIR"] = tmp
    os.environ["DJANGO_SETTINGS_MODULE"] = "motcua.settings"
    if db == "pg":
        if fresh:
            recreate_pg(pg_url)
        os.environ["DATABASE_URL"] = pg_url
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from motcua.scale.load import ensure_province

    ensure_province()


def multiply_open(target: int) -> int:
    """Copy open running dossiers (status 2/4) under new codes, each round multiplying them by up to 16, until
    there are at least `target`; returns the count. Only the dossier rows are copied (no history), which is all the sweep and the inbox read."""
    from django.db import connection, transaction

    from motcua.dossiers.models import Dossier
    from motcua.scale.sweep import RUNNING

    q = connection.ops.quote_name
    table = q(Dossier._meta.db_table)
    columns = [f.column for f in Dossier._meta.concrete_fields if f.column not in ("id", "code")]
    cols = ", ".join(q(c) for c in columns)
    running = ", ".join(map(str, RUNNING))
    round_no = 0
    while (count := Dossier.objects.filter(status__in=RUNNING).count()) < target:
        round_no += 1
        factor = min(16, -(-target // max(count, 1)))
        last_id = Dossier.objects.order_by("-id").values_list("id", flat=True).first()
        with transaction.atomic(), connection.cursor() as cur:
            for k in range(1, factor):
                cur.execute(f"INSERT INTO {table} (code, {cols}) SELECT code || '-{round_no}x{k}', {cols} "
                            f"FROM {table} WHERE status IN ({running}) AND id <= %s", [last_id])
    return count


def spread_due(now, days: float = 10.0) -> None:
    """Running dossiers' due instants spread uniformly over the next `days` (not paused), so that a 24-hour
    sweep warns about a tenth of them."""
    from django.db import connection

    from motcua.dossiers.models import Dossier
    from motcua.scale.sweep import RUNNING

    table = connection.ops.quote_name(Dossier._meta.db_table)
    running = ", ".join(map(str, RUNNING))
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(f"UPDATE {table} SET paused_since = NULL, due_at = %s + (id %% 100000) * "
                        f"interval '1 second' * %s, step_due_at = NULL WHERE status IN ({running})",
                        [now, days * 86400 / 100000])
        else:
            cur.execute(f"UPDATE {table} SET paused_since = NULL, step_due_at = NULL, due_at = "
                        f"strftime('%%Y-%%m-%%d %%H:%%M:%%f', %s, '+' || ((id %% 100000) * %s) || ' seconds') "
                        f"WHERE status IN ({running})", [now.replace(tzinfo=None), days * 86400 / 100000])
