"""PAKN fixtures: the small province with staff at the department (tn reception, cv specialist, ld leader), a
specialist at the other department (cv2), and a helper that registers a PAKN at a given local instant."""

from datetime import datetime

import pytest

from motcua.accounts.models import Role
from motcua.feedback import services
from motcua.worktime.clock import TZ
from tests.factories import UserFactory, staff

PASSWORD = "matkhau-Manh-123"
SENDER = {"sender_name": "Trần Thị Bình", "sender_address": "Số 1 Lý Thái Tổ, phường Kinh Bắc",
          "sender_phone": "0912345678", "sender_email": "binh@example.vn"}


def local(y, m, d, hh=9, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=TZ)


@pytest.fixture
def fast_passwords(settings):
    """Seven accounts per test: PBKDF2 would spend seconds hashing test passwords."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(fast_passwords, province):
    return {
        **province,
        "tn": staff("tn", province["dept"], Role.RECEPTION),
        "cv": staff("cv", province["dept"], Role.SPECIALIST),
        "ld": staff("ld", province["dept"], Role.LEADER),
        "cv2": staff("cv2", province["other_dept"], Role.SPECIALIST),
        "ld2": staff("ld2", province["other_dept"], Role.LEADER),
        "inspector": staff("tt", province["dept"], Role.INSPECTOR),
        "citizen": UserFactory(username="dan"),
    }


@pytest.fixture
def submit(world):
    def make(at=None, agency=None, **data):
        payload = {"agency": getattr(agency, "code", agency) or world["dept"].code, "title": "Thủ tục cấp phép rườm rà",
                   "content": "Quy định yêu cầu nộp bản sao chứng thực không cần thiết.", **SENDER, **data}
        return services.submit(payload, now=at or local(2026, 5, 4))
    return make
