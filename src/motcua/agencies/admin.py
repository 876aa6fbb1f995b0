"""Admin screens for the agency catalogue: tree list, filters, search, validation and spreadsheet import."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from motcua.accounts.scoping import scope_queryset
from motcua.agencies.models import Agency
from motcua.agencies.services import import_agencies


class ValidityFilter(admin.SimpleListFilter):
    title = _("hiệu lực")
    parameter_name = "validity"

    def lookups(self, request, model_admin):
        return [("active", _("Đang hiệu lực")), ("expired", _("Hết hiệu lực")), ("future", _("Chưa có hiệu lực"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "active":
            return queryset.valid_on(today)
        if self.value() == "expired":
            return queryset.filter(valid_to__lt=today)
        if self.value() == "future":
            return queryset.filter(valid_from__gt=today)
        return queryset


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Tệp CSV hoặc XLSX"))
    dry_run = forms.BooleanField(label=_("Chỉ kiểm tra, không ghi"), required=False, initial=True)


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("code", "tree_name", "level", "kind", "valid_from", "valid_to", "successor_code")
    list_filter = ("level", "kind", ValidityFilter)
    search_fields = ("code", "name", "short_name")
    ordering = ("path",)
    list_select_related = ("successor",)
    autocomplete_fields = ("parent", "successor")
    list_per_page = 200
    fieldsets = (
        (None, {"fields": ("code", "name", "short_name", "level", "kind", "parent")}),
        (_("Liên hệ"), {"fields": ("address", "phone", "email")}),
        (_("Hiệu lực"), {"fields": ("valid_from", "valid_to", "successor")}),
    )
    change_list_template = "admin/agencies/agency/change_list.html"

    @admin.display(description=_("tên"), ordering="path")
    def tree_name(self, obj: Agency):
        # Indent by depth in the tree so the list reads as the organisation chart.
        return format_html('<span style="padding-left:{}em">{}{}</span>', obj.depth * 1.5,
                           "└ " if obj.depth else "", obj.name)

    @admin.display(description=_("đơn vị kế thừa"))
    def successor_code(self, obj: Agency):
        return obj.successor.code if obj.successor_id else ""

    def get_queryset(self, request):
        # Staff administrators manage their own subtree only; the same scoping as every other staff query.
        return scope_queryset(super().get_queryset(request), request.user, field="pk")

    def get_urls(self):
        extra = [path("import/", self.admin_site.admin_view(self.import_view), name="agencies_agency_import")]
        return extra + super().get_urls()

    def import_view(self, request):
        if not (request.user.is_superuser or request.user.has_perm("agencies.add_agency")):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        report = None
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            fmt = "xlsx" if upload.name.lower().endswith((".xlsx", ".xlsm")) else "csv"
            report = import_agencies(upload, format=fmt, dry_run=form.cleaned_data["dry_run"])
            if report.ok and not report.dry_run:
                messages.success(request, report.as_text())
                return redirect(reverse("admin:agencies_agency_changelist"))
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "form": form,
                   "report": report, "title": _("Nhập danh mục cơ quan, đơn vị")}
        return TemplateResponse(request, "admin/agencies/agency/import.html", context)
