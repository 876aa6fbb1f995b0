"""Decision 766 service index: indicator definitions as versioned data, and values an administrator enters for the
indicators MotCua cannot compute from its own tables.

A version is never edited once scores were shown on it: a revision of the national formulas is a new version (new
code, new `effective_from`) loaded from JSON (`definitions.load`), so past periods keep the rules they were scored on.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class IndexVersion(models.Model):
    code = models.CharField(_("mã phiên bản"), max_length=32, unique=True)
    name = models.CharField(_("tên bộ chỉ số"), max_length=500)
    legal_basis = models.CharField(_("căn cứ"), max_length=500, blank=True)
    effective_from = models.DateField(_("áp dụng từ"))
    effective_to = models.DateField(_("áp dụng đến"), null=True, blank=True)
    # [{"code": "1", "name": "...", "max_points": 18}, ...] in display order
    groups = models.JSONField(_("nhóm chỉ số"), default=list)
    # An indicator whose denominator is 0 for the unit: "zero" = 0 points (statistics guide §3, "show 0"),
    # "not_applicable" = left out of the total and of the maximum.
    zero_denominator = models.CharField(_("khi mẫu số bằng 0"), max_length=16, default="zero")

    class Meta:
        verbose_name = _("phiên bản bộ chỉ số 766")
        verbose_name_plural = _("phiên bản bộ chỉ số 766")
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class Indicator(models.Model):
    version = models.ForeignKey(IndexVersion, on_delete=models.CASCADE, related_name="indicators")
    order = models.PositiveSmallIntegerField(default=1)
    group = models.CharField(_("nhóm"), max_length=8)
    code = models.CharField(_("mã chỉ số"), max_length=16)
    name = models.CharField(_("tên chỉ số"), max_length=500)
    numerator = models.CharField(_("tử số (mã phép đo)"), max_length=64)
    denominator = models.CharField(_("mẫu số (mã phép đo)"), max_length=64)
    max_points = models.DecimalField(_("điểm tối đa"), max_digits=6, decimal_places=2)
    target = models.DecimalField(_("chỉ tiêu (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    units = models.JSONField(_("đơn vị được đánh giá"), default=list)  # province / department / commune
    periods = models.JSONField(_("kỳ đánh giá"), default=list)  # month / quarter / year
    display = models.CharField(_("cách hiển thị tỷ lệ"), max_length=16, default="percent")  # percent|average|count
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("chỉ số 766")
        verbose_name_plural = _("chỉ số 766")
        ordering = ["version", "order"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="uniq_indicator_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_manual(self) -> bool:
        return self.numerator == "manual"


class ManualIndicatorValue(models.Model):
    """A value entered by an administrator for one unit, period and indicator (who and when are kept)."""

    unit = models.ForeignKey("agencies.Agency", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+")
    period = models.CharField(_("kỳ"), max_length=8)  # 2026-10 | 2026-Q4 | 2026
    indicator = models.ForeignKey(Indicator, verbose_name=_("chỉ số"), on_delete=models.PROTECT, related_name="+")
    numerator = models.PositiveIntegerField(_("tử số"))
    denominator = models.PositiveIntegerField(_("mẫu số"))
    note = models.CharField(_("nguồn số liệu, ghi chú"), max_length=500, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người nhập"), null=True,
                                   on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(_("thời điểm nhập"))

    class Meta:
        verbose_name = _("số liệu chỉ số 766 nhập tay")
        verbose_name_plural = _("số liệu chỉ số 766 nhập tay")
        ordering = ["unit", "period", "indicator"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "period", "indicator"], name="uniq_manual_value"),
            models.CheckConstraint(condition=models.Q(numerator__lte=models.F("denominator")),
                                   name="manual_value_ratio"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.period} {self.indicator_id}: {self.numerator}/{self.denominator}"
