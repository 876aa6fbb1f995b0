"""Run in a subprocess by test_replica.py, with DATABASE_URL (primary) and DATABASE_REPLICA_URL (streaming
standby) set: which database served each read, as JSON on stdout. Not a test module (no test_ prefix)."""

import json
import os
import sys
import time
from contextlib import ExitStack

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402

from motcua.dossiers.models import Dossier  # noqa: E402
from motcua.scale.load import ensure_province, generate  # noqa: E402

served: list[tuple[str, str]] = []


def recorder(alias):
    def wrapper(execute, sql, params, many, context):
        served.append((alias, sql))
        return execute(sql, params, many, context)
    return wrapper


def dossier_reads() -> set[str]:
    """Databases that served a SELECT on the dossier table since the last call."""
    table = Dossier._meta.db_table
    aliases = {alias for alias, sql in served if sql.lstrip().upper().startswith("SELECT") and table in sql}
    served.clear()
    return aliases


def in_recovery(alias: str) -> bool:
    with connections[alias].cursor() as cur:
        cur.execute("SELECT pg_is_in_recovery()")
        return cur.fetchone()[0]


def main() -> dict:
    call_command("migrate", verbosity=0)
    ensure_province()
    generate(5, years=0.2, seed=3)
    code = Dossier.objects.order_by("id").values_list("code", flat=True).first()
    out = {"primary_in_recovery": in_recovery("default"), "replica_in_recovery": in_recovery("replica")}
    deadline = time.monotonic() + 30
    while not Dossier.objects.using("replica").filter(code=code).exists():  # streaming lag
        if time.monotonic() > deadline:
            raise SystemExit("the replica never received the rows")
        time.sleep(0.2)
    client = Client()
    with ExitStack() as stack:
        for alias in ("default", "replica"):
            stack.enter_context(connections[alias].execute_wrapper(recorder(alias)))
        served.clear()
        out["lookup_status"] = client.post("/tra-cuu/", {"code": code, "secret": "sai-ma"}).status_code
        out["lookup_reads"] = sorted(dossier_reads())
        client.get(f"/thu-tuc/?q={code}")
        Dossier.objects.filter(code=code).exists()  # outside a request: the primary
        out["other_reads"] = sorted(dossier_reads())
        # A write (failed login attempts are recorded by axes) pins this browser to the primary.
        login = client.post("/accounts/login/", {"username": "khong-co", "password": "sai"})
        out["pin_cookie_set"] = "motcua_primary" in login.cookies
        client.post("/tra-cuu/", {"code": code, "secret": "sai-ma"})
        out["pinned_reads"] = sorted(dossier_reads())
        time.sleep(int(os.environ["MOTCUA_REPLICA_PIN_SECONDS"]) + 1.1)
        client.post("/tra-cuu/", {"code": code, "secret": "sai-ma"})
        out["after_ttl_reads"] = sorted(dossier_reads())
    return out


if __name__ == "__main__":
    json.dump(main(), sys.stdout)
