"""`motcua import-dossiers FILE.jsonl [--dry-run] [--batch-size N]`: import dossiers from a legacy system.

One JSON object per line (docs/import-format.md). Valid lines are written, bad lines are reported on stderr with
their line number and field and nothing of them is written; codes already present are skipped (idempotent).
Exit status 0 when every line was imported or skipped, 1 when some lines were rejected, 2 when the file is missing.
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from motcua.audit.context import acting_as
from motcua.dossiers.importer import DEFAULT_BATCH, count_lines, import_file

MAX_LISTED = 200  # errors printed one by one; the rest are counted


class Command(BaseCommand):
    help = "Nhập hồ sơ từ hệ thống cũ (tệp JSON Lines, mỗi dòng một hồ sơ). Chạy lại không nhập trùng mã hồ sơ."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Tệp .jsonl (UTF-8), mỗi dòng một hồ sơ")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra, không ghi gì")
        parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH,
                            help="Số hồ sơ ghi trong một giao dịch (mặc định %(default)s)")
        parser.add_argument("--no-progress", action="store_true", help="Không hiện thanh tiến độ")

    def handle(self, *args, file, dry_run=False, batch_size=DEFAULT_BATCH, no_progress=False, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("Không tìm thấy tệp %(p)s.") % {"p": path}, returncode=2)
        if batch_size < 1:
            raise CommandError(_("--batch-size phải lớn hơn 0."), returncode=2)
        bar = self._bar(path, no_progress)
        with acting_as(f"command:import-dossiers:{path.name}"[:150]):
            report = import_file(path, dry_run=dry_run, batch_size=batch_size, source=path.name[:64],
                                 progress=bar.update if bar is not None else None)
        if bar is not None:
            bar.close()
        for error in report.errors[:MAX_LISTED]:
            self.stderr.write(str(error))
        if len(report.errors) > MAX_LISTED:
            self.stderr.write(_("… và %(n)d lỗi khác.") % {"n": len(report.errors) - MAX_LISTED})
        rate = report.lines / report.seconds if report.seconds else 0
        self.stdout.write(_("%(s)s (%(t).1f giây, %(r).0f dòng/giây)") % {"s": report.summary(), "t": report.seconds,
                                                                        "r": rate})
        if report.errors:
            raise SystemExit(1)

    def _bar(self, path: Path, disabled: bool):
        if disabled or not sys.stderr.isatty():
            return None
        from tqdm import tqdm

        return tqdm(total=count_lines(path), unit=_(" hồ sơ"), file=sys.stderr, dynamic_ncols=True)
