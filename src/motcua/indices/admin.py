from django.contrib import admin
from django.utils import timezone

from motcua.indices.models import IndexVersion, Indicator, ManualIndicatorValue


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0
    fields = ("order", "group", "code", "name", "numerator", "denominator", "max_points", "target", "units",
              "periods", "display", "note")
    # Versions are data loaded from JSON (`motcua index766 --load`): a revision is a new version, never an edit.
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(IndexVersion)
class IndexVersionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "effective_from", "effective_to")
    readonly_fields = ("code", "name", "legal_basis", "effective_from", "groups")
    inlines = [IndicatorInline]

    def has_add_permission(self, request):
        return False


@admin.register(ManualIndicatorValue)
class ManualIndicatorValueAdmin(admin.ModelAdmin):
    list_display = ("unit", "period", "indicator", "numerator", "denominator", "entered_by", "entered_at")
    list_filter = ("period", "indicator__code")
    search_fields = ("unit__code", "unit__name", "period")
    readonly_fields = ("entered_by", "entered_at")
    autocomplete_fields = ("unit",)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "indicator":
            kwargs["queryset"] = Indicator.objects.filter(numerator="manual").select_related("version")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        obj.entered_by, obj.entered_at = request.user, timezone.now()
        super().save_model(request, obj, form, change)
