from django import forms
from django.utils.translation import gettext_lazy as _


class ManualValueForm(forms.Form):
    unit = forms.ChoiceField(label=_("Đơn vị"))
    period = forms.CharField(label=_("Kỳ"), max_length=8, help_text=_("Tháng 2026-10, quý 2026-Q4 hoặc năm 2026"))
    indicator = forms.ChoiceField(label=_("Chỉ số"))
    numerator = forms.IntegerField(label=_("Tử số"), min_value=0)
    denominator = forms.IntegerField(label=_("Mẫu số"), min_value=1)
    note = forms.CharField(label=_("Nguồn số liệu, ghi chú"), max_length=500, required=False)

    def __init__(self, *args, units=(), indicators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(a.code, f"{a.name} ({a.code})") for a in units]
        self.fields["indicator"].choices = [(i.code, f"{i.code} {i.name}") for i in indicators]

    def clean(self):
        data = super().clean()
        if data.get("numerator") is not None and data.get("denominator") and data["numerator"] > data["denominator"]:
            self.add_error("numerator", _("Tử số không được lớn hơn mẫu số."))
        return data
