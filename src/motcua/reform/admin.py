from django.contrib import admin

from motcua.reform.models import Activity, CriteriaSet, Criterion, Plan, Round, UnitAssessment


class ActivityInline(admin.TabularInline):
    model = Activity
    extra = 0
    fields = ("area", "order", "title", "responsible", "deadline", "status", "done_on")
    autocomplete_fields = ("responsible",)


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ("title", "agency", "year")
    list_filter = ("year",)
    autocomplete_fields = ("agency",)
    inlines = [ActivityInline]


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0
    fields = ("code", "title", "max_points", "kind", "auto", "uncertain")
    # Criteria sets are versioned data loaded from JSON: a change is a new version, never an edit.
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(CriteriaSet)
class CriteriaSetAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "version", "unit_kind", "effective_year")
    readonly_fields = ("code", "version", "name", "decision", "unit_kind", "effective_year", "note")
    inlines = [CriterionInline]

    def has_add_permission(self, request):
        return False


class UnitAssessmentInline(admin.TabularInline):
    model = UnitAssessment
    extra = 0
    fields = ("agency",)
    readonly_fields = fields
    can_delete = False


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ("criteria_set", "agency", "year", "phase")
    # Rounds are opened with their assessments by reform.par.open_round (the demo, or a shell); phases move only
    # through the council's lock buttons.
    readonly_fields = ("criteria_set", "agency", "year", "phase", "self_closed_at", "appraisal_closed_at")
    inlines = [UnitAssessmentInline]

    def has_add_permission(self, request):
        return False
