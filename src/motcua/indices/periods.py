"""Evaluation periods of the 766 index (framework-free): a month ``2026-10``, a quarter ``2026-Q4`` or a year
``2026``, as local calendar days [first, last]."""

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-[Qq]([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")


class PeriodError(ValueError):
    pass


@dataclass(frozen=True)
class Period:
    key: str  # canonical text: 2026-10, 2026-Q4, 2026
    kind: str  # month | quarter | year
    first: date
    last: date

    def months(self) -> list["Period"]:
        """The months inside this period (itself for a month)."""
        return [parse(f"{self.first.year}-{m:02d}") for m in range(self.first.month, self.last.month + 1)]

    def label_vi(self) -> str:
        if self.kind == "month":
            return f"Tháng {self.first.month:02d}/{self.first.year}"
        if self.kind == "quarter":
            return f"Quý {(self.first.month - 1) // 3 + 1}/{self.first.year}"
        return f"Năm {self.first.year}"


def _month(year: int, first_month: int, last_month: int) -> tuple[date, date]:
    return date(year, first_month, 1), date(year, last_month, monthrange(year, last_month)[1])


def parse(text: str) -> Period:
    """'2026-10' | '2026-Q4' | '2026' → Period; PeriodError on anything else (years 2000–2100)."""
    text = (text or "").strip()
    if m := _MONTH.match(text):
        year, month = int(m[1]), int(m[2])
        if not 1 <= month <= 12:
            raise PeriodError(text)
        first, last, kind, key = *_month(year, month, month), "month", f"{year}-{month:02d}"
    elif m := _QUARTER.match(text):
        year, q = int(m[1]), int(m[2])
        first, last, kind, key = *_month(year, 3 * q - 2, 3 * q), "quarter", f"{year}-Q{q}"
    elif m := _YEAR.match(text):
        year = int(m[1])
        first, last, kind, key = date(year, 1, 1), date(year, 12, 31), "year", str(year)
    else:
        raise PeriodError(text)
    if not 2000 <= year <= 2100:
        raise PeriodError(text)
    return Period(key, kind, first, last)


def month_of(day: date) -> Period:
    return parse(f"{day.year}-{day.month:02d}")


def previous_months(period: Period, n: int) -> list[Period]:
    """The n months ending with the last month of `period`, oldest first (the dashboard's trend)."""
    y, m = period.last.year, period.last.month
    out = []
    for _ in range(n):
        out.append(parse(f"{y}-{m:02d}"))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return out[::-1]
