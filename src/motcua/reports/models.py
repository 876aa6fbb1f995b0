"""Statistics fact tables.

- `DailyRollup`: one row per (competent agency, procedure, channel, local day) with flow counters (events of that
  day) and stock deltas (``<stock>_in`` / ``<stock>_out``, see `facts.py`). Maintained in the same transaction as
  each lifecycle event by `rollups.py`; rebuilt from the dossier tables by `motcua rebuild-rollups`.
- `DossierFact`: the facts each dossier last contributed, so the next event subtracts exactly what was added
  (a re-route moves a dossier's whole history to the new agency; an extension moves its overdue interval).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.reports.facts import FLOW_COUNTERS, STOCK_COUNTERS


class DailyRollup(models.Model):
    agency = models.ForeignKey("agencies.Agency", verbose_name=_("cơ quan giải quyết"), on_delete=models.PROTECT,
                               related_name="+")
    procedure = models.ForeignKey("catalog.Procedure", verbose_name=_("thủ tục"), on_delete=models.PROTECT,
                                  related_name="+")
    channel = models.PositiveSmallIntegerField(_("kênh nộp"))
    day = models.DateField(_("ngày"))

    locals().update({name: models.IntegerField(default=0) for name in FLOW_COUNTERS + STOCK_COUNTERS
                     if name != "handling_seconds_total"})
    handling_seconds_total = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("số liệu tổng hợp theo ngày")
        verbose_name_plural = _("số liệu tổng hợp theo ngày")
        constraints = [models.UniqueConstraint(fields=["agency", "procedure", "channel", "day"],
                                               name="uniq_daily_rollup")]
        indexes = [models.Index(fields=["agency", "day"], name="rollup_agency_day"),
                   models.Index(fields=["day"], name="rollup_day")]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.procedure_id}/{self.channel} {self.day}"


class DossierFact(models.Model):
    dossier = models.OneToOneField("dossiers.Dossier", primary_key=True, on_delete=models.CASCADE,
                                   related_name="+")
    facts = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("dữ kiện thống kê của hồ sơ")
        verbose_name_plural = _("dữ kiện thống kê của hồ sơ")

    def __str__(self) -> str:
        return str(self.dossier_id)
