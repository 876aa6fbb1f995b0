from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "motcua.notifications"
    label = "notifications"
    verbose_name = _("Thông báo cho người nộp hồ sơ")

    def ready(self):
        import motcua.celery  # noqa: F401  (binds shared tasks to the configured app; no broker connection)
        from motcua.notifications import hooks, tasks  # noqa: F401  (registers send_notification by name)

        hooks.connect()
