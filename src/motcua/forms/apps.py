from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FormsConfig(AppConfig):
    """Printable forms of TT 03/2025/TT-VPCP Annex I (and TT 01/2018 for older dossiers): PDF and DOCX."""

    name = "motcua.forms"
    label = "printforms"  # "forms" would clash with django.forms in template and migration namespaces
    verbose_name = _("Mẫu phiếu in")
