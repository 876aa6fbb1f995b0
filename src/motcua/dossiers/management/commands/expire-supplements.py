"""`motcua expire-supplements [--now ISO] [--dry-run]`: close dossiers whose supplement (or Form 02 completion)
request was not answered by its deadline — not received (status 3) before reception, stopped (status 8) during
processing; recorded as transitions by the system actor. Run daily (cron) or via the Celery task
`motcua.dossiers.expire_supplements`. Period: settings.MOTCUA["SUPPLEMENT_DEADLINE_DAYS"] /
["COMPLETION_DEADLINE_DAYS"] when the officer set no `due_by`.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from motcua.dossiers.expiry import expire_overdue


class Command(BaseCommand):
    help = "Xử lý hồ sơ quá hạn bổ sung: không tiếp nhận (chưa tiếp nhận) hoặc dừng xử lý (đang giải quyết)."

    def add_arguments(self, parser):
        parser.add_argument("--now", help="Thời điểm coi là hiện tại (ISO 8601, có múi giờ), để chạy bù")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ liệt kê hồ sơ sẽ bị xử lý, không ghi gì")

    def handle(self, *args, now=None, dry_run=False, **options):
        at = None
        if now:
            at = parse_datetime(now)
            if at is None or at.tzinfo is None:
                raise CommandError(_("--now phải là thời điểm ISO 8601 có múi giờ, ví dụ 2026-03-01T08:00:00+07:00."))
        result = expire_overdue(at, dry_run=dry_run)
        for code in result.expired:
            self.stdout.write(code)
        for code, why in result.skipped.items():
            self.stderr.write(f"{code}: {why}")
        verb = _("Sẽ xử lý") if dry_run else _("Đã xử lý")
        self.stdout.write(_("%(verb)s %(n)s hồ sơ quá hạn bổ sung; bỏ qua %(s)s.")
                          % {"verb": verb, "n": len(result.expired), "s": len(result.skipped)})
