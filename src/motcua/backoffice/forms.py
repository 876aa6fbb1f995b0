"""Back-office forms: the reception desk (applicant, channel, checklist of required documents) and one small form
per dossier action with the parameters the engine needs. Forms check input shape and identity numbers; business
rules (which documents are required, who may act, status checks) stay in the dossier engine."""

from datetime import datetime, time

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.accounts.validators import validate_personal_id, validate_tax_code
from motcua.backoffice.uploads import check_upload
from motcua.dossiers.models import ApplicantKind, Channel, CopyKind, DeliveryMethod, PaidOnline


class DescribedErrors:
    """Point each invalid input at its error text (`<id>-error`, rendered by _field.html) for screen readers."""

    def add_error(self, field, error):
        super().add_error(field, error)
        names = [field] if isinstance(field, str) else list(getattr(error, "error_dict", {}) or [])
        for name in names:
            if name in self.fields:
                self.fields[name].widget.attrs["aria-describedby"] = f"{self[name].auto_id}-error"


DESK_CHANNELS = [(Channel.IN_PERSON.value, Channel.IN_PERSON.label), (Channel.POSTAL.value, Channel.POSTAL.label)]


class DeskForm(DescribedErrors, forms.Form):
    applicant_kind = forms.ChoiceField(label=_("Người nộp là"), choices=ApplicantKind.choices,
                                       initial=ApplicantKind.PERSON, widget=forms.RadioSelect)
    name = forms.CharField(label=_("Họ và tên / tên tổ chức"), max_length=255)
    personal_id = forms.CharField(label=_("Số định danh cá nhân (12 số)"), max_length=12, required=False,
                                  widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    tax_code = forms.CharField(label=_("Mã số thuế"), max_length=14, required=False)
    representative = forms.CharField(label=_("Người đại diện"), max_length=255, required=False)
    phone = forms.CharField(label=_("Số điện thoại"), max_length=20, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}))
    email = forms.EmailField(label=_("Thư điện tử"), required=False,
                             error_messages={"invalid": _("Địa chỉ thư điện tử không hợp lệ.")})
    address = forms.CharField(label=_("Địa chỉ"), max_length=500, required=False)
    channel = forms.TypedChoiceField(label=_("Hình thức nộp"), choices=DESK_CHANNELS, coerce=int,
                                     initial=Channel.IN_PERSON, widget=forms.RadioSelect)
    receiving_agency = forms.TypedChoiceField(label=_("Đơn vị tiếp nhận"), coerce=int)
    competent_agency = forms.TypedChoiceField(label=_("Cơ quan giải quyết"), coerce=int, required=False,
                                              empty_value=None)

    def __init__(self, *args, receiving_choices=(), competent_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["receiving_agency"].choices = list(receiving_choices)
        self.fields["competent_agency"].choices = [("", _("— Theo quy định của thủ tục —")), *competent_choices]
        self.fields["name"].error_messages["required"] = _("Bắt buộc nhập tên người nộp hồ sơ.")

    def clean_personal_id(self):
        value = self.cleaned_data["personal_id"].strip()
        return validate_personal_id(value) if value else ""

    def clean_tax_code(self):
        value = self.cleaned_data["tax_code"].strip()
        return validate_tax_code(value) if value else ""

    def clean(self):
        data = super().clean()
        kind = data.get("applicant_kind")
        if kind == ApplicantKind.PERSON and not data.get("personal_id") and "personal_id" not in self.errors:
            self.add_error("personal_id", _("Bắt buộc nhập số định danh cá nhân của người nộp."))
        if kind == ApplicantKind.BUSINESS and not data.get("tax_code") and "tax_code" not in self.errors:
            self.add_error("tax_code", _("Tổ chức, doanh nghiệp phải có mã số thuế."))
        return data

    def applicant(self) -> dict:
        d = self.cleaned_data
        return {"kind": d["applicant_kind"], "name": d["name"], "personal_id": d["personal_id"],
                "tax_code": d["tax_code"], "representative": d["representative"], "phone": d["phone"],
                "email": d["email"], "address": d["address"]}


def default_copy_kind(required_document) -> str:
    if required_document.originals:
        return CopyKind.ORIGINAL
    if required_document.certified_copies:
        return CopyKind.CERTIFIED_COPY
    return CopyKind.COPY


class DocumentRowForm(forms.Form):
    """One line of the checklist: received or not, which kind of copy, digitised, optional scan."""

    given = forms.BooleanField(label=_("Đã nhận"), required=False)
    copy_kind = forms.ChoiceField(label=_("Loại bản"), choices=CopyKind.choices)
    digitised = forms.BooleanField(label=_("Đã số hoá"), required=False)
    scan = forms.FileField(label=_("Bản quét (PDF, JPEG, PNG; tối đa 10 MB)"), required=False,
                           widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))

    def __init__(self, *args, required_document, **kwargs):
        kwargs.setdefault("initial", {"copy_kind": default_copy_kind(required_document)})
        super().__init__(*args, prefix=f"doc{required_document.pk}", **kwargs)
        self.required_document = required_document

    def clean_scan(self):
        upload = self.cleaned_data.get("scan")
        return check_upload(upload) if upload else None

    def clean(self):
        data = super().clean()
        if data.get("scan") and not data.get("given"):
            self.add_error("given", _("Đã tải bản quét nhưng chưa đánh dấu «Đã nhận» giấy tờ này."))
        return data

    def as_document(self) -> dict:
        d = self.cleaned_data
        return {"required_document_id": self.required_document.pk, "name": self.required_document.name,
                "copy_kind": d["copy_kind"], "digitised": bool(d["digitised"] or d.get("scan"))}


# -- dossier actions ----------------------------------------------------------------------------------------------
class ActionForm(DescribedErrors, forms.Form):
    """Base: the row version the officer saw (optimistic lock) and `params()` → keyword arguments for perform()."""

    row_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, dossier=None, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.dossier = dossier
        for name, options in (choices or {}).items():
            if name in self.fields:
                self.fields[name].choices = [("", _("— Chọn —")), *options]

    def params(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "row_version" and v not in (None, "")}


REASON = _("Lý do")


class ReasonOptionalForm(ActionForm):
    reason = forms.CharField(label=REASON, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReasonRequiredForm(ActionForm):
    reason = forms.CharField(label=REASON, widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("Bắt buộc nhập lý do.")})


class SupplementForm(ActionForm):
    items = forms.CharField(label=_("Giấy tờ cần bổ sung (mỗi dòng một giấy tờ)"),
                            widget=forms.Textarea(attrs={"rows": 3}),
                            error_messages={"required": _("Liệt kê đầy đủ các giấy tờ cần bổ sung.")})
    reason = forms.CharField(label=_("Lý do, hướng dẫn"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    due_by = forms.DateField(label=_("Hạn bổ sung (dd/mm/yyyy)"), required=False, input_formats=["%d/%m/%Y", "%Y-%m-%d"])

    def clean_items(self):
        return [line.strip() for line in self.cleaned_data["items"].splitlines() if line.strip()]

    def params(self) -> dict:
        p = super().params()
        if p.get("due_by"):
            p["due_by"] = timezone.make_aware(datetime.combine(p["due_by"], time(23, 59)))
        return p


class AgencyChoiceForm(ActionForm):
    agency_id = forms.TypedChoiceField(label=_("Cơ quan giải quyết mới"), coerce=int,
                                       error_messages={"required": _("Bắt buộc chọn cơ quan.")})
    reason = forms.CharField(label=REASON, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AssignForm(ActionForm):
    assignee_id = forms.TypedChoiceField(label=_("Cán bộ xử lý"), coerce=int,
                                         error_messages={"required": _("Bắt buộc chọn cán bộ.")})


class HandOverForm(ActionForm):
    to_step = forms.ChoiceField(label=_("Bước và đơn vị nhận"), required=False)
    reason = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class PaymentRequestForm(ActionForm):
    amount = forms.IntegerField(label=_("Số tiền (đồng)"), required=False, min_value=0)
    reason = forms.CharField(label=_("Nội dung"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class PaymentConfirmForm(ActionForm):
    paid_online = forms.TypedChoiceField(label=_("Hình thức thanh toán"), choices=PaidOnline.choices, coerce=int)

    def params(self) -> dict:  # 0 is a real answer ("not paid online"), keep it
        return {"paid_online": self.cleaned_data["paid_online"]}


class ResultForm(ActionForm):
    result_code = forms.CharField(label=_("Mã kết quả (kết quả điện tử)"), max_length=128, required=False)
    result_scan = forms.FileField(label=_("Tệp kết quả (PDF, JPEG, PNG; tối đa 10 MB)"), required=False,
                                  widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))

    def clean_result_scan(self):
        upload = self.cleaned_data.get("result_scan")
        return check_upload(upload) if upload else None

    def clean(self):
        data = super().clean()
        if bool(data.get("result_code")) != bool(data.get("result_scan")) and not self.errors:
            raise ValidationError(_("Kết quả điện tử cần cả mã kết quả và tệp kết quả."))
        return data

    def params(self) -> dict:
        return {"result_code": self.cleaned_data.get("result_code") or ""}


class DeliverForm(ActionForm):
    method = forms.ChoiceField(label=_("Hình thức trả kết quả"), choices=DeliveryMethod.choices)
    address = forms.CharField(label=_("Địa chỉ nhận (khi trả qua bưu chính)"), max_length=500, required=False)


class ExtendForm(ActionForm):
    new_due = forms.DateTimeField(label=_("Hạn mới (dd/mm/yyyy HH:MM)"),
                                  input_formats=["%d/%m/%Y %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
                                  error_messages={"required": _("Bắt buộc nhập hạn mới."),
                                                  "invalid": _("Nhập theo dạng dd/mm/yyyy HH:MM.")})
    reason = forms.CharField(label=_("Lý do xin lỗi và gia hạn"), widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("Bắt buộc nhập lý do.")})


ACTION_FORMS: dict[str, type[ActionForm]] = {
    "receive": ActionForm, "refuse": ReasonRequiredForm, "request_supplement": SupplementForm,
    "receive_supplement": ActionForm, "route": AgencyChoiceForm, "assign": AssignForm,
    "forward": ReasonOptionalForm, "hand_over": HandOverForm, "return_step": ReasonRequiredForm,
    "request_payment": PaymentRequestForm, "confirm_payment": PaymentConfirmForm, "approve": ReasonOptionalForm,
    "stop": ReasonRequiredForm, "withdraw": ReasonOptionalForm, "result_ready": ResultForm,
    "deliver": DeliverForm, "extend": ExtendForm, "request_completion": SupplementForm,
    "decline_competence": ReasonRequiredForm,
}
