"""`motcua backup [--output FILE]`: one consistent archive of the database and the uploaded files."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.backup import BackupError, backup
from motcua.core.text import format_number_vi


class Command(BaseCommand):
    help = _("Sao lưu cơ sở dữ liệu và tệp đã tải lên vào một tệp .tar.gz (xem docs/security.md).")

    def add_arguments(self, parser):
        parser.add_argument("--output", help=_("Tệp đích (mặc định DATA_DIR/backups/motcua-<thời điểm>.tar.gz)."))
        parser.add_argument("--database", default="default")

    def handle(self, *args, output=None, database="default", **options):
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        path = Path(output) if output else Path(settings.DATA_DIR) / "backups" / f"motcua-{stamp}.tar.gz"
        try:
            manifest = backup(path, using=database)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        rows = sum(manifest["counts"].values())
        self.stdout.write(_("Đã sao lưu %(rows)s dòng (%(streams)s luồng nhật ký) vào %(path)s") % {
            "rows": format_number_vi(rows), "streams": format_number_vi(len(manifest["audit_heads"])), "path": path})
