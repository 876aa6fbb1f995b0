"""Deadline warnings for officers, written by the deadline sweep (scale.sweep)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class WarningKind(models.TextChoices):
    DOSSIER = "dossier", _("Hồ sơ sắp đến hạn giải quyết")
    STEP = "step", _("Bước xử lý sắp đến hạn")


class DeadlineWarning(models.Model):
    """One warning per (dossier, kind, due instant): a later sweep of the same deadline writes nothing, a moved
    deadline (extension, pause) is warned again."""

    dossier = models.ForeignKey("dossiers.Dossier", verbose_name=_("hồ sơ"), on_delete=models.CASCADE,
                                related_name="+")
    kind = models.CharField(_("loại cảnh báo"), max_length=8, choices=WarningKind.choices)
    due_at = models.DateTimeField(_("hạn"))
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("cán bộ được cảnh báo"), null=True,
                                blank=True, on_delete=models.SET_NULL, related_name="+")
    agency = models.ForeignKey("agencies.Agency", verbose_name=_("cơ quan"), null=True, on_delete=models.SET_NULL,
                               related_name="+")
    created_at = models.DateTimeField(_("thời điểm cảnh báo"))
    read_at = models.DateTimeField(_("thời điểm đã xem"), null=True, blank=True)

    class Meta:
        verbose_name = _("cảnh báo sắp đến hạn")
        verbose_name_plural = _("cảnh báo sắp đến hạn")
        constraints = [models.UniqueConstraint(fields=["dossier", "kind", "due_at"], name="uniq_deadline_warning")]
        indexes = [models.Index(fields=["officer", "read_at"], name="deadline_warning_inbox"),
                   models.Index(fields=["agency", "read_at"], name="deadline_warning_agency")]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.kind} {self.due_at:%Y-%m-%d %H:%M}"
