"""Where the 766 measures read their figures: `DbSource(unit, period)` answers the methods `measures.py` calls, from
the Decision 766 period report (daily rollups, `reports.report`), the dossier table (flags the rollups do not carry),
the catalogue, PAKN statistics (`feedback.stats`) and the administrator-entered values. Every answer is computed
once per source (a dashboard asks several indicators for the same figures).

Dossiers count for the unit like in the period reports: the competent agency lies in the unit's subtree or is an
abolished unit whose final successor does (`reports.units.unit_agency_ids`).
"""

from datetime import date, datetime, time, timedelta
from functools import cached_property

from django.db.models import Count, Exists, OuterRef, Q

from motcua.agencies.models import Agency
from motcua.indices.measures import Announcement, ProcedureInfo
from motcua.indices.periods import Period
from motcua.reports.units import unit_agency_ids
from motcua.worktime.clock import TZ, ClockError, to_local

RESULT = (9, 10)
DISSATISFIED = ("dissatisfied", "very_dissatisfied")


def bounds(period: Period) -> tuple[datetime, datetime]:
    return (datetime.combine(period.first, time(), TZ), datetime.combine(period.last + timedelta(days=1), time(), TZ))


def dossier_filters(start: datetime, end: datetime) -> dict[str, Q]:
    """Q objects over `dossiers.Dossier` for the table-based measures (`measures._table`) and their drill-downs."""
    from motcua.catalog.models import Fee
    from motcua.dossiers.models import DossierDocument

    received = Q(received_at__gte=start, received_at__lt=end)
    result = Q(status__in=RESULT, received_at__isnull=False, finished_at__gte=start, finished_at__lt=end)
    docs = DossierDocument.objects.filter(dossier=OuterRef("pk"))
    with_fee = received & Q(Exists(Fee.objects.filter(variant=OuterRef("variant"), amount__gt=0)))
    return {
        "received": received,
        "received_online": received & Q(channel=2),
        "finished_result": result,
        "e_result": result & Q(e_result=True),
        # digitised at reception and, once a result exists, an electronic result
        "digitised_full": received & Q(digitised=True) & ~Q(status__in=RESULT, e_result=False),
        "reused": received & Q(Exists(docs.filter(reused=True))),
        "data_store": received & (Q(Exists(docs.filter(from_data_store=True)))
                                  | Q(e_result=True, delivery_method="online")),
        "population_db": received & (Q(vneid_authenticated=True) | Q(Exists(docs.filter(from_data_store=True)))),
        "received_with_fee": with_fee,
        "paid_online": with_fee & Q(paid_online__gt=0),
    }


def unhappy(end: datetime) -> Q:
    """A PAKN about the dossier or a dissatisfied rating, before the end of the period (indicator 5.4)."""
    from motcua.feedback.models import Feedback
    from motcua.ratings.models import Rating

    return (Q(Exists(Feedback.objects.filter(dossier=OuterRef("pk"), received_at__lt=end)))
            | Q(Exists(Rating.objects.filter(dossier=OuterRef("pk"), overall__in=DISSATISFIED, created_at__lt=end))))


def late_766(unit: Agency, period: Period):
    """Dossiers counted late for indicator 2.1 (finished late or overdue at the period end, 766 rules)."""
    from motcua.reports.report import dossiers_behind

    finished = dossiers_behind(unit, period.first, period.last, "finished_late", "766")
    open_ = dossiers_behind(unit, period.first, period.last, "in_progress_overdue", "766")
    return finished, open_


def working_days_after(cal, a: date, b: date) -> int:
    """Working days d with a < d ≤ b (negative when b < a); weekdays outside the calendar's range."""
    if b < a:
        return -working_days_after(cal, b, a)

    def working(d: date) -> bool:
        try:
            return cal.is_working_day(d)
        except ClockError:
            return d.weekday() < 5
    return sum(1 for n in range(1, (b - a).days + 1) if working(a + timedelta(days=n)))


class DbSource:
    def __init__(self, unit: Agency, period: Period):
        self.unit, self.period = unit, period
        self.start, self.end = bounds(period)
        self._counts: dict[str, int] = {}

    @cached_property
    def agency_ids(self) -> set[int]:
        return unit_agency_ids(self.unit)

    @cached_property
    def calendar(self):
        from motcua.worktime.services import get_calendar

        return get_calendar(self.unit)

    def dossiers(self):
        from motcua.dossiers.models import Dossier

        return Dossier.objects.filter(competent_agency_id__in=self.agency_ids)

    # -- the methods measures.py calls -------------------------------------------------------------------------------
    def report(self) -> dict:
        if "_report" not in self.__dict__:
            from motcua.reports.report import period_report

            self.__dict__["_report"] = period_report(self.unit, self.period.first, self.period.last,
                                                     definition="766")
        return self.__dict__["_report"]

    def dossier_count(self, key: str) -> int:
        if key == "unhappy_not_late":
            if key not in self._counts:
                self._counts[key] = self.unhappy_not_late().count()
        elif not self._counts.keys() - {"unhappy_not_late"}:
            # every table measure in one aggregate query (conditional counts)
            filters = dossier_filters(self.start, self.end)
            counts = self.dossiers().aggregate(**{f"n_{k}": Count("pk", filter=q) for k, q in filters.items()})
            self._counts.update({k[2:]: v for k, v in counts.items()})
        return self._counts[key]

    def unhappy_not_late(self):
        from motcua.reports.report import dossiers_behind

        finished, open_ = late_766(self.unit, self.period)
        return (dossiers_behind(self.unit, self.period.first, self.period.last, "to_process", "766")
                .filter(unhappy(self.end)).exclude(pk__in=finished.values("pk")).exclude(pk__in=open_.values("pk")))

    def working_days(self, a: date, b: date) -> int:
        return working_days_after(self.calendar, a, b)

    def pakn(self) -> dict:
        if "_pakn" not in self.__dict__:
            from motcua.feedback.stats import pakn_stats

            self.__dict__["_pakn"] = pakn_stats(self.unit, self.period.first, self.period.last)
        return self.__dict__["_pakn"]

    def manual(self, indicator) -> tuple[int, int] | None:
        """The entered value for this period, else the sum of the entered monthly values inside it. Values are
        matched by indicator code, so one entered under an earlier version still counts after a revision; the
        latest entry of a period wins."""
        from motcua.indices.models import ManualIndicatorValue

        latest = {}
        for period, num, den in (ManualIndicatorValue.objects
                                 .filter(unit=self.unit, indicator__code=indicator.code,
                                         period__in=[self.period.key, *(m.key for m in self.period.months())])
                                 .order_by("entered_at").values_list("period", "numerator", "denominator")):
            latest[period] = (num, den)
        if self.period.key in latest:
            return latest[self.period.key]
        months = [v for k, v in latest.items() if k != self.period.key]
        return (sum(n for n, _ in months), sum(d for _, d in months)) if months else None

    def procedures(self) -> list[ProcedureInfo]:
        if "_procedures" not in self.__dict__:
            self.__dict__["_procedures"] = self._load_procedures()
        return self.__dict__["_procedures"]

    # -- catalogue ------------------------------------------------------------------------------------------------
    def _load_procedures(self) -> list[ProcedureInfo]:
        from motcua.catalog.models import Procedure

        procs = (Procedure.objects.filter(competent_agencies__in=self.agency_ids).distinct()
                 .prefetch_related("versions__variants__fees", "versions__variants__documents").order_by("code"))
        flags = self._dossier_procedure_flags()
        out = []
        for p in procs:
            versions = list(p.versions.all())
            current = next((v for v in sorted(versions, key=lambda v: v.effective_from, reverse=True)
                            if v.status == "published" and v.effective_from <= self.period.last
                            and (v.effective_to is None or v.effective_to >= self.period.last)), None)
            variants = list(current.variants.all()) if current else []
            out.append(ProcedureInfo(
                pk=p.pk, code=p.code, name=p.name, published=current is not None,
                complete=current is not None and _complete(p, current, variants),
                online=any(v.online_level in ("partial", "full") for v in variants),
                with_fee=any(f.amount > 0 for v in variants for f in v.fees.all()),
                for_citizens=p.applicant_type in ("citizen", "both"),
                online_dossiers=p.pk in flags["online"], paid_online=p.pk in flags["paid"],
                population_db=p.pk in flags["population"],
                announcements=[Announcement(v.decision_date, v.effective_from,
                                            to_local(v.published_at).date() if v.published_at else None)
                               for v in versions if self.period.first <= v.decision_date <= self.period.last]))
        return out

    def _dossier_procedure_flags(self) -> dict[str, set[int]]:
        f = dossier_filters(self.start, self.end)
        qs = self.dossiers().order_by()
        pid = "procedure_version__procedure_id"

        def ids(q: Q) -> set[int]:
            return set(qs.filter(q).values_list(pid, flat=True).distinct())
        return {"online": ids(f["received"] & Q(channel=2)), "paid": ids(f["paid_online"]),
                "population": ids(f["population_db"])}


def _complete(procedure, version, variants) -> bool:
    """The seven components of Decree 63/2010 Art. 8(2): name; sequence; method; documents; time limit; applicants;
    implementing agency."""
    texts = (procedure.name, version.steps_text, version.method_text, version.applicants_text,
             version.implementing_agency_text)
    return (all((t or "").strip() for t in texts) and bool(variants)
            and all(list(v.documents.all()) and (v.legal_limit > 0 or v.limit_unit == "none") for v in variants))
