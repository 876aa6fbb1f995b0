"""`motcua serve [--port N]`: run MotCua with gunicorn (static files through WhiteNoise)."""

import os
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand


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
        argv = [
            sys.executable, "-m", "gunicorn", "motcua.wsgi:application",
            "--bind", f"{host}:{port}", "--workers", str(workers), "--threads", str(threads),
            "--access-logfile", "-", "--graceful-timeout", "5",
        ]
        os.execv(sys.executable, argv)
