from django.core.management.base import BaseCommand

from motcua.portal.drafts import purge_expired


class Command(BaseCommand):
    help = "Xoá hồ sơ nháp nộp trực tuyến đã hết hạn và các tệp đã tải lên (chạy hằng ngày)."

    def handle(self, *args, **options):
        drafts, files = purge_expired()
        self.stdout.write(f"Đã xoá {drafts} hồ sơ nháp hết hạn, {files} tệp.")
