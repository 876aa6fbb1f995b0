"""Every public holiday of 2024–2027 as announced (Tết, Hùng Kings, 30/04–01/05, 2/9 with its adjacent day), the
yearly swaps with their make-up Saturdays, observed days, and the Civil Code rest-day rule. Expected dates are
written out by hand from the government's announcements, not read back from the package."""

from datetime import date

import pytest

from motcua.worktime.calendar_vn import base_days, build_calendar
from motcua.worktime.clock import due_instant

from .conftest import at

D = date
DAYS_OFF = {
    2024: [D(2024, 1, 1), D(2024, 2, 8), D(2024, 2, 9), D(2024, 2, 12), D(2024, 2, 13), D(2024, 2, 14),
           D(2024, 4, 18), D(2024, 4, 29), D(2024, 4, 30), D(2024, 5, 1), D(2024, 9, 2), D(2024, 9, 3)],
    2025: [D(2025, 1, 1), D(2025, 1, 27), D(2025, 1, 28), D(2025, 1, 29), D(2025, 1, 30), D(2025, 1, 31),
           D(2025, 4, 7), D(2025, 4, 30), D(2025, 5, 1), D(2025, 5, 2), D(2025, 9, 1), D(2025, 9, 2)],
    2026: [D(2026, 1, 1), D(2026, 2, 16), D(2026, 2, 17), D(2026, 2, 18), D(2026, 2, 19), D(2026, 2, 20),
           D(2026, 4, 27), D(2026, 4, 30), D(2026, 5, 1), D(2026, 8, 31), D(2026, 9, 1), D(2026, 9, 2),
           D(2026, 11, 24)],
    2027: [D(2027, 1, 1), D(2027, 2, 4), D(2027, 2, 5), D(2027, 2, 8), D(2027, 2, 9), D(2027, 2, 10),
           D(2027, 4, 16), D(2027, 4, 30), D(2027, 5, 3), D(2027, 9, 2), D(2027, 9, 3), D(2027, 11, 24)],
}
MAKEUP_SATURDAYS = [D(2024, 5, 4), D(2025, 4, 26), D(2026, 8, 22)]


@pytest.mark.parametrize("day", [d for days in DAYS_OFF.values() for d in days], ids=str)
def test_public_holiday_weekday_is_not_a_working_day(cal, day):
    assert day.weekday() < 5
    assert not cal.is_working_day(day)
    assert cal.reason(day)


@pytest.mark.parametrize("year", sorted(DAYS_OFF))
def test_no_other_weekday_is_off(cal, year):
    """Exactly the announced weekdays are off: nothing missing, nothing extra."""
    d, off = date(year, 1, 1), set()
    while d.year == year:
        if d.weekday() < 5 and not cal.is_working_day(d):
            off.add(d)
        d = date.fromordinal(d.toordinal() + 1)
    assert off == set(DAYS_OFF[year])


@pytest.mark.parametrize("day", MAKEUP_SATURDAYS, ids=str)
def test_makeup_saturdays_are_working_days(cal, day):
    assert day.weekday() == 5 and cal.is_working_day(day)
    assert cal.reason(day) is None


def test_ordinary_weekend_is_off(cal):
    assert not cal.is_working_day(date(2026, 8, 29)) and cal.reason(date(2026, 8, 29)) == "Thứ Bảy"
    assert cal.reason(date(2026, 8, 30)) == "Chủ nhật"


def test_names_are_vietnamese(cal):
    assert cal.reason(date(2026, 2, 17)) == "Tết Nguyên Đán"
    assert "nghỉ bù" in cal.reason(date(2026, 4, 27))
    assert cal.reason(date(2026, 9, 2)) == "Quốc khánh"
    assert cal.reason(date(2026, 11, 24)) == "Ngày Văn hóa Việt Nam"


def test_tet_follows_the_vietnamese_lunisolar_calendar():
    """Years where Vietnam's Tết differs from China's (UTC+7 vs UTC+8 new moon)."""
    off_1985, _ = base_days(1985, 1985)
    off_2007, _ = base_days(2007, 2007)
    assert off_1985[date(1985, 1, 21)] == "Tết Nguyên Đán"
    assert off_2007[date(2007, 2, 17)] == "Tết Nguyên Đán"


def test_observed_day_for_holiday_on_weekend(cal):
    # 26/04/2026 (Hùng Kings) is a Sunday → Monday 27/04 off; 01/05/2027 is a Saturday → Monday 03/05 off.
    assert not cal.is_working_day(date(2026, 4, 27)) and not cal.is_working_day(date(2027, 5, 3))


@pytest.mark.parametrize(
    "received,days,due",
    [
        (at(2026, 4, 20, 9), 10, at(2026, 5, 4, 17, 30)),  # day 10 = Thu 30/04 holiday → Mon 04/05
        (at(2026, 3, 2, 9), 6, at(2026, 3, 9, 17, 30)),  # day 6 = Sunday 08/03 → Monday 09/03
        (at(2026, 3, 2, 9), 5, at(2026, 3, 9, 17, 30)),  # day 5 = Saturday → Monday
        (at(2026, 3, 2, 9), 4, at(2026, 3, 6, 17, 30)),  # day 4 = Friday, a working day
        (at(2026, 2, 10, 9), 7, at(2026, 2, 23, 17, 30)),  # day 7 = 17/02 Tết → first day after Tết
        (at(2026, 8, 16, 9), 7, at(2026, 8, 24, 17, 30)),  # day 7 = Sunday 23/08 → Monday
        (at(2026, 8, 15, 9), 7, at(2026, 8, 22, 17, 30)),  # day 7 = Sat 22/08, a make-up working day: ends then
    ],
)
def test_civil_code_rest_day_rule(cal, received, days, due):
    assert due_instant(cal, received, days, "calendar_days") == due


def test_build_calendar_overrides():
    from motcua.worktime.calendar_vn import OFF, REMOVE, WORK, Override

    c = build_calendar(2026, 2026, (
        Override(date(2026, 11, 24), REMOVE),
        Override(date(2026, 12, 31), OFF, "Nghỉ theo quyết định của tỉnh"),
        Override(date(2026, 12, 26), WORK, "Làm bù"),
        Override(date(2026, 8, 22), REMOVE),
    ))
    assert c.is_working_day(date(2026, 11, 24))
    assert not c.is_working_day(date(2026, 12, 31)) and c.reason(date(2026, 12, 31)).startswith("Nghỉ theo")
    assert c.is_working_day(date(2026, 12, 26))
    assert not c.is_working_day(date(2026, 8, 22))
