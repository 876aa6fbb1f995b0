"""`motcua purge-personal-data [--dry-run]`: clear the personal data of dossiers past their retention period."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from tqdm import tqdm

from motcua.core.text import format_number_vi
from motcua.privacy.services import expired, purge


class Command(BaseCommand):
    help = _("Xoá dữ liệu cá nhân của hồ sơ đã hết thời hạn lưu giữ, giữ lại bản ghi ẩn danh (Luật 91/2025).")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help=_("Chỉ đếm, không xoá."))

    def handle(self, *args, dry_run=False, **options):
        count = 0
        for dossier, retention in tqdm(expired(), unit=" hồ sơ", disable=None):
            if not dry_run:
                purge(dossier, retention)
            count += 1
        message = _("%(n)s hồ sơ đã hết thời hạn lưu giữ") if dry_run else _("Đã xoá dữ liệu cá nhân của %(n)s hồ sơ")
        self.stdout.write(message % {"n": format_number_vi(count)})
