"""Identity numbers: the 12-digit personal identification number and the business tax code.

Personal ID structure PPP G YY NNNNNN (Circular 07/2016/TT-BCA, later 59/2021/TT-BCA): PPP = province where the
birth was registered, G = century and sex, YY = last two digits of the birth year, NNNNNN = sequence. There is no
check digit, so none is computed. Legacy 9-digit ID card (CMND) numbers are accepted only for imported data.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_errors
from stdnum.vn import mst

# The 63 pre-2025 province codes. Numbers are never re-issued, so the list stays valid after the 2025 merger;
# the codes follow the statistics office's province numbering and are not contiguous.
PROVINCE_CODES = {
    "001": "Hà Nội", "002": "Hà Giang", "004": "Cao Bằng", "006": "Bắc Kạn", "008": "Tuyên Quang",
    "010": "Lào Cai", "011": "Điện Biên", "012": "Lai Châu", "014": "Sơn La", "015": "Yên Bái",
    "017": "Hòa Bình", "019": "Thái Nguyên", "020": "Lạng Sơn", "022": "Quảng Ninh", "024": "Bắc Giang",
    "025": "Phú Thọ", "026": "Vĩnh Phúc", "027": "Bắc Ninh", "030": "Hải Dương", "031": "Hải Phòng",
    "033": "Hưng Yên", "034": "Thái Bình", "035": "Hà Nam", "036": "Nam Định", "037": "Ninh Bình",
    "038": "Thanh Hóa", "040": "Nghệ An", "042": "Hà Tĩnh", "044": "Quảng Bình", "045": "Quảng Trị",
    "046": "Thừa Thiên Huế", "048": "Đà Nẵng", "049": "Quảng Nam", "051": "Quảng Ngãi", "052": "Bình Định",
    "054": "Phú Yên", "056": "Khánh Hòa", "058": "Ninh Thuận", "060": "Bình Thuận", "062": "Kon Tum",
    "064": "Gia Lai", "066": "Đắk Lắk", "067": "Đắk Nông", "068": "Lâm Đồng", "070": "Bình Phước",
    "072": "Tây Ninh", "074": "Bình Dương", "075": "Đồng Nai", "077": "Bà Rịa - Vũng Tàu", "079": "TP Hồ Chí Minh",
    "080": "Long An", "082": "Tiền Giang", "083": "Bến Tre", "084": "Trà Vinh", "086": "Vĩnh Long",
    "087": "Đồng Tháp", "089": "An Giang", "091": "Kiên Giang", "092": "Cần Thơ", "093": "Hậu Giang",
    "094": "Sóc Trăng", "095": "Bạc Liêu", "096": "Cà Mau",
}

MALE, FEMALE = "male", "female"
_SEX_ALIASES = {"male": MALE, "m": MALE, "nam": MALE, "female": FEMALE, "f": FEMALE, "nu": FEMALE, "nữ": FEMALE}


def decode_century_sex(digit: int) -> tuple[int, str]:
    """0/1 → 1900s male/female, 2/3 → 2000s, 4/5 → 2100s, 6/7 → 2200s, 8/9 → 2300s ([verify] beyond 3)."""
    return 1900 + (digit // 2) * 100, FEMALE if digit % 2 else MALE


def _fail(message, code: str):
    raise ValidationError(message, code=code)


def validate_personal_id(value: str, birth_date: date | None = None, sex: str | None = None, *,
                         legacy: bool = False) -> str:
    """Validate and return the normalised number (surrounding spaces removed); raise ValidationError otherwise."""
    number = (value or "").strip()
    if not number.isdigit() or not number.isascii():
        _fail(_("Số định danh cá nhân chỉ gồm chữ số."), "personal_id_digits")
    if len(number) == 9:
        if legacy:
            return number
        _fail(_("Số chứng minh nhân dân 9 số cũ không còn được chấp nhận; hãy nhập số định danh cá nhân 12 số."),
              "personal_id_legacy")
    if len(number) != 12:
        _fail(_("Số định danh cá nhân phải gồm đúng 12 chữ số."), "personal_id_length")
    if number[:3] not in PROVINCE_CODES:
        _fail(_("Mã tỉnh “%(code)s” ở 3 chữ số đầu của số định danh cá nhân không tồn tại.") % {"code": number[:3]},
              "personal_id_province")
    century, encoded_sex = decode_century_sex(int(number[3]))
    year = century + int(number[4:6])
    if birth_date is not None and birth_date.year != year:
        code = "personal_id_century" if birth_date.year % 100 == year % 100 else "personal_id_birth_year"
        _fail(_("Số định danh cá nhân ứng với năm sinh %(year)d, không khớp với ngày sinh %(birth)s.")
              % {"year": year, "birth": birth_date.strftime("%d/%m/%Y")}, code)
    if year > timezone.localdate().year:
        _fail(_("Chữ số thứ 4 (thế kỷ) của số định danh cá nhân cho năm sinh %(year)d, là năm chưa tới.")
              % {"year": year}, "personal_id_century")
    if sex is not None and _SEX_ALIASES.get(str(sex).strip().lower()) not in (None, encoded_sex):
        _fail(_("Chữ số thứ 4 của số định danh cá nhân không khớp với giới tính."), "personal_id_sex")
    return number


def validate_tax_code(value: str) -> str:
    """Vietnamese tax code (mã số thuế): 10 digits, or 13 with a branch suffix; check digit via python-stdnum.
    Returns the compact form (no dashes or spaces)."""
    try:
        return mst.validate(value or "")
    except stdnum_errors.InvalidLength:
        _fail(_("Mã số thuế phải gồm 10 chữ số, hoặc 13 chữ số với đơn vị phụ thuộc."), "tax_code_length")
    except stdnum_errors.InvalidChecksum:
        _fail(_("Mã số thuế sai chữ số kiểm tra."), "tax_code_checksum")
    except stdnum_errors.ValidationError:
        _fail(_("Mã số thuế không hợp lệ."), "tax_code_format")
