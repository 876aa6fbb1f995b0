"""`motcua pakn-report --unit CODE --from YYYY-MM-DD --to YYYY-MM-DD --output FILE.xlsx`: PAKN statistics (766 5.1–5.3)
of a unit and period as an Excel workbook."""

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from motcua.core.api_errors import DomainError
from motcua.feedback.export import to_xlsx
from motcua.feedback.stats import pakn_stats


def _day(value: str, name: str) -> date:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise CommandError(f"--{name}: ngày không hợp lệ «{value}» (định dạng YYYY-MM-DD).") from None


class Command(BaseCommand):
    help = "Thống kê phản ánh, kiến nghị (chỉ tiêu 766 nhóm 5.1–5.3) của một đơn vị, xuất tệp Excel."

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="mã định danh đơn vị")
        parser.add_argument("--from", dest="date_from", required=True)
        parser.add_argument("--to", dest="date_to", required=True)
        parser.add_argument("--output", required=True, help="tệp .xlsx")

    def handle(self, *args, unit, date_from, date_to, output, **options):
        start, end = _day(date_from, "from"), _day(date_to, "to")
        if end < start:
            raise CommandError("--to phải sau hoặc bằng --from.")
        if not output.lower().endswith(".xlsx"):
            raise CommandError("--output phải là tệp .xlsx.")
        try:
            stats = pakn_stats(unit, start, end)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        Path(output).write_bytes(to_xlsx(stats))
        self.stdout.write(f"{stats['total']} PAKN → {output}")
