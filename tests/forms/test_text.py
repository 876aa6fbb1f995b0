"""Framework-free pieces: Decree 30 date wording, place name, limits, template-set selection."""

from datetime import date, datetime

from motcua.forms import registry
from motcua.forms import text as vn


def test_dates_follow_decree_30_leading_zeros():
    assert vn.long_date(date(2026, 2, 13)) == "ngày 13 tháng 02 năm 2026"
    assert vn.long_date(date(2026, 1, 5)) == "ngày 05 tháng 01 năm 2026"
    assert vn.long_date(date(2026, 3, 9)) == "ngày 09 tháng 3 năm 2026"
    assert vn.long_date(date(2026, 11, 20)) == "ngày 20 tháng 11 năm 2026"
    assert vn.place_date("Bắc Ninh", date(2026, 2, 13)) == "Bắc Ninh, ngày 13 tháng 02 năm 2026"
    assert vn.long_datetime(datetime(2026, 2, 13, 8, 5)) == "08 giờ 05 phút, ngày 13 tháng 02 năm 2026"
    assert "……" in vn.long_datetime(None)


def test_place_from_province_name_and_limits():
    assert vn.place_from_root("UBND tỉnh Bắc Ninh") == "Bắc Ninh"
    assert vn.place_from_root("Ủy ban nhân dân thành phố Hà Nội") == "Hà Nội"
    assert vn.duration_words("15.00", "working_days") == "15 ngày làm việc"
    assert vn.duration_words("0.5", "working_days") == "0,5 ngày làm việc"
    assert vn.duration_words(None, "none") == "Không quy định"


def test_template_set_by_reception_day_and_cutover():
    assert registry.template_set_for(date(2025, 6, 30)) == registry.TT01
    assert registry.template_set_for(date(2025, 7, 1)) == registry.TT03
    assert registry.template_set_for(date(2025, 6, 30), cutover=date(2025, 6, 1)) == registry.TT03
    assert registry.template_set_for(None) == registry.TT03


def test_numbering_of_both_circulars():
    assert [f.number for f in registry.forms_of(registry.TT03)] == ["01", "02", "03", "04", "05", "06", "07"]
    assert registry.spec(registry.TT03, "5").kind == registry.STOP
    assert registry.spec(registry.TT01, "05").kind == registry.TRACKING
    assert registry.spec(registry.TT01, "06").kind == registry.REGISTER
    assert registry.spec(registry.TT01, "07") is None
    assert registry.spec(registry.TT01, "04").title == "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ"
    assert registry.spec(registry.TT03, "apology").number == "04"
