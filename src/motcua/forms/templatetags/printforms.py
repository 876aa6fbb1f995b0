"""`{% load printforms %}{% print_menu dossier %}`: the "In phiếu" list of the forms that apply to the dossier now
(PDF to open, DOCX to edit), for the back-office dossier page; `{% form_url dossier "01" "pdf" %}` for one link."""

from django import template
from django.urls import reverse

from motcua.forms.context import printable

register = template.Library()


@register.inclusion_tag("printforms/_print_menu.html")
def print_menu(dossier):
    forms = [{"number": spec.number, "name": spec.short, "circular": spec.template_set,
              "pdf": reverse("printforms:dossier_form", kwargs={"code": dossier.code, "form": spec.number,
                                                                 "fmt": "pdf"}),
              "docx": reverse("printforms:dossier_form", kwargs={"code": dossier.code, "form": spec.number,
                                                                  "fmt": "docx"})}
             for spec in printable(dossier)]
    return {"forms": forms, "dossier": dossier}


@register.simple_tag
def form_url(dossier, number: str, fmt: str = "pdf") -> str:
    return reverse("printforms:dossier_form", kwargs={"code": dossier.code, "form": number, "fmt": fmt})
