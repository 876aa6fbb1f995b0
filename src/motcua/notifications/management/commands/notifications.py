"""`motcua notifications retry [--force]` re-sends failed (and lost) notifications;
`motcua notifications status` prints counts per status."""

from django.core.management.base import BaseCommand
from django.db.models import Count
from django.utils.translation import gettext as _

from motcua.notifications.models import Notification
from motcua.notifications.services import retry_failed


class Command(BaseCommand):
    help = "Thông báo cho người nộp hồ sơ: gửi lại thông báo lỗi (retry), thống kê (status)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        retry = sub.add_parser("retry", help="Gửi lại các thông báo gửi lỗi đã đến hạn gửi lại.")
        retry.add_argument("--force", action="store_true",
                           help="Gửi lại mọi thông báo lỗi, kể cả chưa đến hạn hoặc đã hết số lần thử.")
        sub.add_parser("status", help="Số thông báo theo trạng thái.")

    def handle(self, *args, action, **options):
        if action == "retry":
            counts = retry_failed(force=options["force"])
            self.stdout.write(_("Đã gửi lại: %(sent)s; vẫn lỗi: %(failed)s") % counts)
            return
        for row in Notification.objects.values("status").annotate(n=Count("id")).order_by("status"):
            self.stdout.write(f"{row['status']}: {row['n']}")
