"""The Vietnamese texts of each notification event (translatable: gettext_lazy + named placeholders).

`render(dossier, event, **context)` fills them from the dossier and the caller's context. Placeholders every
template may use: code, procedure, applicant, agency, due (dd/mm/yyyy HH:MM), lookup_url. Event-specific ones:
lookup_secret (submitted), items (supplement_requested), new_due (apology_extension), amount and pay_url
(payment_requested), reason (refused, apology_extension).
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.core.text import format_number_vi
from motcua.notifications.models import Event

SIGNATURE = gettext_lazy("Trân trọng,\n%(agency)s")

# event: (subject, e-mail body, SMS text). SMS texts are written without diacritics, as brandname SMS usually
# are: GSM-7 fits 160 characters in a segment, Unicode (UCS-2) only 70.
TEXTS = {
    Event.RECEIVED: (
        gettext_lazy("Hồ sơ %(code)s đã được tiếp nhận"),
        gettext_lazy("Kính gửi %(applicant)s,\n\n%(agency)s đã tiếp nhận hồ sơ %(code)s (thủ tục: %(procedure)s).\n"
                     "Ngày hẹn trả kết quả: %(due)s.\nTra cứu tình trạng hồ sơ: %(lookup_url)s\n"),
        gettext_lazy("Ho so %(code)s da duoc tiep nhan. Hen tra ket qua: %(due)s. Tra cuu: %(lookup_url)s"),
    ),
    Event.SUBMITTED: (
        gettext_lazy("Đã nộp hồ sơ trực tuyến %(code)s"),
        gettext_lazy("Kính gửi %(applicant)s,\n\nHồ sơ trực tuyến %(code)s (thủ tục: %(procedure)s) đã được gửi "
                     "đến %(agency)s và đang chờ cán bộ tiếp nhận kiểm tra.\nMã tra cứu: %(lookup_secret)s "
                     "(giữ kín mã này).\nTra cứu tình trạng hồ sơ: %(lookup_url)s\n"),
        gettext_lazy("Da nop ho so %(code)s. Ma tra cuu: %(lookup_secret)s. Tra cuu: %(lookup_url)s"),
    ),
    Event.SUPPLEMENT_REQUESTED: (
        gettext_lazy("Hồ sơ %(code)s cần bổ sung giấy tờ"),
        gettext_lazy("Kính gửi %(applicant)s,\n\nHồ sơ %(code)s cần bổ sung, hoàn thiện các giấy tờ sau:\n"
                     "%(items)s\n\nThời gian bổ sung không tính vào thời hạn giải quyết.\n"
                     "Tra cứu tình trạng hồ sơ: %(lookup_url)s\n"),
        gettext_lazy("Ho so %(code)s can bo sung %(count)s giay to. Chi tiet: %(lookup_url)s"),
    ),
    Event.SUPPLEMENT_RECEIVED: (
        gettext_lazy("Đã nhận hồ sơ bổ sung %(code)s"),
        gettext_lazy("Kính gửi %(applicant)s,\n\n%(agency)s đã nhận giấy tờ bổ sung của hồ sơ %(code)s và tiếp "
                     "tục giải quyết. Ngày hẹn trả kết quả: %(due)s.\nTra cứu: %(lookup_url)s\n"),
        gettext_lazy("Da nhan ho so bo sung %(code)s. Hen tra ket qua: %(due)s."),
    ),
    Event.APOLOGY_EXTENSION: (
        gettext_lazy("Thư xin lỗi và hẹn lại ngày trả kết quả hồ sơ %(code)s"),
        gettext_lazy("Kính gửi %(applicant)s,\n\n%(agency)s xin lỗi vì hồ sơ %(code)s chưa thể trả kết quả đúng "
                     "hẹn.\nLý do: %(reason)s\nNgày hẹn trả kết quả mới: %(new_due)s.\n"
                     "Tra cứu tình trạng hồ sơ: %(lookup_url)s\n"),
        gettext_lazy("Xin loi: ho so %(code)s cham tra ket qua. Hen lai: %(new_due)s. Chi tiet: %(lookup_url)s"),
    ),
    Event.PAYMENT_REQUESTED: (
        gettext_lazy("Hồ sơ %(code)s: đề nghị thực hiện nghĩa vụ tài chính"),
        gettext_lazy("Kính gửi %(applicant)s,\n\nĐể tiếp tục giải quyết hồ sơ %(code)s, đề nghị ông/bà nộp phí, "
                     "lệ phí%(amount_text)s.\nThanh toán trực tuyến: %(pay_url)s\n"),
        gettext_lazy("Ho so %(code)s: de nghi nop phi, le phi%(amount_text)s. Thanh toan: %(pay_url)s"),
    ),
    Event.RESULT_READY: (
        gettext_lazy("Hồ sơ %(code)s đã có kết quả"),
        gettext_lazy("Kính gửi %(applicant)s,\n\nHồ sơ %(code)s (thủ tục: %(procedure)s) đã có kết quả. Mời "
                     "ông/bà nhận kết quả theo hình thức đã đăng ký.\nTra cứu: %(lookup_url)s\n"),
        gettext_lazy("Ho so %(code)s da co ket qua. Tra cuu: %(lookup_url)s"),
    ),
    Event.DELIVERED: (
        gettext_lazy("Đã trả kết quả hồ sơ %(code)s"),
        gettext_lazy("Kính gửi %(applicant)s,\n\nKết quả hồ sơ %(code)s đã được trả. Mời ông/bà đánh giá mức độ "
                     "hài lòng về việc giải quyết hồ sơ tại: %(lookup_url)s\n"),
        gettext_lazy("Da tra ket qua ho so %(code)s. Danh gia muc do hai long: %(lookup_url)s"),
    ),
    Event.REFUSED: (
        gettext_lazy("Hồ sơ %(code)s không được tiếp nhận"),
        gettext_lazy("Kính gửi %(applicant)s,\n\nHồ sơ %(code)s không được tiếp nhận.\nLý do: %(reason)s\n"
                     "Tra cứu: %(lookup_url)s\n"),
        gettext_lazy("Ho so %(code)s khong duoc tiep nhan. Ly do: %(reason)s"),
    ),
    # Sent by motcua.surveys with context survey_url (a personal, non-guessable link) and closes_on (dd/mm/yyyy).
    Event.SURVEY_INVITATION: (
        gettext_lazy("Mời Ông/Bà đánh giá sự hài lòng về dịch vụ hành chính công"),
        gettext_lazy("Kính gửi %(applicant)s,\n\nÔng/Bà đã thực hiện thủ tục %(procedure)s (hồ sơ %(code)s) tại "
                     "%(agency)s. Mời Ông/Bà dành khoảng 5 phút trả lời phiếu khảo sát sự hài lòng (SIPAS) tại: "
                     "%(survey_url)s\nĐường liên kết dành riêng cho Ông/Bà, dùng được một lần đến hết ngày "
                     "%(closes_on)s. Ý kiến của Ông/Bà được giữ kín.\n"),
        gettext_lazy("Moi Ong/Ba danh gia su hai long ve ho so %(code)s tai: %(survey_url)s (den %(closes_on)s)"),
    ),
}


@dataclass(frozen=True)
class Message:
    subject: str
    body: str
    sms: str


def format_dt(value) -> str:
    if isinstance(value, str):
        value = parse_datetime(value)
    if not isinstance(value, datetime):
        return _("chưa xác định")
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")


def _absolute(name: str, args=(), fallback: str = "/tra-cuu/") -> str:
    base = (settings.MOTCUA.get("PORTAL_BASE_URL") or "http://127.0.0.1:8000").rstrip("/")
    try:
        path = reverse(name, args=args)
    except NoReverseMatch:  # a deployment without the portal page: the generic lookup page
        path = fallback
    return f"{base}{path}"


def lookup_url(dossier) -> str:
    return f"{_absolute('portal:lookup')}?{urlencode({'ma': dossier.code})}"


def pay_url(dossier) -> str:
    """The portal's payment page of the dossier (the citizen logs in there), else the public lookup."""
    try:
        reverse("portal:pay", args=[dossier.code])
    except NoReverseMatch:
        return lookup_url(dossier)
    return _absolute("portal:pay", args=[dossier.code])


def _items_text(items) -> str:
    names = [i.get("name") or i.get("ten") or str(i) if isinstance(i, dict) else str(i) for i in items or []]
    return "\n".join(f"- {n}" for n in names)


def render(dossier, event: str, **context) -> Message:
    """Subject, e-mail body and SMS text of `event` for `dossier`; raises ValueError for an unknown event."""
    if event not in TEXTS:
        raise ValueError(f"unknown notification event: {event}")
    subject, body, sms = TEXTS[event]
    values = base_values(dossier)
    values.update(event_values(dossier, event, context))
    values.update({k: v for k, v in context.items() if k not in ("items", "new_due", "amount")})
    signature = "\n" + str(SIGNATURE) % values
    return Message(str(subject) % values, str(body) % values + signature, str(sms) % values)


def base_values(dossier) -> dict:
    return {"code": dossier.code, "procedure": dossier.procedure_version.procedure.name,
            "applicant": dossier.applicant_name, "agency": dossier.receiving_agency.name,
            "due": format_dt(dossier.due_at), "lookup_url": lookup_url(dossier), "reason": "",
            "lookup_secret": "", "pay_url": pay_url(dossier), "amount_text": ""}


def event_values(dossier, event: str, context: dict) -> dict:
    if event == Event.SUPPLEMENT_REQUESTED:
        items = context.get("items")
        if items is None:
            req = dossier.supplement_requests.filter(fulfilled_at__isnull=True).order_by("-requested_at").first()
            items = req.items if req else []
        return {"items": _items_text(items), "count": len(items)}
    if event == Event.APOLOGY_EXTENSION:
        return {"new_due": format_dt(context.get("new_due") or dossier.due_at)}
    if event == Event.PAYMENT_REQUESTED and context.get("amount") not in (None, ""):
        return {"amount_text": _(" số tiền %(a)s đồng") % {"a": format_number_vi(int(context["amount"]))}}
    return {}
