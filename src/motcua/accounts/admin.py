"""Admin for accounts and staff memberships. Personal IDs are masked in lists (personal data, Law 91/2025)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import Membership, Role, User
from motcua.accounts.scoping import is_province_admin, scope_queryset, visible_agency_ids
from motcua.agencies.models import Agency
from motcua.core.logging import mask_personal_id

# Fields only a superuser may change: anyone else editing them could grant themselves more than their scope.
PRIVILEGE_FIELDS = ("is_superuser", "is_staff", "groups", "user_permissions")


class ScopedMembershipFields:
    """Agency choices limited to the editor's scope; the province-admin role granted only by province admins."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "agency":
            kwargs["queryset"] = scope_queryset(Agency.objects.all(), request.user, field="pk")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role" and not is_province_admin(request.user):
            kwargs["choices"] = [c for c in Role.choices if c[0] != Role.PROVINCE_ADMIN]
        return super().formfield_for_choice_field(db_field, request, **kwargs)


class MotCuaUserCreationForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "kind", "full_name", "personal_id", "birth_date", "tax_code", "phone")


class MotCuaUserChangeForm(UserChangeForm):
    # ModelForm validation calls User.clean(): identity numbers are checked and normalised there.
    class Meta(UserChangeForm.Meta):
        model = User


class MembershipInline(ScopedMembershipFields, admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ("agency",)
    verbose_name = _("vai trò tại đơn vị")
    verbose_name_plural = _("vai trò tại đơn vị")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = MotCuaUserChangeForm
    add_form = MotCuaUserCreationForm
    inlines = (MembershipInline,)
    list_display = ("username", "full_name", "kind", "masked_personal_id", "phone", "is_active", "last_login")
    list_filter = ("kind", "is_active", "is_superuser", "eid_verified", "memberships__role")
    search_fields = ("username", "full_name", "phone")
    ordering = ("username",)
    fieldsets = (
        (None, {"fields": ("username", "password", "kind")}),
        (_("Thông tin cá nhân"), {"fields": ("full_name", "personal_id", "birth_date", "tax_code", "phone",
                                             "email", "address", "eid_verified")}),
        (_("Quyền"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Mốc thời gian"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "kind", "full_name", "personal_id", "birth_date",
                                                  "tax_code", "phone", "password1", "password2")}),
    )

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return fields if request.user.is_superuser else (*fields, *PRIVILEGE_FIELDS)

    @admin.display(description=_("số định danh cá nhân"))
    def masked_personal_id(self, obj: User) -> str:
        return mask_personal_id(obj.personal_id)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        ids = visible_agency_ids(request.user)
        if ids is None:
            return qs
        # An agency administrator manages the staff of their own subtree only.
        return qs.filter(memberships__agency__in=ids).distinct()


@admin.register(Membership)
class MembershipAdmin(ScopedMembershipFields, admin.ModelAdmin):
    list_display = ("user", "role", "agency")
    list_filter = ("role", "agency__level")
    search_fields = ("user__username", "user__full_name", "agency__code", "agency__name")
    autocomplete_fields = ("user", "agency")
    list_select_related = ("user", "agency")

    def get_queryset(self, request):
        return scope_queryset(super().get_queryset(request), request.user, field="agency")
