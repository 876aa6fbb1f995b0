from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "motcua.catalog"
    label = "catalog"
    verbose_name = _("Danh mục thủ tục hành chính")

    def ready(self):
        """Every change to the catalogue goes to the audit stream "catalog" when the audit app provides tracking."""
        try:
            from motcua.audit.services import track_model
        except ImportError:
            return
        from motcua.catalog import models

        for model in (models.Procedure, models.ProcedureVersion, models.Variant, models.Fee,
                      models.RequiredDocument, models.ProcessStep):
            track_model(model, "catalog")
