from motcua.core.logging import mask_personal_id, mask_personal_ids
from motcua.core.text import fold, format_number_vi, format_percent_vi


def test_fold_strips_vietnamese_diacritics_and_d():
    assert fold("Đăng ký  Kết hôn") == "dang ky ket hon"
    assert fold("ĐỊA CHÍNH đất đai") == "dia chinh dat dai"


def test_vietnamese_number_format():
    assert format_number_vi(1644) == "1.644"
    assert format_number_vi(97.6, 1) == "97,6"
    assert format_percent_vi(97.6) == "97,6 %"
    assert format_percent_vi(100.0) == "100 %"


def test_personal_ids_masked_in_text():
    assert mask_personal_ids("CCCD 001203012345 nộp hồ sơ") == "CCCD 001******345 nộp hồ sơ"
    assert mask_personal_id("001203012345") == "001******345"
    # a dossier code is not a personal ID
    assert mask_personal_ids("000.00.12.H56-260213-0001") == "000.00.12.H56-260213-0001"
