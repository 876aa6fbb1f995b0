"""The two sets of printable forms and how a dossier picks one (framework-free).

TT 03/2025/TT-VPCP Annex I applies to dossiers received from 01/07/2025; older dossiers keep the TT 01/2018/TT-VPCP
forms they were issued with. The cut-over date is configuration (settings.MOTCUA["FORMS_CUTOVER_DATE"]).
Numbering of TT 01/2018 follows lifecycle.md §6 ([verify] against the official annex).
"""

from dataclasses import dataclass
from datetime import date

TT03 = "tt03_2025"
TT01 = "tt01_2018"
DEFAULT_CUTOVER = date(2025, 7, 1)

# Kinds are what the data builders know; numbers are what each circular prints.
RECEIPT, SUPPLEMENT, REFUSAL, APOLOGY, STOP, TRACKING, REGISTER = (
    "receipt", "supplement", "refusal", "apology", "stop", "tracking", "register")


@dataclass(frozen=True)
class FormSpec:
    template_set: str
    number: str  # "01" … "07"
    kind: str
    title: str  # printed title (capitals, as on the form)
    short: str  # short name for menus
    symbol: str  # suffix of the document number ("Số: …/PTN")
    landscape: bool = False


_SETS: dict[str, list[FormSpec]] = {
    TT03: [
        FormSpec(TT03, "01", RECEIPT, "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
                 "Giấy tiếp nhận hồ sơ và hẹn trả kết quả", "TNHS"),
        FormSpec(TT03, "02", SUPPLEMENT, "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
                 "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ", "PBS"),
        FormSpec(TT03, "03", REFUSAL, "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
                 "Phiếu từ chối tiếp nhận giải quyết hồ sơ", "PTC"),
        FormSpec(TT03, "04", APOLOGY, "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT",
                 "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết", "XLGH"),
        FormSpec(TT03, "05", STOP, "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ", "Thông báo dừng giải quyết hồ sơ", "TB-DGQ"),
        FormSpec(TT03, "06", TRACKING, "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
                 "Phiếu kiểm soát quá trình giải quyết hồ sơ", "PKS"),
        FormSpec(TT03, "07", REGISTER, "SỔ THEO DÕI HỒ SƠ", "Sổ theo dõi hồ sơ", "STD", landscape=True),
    ],
    TT01: [
        FormSpec(TT01, "01", RECEIPT, "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
                 "Giấy tiếp nhận hồ sơ và hẹn trả kết quả", "TNHS"),
        FormSpec(TT01, "02", SUPPLEMENT, "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
                 "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ", "PBS"),
        FormSpec(TT01, "03", REFUSAL, "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
                 "Phiếu từ chối tiếp nhận giải quyết hồ sơ", "PTC"),
        FormSpec(TT01, "04", APOLOGY, "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
                 "Phiếu xin lỗi và hẹn lại ngày trả kết quả", "PXL"),
        FormSpec(TT01, "05", TRACKING, "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
                 "Phiếu kiểm soát quá trình giải quyết hồ sơ", "PKS"),
        FormSpec(TT01, "06", REGISTER, "SỔ THEO DÕI HỒ SƠ", "Sổ theo dõi hồ sơ", "STD", landscape=True),
    ],
}

CIRCULAR_NAMES = {TT03: "Thông tư số 03/2025/TT-VPCP", TT01: "Thông tư số 01/2018/TT-VPCP"}


def template_set_for(day: date | None, cutover: date = DEFAULT_CUTOVER) -> str:
    """Dossiers received (or registers starting) before the cut-over keep the TT 01/2018 forms."""
    return TT01 if day is not None and day < cutover else TT03


def forms_of(template_set: str) -> list[FormSpec]:
    return list(_SETS[template_set])


def spec(template_set: str, number: str) -> FormSpec | None:
    """The form printed as `number` in the set; `number` may also be a kind ("receipt")."""
    number = str(number).strip()
    if number.isdigit():
        number = number.zfill(2)
    return next((f for f in _SETS[template_set] if number in (f.number, f.kind)), None)


def spec_of_kind(template_set: str, kind: str) -> FormSpec | None:
    return next((f for f in _SETS[template_set] if f.kind == kind), None)
