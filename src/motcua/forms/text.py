"""Vietnamese administrative date and time wording (framework-free).

Decree 30/2020/NĐ-CP: days below 10 and the months 1 and 2 are written with a leading zero
("ngày 05 tháng 02 năm 2026", "ngày 13 tháng 11 năm 2026").
"""

from datetime import date, datetime


def day_month(d: date) -> tuple[str, str]:
    day = f"{d.day:02d}" if d.day < 10 else str(d.day)
    month = f"{d.month:02d}" if d.month < 3 else str(d.month)
    return day, month


def long_date(d: date | None) -> str:
    """"ngày 13 tháng 02 năm 2026" (blank dotted placeholders when unknown)."""
    if d is None:
        return "ngày …… tháng …… năm ……"
    day, month = day_month(d)
    return f"ngày {day} tháng {month} năm {d.year}"


def long_datetime(dt: datetime | None) -> str:
    """"14 giờ 30 phút, ngày 05 tháng 01 năm 2026" — the wording of the receipt and the tracking sheet."""
    if dt is None:
        return "…… giờ …… phút, ngày …… tháng …… năm ……"
    return f"{dt.hour:02d} giờ {dt.minute:02d} phút, {long_date(dt.date())}"


def place_date(place: str, d: date | None) -> str:
    """"Bắc Ninh, ngày 13 tháng 02 năm 2026"."""
    return f"{place}, {long_date(d)}" if place else long_date(d)


def short_date(d) -> str:
    if d is None:
        return ""
    return d.strftime("%d/%m/%Y")


def short_datetime(dt) -> str:
    if dt is None:
        return ""
    return dt.strftime("%H:%M %d/%m/%Y")


def place_from_root(name: str) -> str:
    """"UBND tỉnh Bắc Ninh" → "Bắc Ninh": the place name printed before the date."""
    lowered = name.lower()
    for prefix in ("ủy ban nhân dân tỉnh ", "uỷ ban nhân dân tỉnh ", "ubnd tỉnh ", "ủy ban nhân dân thành phố ",
                   "uỷ ban nhân dân thành phố ", "ubnd thành phố "):
        if lowered.startswith(prefix):
            return name[len(prefix):].strip()
    return name.strip()


def duration_words(amount, unit: str) -> str:
    """"10 ngày làm việc" from the variant's limit."""
    from decimal import Decimal

    if unit == "none" or amount in (None, ""):
        return "Không quy định"
    value = Decimal(str(amount)).normalize()
    number = f"{value:f}".replace(".", ",")
    words = {"working_days": "ngày làm việc", "working_hours": "giờ làm việc", "calendar_days": "ngày"}
    return f"{number} {words.get(unit, unit)}"
