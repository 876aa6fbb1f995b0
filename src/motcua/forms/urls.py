"""Included under "backoffice/" before the back-office URLs; the patterns end in .pdf/.docx so they never collide
with `backoffice:dossier` (ho-so/<code>/)."""

from django.urls import path, register_converter

from motcua.forms import views


class FormatConverter:
    regex = "pdf|docx"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class FormNumberConverter:
    regex = "0[1-7]"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return f"{int(value):02d}"


register_converter(FormatConverter, "form_format")
register_converter(FormNumberConverter, "form_number")

app_name = "printforms"

urlpatterns = [
    path("ho-so/<str:code>/mau/<form_number:form>.<form_format:fmt>", views.dossier_form, name="dossier_form"),
    path("so-theo-doi/<str:unit>.<form_format:fmt>", views.register, name="register"),
]
