"""`motcua sweep-deadlines [--lead-hours H] [--queue]`: warn officers of dossiers and steps due within H hours.

Run it from cron every few minutes, or with `--queue` hand it to the Celery worker (CELERY_BROKER_URL set).
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from motcua.scale.tasks import sweep_deadlines


class Command(BaseCommand):
    help = "Cảnh báo cán bộ về hồ sơ và bước xử lý sắp đến hạn."

    def add_arguments(self, parser):
        parser.add_argument("--lead-hours", type=float, default=24.0, help="Cảnh báo trước hạn bao nhiêu giờ")
        parser.add_argument("--queue", action="store_true", help="Gửi cho Celery worker thay vì chạy ngay")

    def handle(self, *args, lead_hours, queue, **options):
        if not 0 < lead_hours <= 24 * 30:
            raise CommandError(_("--lead-hours phải trong khoảng (0, 720]."))
        if queue:
            result = sweep_deadlines.delay(lead_hours)
            self.stdout.write(_("Đã gửi tác vụ %(id)s.") % {"id": result.id})
            return
        written = sweep_deadlines(lead_hours)
        self.stdout.write(_("Cảnh báo mới: %(d)d hạn hồ sơ, %(s)d hạn bước xử lý.") % {
            "d": written["dossier"], "s": written["step"]})
