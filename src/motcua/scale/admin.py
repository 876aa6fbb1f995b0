from django.contrib import admin

from motcua.scale.models import DeadlineWarning


@admin.register(DeadlineWarning)
class DeadlineWarningAdmin(admin.ModelAdmin):
    """Read-only: warnings are written by the sweep only."""

    list_display = ("created_at", "dossier", "kind", "due_at", "officer", "agency", "read_at")
    list_filter = ("kind",)
    search_fields = ("dossier__code",)
    list_select_related = ("dossier", "officer", "agency")
    raw_id_fields = ("dossier", "officer", "agency")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
