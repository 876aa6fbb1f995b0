"""`motcua serve [--port N]`: run MotCua with gunicorn (static files through WhiteNoise).

Workers × threads (default 2 × 4, `MOTCUA_WORKERS` / `MOTCUA_THREADS`): one process per core, threads so that a
request waiting on the database (a commit, SQLite's write lock) leaves the core to another. Measured against
sync workers and other mixes on the 2-core machine in docs/benchmarks.md ("HTTP under load")."""

import os
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand


def gunicorn_argv(bind: str, workers: int, threads: int, *, access_log: bool = True) -> list[str]:
    """The gunicorn command line of `motcua serve` (bench.http_load runs the very same, without the access log)."""
    argv = [sys.executable, "-m", "gunicorn", "motcua.wsgi:application", "--bind", bind,
            "--workers", str(workers), "--threads", str(threads), "--graceful-timeout", "5"]
    if os.path.isdir("/dev/shm"):  # the workers' heartbeat file in memory: a busy disk cannot stall it
        argv += ["--worker-tmp-dir", "/dev/shm"]
    return argv + (["--access-logfile", "-"] if access_log else [])


class Command(BaseCommand):
    help = "Chạy máy chủ web MotCua (gunicorn) tại http://127.0.0.1:PORT."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=int(os.environ.get("MOTCUA_WORKERS", "2")))
        parser.add_argument("--threads", type=int, default=int(os.environ.get("MOTCUA_THREADS", "4")))

    def handle(self, *args, host, port, workers, threads, **options):
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"MotCua: http://{host}:{port}/  (Ctrl+C để dừng)")
        self.stdout.flush()
        argv = gunicorn_argv(f"{host}:{port}", workers, threads)
        os.execv(sys.executable, argv)
