from datetime import datetime, time

import pytest

from motcua.worktime.calendar_vn import build_calendar
from motcua.worktime.clock import TZ

THANH_HOA_HOURS = ((time(7, 0), time(11, 30)), (time(13, 30), time(17, 0)))


def at(*args) -> datetime:
    """Local (Asia/Ho_Chi_Minh) aware datetime."""
    return datetime(*args, tzinfo=TZ)


@pytest.fixture(scope="session")
def th_cal():
    """The worked examples' setting: office hours 07:00–11:30 and 13:30–17:00, package calendar 2024–2027."""
    return build_calendar(2024, 2027, office_hours=THANH_HOA_HOURS)


@pytest.fixture(scope="session")
def cal():
    """MotCua's default office hours 07:30–11:30 and 13:30–17:30."""
    return build_calendar(2024, 2027)
