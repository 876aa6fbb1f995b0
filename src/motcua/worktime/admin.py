"""Administration of the calendar: overrides per year, office hours, yearly confirmation (with the October warning)."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from motcua.worktime import services
from motcua.worktime.models import CalendarOverride, CalendarYear, OfficeHours


class _WarnUnconfirmed:
    """Show the 'next year not confirmed' warning on every calendar admin list."""

    def changelist_view(self, request, extra_context=None):
        warning = services.unconfirmed_year_warning()
        if warning:
            messages.warning(request, warning)
        return super().changelist_view(request, extra_context)


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(_WarnUnconfirmed, admin.ModelAdmin):
    list_display = ("day", "kind", "name", "legal_basis", "year")
    list_filter = ("year", "kind")
    search_fields = ("name", "legal_basis")
    date_hierarchy = "day"


@admin.register(OfficeHours)
class OfficeHoursAdmin(_WarnUnconfirmed, admin.ModelAdmin):
    list_display = ("__str__", "agency", "morning_start", "morning_end", "afternoon_start", "afternoon_end")
    autocomplete_fields = ()
    raw_id_fields = ("agency",)


@admin.register(CalendarYear)
class CalendarYearAdmin(_WarnUnconfirmed, admin.ModelAdmin):
    list_display = ("year", "confirmed", "confirmed_by", "confirmed_at")
    readonly_fields = ("confirmed_by", "confirmed_at")
    actions = ["confirm"]

    @admin.display(boolean=True, description=_("đã xác nhận"))
    def confirmed(self, obj):
        return obj.confirmed

    @admin.action(description=_("Xác nhận lịch làm việc của các năm đã chọn"))
    def confirm(self, request, queryset):
        for row in queryset:
            services.confirm_year(row.year, request.user)
        self.message_user(request, _("Đã xác nhận."), messages.SUCCESS)
