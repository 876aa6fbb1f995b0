from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FederationConfig(AppConfig):
    name = "motcua.federation"
    label = "federation"
    verbose_name = _("Liên thông tỉnh – quốc gia")
