"""Retention of personal data (Law 91/2025 on personal data protection): rules and the record of each purge."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    """How a dossier ended: retention differs between a granted result and a refusal or withdrawal."""

    ANY = "any", _("Mọi kết quả")
    RESULT = "result", _("Có kết quả giải quyết")
    REFUSED = "refused", _("Không được tiếp nhận")
    WITHDRAWN = "withdrawn", _("Rút hồ sơ")
    STOPPED = "stopped", _("Dừng xử lý")


class RetentionRule(models.Model):
    """Years to keep applicants' personal data after a dossier ends. The most specific rule wins: procedure over
    field over any, and a specific outcome over `any`; without a rule, MOTCUA["RETENTION_DEFAULT_YEARS"]."""

    outcome = models.CharField(_("kết quả hồ sơ"), max_length=16, choices=Outcome.choices, default=Outcome.ANY)
    field = models.ForeignKey("catalog.Field", verbose_name=_("lĩnh vực"), null=True, blank=True,
                              on_delete=models.CASCADE, related_name="+")
    procedure = models.ForeignKey("catalog.Procedure", verbose_name=_("thủ tục"), null=True, blank=True,
                                  on_delete=models.CASCADE, related_name="+")
    years = models.PositiveSmallIntegerField(_("số năm lưu giữ"))
    note = models.CharField(_("căn cứ, ghi chú"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("thời hạn lưu giữ dữ liệu cá nhân")
        verbose_name_plural = _("thời hạn lưu giữ dữ liệu cá nhân")

    def __str__(self) -> str:
        scope = self.procedure or self.field or _("mọi thủ tục")
        return f"{scope} · {self.get_outcome_display()} · {self.years}"


class PurgedDossier(models.Model):
    """The anonymised trace left by a purge: which dossier, when, under which rule, which fields were cleared.
    The dossier row itself stays (codes, agencies, dates, status, outcome) so statistics never change."""

    dossier = models.OneToOneField("dossiers.Dossier", on_delete=models.CASCADE, related_name="purge")
    purged_at = models.DateTimeField()
    rule = models.CharField(max_length=255)
    cleared = models.JSONField(default=list)
    files_deleted = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("hồ sơ đã xoá dữ liệu cá nhân")
        verbose_name_plural = _("hồ sơ đã xoá dữ liệu cá nhân")

    def __str__(self) -> str:
        return f"{self.dossier_id} · {self.purged_at:%d/%m/%Y}"
