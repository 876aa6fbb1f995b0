from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReformConfig(AppConfig):
    """Cải cách hành chính: yearly CCHC plans, PAR index scoring rounds and officer evaluation sheets."""

    name = "motcua.reform"
    label = "reform"
    verbose_name = _("Cải cách hành chính")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        """Every write to plans, activities, evidence, rounds and scores goes to the audit stream "reform"; the
        auto sources (system figures behind proposed scores) are registered here."""
        from motcua.audit.services import track_model
        from motcua.reform import models, sources

        for model in (models.Plan, models.Activity, models.Evidence, models.Round, models.UnitAssessment,
                      models.Score):
            track_model(model, "reform", exclude=("file",) if model is models.Evidence else ())
        sources.register_all()
