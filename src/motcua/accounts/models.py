"""Accounts: citizens, businesses and staff; staff roles are memberships in agencies."""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.accounts.validators import validate_personal_id, validate_tax_code


class AccountKind(models.TextChoices):
    CITIZEN = "citizen", _("Công dân")
    BUSINESS = "business", _("Doanh nghiệp, tổ chức")
    STAFF = "staff", _("Cán bộ, công chức")


class Role(models.TextChoices):
    RECEPTION = "reception", _("Cán bộ một cửa")
    SPECIALIST = "specialist", _("Chuyên viên")
    LEADER = "leader", _("Lãnh đạo")
    AGENCY_ADMIN = "agency_admin", _("Quản trị đơn vị")
    PROVINCE_ADMIN = "province_admin", _("Quản trị tỉnh")
    REFORM_OFFICE = "reform_office", _("Cải cách hành chính, thống kê")
    INSPECTOR = "inspector", _("Thanh tra, kiểm tra")


# Roles that may change nothing: they read everything in their scope.
READ_ONLY_ROLES = frozenset({Role.INSPECTOR, Role.REFORM_OFFICE})


class User(AbstractUser):
    kind = models.CharField(_("loại tài khoản"), max_length=16, choices=AccountKind.choices,
                            default=AccountKind.CITIZEN)
    full_name = models.CharField(_("họ và tên"), max_length=255, blank=True)
    personal_id = models.CharField(_("số định danh cá nhân"), max_length=12, unique=True, null=True, blank=True)
    tax_code = models.CharField(_("mã số thuế"), max_length=14, unique=True, null=True, blank=True)
    phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    eid_verified = models.BooleanField(_("đã xác thực định danh điện tử"), default=False)

    class Meta:
        verbose_name = _("tài khoản")
        verbose_name_plural = _("tài khoản")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def is_staff_member(self) -> bool:
        return self.kind == AccountKind.STAFF

    def clean(self):
        """Normalise and check the identity numbers (admin form and any full_clean() caller)."""
        super().clean()
        errors: dict[str, list] = {}
        # Blank identity numbers are stored as NULL so the unique constraints allow many accounts without one.
        self.personal_id = (self.personal_id or "").strip() or None
        self.tax_code = (self.tax_code or "").strip() or None
        if self.personal_id:
            try:
                self.personal_id = validate_personal_id(self.personal_id, birth_date=self.birth_date)
            except ValidationError as exc:
                errors["personal_id"] = exc.error_list
        if self.tax_code:
            try:
                self.tax_code = validate_tax_code(self.tax_code)
            except ValidationError as exc:
                errors["tax_code"] = exc.error_list
        if errors:
            raise ValidationError(errors)


class Membership(models.Model):
    """A staff member's role in one agency. The scope of every staff query is the union of these agencies'
    subtrees (see accounts.scoping)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("vai trò"), max_length=32, choices=Role.choices)

    class Meta:
        verbose_name = _("vai trò tại đơn vị")
        verbose_name_plural = _("vai trò tại đơn vị")
        constraints = [models.UniqueConstraint(fields=["user", "agency", "role"], name="uniq_membership")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.agency}"

    def clean(self):
        # Roles belong to staff: a citizen account given a role would silently gain agency-wide visibility.
        if self.user_id and self.user.kind != AccountKind.STAFF:
            raise ValidationError({"user": _("Chỉ tài khoản cán bộ, công chức mới được giao vai trò tại đơn vị.")})
