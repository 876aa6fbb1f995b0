"""The portal's search form: free text plus the filters a citizen narrows a long list with."""

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import OnlineLevel, ProcedureLevel

MAX_QUERY = 200


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Tên hoặc mã thủ tục"), max_length=MAX_QUERY, required=False,
                        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}))
    field = forms.ChoiceField(label=_("Lĩnh vực"), required=False)
    level = forms.ChoiceField(label=_("Cấp thực hiện"), required=False)
    online_level = forms.ChoiceField(label=_("Mức độ trực tuyến"), required=False)

    def __init__(self, *args, fields=(), **kwargs):
        """`fields`: the (code, name) pairs of fields that have procedures in force."""
        super().__init__(*args, **kwargs)
        every = [("", _("Tất cả"))]
        self.fields["field"].choices = every + list(fields)
        self.fields["level"].choices = every + list(ProcedureLevel.choices)
        self.fields["online_level"].choices = every + [
            (OnlineLevel.FULL, _("Toàn trình")), (OnlineLevel.PARTIAL, _("Một phần")),
            (OnlineLevel.NONE, _("Không trực tuyến"))]

    def search_arguments(self) -> dict:
        """Keyword arguments for catalog.search.search_procedures (empty filters left out)."""
        data = self.cleaned_data
        arguments = {"q": data.get("q") or ""}
        for name in ("field", "level", "online_level"):
            if data.get(name):
                arguments[name] = data[name]
        return arguments

    def is_filtered(self) -> bool:
        return bool(self.is_bound and self.is_valid() and any(self.cleaned_data.values()))
