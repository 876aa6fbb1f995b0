from datetime import date

import pytest
from django.core.exceptions import ValidationError

from motcua.accounts.models import AccountKind, User
from motcua.accounts.validators import (
    PROVINCE_CODES,
    decode_century_sex,
    validate_personal_id,
    validate_tax_code,
)


def code_of(value, **kwargs):
    with pytest.raises(ValidationError) as excinfo:
        validate_personal_id(value, **kwargs)
    assert excinfo.value.messages[0]  # a Vietnamese message is always there
    return excinfo.value.code


def test_province_list_is_the_63_historic_codes():
    assert len(PROVINCE_CODES) == 63
    assert PROVINCE_CODES["001"] == "Hà Nội" and PROVINCE_CODES["096"] == "Cà Mau"
    assert PROVINCE_CODES["027"] == "Bắc Ninh" and PROVINCE_CODES["079"] == "TP Hồ Chí Minh"
    assert "003" not in PROVINCE_CODES and "097" not in PROVINCE_CODES  # not contiguous


@pytest.mark.parametrize("value,born,sex", [
    ("001085012345", date(1985, 1, 2), "male"),
    ("038192000001", date(1992, 5, 5), "female"),
    ("079205123456", date(2005, 12, 31), "nam"),
    ("096300999999", date(2000, 1, 1), "nữ"),
    (" 027085012345 ", None, None),
])
def test_valid_numbers(value, born, sex):
    assert validate_personal_id(value, born, sex) == value.strip()


def test_century_sex_digit():
    assert decode_century_sex(0) == (1900, "male") and decode_century_sex(1) == (1900, "female")
    assert decode_century_sex(2) == (2000, "male") and decode_century_sex(3) == (2000, "female")
    assert decode_century_sex(4) == (2100, "male") and decode_century_sex(9) == (2300, "female")


@pytest.mark.parametrize("value,kwargs,code", [
    ("02708501234", {}, "personal_id_length"),
    ("0270850123456", {}, "personal_id_length"),
    ("02708501234A", {}, "personal_id_digits"),
    ("027-85012345", {}, "personal_id_digits"),
    ("", {}, "personal_id_digits"),
    ("003085012345", {}, "personal_id_province"),
    ("097085012345", {}, "personal_id_province"),
    ("027285012345", {"birth_date": date(1985, 3, 1)}, "personal_id_century"),  # digit 2 = 2085, born 1985
    ("027085012345", {"birth_date": date(1986, 3, 1)}, "personal_id_birth_year"),
    ("027485012345", {}, "personal_id_century"),  # 2185: not born yet
    ("027185012345", {"sex": "male"}, "personal_id_sex"),
    ("123456789", {}, "personal_id_legacy"),
])
def test_invalid_numbers(value, kwargs, code):
    assert code_of(value, **kwargs) == code


def test_legacy_nine_digits_only_when_asked():
    assert validate_personal_id("123456789", legacy=True) == "123456789"
    assert code_of("12345678A", legacy=True) == "personal_id_digits"


def test_tax_code():
    assert validate_tax_code("2300000011") == "2300000011"
    assert validate_tax_code("0100233488-001") == "0100233488001"  # branch suffix
    for value, code in [("2300000012", "tax_code_checksum"), ("12345", "tax_code_length"),
                        ("23000000AB", "tax_code_format")]:
        with pytest.raises(ValidationError) as excinfo:
            validate_tax_code(value)
        assert excinfo.value.code == code


@pytest.mark.django_db
def test_user_clean_checks_and_normalises():
    user = User(username="cd", kind=AccountKind.CITIZEN, personal_id="027085012345", birth_date=date(1985, 1, 1),
                tax_code="")
    user.set_password("x")
    user.full_clean()
    assert user.personal_id == "027085012345" and user.tax_code is None
    user.birth_date = date(1990, 1, 1)
    user.tax_code = "2300000012"
    with pytest.raises(ValidationError) as excinfo:
        user.full_clean()
    assert set(excinfo.value.message_dict) == {"personal_id", "tax_code"}
    assert "không khớp" in excinfo.value.message_dict["personal_id"][0]
