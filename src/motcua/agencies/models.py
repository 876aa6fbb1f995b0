"""Administrative units: a tree (province → department / commune → division) with validity and successors."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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

    @property
    def is_active(self) -> bool:
        return self.valid_to is None

    def final_successor(self) -> "Agency":
        """Follow successor links to the unit that carries this one's statistics today (cycle-safe)."""
        seen, unit = {self.pk}, self
        while unit.successor_id and unit.successor_id not in seen:
            seen.add(unit.successor_id)
            unit = unit.successor
        return unit
