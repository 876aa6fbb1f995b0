"""`motcua import-catalog FILE [--dry-run] [--format json|xlsx]`: import the procedure catalogue.

Exit status 2 when the file is rejected (nothing is written); the report lists every problem with its place."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from motcua.catalog.exchange import CatalogImportError, import_catalog


class Command(BaseCommand):
    help = "Nhập danh mục thủ tục hành chính từ tệp JSON (motcua.catalog/1) hoặc XLSX."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Tệp .json hoặc .xlsx")
        parser.add_argument("--format", choices=["json", "xlsx"], help="Mặc định theo phần mở rộng của tệp")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra, không ghi gì")

    def handle(self, *args, file, format=None, dry_run=False, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("Không tìm thấy tệp %(p)s.") % {"p": path}, returncode=2)
        format = format or ("xlsx" if path.suffix.lower() == ".xlsx" else "json")
        try:
            summary = import_catalog(path, format, dry_run=dry_run)
        except CatalogImportError as exc:
            self.stderr.write(_("Tệp %(p)s không hợp lệ, không nhập gì (%(n)d lỗi):") % {"p": path, "n": len(exc.problems)})
            for line in exc.report():
                self.stderr.write(f"  - {line}")
            raise SystemExit(2) from None
        self.stdout.write(self.style.SUCCESS(str(summary)))
