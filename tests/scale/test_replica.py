"""A real streaming replica: a primary cluster and a standby made with pg_basebackup -R on other ports of this
machine (pg_createcluster, Debian). Reads of the public lookup go to the standby, other reads and pinned clients'
reads to the primary. Skipped when clusters cannot be created (not root, no PostgreSQL server tools)."""

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

# Runs with the PostgreSQL pass of the suite only (it builds its own clusters, once is enough).
pytestmark = [pytest.mark.postgres_only,
              pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"),
                                 reason="PostgreSQL pass only (DATABASE_URL=postgres://…)")]

VERSION = os.environ.get("MOTCUA_TEST_PG_VERSION", "15")
PRIMARY, REPLICA = ("motcua_scale_primary", 5498), ("motcua_scale_replica", 5499)
PROBE = Path(__file__).with_name("replica_probe.py")


def _can_create_clusters() -> bool:
    return (os.geteuid() == 0 and all(shutil.which(t) for t in ("pg_createcluster", "pg_basebackup", "pg_ctlcluster"))
            and Path(f"/usr/lib/postgresql/{VERSION}/bin/postgres").exists())


def _run(*argv, user: str | None = None):
    cmd = (["runuser", "-u", user, "--"] if user else []) + list(argv)
    subprocess.run(cmd, check=True, capture_output=True, timeout=180)


def _drop(name: str) -> None:
    subprocess.run(["pg_dropcluster", VERSION, name, "--stop"], capture_output=True, timeout=120)


def _wait_ready(port: int) -> None:
    deadline = time.monotonic() + 60
    while subprocess.run(["pg_isready", "-h", "127.0.0.1", "-p", str(port)], capture_output=True).returncode:
        if time.monotonic() > deadline:
            raise RuntimeError(f"PostgreSQL on port {port} did not start")
        time.sleep(0.3)


@pytest.fixture(scope="module")
def clusters():
    if not _can_create_clusters():
        pytest.skip("cannot create PostgreSQL clusters here (needs root and the Debian PostgreSQL server tools)")
    for name, _port in (REPLICA, PRIMARY):
        _drop(name)
    try:
        (pname, pport), (rname, rport) = PRIMARY, REPLICA
        _run("pg_createcluster", VERSION, pname, "-p", str(pport), "--start", "--", "--auth-host=trust",
             "--auth-local=trust")
        _wait_ready(pport)
        _run("createdb", "-h", "127.0.0.1", "-p", str(pport), "-U", "postgres", "motcua")
        _run("pg_createcluster", VERSION, rname, "-p", str(rport), "--", "--auth-host=trust", "--auth-local=trust")
        data = Path(f"/var/lib/postgresql/{VERSION}/{rname}")
        for child in data.iterdir():  # empty, keeping the directory its owner made (the parent may be root's)
            shutil.rmtree(child) if child.is_dir() else child.unlink()
        _run("pg_basebackup", "-h", "127.0.0.1", "-p", str(pport), "-U", "postgres", "-D", str(data), "-R",
             "-X", "stream", user="postgres")
        _run("pg_ctlcluster", VERSION, rname, "start")
        _wait_ready(rport)
    except (subprocess.CalledProcessError, RuntimeError, OSError) as exc:
        for name, _port in (REPLICA, PRIMARY):
            _drop(name)
        detail = getattr(exc, "stderr", b"") or b""
        pytest.skip(f"could not build the replica: {exc} {detail.decode(errors='replace')[-300:]}")
    yield f"postgres://postgres@127.0.0.1:{pport}/motcua", f"postgres://postgres@127.0.0.1:{rport}/motcua"
    for name, _port in (REPLICA, PRIMARY):
        _drop(name)


def test_reads_go_to_the_replica_and_writers_are_pinned(clusters, tmp_path):
    primary, replica = clusters
    env = os.environ | {"DATABASE_URL": primary, "DATABASE_REPLICA_URL": replica, "MOTCUA_DATA_DIR": str(tmp_path),
                        "MOTCUA_REPLICA_PIN_SECONDS": "2", "PYTHONPATH": str(Path(__file__).parents[2])}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run([sys.executable, str(PROBE)], env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["primary_in_recovery"] is False
    assert out["replica_in_recovery"] is True  # a real standby, fed by streaming replication
    assert out["lookup_status"] == 200
    assert out["lookup_reads"] == ["replica"]
    assert out["other_reads"] == ["default"]
    assert out["pin_cookie_set"] is True
    assert out["pinned_reads"] == ["default"]
    assert out["after_ttl_reads"] == ["replica"]
