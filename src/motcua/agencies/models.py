"""Administrative units: a tree (province → department / commune → division) with validity and successors."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.agencies import rules


class AgencyLevel(models.TextChoices):
    MINISTRY = "ministry", _("Bộ, ngành")
    PROVINCE = "province", _("Cấp tỉnh")
    DISTRICT = "district", _("Cấp huyện (trước 01/07/2025)")
    COMMUNE = "commune", _("Cấp xã")


class AgencyKind(models.TextChoices):
    PEOPLES_COMMITTEE = "peoples_committee", _("Ủy ban nhân dân")
    PC_OFFICE = "pc_office", _("Văn phòng UBND")
    DEPARTMENT = "department", _("Sở, ban, ngành")
    SERVICE_CENTRE = "service_centre", _("Trung tâm Phục vụ hành chính công")
    DIVISION = "division", _("Phòng, đơn vị trực thuộc")
    VERTICAL = "vertical", _("Cơ quan ngành dọc")
    OTHER = "other", _("Khác")


class AgencyQuerySet(models.QuerySet):
    def valid_on(self, day):
        return self.filter(models.Q(valid_from__isnull=True) | models.Q(valid_from__lte=day)).filter(
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=day)
        )

    def active(self, day=None):
        """Units in force on `day` (today by default): what a citizen or a new dossier may be routed to."""
        return self.valid_on(day or timezone.localdate())

    def subtree_of(self, agencies):
        """Agencies at or below any of the given ones (materialised path prefix match, index friendly)."""
        q = models.Q(pk__in=[])
        for agency in agencies:
            q |= models.Q(path__startswith=agency.path)
        return self.filter(q)


class Agency(models.Model):
    code = models.CharField(_("mã định danh"), max_length=32, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    short_name = models.CharField(_("tên viết tắt"), max_length=100, blank=True)
    level = models.CharField(_("cấp"), max_length=16, choices=AgencyLevel.choices)
    kind = models.CharField(_("loại"), max_length=32, choices=AgencyKind.choices, default=AgencyKind.OTHER)
    parent = models.ForeignKey(
        "self", verbose_name=_("đơn vị cấp trên"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )
    # "/<id>/<id>/.../" from the root; kept by save() so scoping and rollups select a subtree by prefix.
    path = models.CharField(max_length=255, blank=True, db_index=True, editable=False)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=32, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    successor = models.ForeignKey(
        "self", verbose_name=_("đơn vị kế thừa"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="predecessors",
    )

    objects = AgencyQuerySet.as_manager()

    class Meta:
        verbose_name = _("cơ quan, đơn vị")
        verbose_name_plural = _("cơ quan, đơn vị")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        new_path = f"{self.parent.path if self.parent_id else '/'}{self.pk}/"
        if new_path != self.path:
            old_path, self.path = self.path, new_path
            type(self).objects.filter(pk=self.pk).update(path=new_path)
            if old_path:  # moved: re-root the subtree
                for child in type(self).objects.filter(path__startswith=old_path).exclude(pk=self.pk):
                    child.save()

    def clean(self):
        """Code format, validity dates, no parent or successor cycle, no unit under a lower level."""
        errors: dict[str, list[str]] = {}

        def add(field, message):
            if message:
                errors.setdefault(field, []).append(message)

        add("code", rules.code_error(self.code))
        add("valid_to", rules.dates_error(self.valid_from, self.valid_to))
        if self.parent_id:
            if self.pk and self.parent_id == self.pk:
                add("parent", _("Đơn vị không thể là cấp trên của chính nó."))
            elif self.pk and rules.creates_cycle(self.pk, self.parent_id, self._link_of("parent_id")):
                add("parent", _("Đơn vị cấp trên tạo thành vòng lặp trong cây đơn vị."))
            else:
                add("level", rules.level_error(self.level, self.parent.level))
        if self.successor_id:
            if self.pk and self.successor_id == self.pk:
                add("successor", _("Đơn vị không thể kế thừa chính nó."))
            elif self.pk and rules.creates_cycle(self.pk, self.successor_id, self._link_of("successor_id")):
                add("successor", _("Đơn vị kế thừa tạo thành vòng lặp kế thừa."))
        if errors:
            raise ValidationError(errors)

    @classmethod
    def _link_of(cls, field: str):
        return lambda pk: cls.objects.filter(pk=pk).values_list(field, flat=True).first()

    @property
    def depth(self) -> int:
        """0 for a root; used to indent the tree in lists."""
        return max(self.path.count("/") - 2, 0)

    @property
    def is_active(self) -> bool:
        """In force today (a unit with a future valid_to is still active until then)."""
        today = timezone.localdate()
        return (self.valid_from is None or self.valid_from <= today) and (
            self.valid_to is None or self.valid_to >= today)

    def final_successor(self) -> "Agency":
        """Follow successor links to the unit that carries this one's statistics today (cycle-safe)."""
        seen, unit = {self.pk}, self
        while unit.successor_id and unit.successor_id not in seen:
            seen.add(unit.successor_id)
            unit = unit.successor
        return unit
