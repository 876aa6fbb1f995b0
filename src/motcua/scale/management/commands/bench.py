"""`motcua bench [NAME …]`: run the benchmark suite (`python -m bench`, every module under bench/, or the ones
named) from the source checkout. Not part of the tests; figures go to docs/benchmarks.md."""

import subprocess
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

ROOT = Path(__file__).resolve().parents[5]


class Command(BaseCommand):
    help = "Chạy bộ đo hiệu năng (python -m bench) trên máy hiện tại."

    def add_arguments(self, parser):
        parser.add_argument("names", nargs="*", help="Tên mô-đun trong bench/ (mặc định: tất cả)")

    def handle(self, *args, names, **options):
        if not (ROOT / "bench" / "__main__.py").is_file():
            raise CommandError(_("Không tìm thấy thư mục bench/ (chỉ có trong mã nguồn MotCua)."))
        code = subprocess.call([sys.executable, "-m", "bench", *names], cwd=ROOT)
        if code:
            raise CommandError(_("Có phép đo thất bại (mã %(c)d).") % {"c": code}, returncode=code)
