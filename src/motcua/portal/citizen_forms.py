"""Forms of the citizens' own pages: registration, the submission steps, lookup, supplement and rating."""

import re

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import User
from motcua.accounts.validators import validate_personal_id, validate_tax_code
from motcua.dossiers.models import DeliveryMethod

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
PHONE_RE = re.compile(r"^0\d{9,10}$")


class CitizenForm(forms.Form):
    """Labels without Django's trailing colon (they read as headings of the field in Vietnamese forms)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


def normalise_phone(value: str) -> str:
    """'+84 912 345 678' / '0912.345.678' → '0912345678' (digits only, national form)."""
    digits = re.sub(r"\D", "", value or "")
    if digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    return digits


def login_identifier(value: str) -> tuple[str, str]:
    """An e-mail address or a phone number as login name: ('email'|'phone', normalised). ValidationError else."""
    value = (value or "").strip()
    if "@" in value:
        validate_email(value)
        return "email", value.lower()
    phone = normalise_phone(value)
    if not PHONE_RE.match(phone):
        raise ValidationError(_("Nhập thư điện tử hoặc số điện thoại di động (10 chữ số, bắt đầu bằng 0)."))
    return "phone", phone


class PasswordPair(CitizenForm):
    password1 = forms.CharField(label=_("Mật khẩu"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                help_text=_("Ít nhất 8 ký tự, không chỉ gồm chữ số."))
    password2 = forms.CharField(label=_("Nhập lại mật khẩu"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def check_passwords(self, user: User) -> None:
        p1, p2 = self.cleaned_data.get("password1"), self.cleaned_data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("Hai mật khẩu không khớp nhau."))
            return
        if p1:
            try:
                password_validation.validate_password(p1, user)
            except ValidationError as exc:
                self.add_error("password1", exc)


class CitizenRegistrationForm(PasswordPair):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=255,
                                widget=forms.TextInput(attrs={"autocomplete": "name"}))
    login = forms.CharField(label=_("Thư điện tử hoặc số điện thoại"), max_length=150,
                            help_text=_("Dùng để đăng nhập và nhận thông báo về hồ sơ."),
                            widget=forms.TextInput(attrs={"autocomplete": "username"}))
    personal_id = forms.CharField(label=_("Số định danh cá nhân (12 số)"), max_length=12, min_length=1,
                                  widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    birth_date = forms.DateField(label=_("Ngày sinh (dd/mm/yyyy)"), input_formats=DATE_FORMATS,
                                 widget=forms.DateInput(format="%d/%m/%Y", attrs={"autocomplete": "bday",
                                                                                  "placeholder": "dd/mm/yyyy"}))
    field_order = ["full_name", "login", "personal_id", "birth_date", "password1", "password2"]

    def clean_login(self):
        raw = self.cleaned_data["login"]
        try:
            kind, value = login_identifier(raw)
        except ValidationError as exc:
            raise ValidationError(_("Địa chỉ thư điện tử không hợp lệ.") if "@" in raw else exc.messages[0]) from None
        if User.objects.filter(username__iexact=value).exists() or (
                kind == "email" and User.objects.filter(email__iexact=value).exists()):
            raise ValidationError(_("Đã có tài khoản đăng ký bằng «%(v)s».") % {"v": value})
        self.login_kind = kind
        return value

    def clean(self):
        data = super().clean()
        pid, birth = data.get("personal_id"), data.get("birth_date")
        if pid:
            try:
                data["personal_id"] = validate_personal_id(pid, birth_date=birth)
            except ValidationError as exc:
                self.add_error("birth_date" if exc.code in ("personal_id_birth_year", "personal_id_century")
                               and birth else "personal_id", exc.messages[0])
            else:
                if User.objects.filter(personal_id=data["personal_id"]).exists():
                    self.add_error("personal_id", _("Số định danh cá nhân này đã có tài khoản."))
        self.check_passwords(User(username=data.get("login") or "", full_name=data.get("full_name") or ""))
        return data


class BusinessRegistrationForm(PasswordPair):
    full_name = forms.CharField(label=_("Tên tổ chức, doanh nghiệp"), max_length=255,
                                widget=forms.TextInput(attrs={"autocomplete": "organization"}))
    tax_code = forms.CharField(label=_("Mã số thuế (dùng làm tên đăng nhập)"), max_length=14,
                               widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    email = forms.EmailField(label=_("Thư điện tử"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    phone = forms.CharField(label=_("Số điện thoại"), max_length=20, required=False,
                            widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}))
    field_order = ["full_name", "tax_code", "email", "phone", "password1", "password2"]

    def clean_tax_code(self):
        value = validate_tax_code(self.cleaned_data["tax_code"])
        if User.objects.filter(tax_code=value).exists() or User.objects.filter(username=value).exists():
            raise ValidationError(_("Mã số thuế này đã có tài khoản."))
        return value

    def clean_phone(self):
        value = self.cleaned_data.get("phone") or ""
        if value and not PHONE_RE.match(normalise_phone(value)):
            raise ValidationError(_("Số điện thoại gồm 10 chữ số, bắt đầu bằng 0."))
        return normalise_phone(value) if value else ""

    def clean(self):
        data = super().clean()
        self.check_passwords(User(username=data.get("tax_code") or "", full_name=data.get("full_name") or ""))
        return data


# -- submission steps -----------------------------------------------------------------------------------------------
class VariantForm(CitizenForm):
    variant = forms.TypedChoiceField(label=_("Trường hợp của bạn"), coerce=int, widget=forms.RadioSelect)

    def __init__(self, *args, variants=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["variant"].choices = [(v.pk, v.name) for v in variants]


class ApplicantForm(CitizenForm):
    name = forms.CharField(label=_("Họ và tên người nộp"), max_length=255)
    phone = forms.CharField(label=_("Số điện thoại"), max_length=20,
                            widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}))
    email = forms.EmailField(label=_("Thư điện tử"), required=False,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    address = forms.CharField(label=_("Địa chỉ liên hệ"), max_length=500,
                              widget=forms.TextInput(attrs={"autocomplete": "street-address"}))
    agency = forms.TypedChoiceField(label=_("Cơ quan giải quyết"), coerce=int, required=False)

    def __init__(self, *args, agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        if len(agencies) > 1:
            self.fields["agency"].choices = [("", _("— Chọn cơ quan —"))] + [(a.pk, a.name) for a in agencies]
            self.fields["agency"].required = True
        else:
            del self.fields["agency"]

    def clean_phone(self):
        phone = normalise_phone(self.cleaned_data["phone"])
        if not PHONE_RE.match(phone):
            raise ValidationError(_("Số điện thoại gồm 10 chữ số, bắt đầu bằng 0."))
        return phone


class DeliveryForm(CitizenForm):
    method = forms.ChoiceField(label=_("Hình thức nhận kết quả"), widget=forms.RadioSelect)
    address = forms.CharField(label=_("Địa chỉ nhận kết quả qua bưu chính"), max_length=500, required=False,
                              help_text=_("Bắt buộc khi nhận qua bưu chính."))

    def __init__(self, *args, methods=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["method"].choices = [(m, DeliveryMethod(m).label) for m in methods]

    def clean(self):
        data = super().clean()
        data["address"] = (data.get("address") or "").strip()
        if data.get("method") == DeliveryMethod.POST and not data["address"]:
            self.add_error("address", _("Nhập địa chỉ để nhận kết quả qua bưu chính."))
        if data.get("method") != DeliveryMethod.POST:
            data["address"] = ""
        return data


# -- tracking -------------------------------------------------------------------------------------------------------
class LookupForm(CitizenForm):
    code = forms.CharField(label=_("Mã hồ sơ"), max_length=64,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
    secret = forms.CharField(label=_("Mã tra cứu hoặc số điện thoại người nộp"), max_length=64,
                             help_text=_("Mã tra cứu in trên giấy tiếp nhận hoặc gửi cho bạn khi nộp trực tuyến."),
                             widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))

    def clean_code(self):
        return self.cleaned_data["code"].strip()

    def clean_secret(self):
        return self.cleaned_data["secret"].strip()

    @classmethod
    def cleaned_pair(cls, data) -> tuple[str, str] | None:
        """(code, secret) when `data` is valid for this form, else None: the fields' own rules (required, length,
        stripped), without building a form — each instance deep-copies its fields, and the lookup POST is the
        portal's busiest request. The page still renders a LookupForm."""
        try:
            return cls.base_fields["code"].clean(data.get("code")), cls.base_fields["secret"].clean(data.get("secret"))
        except ValidationError:
            return None


class RatingForm(CitizenForm):
    comment = forms.CharField(label=_("Ý kiến khác (nếu có)"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, overall_choices=(), indices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["overall"] = forms.ChoiceField(label=_("Mức độ hài lòng chung"), choices=list(overall_choices),
                                                   widget=forms.RadioSelect)
        self.index_fields = []
        for index in indices:
            name = f"index_{index.code}"
            self.fields[name] = forms.TypedChoiceField(
                label=index.text, required=False, coerce=int, widget=forms.RadioSelect,
                choices=[(o["points"], o["label"]) for o in index.options])
            self.index_fields.append(name)
        self.order_fields(["overall", *self.index_fields, "comment"])

    def indices(self) -> dict:
        return {name.removeprefix("index_"): self.cleaned_data[name] for name in self.index_fields
                if self.cleaned_data.get(name) not in (None, "")}
