"""`motcua import-agencies FILE [--dry-run] [--format csv|xlsx]`: load the agency catalogue from a spreadsheet.

Exit code 2 (and the row-by-row report on stderr) when the file is invalid; nothing is written then.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from motcua.agencies.services import import_agencies


class Command(BaseCommand):
    help = "Nhập danh mục cơ quan, đơn vị từ tệp CSV hoặc XLSX (toàn bộ hoặc không gì cả)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Tệp CSV (UTF-8) hoặc XLSX")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra, không ghi vào cơ sở dữ liệu")
        parser.add_argument("--format", choices=["csv", "xlsx"], help="Mặc định: theo đuôi tệp")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {path}", returncode=2)
        fmt = options["format"] or ("xlsx" if path.suffix.lower() in (".xlsx", ".xlsm") else "csv")
        report = import_agencies(path, format=fmt, dry_run=options["dry_run"])
        if not report.ok:
            self.stderr.write(report.as_text())
            raise CommandError("Tệp không hợp lệ, không có gì được ghi.", returncode=2)
        self.stdout.write(self.style.SUCCESS(report.as_text()))
