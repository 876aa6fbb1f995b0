"""The working calendar stored per year: administrator overrides, office hours, yearly confirmation.

The base days come from the `holidays` package (calendar_vn); the database holds only what administrators change.
Changing anything here re-plans open dossiers' derived due dates; outcomes already frozen by the dossier engine are
stored facts and are never recomputed.
"""

from datetime import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class OverrideKind(models.TextChoices):
    DAY_OFF = "day_off", _("Thêm ngày nghỉ")
    WORKING_DAY = "working_day", _("Ngày làm bù (làm việc)")
    REMOVE = "remove", _("Bỏ ngày nghỉ/ngày làm bù của lịch gốc")


class CalendarOverride(models.Model):
    """One day changed by an administrator for one year (unique per day)."""

    year = models.PositiveSmallIntegerField(_("năm"), editable=False, db_index=True)
    day = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại"), max_length=16, choices=OverrideKind.choices)
    name = models.CharField(_("tên, lý do"), max_length=255, blank=True)
    legal_basis = models.CharField(_("căn cứ (văn bản)"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("điều chỉnh lịch làm việc")
        verbose_name_plural = _("điều chỉnh lịch làm việc")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} – {self.get_kind_display()}"

    def save(self, *args, **kwargs):
        self.year = self.day.year
        super().save(*args, **kwargs)


class OfficeHours(models.Model):
    """Daily office hours: the row without agency is the province default; an agency row overrides it (and its
    subtree)."""

    agency = models.OneToOneField(
        "agencies.Agency", verbose_name=_("cơ quan"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="office_hours",
    )
    morning_start = models.TimeField(_("sáng từ"), default=time(7, 30))
    morning_end = models.TimeField(_("sáng đến"), default=time(11, 30))
    afternoon_start = models.TimeField(_("chiều từ"), default=time(13, 30))
    afternoon_end = models.TimeField(_("chiều đến"), default=time(17, 30))

    class Meta:
        verbose_name = _("giờ làm việc")
        verbose_name_plural = _("giờ làm việc")

    def __str__(self) -> str:
        who = self.agency or _("Mặc định của tỉnh")
        return f"{who}: {self.morning_start:%H:%M}–{self.morning_end:%H:%M}, " \
               f"{self.afternoon_start:%H:%M}–{self.afternoon_end:%H:%M}"

    def clean(self):
        if not (self.morning_start < self.morning_end <= self.afternoon_start < self.afternoon_end):
            raise ValidationError({"afternoon_start": _("Giờ làm việc phải tăng dần: sáng từ < sáng đến ≤ chiều từ "
                                                        "< chiều đến.")})
        if OfficeHours.objects.filter(agency__isnull=True).exclude(pk=self.pk).exists() and self.agency_id is None:
            raise ValidationError({"agency": _("Đã có giờ làm việc mặc định của tỉnh.")})

    def spans(self) -> tuple[tuple[time, time], ...]:
        return ((self.morning_start, self.morning_end), (self.afternoon_start, self.afternoon_end))


class CalendarYear(models.Model):
    """An administrator confirms each year's calendar once the government's announcements are in."""

    year = models.PositiveSmallIntegerField(_("năm"), unique=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người xác nhận"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    confirmed_at = models.DateTimeField(_("xác nhận lúc"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("lịch làm việc năm")
        verbose_name_plural = _("lịch làm việc năm")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None
