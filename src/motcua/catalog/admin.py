"""Catalogue administration. Published versions (and their variants, fees, documents, steps) are shown read-only;
drafts are published with the «Công bố» action, which lists every problem found."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.catalog.models import (
    Fee,
    Field,
    Procedure,
    ProcedureVersion,
    ProcessStep,
    RequiredDocument,
    Variant,
)
from motcua.catalog.search import token_condition, tokenize
from motcua.catalog.services import publish


def _published(obj) -> bool:
    """Is the version behind `obj` (a version or a variant) published?"""
    version = obj.version if isinstance(obj, Variant) else obj
    return bool(version is not None and version.pk and version.is_published)


class LockedWhenPublished:
    """Model admins and inlines: nothing can be changed, added or deleted under a published version."""

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and _published(obj))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and _published(obj))


class LockedInline(LockedWhenPublished):
    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not (obj and _published(obj))


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")


class VersionInline(admin.TabularInline):
    model = ProcedureVersion
    fields = ("decision_number", "decision_date", "effective_from", "effective_to", "status")
    readonly_fields = fields
    extra = 0
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "field", "level", "applicant_type")
    list_filter = ("field", "level", "applicant_type")
    search_fields = ("code", "name")
    filter_horizontal = ("competent_agencies",)
    inlines = [VersionInline]

    def get_search_results(self, request, queryset, search_term):
        """Diacritic-insensitive: 'dang ky ket hon' finds 'Đăng ký kết hôn' (same matching as the public search)."""
        for token in tokenize(search_term):
            queryset = queryset.filter(token_condition(token))
        return queryset, False


class VariantInline(LockedInline, admin.StackedInline):
    model = Variant
    extra = 0
    show_change_link = True
    fields = (("order", "name"), ("legal_limit", "committed_limit", "limit_unit"),
              ("same_day_cutoff", "supplement_policy", "online_level"), ("postal_in", "postal_out", "on_the_spot"),
              ("result_type", "result_name"))


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(LockedWhenPublished, admin.ModelAdmin):
    list_display = ("procedure", "decision_number", "decision_date", "effective_from", "effective_to", "status")
    list_filter = ("status", "procedure__field", "procedure__level")
    search_fields = ("procedure__code", "procedure__name", "decision_number")
    list_select_related = ("procedure",)
    readonly_fields = ("status", "published_at")
    raw_id_fields = ("procedure",)
    inlines = [VariantInline]
    actions = ["publish_selected"]

    @admin.action(description=gettext_lazy("Công bố"))
    def publish_selected(self, request, queryset):
        for version in queryset.select_related("procedure"):
            try:
                publish(version, user=request.user)
            except ValidationError as exc:
                self.message_user(request, _("Không công bố được %(v)s:") % {"v": version}, messages.ERROR)
                for message in exc.messages:
                    self.message_user(request, message, messages.ERROR)
            else:
                self.message_user(request, _("Đã công bố %(v)s.") % {"v": version}, messages.SUCCESS)


class FeeInline(LockedInline, admin.TabularInline):
    model = Fee
    extra = 0


class DocumentInline(LockedInline, admin.TabularInline):
    model = RequiredDocument
    extra = 0
    fields = ("order", "name", "originals", "certified_copies", "copies", "required", "template", "template_name",
              "from_data_store")


class StepInline(LockedInline, admin.TabularInline):
    model = ProcessStep
    extra = 0
    raw_id_fields = ("agency",)


@admin.register(Variant)
class VariantAdmin(LockedWhenPublished, admin.ModelAdmin):
    list_display = ("name", "version", "legal_limit", "committed_limit", "limit_unit", "online_level")
    list_filter = ("limit_unit", "online_level", "version__status")
    search_fields = ("name", "version__procedure__code", "version__decision_number")
    list_select_related = ("version__procedure",)
    raw_id_fields = ("version",)
    inlines = [FeeInline, DocumentInline, StepInline]
