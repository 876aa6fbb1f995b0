from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from motcua.notifications.models import Notification


def mask_recipient(value: str) -> str:
    """b***@example.com, 091****678: enough to recognise, not enough to copy."""
    if "@" in value:
        name, _at, domain = value.partition("@")
        return f"{name[:1]}***@{domain}"
    if len(value) <= 6:
        return "*" * len(value)
    return f"{value[:3]}{'*' * (len(value) - 6)}{value[-3:]}"


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "dossier", "event", "channel", "masked_recipient", "status", "attempts",
                    "sent_at")
    list_filter = ("status", "channel", "event")
    search_fields = ("dossier__code",)
    exclude = ("recipient",)
    readonly_fields = ("dossier", "event", "channel", "masked_recipient", "subject", "body", "status", "attempts",
                       "last_error", "provider_id", "created_at", "sent_at", "next_attempt_at")

    @admin.display(description=_("người nhận"))
    def masked_recipient(self, obj):
        return mask_recipient(obj.recipient)

    def has_add_permission(self, request):
        return False
