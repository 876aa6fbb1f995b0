"""Throw-away MotCua instances for end-to-end tests that run the real commands and server in subprocesses:
each has its own data directory and, when the suite runs on PostgreSQL, its own scratch database."""

import json
import os
import socket
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[2]
MOTCUA = str(Path(sys.executable).with_name("motcua"))
SERVER_URL = os.environ.get("DATABASE_URL", "")
ON_PG = SERVER_URL.startswith("postgres")
MAINTENANCE_URL = SERVER_URL.rsplit("/", 1)[0] + "/postgres"


def run(env: dict, *args, check=True, timeout=600) -> subprocess.CompletedProcess:
    done = subprocess.run(list(args), env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    if check:
        assert done.returncode == 0, done.stdout + done.stderr
    return done


def seed(env: dict, *args) -> None:
    run(env, sys.executable, str(ROOT / "tests" / "core" / "seed_instance.py"), *args)


def sql(env: dict, query: str) -> list:
    script = ("import django, json; django.setup(); from django.db import connection; c = connection.cursor(); "
              f"c.execute({query!r}); print(json.dumps(c.fetchall()))")
    return json.loads(run(env, sys.executable, "-c", script).stdout.strip().splitlines()[-1])


@contextmanager
def instances(tmp_path: Path, *names: str):
    base = dict(os.environ, DJANGO_SETTINGS_MODULE="motcua.settings", PYTHONPATH=str(ROOT))
    envs, dbs = [], []
    try:
        for name in names:
            env = dict(base, MOTCUA_DATA_DIR=str(tmp_path / name), DATABASE_URL="")
            if ON_PG:
                db = f"motcua_{name}_{uuid.uuid4().hex[:8]}"
                with psycopg.connect(MAINTENANCE_URL, autocommit=True) as conn:
                    conn.execute(f'CREATE DATABASE "{db}"')
                dbs.append(db)
                env["DATABASE_URL"] = SERVER_URL.rsplit("/", 1)[0] + "/" + db
            envs.append(env)
        yield envs
    finally:
        if dbs:
            with psycopg.connect(MAINTENANCE_URL, autocommit=True) as conn:
                for db in dbs:
                    conn.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn(env: dict, cwd, ready, *options: str):
    """gunicorn as `motcua serve` runs it (without its collectstatic) on a free loopback port: yields the port once
    `ready(port)` is true, stops the server afterwards."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "motcua.wsgi:application", "--bind",
                             f"127.0.0.1:{port}", *options], env=env, cwd=cwd,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None:
                raise RuntimeError(proc.stdout.read().decode(errors="replace")[-3000:])
            try:
                if ready(port):
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the server did not start")
            time.sleep(0.3)
        yield port
    finally:
        stop(proc)


def stop(proc: subprocess.Popen, timeout: float = 20) -> None:
    """Terminate a server or worker process, killing it if it does not exit within `timeout` seconds."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
