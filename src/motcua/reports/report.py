"""Period reports for any unit, from the rollups, and the dossier lists behind every number.

`period_report(unit, date_from, date_to, by=None, definition="local")` reads only the rollups (`rollup_sums`: flows
over the period, stocks at its end and start, from whole years and months of `PeriodRollup` and the day rows of the
partial months at the edges, a few aggregate queries); `by="officer"` is the exception:
the officer (current assignee) is not a rollup dimension, so that breakdown counts over the dossier table with the
same definitions as `dossiers_behind`.

`dossiers_behind(unit, date_from, date_to, measure, definition)` returns the queryset of dossiers behind a number,
over the dossier table, with the instant-level definitions that the rollups implement per local day (see
`facts.py`): for every count measure ``dossiers_behind(...).count() == period_report(...)[measure]``.
"""

import calendar
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta

from django.db import connections, transaction
from django.db.models import (
    BigIntegerField,
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from motcua.core.api_errors import DomainError
from motcua.reports.definitions import (
    COUNT_MEASURES,
    DEFINITIONS,
    EXTRA_MEASURES,
    counts_from_sums,
    with_rates,
)
from motcua.reports.models import DailyRollup, Grain, PeriodRollup
from motcua.reports.units import resolve_unit, unit_agency_ids
from motcua.worktime.clock import TZ

GROUPS = {"channel": "channel", "procedure": "procedure_id", "agency": "agency_id"}
BY_CHOICES = ("channel", "procedure", "agency", "officer")
FLOWS = ("received_counter", "received_online", "received_postal", "received_api", "received_import", "ended",
         "finished", "finished_early", "finished_on_time", "finished_late", "finished_766_on_time",
         "finished_766_late", "refused", "withdrawn", "stopped", "delivered", "supplement_requested", "digitised",
         "e_result", "paid_online", "handling_seconds_total")
STOCKS = ("open", "supplement", "overdue", "overdue766", "uncollected")


# -- arguments ----------------------------------------------------------------------------------------------------
def check_args(date_from, date_to, by=None, definition="local") -> tuple[date, date]:
    errors = {}
    dates = []
    for name, value in (("from", date_from), ("to", date_to)):
        if isinstance(value, str):
            try:
                value = date.fromisoformat(value.strip())
            except ValueError:
                value = None
        if not isinstance(value, date):
            errors[name] = [_("Ngày không hợp lệ (định dạng YYYY-MM-DD).")]
        dates.append(value)
    if not errors and dates[0] > dates[1]:
        errors["to"] = [_("Ngày kết thúc phải từ ngày bắt đầu trở đi.")]
    if by not in (None, "", *BY_CHOICES):
        errors["by"] = [_("Chỉ nhận: %(c)s.") % {"c": ", ".join(BY_CHOICES)}]
    if definition not in DEFINITIONS:
        errors["definition"] = [_("Chỉ nhận: local hoặc 766.")]
    if errors:
        raise DomainError("invalid", _("Tham số báo cáo không hợp lệ."), fields=errors, status=422)
    return dates[0], dates[1]


def bounds(date_from: date, date_to: date) -> tuple[datetime, datetime]:
    """[start of the first local day, start of the day after the last)."""
    return (datetime.combine(date_from, time(), TZ), datetime.combine(date_to + timedelta(days=1), time(), TZ))


# -- from the rollups ---------------------------------------------------------------------------------------------
DAY = "d"  # the grain of `DailyRollup` rows, beside the month and year grains of `PeriodRollup`


def _period_start(day: date, grain: str) -> date:
    return day.replace(day=1) if grain == Grain.MONTH else day.replace(month=1, day=1)


def _period_end(start: date, grain: str) -> date:
    if grain == Grain.YEAR:
        return start.replace(month=12, day=31)
    return start.replace(day=calendar.monthrange(start.year, start.month)[1])


def spans(first: date | None, last: date, grains: tuple[str, ...] = (Grain.YEAR, Grain.MONTH, DAY)) -> list[tuple]:
    """The days [first, last] (first None: from the beginning) as few rollup rows as possible: whole years, then
    whole months, then single days, as ``(grain, lowest start, highest start)`` ranges (lowest None: unbounded).
    E.g. 2024-03-15..2026-05-10 → days 15–31/03/2024, months 04–12/2024, year 2025, months 01–04/2026, days
    1–10/05/2026."""
    if first is not None and first > last:
        return []
    grain, finer = grains[0], grains[1:]
    if not finer:
        return [(grain, first, last)]
    last_start = _period_start(last, grain)
    ends_whole = _period_end(last_start, grain) == last
    lo = first if first is None or _period_start(first, grain) == first else \
        _period_end(_period_start(first, grain), grain) + timedelta(days=1)
    if not ends_whole and last_start == date.min:
        return spans(first, last, finer)
    hi = last_start if ends_whole else _period_start(last_start - timedelta(days=1), grain)
    if lo is not None and lo > hi:
        return spans(first, last, finer)
    out = [] if first is None or lo == first else spans(first, lo - timedelta(days=1), finer)
    out.append((grain, lo, hi))
    return out + ([] if ends_whole else spans(last_start, last, finer))


def rollup_rows(grain: str, lo: date | None, hi: date):
    """Rollup rows of one grain whose start lies in [lo, hi], and the name of their start column."""
    qs, field = (DailyRollup.objects.all(), "day") if grain == DAY else \
        (PeriodRollup.objects.filter(grain=grain), "start")
    qs = qs.filter(**{f"{field}__lte": hi})
    return (qs if lo is None else qs.filter(**{f"{field}__gte": lo})), field


def _merged(ranges: list[tuple], grain: str) -> list[tuple]:
    """(lo, hi) start ranges of one grain, overlapping or adjacent ones merged, lowest first (None is lowest)."""
    out: list[list] = []
    for lo, hi in sorted(ranges, key=lambda r: (r[0] is not None, r[0] or date.min)):
        after = out and (out[-1][1] if grain == DAY else _period_end(out[-1][1], grain)) + timedelta(days=1)
        if out and (lo is None or lo <= after):
            out[-1][1] = max(out[-1][1], hi)
        else:
            out.append([lo, hi])
    return [tuple(r) for r in out]


def _within(field: str, ranges: list[tuple], run: tuple):
    """How rows of the merged `run` of starts belong to one part made of `ranges`: None when all of them do (no
    condition needed), False when none does, else the Q that selects them."""
    run_lo, run_hi = run
    inside = [(lo, hi) for lo, hi in ranges if (lo is None or lo <= run_hi) and (run_lo is None or hi >= run_lo)]
    if not inside:
        return False
    if any((lo is None or (run_lo is not None and lo <= run_lo)) and hi >= run_hi for lo, hi in inside):
        return None
    q = Q(pk__in=[])
    for lo, hi in inside:
        q |= Q(**{f"{field}__lte": hi}) & (Q() if lo is None else Q(**{f"{field}__gte": lo}))
    return q


def _sum(expr, cond):
    return Sum(expr) if cond is None else Sum(Case(When(cond, then=expr), default=Value(0),
                                                   output_field=IntegerField()))


def rollup_sums(agency_ids, date_from: date, date_to: date, group: str | tuple | None = None, flows=FLOWS,
                stocks=STOCKS):
    """Flow sums over [date_from, date_to], ``<stock>_end`` at the end of date_to and ``carried`` (open at the end
    of the day before date_from, with the open stock) for the agencies, optionally per `group` field(s).

    Each of the three is a sum over `spans` (year and month rows of `PeriodRollup`, day rows only for partial
    months); one aggregate query per grain and merged range of starts, added up here. Equals `daily_sums`
    (tests/reports/test_period_rollups.py)."""
    parts = {"flows": spans(date_from, date_to), "end": spans(None, date_to),
             "carried": spans(None, date_from - timedelta(days=1)) if "open" in stocks and date_from > date.min
             else []}
    fields = (group,) if isinstance(group, str) else tuple(group or ())
    out: dict = {}
    for grain in (Grain.YEAR, Grain.MONTH, DAY):
        ranges = {name: [(lo, hi) for g, lo, hi in spans_ if g == grain] for name, spans_ in parts.items()}
        for run in _merged([r for rs in ranges.values() for r in rs], grain):
            qs, field = rollup_rows(grain, *run)
            cond = {name: _within(field, rs, run) for name, rs in ranges.items()}
            agg = {}
            if cond["flows"] is not False:
                agg.update({k: _sum(F(k), cond["flows"]) for k in flows})
            if cond["end"] is not False:
                agg.update({f"{s}_end": _sum(F(f"{s}_in") - F(f"{s}_out"), cond["end"]) for s in stocks})
            if cond["carried"] is not False:
                agg["carried"] = _sum(F("open_in") - F("open_out"), cond["carried"])
            qs = qs.filter(agency_id__in=agency_ids)
            rows = [qs.aggregate(**agg)] if not fields else qs.values(*fields).annotate(**agg).order_by()
            for row in rows:
                key = tuple(row.pop(f) for f in fields)
                total = out.setdefault(key, {})
                for k, v in row.items():
                    total[k] = total.get(k, 0) + (v or 0)
    names = [*flows, *(f"{s}_end" for s in stocks), *(["carried"] if "open" in stocks else [])]
    out = {key: {k: row.get(k, 0) for k in names} for key, row in sorted(out.items())}
    if not fields:
        return out.get((), dict.fromkeys(names, 0))
    return {key[0] if isinstance(group, str) else key: row for key, row in out.items()}


def _aggregates(date_from: date) -> dict:
    zero = Value(0)
    agg = {k: Sum(Case(When(day__gte=date_from, then=F(k)), default=zero, output_field=IntegerField()))
           for k in FLOWS}
    for s in STOCKS:
        agg[f"{s}_end"] = Sum(F(f"{s}_in") - F(f"{s}_out"))
    agg["carried"] = Sum(Case(When(day__lt=date_from, then=F("open_in") - F("open_out")), default=zero,
                              output_field=IntegerField()))
    return agg


def daily_sums(agency_ids, date_from: date, date_to: date, group: str | None = None):
    """`rollup_sums` computed from the day rows alone (every row up to date_to): the reference the tests and the
    benchmark compare the month and year rows with."""
    qs = DailyRollup.objects.filter(agency_id__in=agency_ids, day__lte=date_to)
    if group is None:
        return qs.aggregate(**_aggregates(date_from))
    return {row.pop(group): row for row in qs.values(group).annotate(**_aggregates(date_from)).order_by(group)}


def period_report(unit, date_from, date_to, *, by=None, definition="local") -> dict:
    """The period report of `unit` (code or Agency; subtree and merged predecessors included)."""
    date_from, date_to = check_args(date_from, date_to, by, definition)
    unit = resolve_unit(unit)
    ids = unit_agency_ids(unit)
    sums = rollup_sums(ids, date_from, date_to, GROUPS[by]) if by in GROUPS else None
    # With a breakdown the total is the sum of the groups (every row is in exactly one): one scan, not two.
    total = {k: sum(s[k] for s in sums.values()) for k in next(iter(sums.values()))} if sums else \
        rollup_sums(ids, date_from, date_to)
    report = with_rates(counts_from_sums(total, definition), definition)
    report.update(unit=unit.code, unit_name=unit.name, date_from=date_from.isoformat(),
                  date_to=date_to.isoformat(), by=by or None)
    if by == "officer":
        report["groups"] = officer_groups(ids, date_from, date_to, definition)
    elif by:
        labels = group_labels(by, list(sums))
        report["groups"] = [{"key": key, "label": labels[key], **with_rates(counts_from_sums(s, definition), definition)}
                            for key, s in sums.items()]
    return report


def group_label(by: str, key) -> str:
    return group_labels(by, [key])[key]


def group_labels(by: str, keys: list) -> dict:
    """Labels of breakdown keys, one query for all of them (a province report has hundreds of groups)."""
    from motcua.agencies.models import Agency
    from motcua.catalog.models import Procedure
    from motcua.dossiers.models import Channel

    if by == "channel":
        found = {key: str(Channel(key).label) for key in keys if key in Channel.values}
    elif by == "procedure":
        found = {pk: f"{code} {name}" for pk, code, name in Procedure.objects.filter(pk__in=keys).values_list(
            "pk", "code", "name")}
    elif by == "agency":
        found = dict(Agency.objects.filter(pk__in=keys).values_list("pk", "name"))
    else:
        found = {}
    return {key: found.get(key) or str(key) for key in keys}


# -- over the dossier table ---------------------------------------------------------------------------------------
def _open_requests(end: datetime):
    """Supplement requests made before `end` and not fulfilled by then."""
    from motcua.dossiers.models import SupplementRequest

    return SupplementRequest.objects.filter(requested_at__lt=end).filter(
        Q(fulfilled_at__isnull=True) | Q(fulfilled_at__gte=end))


def _waiting(end: datetime):
    return Exists(_open_requests(end).filter(dossier=OuterRef("pk")))


def _requests_before(end: datetime):
    from motcua.dossiers.models import SupplementRequest

    sub = (SupplementRequest.objects.filter(dossier=OuterRef("pk"), requested_at__lt=end).order_by()
           .values("dossier").annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(sub, output_field=IntegerField()), 0)


def _terminal_events(status: int, start: datetime, end: datetime):
    from motcua.dossiers.models import DossierEvent

    return DossierEvent.objects.filter(to_status=status, at__gte=start, at__lt=end).values("dossier")


def _terminal(status: int, start: datetime, end: datetime) -> tuple[Q, dict]:
    """A dossier ended in `status` in the period; one never received is dated by its history (alias `_event_N_`)."""
    event = _terminal_events(status, start, end).filter(dossier=OuterRef("pk"))
    alias = f"_event_{status}_"
    return Q(status=status) & (Q(received_at__isnull=False, finished_at__gte=start, finished_at__lt=end)
                               | Q(received_at__isnull=True, **{alias: True})), {alias: Exists(event)}


CHANNEL_OF = {"received_counter": 1, "received_online": 2, "received_postal": 3, "received_api": 4,
              "received_import": 5}


def measure_filter(measure: str, start: datetime, end: datetime, definition: str = "local"):
    """(Q, annotations) selecting the dossiers behind `measure` for the period [start, end)."""
    received = Q(received_at__gte=start, received_at__lt=end)
    ended = Q(received_at__isnull=False, finished_at__gte=start, finished_at__lt=end)
    result = Q(status__in=(9, 10)) & ended
    open_at_end = Q(received_at__lt=end) & (Q(finished_at__isnull=True) | Q(finished_at__gte=end))
    waiting = Q(_waiting_=True)
    ann = {"_waiting_": _waiting(end)}
    overdue_local = open_at_end & ~waiting & Q(due_at__lt=end)
    late766 = open_at_end & (~waiting & Q(due_at__lt=end) | Q(_nreq_=True))
    if definition == "766":
        ann["_nreq_"] = Case(When(Q(**{"_n_requests_before_end__gte": 2}), then=Value(True)), default=Value(False))
    table = {
        "received": received,
        "carried_over": Q(received_at__lt=start) & (Q(finished_at__isnull=True) | Q(finished_at__gte=start)),
        "delivered": Q(delivered_at__gte=start, delivered_at__lt=end),
        "not_collected": Q(status__in=(9, 10), received_at__isnull=False, finished_at__lt=end)
        & (Q(delivered_at__isnull=True) | Q(delivered_at__gte=end)),
        "supplement": open_at_end & waiting,
        "digitised": received & Q(digitised=True),
        "paid_online": received & Q(paid_online__gt=0),
        "e_result": result & Q(e_result=True),
    }
    for name, status in (("refused", 3), ("withdrawn", 7), ("stopped", 8)):
        table[name], more = _terminal(status, start, end)
        ann.update(more)
    table["to_process"] = table["received"] | table["carried_over"]
    for name, channel in CHANNEL_OF.items():
        table[name] = received & Q(channel=channel)
    if definition == "766":
        table.update({
            "finished": ended, "finished_on_time": ended & Q(outcome_766="on_time"),
            "finished_late": ended & Q(outcome_766="late"), "finished_early": Q(pk__in=[]),
            "in_progress": open_at_end, "in_progress_overdue": late766,
            "in_progress_on_time": open_at_end & ~late766,
        })
    else:
        table.update({
            "finished": result, "finished_early": result & Q(outcome="early"),
            "finished_on_time": result & Q(outcome="on_time"), "finished_late": result & Q(outcome="late"),
            "in_progress": open_at_end & ~waiting, "in_progress_overdue": overdue_local,
            "in_progress_on_time": open_at_end & ~waiting & (Q(due_at__isnull=True) | Q(due_at__gte=end)),
        })
    if measure == "supplement_requests":
        from motcua.dossiers.models import SupplementRequest

        reqs = SupplementRequest.objects.filter(dossier=OuterRef("pk"), requested_at__gte=start, requested_at__lt=end)
        return Q(_has_req_=True), {"_has_req_": Exists(reqs)}
    if measure not in table:
        raise DomainError("invalid", _("Chỉ tiêu không tồn tại."), fields={"measure": [measure]}, status=422)
    return table[measure], ann


def _dossier_qs(agency_ids, measure: str, start: datetime, end: datetime, definition: str):
    from motcua.dossiers.models import Dossier

    q, ann = measure_filter(measure, start, end, definition)
    qs = Dossier.objects.filter(competent_agency_id__in=agency_ids)
    if definition == "766" and "_nreq_" in ann:
        qs = qs.alias(_n_requests_before_end=_requests_before(end))
    return qs.alias(**ann).filter(q)


def dossiers_behind(unit, date_from, date_to, measure: str, definition: str = "local"):
    """Queryset of the dossiers counted in `measure` of the period report (same definitions)."""
    date_from, date_to = check_args(date_from, date_to, None, definition)
    unit = resolve_unit(unit)
    start, end = bounds(date_from, date_to)
    return _dossier_qs(unit_agency_ids(unit), measure, start, end, definition).order_by("received_at", "pk")


class HandlingSeconds(Func):
    """Whole seconds from `received_at` to `finished_at` of a dossier, floored and at least 0: what the rollups
    store per dossier (``max(int(total_seconds), 0)``), summed in the database."""

    template = "GREATEST(FLOOR(EXTRACT(EPOCH FROM %(expressions)s)), 0)"
    arg_joiner = " - "
    output_field = BigIntegerField()

    def __init__(self):
        super().__init__(F("finished_at"), F("received_at"))

    def as_sqlite(self, compiler, connection, **extra_context):
        # Exact integer microseconds: julianday() is a float and SQLite's date functions round to milliseconds
        # (…:00.999999 would count as the next second). Django stores "YYYY-MM-DD HH:MM:SS[.ffffff]".
        (end, end_params), (begin, begin_params) = (compiler.compile(e) for e in self.get_source_expressions())
        micros = ("(CAST(strftime('%%s', substr({0}, 1, 19)) AS INTEGER) * 1000000"
                  " + CAST(substr({0}, 21, 6) AS INTEGER))")
        sql = f"max(({micros.format(end)} - {micros.format(begin)}) / 1000000, 0)"
        return sql, (*end_params, *end_params, *begin_params, *begin_params)


def _raw_aggregates(measures, start: datetime, end: datetime, definition: str) -> tuple[dict, dict]:
    """(aliases, aggregates): one conditional count per measure, plus the finished results (local definition)
    and their handling seconds, so that a single scan of the dossier table yields the whole report."""
    aliases, aggs = {}, {}
    for m in measures:
        q, ann = measure_filter(m, start, end, definition)
        aliases.update(ann)
        aggs[m] = Count("pk", filter=q)
    if "_nreq_" in aliases:
        aliases = {"_n_requests_before_end": _requests_before(end), **aliases}
    result, ann = measure_filter("finished", start, end, "local")
    aliases.update(ann)
    aggs["_result_finished"] = Count("pk", filter=result)
    aggs["_handling_seconds"] = Coalesce(Sum(HandlingSeconds(), filter=result), 0)
    # Waiting as one uncorrelated set (hashed once by PostgreSQL), not a probe per open dossier and measure.
    aliases["_waiting_"] = ExpressionWrapper(Q(pk__in=_open_requests(end).values("dossier")), BooleanField())
    # Likewise the terminal events of never-received dossiers: one hashed set per status, not a probe per dossier
    # (a correlated probe also keeps PostgreSQL from aggregating in parallel).
    for name in [n for n in aliases if n.startswith("_event_")]:
        aliases[name] = ExpressionWrapper(Q(pk__in=_terminal_events(int(name.split("_")[2]), start, end)),
                                          BooleanField())
    return aliases, aggs


def counted_in_period(start: datetime, end: datetime) -> Q:
    """Every dossier that any measure of [start, end) can count satisfies this (each measure's filter implies one
    of its terms, without assuming that a dossier's instants are in order), and it needs no subquery: it
    narrows the raw-table count to the period's dossiers instead of the unit's whole history."""
    return (Q(received_at__isnull=True)
            | Q(received_at__lt=end) & (Q(received_at__gte=start) | Q(finished_at__isnull=True)
                                        | Q(finished_at__gte=start))
            | Q(finished_at__gte=start, finished_at__lt=end)
            | Q(delivered_at__gte=start, delivered_at__lt=end)
            | Q(status__in=(9, 10), finished_at__lt=end) & (Q(delivered_at__isnull=True) | Q(delivered_at__gte=end)))


def _raw_parts(period, start: datetime, end: datetime, aliases: dict) -> list:
    """The period's dossiers in disjoint parts, each with the aliases it needs. Every subquery term of
    `measure_filter` is ANDed with "open at the end" (supplement requests) or "never received" (their history), so
    for the bulk — dossiers received and settled by the end — they are replaced by FALSE: with no subquery in its
    aggregates PostgreSQL aggregates that part in parallel workers.

    - settled and active in the period (last activity on or after its start): read through the BRIN index on that
      expression on PostgreSQL (migration 0006: a province's table grows in time order, so the years before the
      period are skipped by block range);
    - settled results not collected since before the period (`dossier_uncollected`);
    - open at the end (the waiting set hashed once, see `_raw_aggregates`);
    - never received, with a refusal, withdrawal or stop in the period (a semi-join on those events, not a probe
      per never-received dossier of every year), and the others delivered in the period (none in practice).
    See the indexes named in `Dossier.Meta` for the raw-table report."""
    from motcua.dossiers.models import DossierEvent, last_activity

    constant = {name: Value(0 if name == "_n_requests_before_end" else False) for name in aliases if name != "_nreq_"}
    events = {name for name in constant if name.startswith("_event_")}
    requests_only = {**aliases, **{name: constant[name] for name in events}}
    events_only = {**aliases, **{name: v for name, v in constant.items() if name not in events}}
    open_at_end = Q(received_at__lt=end) & (Q(finished_at__isnull=True) | Q(finished_at__gte=end))
    terminal = DossierEvent.objects.filter(to_status__in=(3, 7, 8), at__gte=start, at__lt=end).values("dossier")
    never = period.filter(received_at__isnull=True)
    recent = period.alias(_last=last_activity())
    settled = recent.filter(counted_in_period(start, end), received_at__isnull=False).exclude(open_at_end)
    return [settled.filter(_last__gte=start).alias(**{**aliases, **constant}),
            # last activity before the start: finished before it, so counted only as a result not yet collected
            settled.filter(_last__lt=start, finished_at__lt=start, status__in=(9, 10), delivered_at__isnull=True)
            .alias(**{**aliases, **constant}),
            recent.filter(open_at_end, _last__gte=end).alias(**requests_only),
            never.filter(pk__in=terminal).alias(**events_only),
            never.filter(delivered_at__gte=start, delivered_at__lt=end).exclude(pk__in=terminal)
            .alias(**{**aliases, **constant})]


@contextmanager
def _raw_planner(using: str):
    """Planner settings for the raw-table report on PostgreSQL. JIT compiles the many filtered aggregates when the
    estimated cost is high: 0.6–0.9 s of compilation, more than the scan of a department's dossiers, and no gain on
    a province's million. Sequential scans are priced out: every part has an index that reads the period's rows
    only, but the row estimates of these OR-ed, correlated instant conditions are off by 10–30× either way, and
    the plan flipped between ANALYZE runs from an index read of 0.2 s to a scan of the whole table of 2–3 s
    (bench.reports raw at 10 M, docs/benchmarks.md). A part without a usable index still gets its scan.
    SET LOCAL, in a transaction on the connection the reads go to (the replica when the router sends them there):
    the settings end with it, so they never stay on a server connection that PgBouncer hands to someone else."""
    conn = connections[using]
    if conn.vendor != "postgresql":
        yield
        return
    with transaction.atomic(using=using):
        with conn.cursor() as cur:
            cur.execute("SET LOCAL jit = off")
            cur.execute("SET LOCAL enable_seqscan = off")
        yield


def raw_counts(agency_ids, date_from: date, date_to: date, definition: str = "local", group: str | None = None):
    """Every count measure straight from the dossier table (benchmark baseline; officer breakdown): one aggregate
    query over each part of the period's dossiers (`_raw_parts`, added up; per `group` with a breakdown) and one
    over the supplement requests."""
    from motcua.dossiers.models import Dossier, SupplementRequest

    start, end = bounds(date_from, date_to)
    measures = [m for m in COUNT_MEASURES if not (definition == "766" and m == "finished_early")]
    aliases, aggs = _raw_aggregates(measures, start, end, definition)
    from motcua.agencies.models import Agency

    # A unit holding every agency (a province on its own instance) counts every request of the period, with no join
    # to the dossier table (PostgreSQL scanned that table whole for the join). The dossier parts keep the agency
    # condition: it leads the indexes they read.
    everything = not Agency.objects.exclude(pk__in=agency_ids).exists()
    period = Dossier.objects.filter(competent_agency_id__in=agency_ids).order_by()
    key = Value(None, IntegerField()) if group is None else F(group)
    # alias(), not annotate(): the subqueries stay inside the conditions, evaluated only where they matter.
    # values().annotate(), not aggregate(): aggregate() over aliases holding subqueries wraps the query in a
    # subquery and loses their outer reference (Django 5.2). A constant key: no GROUP BY, exactly one row.
    parts = _raw_parts(period, start, end, aliases)
    # Counted in requests (Form 02), like the rollup counter.
    reqs = SupplementRequest.objects.filter(requested_at__gte=start, requested_at__lt=end).order_by()
    if not everything:
        reqs = reqs.filter(dossier__competent_agency_id__in=agency_ids)
    out = {}
    with _raw_planner(period.db):
        for part in parts:
            for row in part.values(_key_=key).annotate(**aggs):
                k = row.pop("_key_")
                out[k] = {m: out.get(k, {}).get(m, 0) + n for m, n in row.items()}
        if group is None:
            out.setdefault(None, dict.fromkeys(aggs, 0))["supplement_requests"] = reqs.count()
        else:
            # Only groups with something counted, as when each measure was a query of its own.
            out = {k: row for k, row in out.items() if any(row.values())}
            field = {"channel": "dossier__channel", "assignee": "dossier__assignee"}.get(group, group)
            for row in reqs.values(field).annotate(n=Count("pk")):
                out.setdefault(row[field], dict.fromkeys(aggs, 0))["supplement_requests"] = row["n"]
    full = {}
    for key, c in out.items():
        c = {m: c.get(m, 0) for m in measures + list(EXTRA_MEASURES) + ["_result_finished", "_handling_seconds"]}
        if definition == "766":
            c["finished_early"] = None
        full[key] = with_rates(c, definition)
    return full if group else full[None]


def raw_period_report(unit, date_from, date_to, *, definition="local") -> dict:
    """The same report counted over the dossier table (for checks and the benchmark)."""
    date_from, date_to = check_args(date_from, date_to, None, definition)
    unit = resolve_unit(unit)
    report = raw_counts(unit_agency_ids(unit), date_from, date_to, definition)
    report.update(unit=unit.code, unit_name=unit.name, date_from=date_from.isoformat(),
                  date_to=date_to.isoformat(), by=None)
    return report


def officer_groups(agency_ids, date_from: date, date_to: date, definition: str) -> list[dict]:
    from motcua.accounts.models import User

    rows = raw_counts(agency_ids, date_from, date_to, definition, group="assignee")
    names = dict(User.objects.filter(pk__in=[k for k in rows if k]).values_list("pk", "full_name"))
    return [{"key": key, "label": names.get(key) or (_("Chưa phân công") if key is None else str(key)), **row}
            for key, row in sorted(rows.items(), key=lambda kv: (kv[0] is None, kv[0] or 0))]
