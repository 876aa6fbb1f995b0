from django.contrib import admin

from motcua.feedback.models import Feedback, FeedbackEvent


class EventInline(admin.TabularInline):
    model = FeedbackEvent
    extra = 0
    can_delete = False
    readonly_fields = ("seq", "action", "from_status", "to_status", "actor", "at", "reason", "data")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    """Read-only view of the register: changes go through the transition engine (history + audit)."""

    list_display = ("code", "title", "agency", "channel", "category", "status", "received_at", "next_due")
    list_filter = ("status", "category", "channel")
    search_fields = ("code", "title", "search_folded")
    inlines = [EventInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
