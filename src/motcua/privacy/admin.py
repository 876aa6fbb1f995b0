from django.contrib import admin

from motcua.privacy.models import PurgedDossier, RetentionRule


@admin.register(RetentionRule)
class RetentionRuleAdmin(admin.ModelAdmin):
    list_display = ("__str__", "outcome", "field", "procedure", "years", "note")
    list_filter = ("outcome",)
    autocomplete_fields = ("procedure",)


@admin.register(PurgedDossier)
class PurgedDossierAdmin(admin.ModelAdmin):
    list_display = ("dossier", "purged_at", "rule", "files_deleted")
    readonly_fields = ("dossier", "purged_at", "rule", "cleared", "files_deleted")

    def has_add_permission(self, request):
        return False
