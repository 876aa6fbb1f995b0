"""Wording of catalogue data for citizens: money, time limits, document counts, life events."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from motcua.portal import presenters


@pytest.mark.parametrize(("amount", "text"), [(1_644_000, "1.644.000 đồng"), (0, "0 đồng"), (500, "500 đồng")])
def test_money_uses_dots_for_thousands(amount, text):
    assert presenters.money(amount) == text


def _variant(legal, unit="working_days", committed=None):
    return SimpleNamespace(legal_limit=Decimal(legal), limit_unit=unit, committed_limit=committed)


@pytest.mark.parametrize(("variant", "text"), [
    (_variant("15.00"), "15 ngày làm việc"),
    (_variant("8", "working_hours"), "8 giờ làm việc"),
    (_variant("30", "calendar_days"), "30 ngày"),
    (_variant("0.5"), "0,5 ngày làm việc"),
    (_variant("0"), "Giải quyết trong ngày"),
    (_variant("0", "none"), "Không quy định thời hạn giải quyết"),
    (_variant("15", committed=Decimal("10")), "10 ngày làm việc (rút ngắn so với quy định: 15 ngày làm việc)"),
    (_variant("15", committed=Decimal("15")), "15 ngày làm việc"),
])
def test_time_limit_in_words(variant, text):
    assert presenters.time_limit(variant) == text


def test_document_counts_show_originals_and_copies_and_certified_copies_only_when_asked():
    plain = SimpleNamespace(originals=1, certified_copies=0, copies=2)
    certified = SimpleNamespace(originals=0, certified_copies=1, copies=0)
    assert presenters.document_counts(plain) == "Bản chính: 1; Bản sao: 2"
    assert presenters.document_counts(certified) == "Bản chính: 0; Bản sao chứng thực: 1; Bản sao: 0"


def test_life_events_split_and_slug():
    assert presenters.split_life_events(" Sinh con, ,Khai sinh ") == ["Sinh con", "Khai sinh"]
    assert presenters.life_event_slug("Đăng ký Kết hôn") == "dang-ky-ket-hon"


def test_online_levels():
    assert presenters.is_online("full") and presenters.is_online("partial") and not presenters.is_online("none")
    assert presenters.online_label("full") == "Dịch vụ công trực tuyến toàn trình"
