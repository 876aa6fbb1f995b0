"""Statistics fact tables.

- `DailyRollup`: one row per (competent agency, procedure, channel, local day) with flow counters (events of that
  day) and stock deltas (``<stock>_in`` / ``<stock>_out``, see `facts.py`). Maintained in the same transaction as
  each lifecycle event by `rollups.py`; rebuilt from the dossier tables by `motcua rebuild-rollups`.
- `PeriodRollup`: the same counters summed per calendar month and per calendar year (``grain`` "m" / "y", ``start``
  = first day of the month / year), kept in the same upsert as the day rows, so a report reads whole years and
  months from it and only the partial months at its edges from `DailyRollup` (see `report.spans`).
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
        # No index on the day alone: with it PostgreSQL read a department's edge-month days through every unit's
        # rows of those days (≈ 200 k rows instead of 3 k at 10 M dossiers); a province's days use this one too.
        indexes = [models.Index(fields=["agency", "day"], name="rollup_agency_day")]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.procedure_id}/{self.channel} {self.day}"


class Grain(models.TextChoices):
    MONTH = "m", _("tháng")
    YEAR = "y", _("năm")


class PeriodRollup(models.Model):
    agency = models.ForeignKey("agencies.Agency", verbose_name=_("cơ quan giải quyết"), on_delete=models.PROTECT,
                               related_name="+")
    procedure = models.ForeignKey("catalog.Procedure", verbose_name=_("thủ tục"), on_delete=models.PROTECT,
                                  related_name="+")
    channel = models.PositiveSmallIntegerField(_("kênh nộp"))
    grain = models.CharField(_("kỳ"), max_length=1, choices=Grain.choices)
    start = models.DateField(_("ngày đầu kỳ"))

    locals().update({name: models.IntegerField(default=0) for name in FLOW_COUNTERS + STOCK_COUNTERS
                     if name != "handling_seconds_total"})
    handling_seconds_total = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("số liệu tổng hợp theo tháng, năm")
        verbose_name_plural = _("số liệu tổng hợp theo tháng, năm")
        # Key order (grain, start, ...): a report reads a range of starts of one grain for every agency of a unit.
        constraints = [models.UniqueConstraint(fields=["grain", "start", "agency", "procedure", "channel"],
                                               name="uniq_period_rollup")]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.procedure_id}/{self.channel} {self.grain} {self.start}"


class DossierFact(models.Model):
    dossier = models.OneToOneField("dossiers.Dossier", primary_key=True, on_delete=models.CASCADE,
                                   related_name="+")
    facts = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("dữ kiện thống kê của hồ sơ")
        verbose_name_plural = _("dữ kiện thống kê của hồ sơ")

    def __str__(self) -> str:
        return str(self.dossier_id)
