"""Narrative paragraph and period phrases (seed style: "Năm 2023, ... tiếp nhận 1.644 hồ sơ, ... đúng hạn 100 %,
trong đó trước hạn 97,6 % ...; hồ sơ trực tuyến đạt 76 %")."""

from datetime import date

import pytest

from motcua.reports.definitions import counts_from_sums, with_rates
from motcua.reports.summary import period_phrase, summary_vi


@pytest.mark.parametrize("start, end, phrase", [
    (date(2023, 1, 1), date(2023, 12, 31), "Năm 2023"),
    (date(2026, 7, 1), date(2026, 9, 30), "Quý III/2026"),
    (date(2026, 10, 1), date(2026, 10, 31), "Tháng 10/2026"),
    (date(2026, 2, 1), date(2026, 2, 28), "Tháng 2/2026"),
    (date(2026, 1, 1), date(2026, 6, 30), "6 tháng đầu năm 2026"),
    (date(2019, 1, 1), date(2019, 7, 31), "7 tháng đầu năm 2019"),
    (date(2026, 7, 1), date(2026, 12, 31), "6 tháng cuối năm 2026"),
    (date(2026, 1, 1), date(2026, 3, 15), "Từ ngày 01/01/2026 đến ngày 15/03/2026"),
    (date(2025, 12, 1), date(2026, 1, 31), "Từ ngày 01/12/2025 đến ngày 31/01/2026"),
])
def test_period_phrases(start, end, phrase):
    assert period_phrase(start, end) == phrase


def report(definition="local", **sums):
    r = with_rates(counts_from_sums(sums, definition), definition)
    r.update(unit_name="Sở Xây dựng", date_from="2023-01-01", date_to="2023-12-31")
    return r


def test_the_seed_sentence():
    # Bắc Ninh Department of Construction, 2023: 1.644 dossiers, all on time, 97,6 % early, online 76 %
    r = report(received_online=1249, received_counter=395, finished=1644, finished_early=1605,
               finished_on_time=39, ended=1644, finished_766_on_time=1644)
    assert summary_vi(r) == (
        "Năm 2023, Sở Xây dựng tiếp nhận 1.644 hồ sơ (trực tuyến 1.249, trực tiếp 395, qua bưu chính công ích 0), "
        "đã giải quyết 1.644 hồ sơ, đúng hạn 100 %, trong đó trước hạn 97,6 %, đúng hạn 2,4 %, "
        "không có hồ sơ quá hạn; hồ sơ trực tuyến đạt 76 %.")


def test_late_in_progress_supplement_and_carried_over_are_told():
    r = report(received_counter=10, received_postal=2, carried=3, finished=8, finished_early=5,
               finished_on_time=1, finished_late=2, open_end=5, overdue_end=1, supplement_end=2)
    text = summary_vi(r, period=(date(2026, 7, 1), date(2026, 9, 30)))
    assert text.startswith("Quý III/2026, Sở Xây dựng tiếp nhận 12 hồ sơ")
    assert "kỳ trước chuyển sang 3 hồ sơ" in text
    assert "đúng hạn 75 %, trong đó trước hạn 62,5 %, đúng hạn 12,5 %, quá hạn 2 hồ sơ (25 %)" in text
    assert "đang giải quyết 3 hồ sơ (1 hồ sơ quá hạn), chờ bổ sung 2 hồ sơ" in text
    assert text.endswith("hồ sơ trực tuyến đạt 0 %.")


def test_766_wording_and_empty_period():
    r = report("766", received_counter=4, ended=4, finished_766_on_time=3, finished_766_late=1)
    assert "đúng hạn 75 % (tính theo Quyết định 766/QĐ-TTg), quá hạn 1 hồ sơ (25 %)" in summary_vi(r)
    empty = summary_vi(report(), unit="UBND xã An Bình", period="Tháng 10/2026")
    assert empty == "Tháng 10/2026, UBND xã An Bình tiếp nhận 0 hồ sơ, chưa có hồ sơ giải quyết xong trong kỳ."
