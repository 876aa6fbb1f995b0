"""A real Celery worker (Redis broker at 127.0.0.1:6379) runs the deadline sweep task; skipped without Redis."""

import os
import socket
import subprocess
import sys

import pytest

from tests.core.instances import stop

REDIS = "redis://127.0.0.1:6379/13"


def _redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


pytestmark = pytest.mark.skipif(not _redis_up(), reason="Redis is not running on 127.0.0.1:6379")


def test_worker_executes_the_sweep_task(tmp_path):
    from celery import Celery

    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {"MOTCUA_DATA_DIR": str(tmp_path), "CELERY_BROKER_URL": REDIS, "CELERY_RESULT_BACKEND": REDIS,
            "DJANGO_SETTINGS_MODULE": "motcua.settings"}
    bin_dir = os.path.dirname(sys.executable)
    subprocess.run([os.path.join(bin_dir, "motcua"), "migrate", "-v0"], env=env, check=True, timeout=300)
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "motcua", "worker", "--pool", "solo", "--without-gossip",
         "--without-mingle", "--without-heartbeat", "-Q", "celery", "--loglevel", "WARNING"],
        env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    probe = Celery("probe", broker=REDIS, backend=REDIS)
    try:
        probe.control.purge()
        result = probe.send_task("motcua.scale.tasks.sweep_deadlines", args=[12.0])
        # not inside a task; Celery's flag for that is one per process, which another test's threads (a live
        # server running eager tasks) may have left set
        assert result.get(timeout=90, disable_sync_subtasks=False) == {"dossier": 0, "step": 0}
        assert result.successful()
    finally:
        stop(worker)
