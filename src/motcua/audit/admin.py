"""Read-only admin for the audit trail: no add, change or delete for anyone (superusers included)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from motcua.audit.models import AuditCheckpoint, AuditRecord


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class StreamKindFilter(admin.SimpleListFilter):
    """Stream prefix: "dossier" for every dossier:<code> stream, or the named streams."""

    title = _("loại luồng")
    parameter_name = "stream_kind"

    def lookups(self, request, model_admin):
        return [("dossier:", _("Hồ sơ")), ("catalog", _("Danh mục thủ tục")), ("calendar", _("Lịch làm việc")),
                ("accounts", _("Tài khoản")), ("agencies", _("Cơ quan, đơn vị"))]

    def queryset(self, request, queryset):
        return queryset.filter(stream__startswith=self.value()) if self.value() else queryset


# Known actions, listed statically: a DISTINCT over millions of records on every admin page is not affordable.
ACTIONS = ("create", "update", "delete", "publish", "receive", "refuse", "request_supplement", "receive_supplement",
           "route", "assign", "forward", "hand_over", "return_step", "request_payment", "confirm_payment", "approve",
           "stop", "withdraw", "result_ready", "deliver", "extend")


class ActionFilter(admin.SimpleListFilter):
    title = _("hành động")
    parameter_name = "action"

    def lookups(self, request, model_admin):
        return [(action, action) for action in ACTIONS]

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


@admin.register(AuditRecord)
class AuditRecordAdmin(ReadOnlyAdmin):
    list_display = ("at", "stream", "seq", "actor_label", "action", "target_type", "target_id")
    list_filter = (StreamKindFilter, ActionFilter)
    search_fields = ("=stream", "=target_id", "actor_label")
    ordering = ("-id",)
    show_full_result_count = False  # COUNT(*) over millions of rows on every page is not worth it


@admin.register(AuditCheckpoint)
class AuditCheckpointAdmin(ReadOnlyAdmin):
    list_display = ("seq", "at", "entry_count", "stream_count", "record_count", "hash")
    ordering = ("-seq",)
