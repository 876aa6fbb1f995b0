"""National reports from what the provinces published: one row per province for a period (its own total figures)
ranked by on-time rate and by online share, national totals, and the live dossier feed (open dossiers overdue now).

Rates of the totals are recomputed from the summed counts with the same definitions as a province report
(`reports.definitions.with_rates`); the national average handling time is the mean of the provinces' averages
weighted by their finished dossiers (provinces publish averages rounded to 0,01 day).
"""

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.api_errors import DomainError
from motcua.federation.exchange import DEFINITIONS
from motcua.federation.models import FederatedDossierStatus, FederatedStatistic, ProvinceFeed
from motcua.reports.definitions import COUNT_MEASURES, EXTRA_MEASURES, with_rates

# Statuses in which the legal clock runs (dossiers.models.RUNNING_STATUSES): overdue means late now.
RUNNING = (2, 4)
ROW_MEASURES = ("received", "received_online", "to_process", "finished", "finished_on_time", "finished_late",
                "in_progress", "in_progress_overdue", "on_time_rate", "late_rate", "online_rate", "digitised_rate",
                "avg_handling_days")


def _rank(rows: list[dict], key: str, into: str) -> None:
    """Competition ranking (1, 2, 2, 4) by `key`, highest first; provinces without the rate come last, unranked."""
    ranked = sorted((r for r in rows if r[key] is not None), key=lambda r: -r[key])
    previous, position = None, 0
    for index, row in enumerate(ranked, start=1):
        if row[key] != previous:
            previous, position = row[key], index
        row[into] = position
    for row in rows:
        row.setdefault(into, None)


def _feed_activity(now) -> dict[int, dict]:
    rows = FederatedDossierStatus.objects.values("feed").annotate(
        tracked=Count("pk"), overdue_now=Count("pk", filter=Q(status__in=RUNNING, due_at__lt=now)))
    return {r["feed"]: r for r in rows}


def _totals(rows: list[dict], definition: str, local_totals: dict) -> dict | None:
    if not rows:
        return None
    counts = {m: sum(r["figures"].get(m) or 0 for r in rows) for m in COUNT_MEASURES + EXTRA_MEASURES}
    if definition == "766":
        counts["finished_early"] = None
    counts["_result_finished"] = local_totals["finished"]
    counts["_handling_seconds"] = round(local_totals["handling_days"] * 86400)
    return with_rates(counts, definition)


def _local_totals(period_key: str) -> dict:
    """Result-finished dossiers and handling days summed over the provinces (local definition rows)."""
    finished = days = 0
    for figures in FederatedStatistic.objects.filter(period=period_key, definition="local", parent_code="",
                                                     feed__active=True).values_list("figures", flat=True):
        finished += figures.get("finished") or 0
        days += (figures.get("avg_handling_days") or 0) * (figures.get("finished") or 0)
    return {"finished": finished, "handling_days": days}


def ranking(period_key: str, definition: str = "766", now=None) -> dict:
    from motcua.indices.services import parse_period

    period = parse_period(period_key)
    if definition not in DEFINITIONS:
        raise DomainError("invalid", _("Cách tính không hợp lệ."), status=422,
                          fields={"definition": [_("Chỉ nhận: local hoặc 766.")]})
    now = now or timezone.now()
    activity = _feed_activity(now)
    stats = (FederatedStatistic.objects.filter(period=period.key, definition=definition, parent_code="",
                                               feed__active=True).select_related("feed").order_by("feed__code"))
    rows = []
    for stat in stats:
        live = activity.get(stat.feed_id, {})
        rows.append({"province": stat.feed.code, "name": stat.feed.name, "figures": stat.figures,
                     **{m: stat.figures.get(m) for m in ROW_MEASURES},
                     "dossiers_tracked": live.get("tracked", 0), "overdue_now": live.get("overdue_now", 0),
                     "computed_at": stat.computed_at.isoformat()})
    _rank(rows, "on_time_rate", "rank")
    _rank(rows, "online_rate", "rank_online")
    rows.sort(key=lambda r: (r["rank"] is None, r["rank"] or 0, r["province"]))
    reporting = {r["province"] for r in rows}
    missing = [{"province": f.code, "name": f.name} for f in ProvinceFeed.objects.filter(active=True)
               if f.code not in reporting]
    totals = _totals(rows, definition, _local_totals(period.key))
    for row in rows:
        del row["figures"]
    return {"period": period.key, "period_label": period.label_vi(), "date_from": period.first.isoformat(),
            "date_to": period.last.isoformat(), "definition": definition, "provinces": rows,
            "totals": {m: totals.get(m) for m in ROW_MEASURES} if totals else None, "missing": missing}
