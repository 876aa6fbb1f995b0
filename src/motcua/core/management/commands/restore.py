"""`motcua restore FILE [--force]`: restore a `motcua backup` archive into an empty instance, then check it."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from motcua.core.backup import BackupError, restore
from motcua.core.text import format_number_vi


class Command(BaseCommand):
    help = _("Khôi phục bản sao lưu vào hệ thống trống; so khớp số dòng và kiểm tra chuỗi nhật ký kiểm toán.")

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--force", action="store_true", help=_("Ghi đè cả khi cơ sở dữ liệu đích đã có dữ liệu."))
        parser.add_argument("--database", default="default")

    def handle(self, *args, archive, force=False, database="default", **options):
        try:
            report = restore(Path(archive), force=force, using=database)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        for label, (expected, found) in report.mismatches.items():
            self.stderr.write(_("Lệch số dòng %(m)s: bản sao lưu %(e)s, sau khôi phục %(f)s") % {
                "m": label, "e": expected, "f": found})
        for problem in report.audit_problems:
            self.stderr.write(problem)
        if not report.ok:
            raise CommandError(_("Khôi phục xong nhưng kiểm tra KHÔNG đạt."))
        self.stdout.write(_("Đã khôi phục %(rows)s dòng và %(files)s tệp; số dòng khớp, chuỗi nhật ký hợp lệ.") % {
            "rows": format_number_vi(sum(report.counts.values())), "files": format_number_vi(report.files)})
