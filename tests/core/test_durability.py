"""Durability: concurrent intakes through the HTTP API against a real server (gunicorn as `motcua serve` runs it,
without the static files step), the whole
server killed with SIGKILL mid-load, restarted, and then every dossier whose creation was acknowledged (201 with
its code) exists exactly once, no code is duplicated, the audit chain verifies, and repeating an acknowledged
request (same Idempotency-Key) returns the same dossier. SQLite (WAL file) always; PostgreSQL in the PG run.
"""

import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

from tests.core.instances import MOTCUA, ROOT, free_port, instances, run, seed, sql

WRITERS = 6
LOAD_SECONDS = 4  # the kill comes this long after the first acknowledgement
URL = "/api/v1/dossiers"


def start_server(env: dict, port: int) -> subprocess.Popen:
    log = open(os.path.join(env["MOTCUA_DATA_DIR"], f"server-{port}.log"), "ab")  # noqa: SIM115 (closed by exit)
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "motcua.wsgi:application", "--bind",
                               f"127.0.0.1:{port}", "--workers", "2", "--threads", "4"], env=env,
                              cwd=ROOT, stdout=log, stderr=log, start_new_session=True)
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/openapi.json", timeout=5):
                return server
        except OSError:
            assert server.poll() is None, "server exited on start"
            time.sleep(0.5)
    kill(server)
    raise AssertionError("server did not start")


def kill(server: subprocess.Popen) -> None:
    try:
        os.killpg(server.pid, signal.SIGKILL)  # master and workers at once, no graceful anything
    except ProcessLookupError:
        pass
    server.wait(30)


def post(port: int, token: str, key: str, body: bytes) -> tuple[int, dict]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{URL}", data=body, method="POST", headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/json", "Idempotency-Key": key})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, {}


def intake_body(env: dict) -> bytes:
    docs = sql(env, "select id, name from catalog_requireddocument where required order by id")
    return json.dumps({
        "procedure": "1.000001", "receiving_agency": "000.00.30.T99", "channel": 3,
        "applicant": {"kind": "person", "name": "Trần Thị Bình", "personal_id": "001203012345"},
        "documents": [{"required_document_id": pk, "name": name, "copy_kind": "original"} for pk, name in docs],
    }).encode()


def load_until_killed(port: int, token: str, body: bytes, server: subprocess.Popen) -> dict[str, str]:
    acknowledged: dict[str, str] = {}
    lock, first_ack, stop = threading.Lock(), threading.Event(), threading.Event()

    def writer(n: int) -> None:
        i = 0
        while not stop.is_set():
            key = f"kill-{n}-{i}"
            i += 1
            try:
                status, data = post(port, token, key, body)
            except (OSError, http.client.HTTPException):
                continue  # refused, reset or cut short (IncompleteRead) by the kill: not acknowledged
            if status == 201:
                with lock:
                    acknowledged[key] = data["code"]
                first_ack.set()

    threads = [threading.Thread(target=writer, args=(n,), daemon=True) for n in range(WRITERS)]
    for t in threads:
        t.start()
    assert first_ack.wait(120), "no intake was acknowledged"
    time.sleep(LOAD_SECONDS)
    kill(server)
    stop.set()
    for t in threads:
        t.join(60)
    return acknowledged


def test_sigkill_mid_load_loses_no_acknowledged_dossier(tmp_path):
    with instances(tmp_path, "durable") as (env,):
        token_file = tmp_path / "token"
        seed(env, "--token-file", str(token_file))
        token, body, port = token_file.read_text(), intake_body(env), free_port()

        acknowledged = load_until_killed(port, token, body, start_server(env, port))
        assert len(acknowledged) >= WRITERS

        server = start_server(env, port)  # recovery: WAL replay on SQLite, crash recovery on PostgreSQL
        try:
            for key, code in list(acknowledged.items())[:20]:  # an acknowledged request repeated: same dossier
                status, data = post(port, token, key, body)
                assert (status, data.get("code")) == (200, code)
        finally:
            kill(server)

        rows = sql(env, "select code, count(*) from dossiers_dossier group by code")
        counts = dict(rows)
        assert all(n == 1 for n in counts.values())  # no duplicated code
        assert all(counts.get(code) == 1 for code in acknowledged.values())  # every acknowledged one, once
        keys = dict(sql(env, "select idempotency_key, code from dossiers_dossier"))
        assert all(keys[key] == code for key, code in acknowledged.items())
        assert "OK" in run(env, MOTCUA, "audit", "verify").stdout
