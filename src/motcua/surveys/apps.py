from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    """SIPAS: citizen satisfaction surveys (questionnaire, campaigns, samples, invitations, responses, indices)."""

    name = "motcua.surveys"
    label = "surveys"
    verbose_name = _("Khảo sát sự hài lòng (SIPAS)")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        """Campaign settings and responses go to the audit stream "surveys" (answers redacted: they are
        confidential; the trail keeps who entered a paper response and when)."""
        try:
            from motcua.audit.services import track_model
        except ImportError:
            return
        from motcua.surveys import models

        track_model(models.Campaign, "surveys")
        track_model(models.Response, "surveys", redact=("answers",))
