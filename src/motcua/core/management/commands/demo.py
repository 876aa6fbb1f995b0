"""`motcua demo`: load the demo province. Idempotent: a second run changes nothing.

Each bounded context contributes a `demo.load(stdout) -> None` step; they run in dependency order in one
transaction per step.
"""

import importlib

from django.core.management.base import BaseCommand
from django.db import transaction

STEPS = [
    "motcua.agencies.demo",
    "motcua.accounts.demo",
    "motcua.worktime.demo",
    "motcua.catalog.demo",
    "motcua.dossiers.demo",
    "motcua.indices.demo",  # administrator-entered 766 values (after the dossiers they are derived from)
    "motcua.surveys.demo",
    "motcua.reform.demo",  # CCHC plan and a scored PAR round (after the dossiers and surveys it reads)
]


class Command(BaseCommand):
    help = "Tạo dữ liệu mẫu của một tỉnh (đơn vị, tài khoản, thủ tục, hồ sơ). Chạy lại không thay đổi gì."

    def handle(self, *args, **options):
        for name in STEPS:
            try:
                module = importlib.import_module(name)
            except ModuleNotFoundError as exc:
                if exc.name == name:
                    continue
                raise
            with transaction.atomic():
                module.load(self.stdout)
        self.stdout.write(self.style.SUCCESS("Dữ liệu mẫu đã sẵn sàng."))
