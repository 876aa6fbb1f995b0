from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "motcua.audit"
    label = "audit"
    verbose_name = _("Nhật ký kiểm toán")

    def ready(self):
        from motcua.audit.wiring import track_defaults

        track_defaults()
