"""Demo data for the clock: the demo province confirms its 2025 and 2026 calendars (nothing else is added)."""

from motcua.worktime.models import CalendarYear
from motcua.worktime.services import confirm_year


def load(stdout) -> None:
    """Idempotent: an already confirmed year is left as it is."""
    for year in (2025, 2026):
        if CalendarYear.objects.filter(year=year, confirmed_at__isnull=False).exists():
            continue
        confirm_year(year, None, note="Dữ liệu mẫu")
        stdout.write(f"Đã xác nhận lịch làm việc năm {year}.\n")
