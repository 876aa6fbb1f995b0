from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorktimeConfig(AppConfig):
    name = "motcua.worktime"
    label = "worktime"
    verbose_name = _("Lịch làm việc và thời hạn")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save
        from django.utils.translation import gettext

        from motcua.worktime import clock, services
        from motcua.worktime.models import CalendarOverride, CalendarYear, OfficeHours

        clock.translate = gettext  # clock messages shown in the active language
        # Any change to what the calendar is built from clears the in-process cache.
        for model in (CalendarOverride, OfficeHours):
            post_save.connect(services.invalidate, sender=model, dispatch_uid=f"worktime-inv-save-{model.__name__}")
            post_delete.connect(services.invalidate, sender=model, dispatch_uid=f"worktime-inv-del-{model.__name__}")
        try:  # the audit context may not provide track_model yet
            from motcua.audit.services import track_model
        except ImportError:
            return
        for model in (CalendarOverride, OfficeHours, CalendarYear):
            track_model(model, "calendar")
