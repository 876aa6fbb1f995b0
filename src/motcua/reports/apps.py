from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "motcua.reports"
    label = "reports"
    verbose_name = _("Thống kê, báo cáo")

    def ready(self):
        from motcua.reports import rollups

        rollups.connect()
