"""Incremental maintenance of the rollups (day rows and their month and year sums), in the caller's transaction.

Hooks (call them inside the transaction that changes the dossier, after the change is written):

- `on_created(dossier)` — intake (`dossiers.services.create_dossier`);
- `on_transition(dossier, action, before, after, at)` — every engine transition;
- `on_imported(facts)` — a batch of new dossiers written by the importer, with the facts it computed and stored.

Each of the first two hooks recomputes the dossier's facts (`facts.py`) from the database, subtracts what the
dossier contributed before (stored in `DossierFact`) and adds the new contribution with one
``INSERT ... SELECT (rows of a JSON parameter) ON CONFLICT (key) DO UPDATE SET x = x + excluded.x`` (SQLite >= 3.24
and PostgreSQL) into the day rows and one more into the month and year rows of the same days, keys sorted so
concurrent transactions lock rows in the same order; these hooks are idempotent: calling one twice changes nothing.
`on_imported` only adds (its dossiers are new) and must be called once per batch.
`before`/`after` are accepted for the engine's contract but the stored facts are the truth for "before".

Hot path: the DossierEvent signal (`on_event`) takes the new facts from the dossier instance intake or the engine
has just saved (no re-read of the row; a new dossier reads nothing at all, it has no stored facts yet) and falls
back to `refresh` when the instance cannot tell. tests/reports/test_rebuild_property.py checks that the result still
equals a rebuild.
"""

import functools
import json
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime

from django.db import connection, transaction

from motcua.reports import facts as F
from motcua.reports.models import DailyRollup, DossierFact, Grain, PeriodRollup

CHUNK = 2000


# -- reading facts from the dossier tables ---------------------------------------------------------------------
def load_facts(dossier_ids: list[int]) -> dict[int, dict]:
    """Current facts of the given dossiers (3 queries per chunk, whatever the number of dossiers)."""
    from motcua.dossiers.models import Dossier, DossierEvent, SupplementRequest

    out: dict[int, dict] = {}
    for i in range(0, len(dossier_ids), CHUNK):
        ids = dossier_ids[i:i + CHUNK]
        rows = list(Dossier.objects.filter(pk__in=ids).values(
            "pk", "competent_agency_id", "procedure_version__procedure_id", "channel", "status", "received_at",
            "finished_at", "due_at", "delivered_at", "outcome", "outcome_766", "digitised", "e_result",
            "paid_online"))
        supps = defaultdict(list)
        for s in SupplementRequest.objects.filter(dossier_id__in=ids).values_list(
                "dossier_id", "requested_at", "fulfilled_at"):
            supps[s[0]].append((s[1], s[2]))
        # Refused / withdrawn before reception: no finish time on the row, the terminal event gives the day.
        unreceived = [r["pk"] for r in rows if r["received_at"] is None and r["status"] in (3, 7)]
        terminal = {}
        if unreceived:
            status_of = {r["pk"]: r["status"] for r in rows}
            for did, to_status, at in DossierEvent.objects.filter(dossier_id__in=unreceived).order_by(
                    "dossier_id", "seq").values_list("dossier_id", "to_status", "at"):
                if to_status == status_of[did]:
                    terminal[did] = at
        for r in rows:
            out[r["pk"]] = facts_of(r, r["procedure_version__procedure_id"], supps.get(r["pk"], []),
                                    terminal.get(r["pk"]))
    return out


def facts_of(row, procedure_id: int, supplements: list[tuple], terminal_at=None) -> dict:
    """`facts.build_facts` of a dossier given as a mapping of its field values (a `values()` row or the row the
    importer writes), its procedure, its [(requested_at, fulfilled_at)] and, for a dossier refused or withdrawn
    before reception, the instant of that terminal event."""
    return F.build_facts(
        agency_id=row["competent_agency_id"], procedure_id=procedure_id, channel=row["channel"],
        status=row["status"], received_at=row["received_at"], finished_at=row["finished_at"], due_at=row["due_at"],
        delivered_at=row["delivered_at"], outcome=row["outcome"], outcome_766=row["outcome_766"],
        digitised=row["digitised"], e_result=row["e_result"], paid_online=row["paid_online"],
        supplements=supplements, terminal_at=terminal_at)


# -- writing --------------------------------------------------------------------------------------------------
def _upsert(deltas: dict[F.Key, dict[str, int]]) -> None:
    """Add the deltas to the day rows and to the month and year rows of the same days (insert missing rows), then
    drop rows that became all zero so an incrementally maintained table equals a rebuilt one row for row. Day rows
    first, then period rows, each in key order: concurrent transactions lock rows in the same order."""
    if not deltas:
        return
    _add(DailyRollup, ("day",), deltas)
    _add(PeriodRollup, ("grain", "start"), period_deltas(deltas))


def period_deltas(deltas: dict[F.Key, dict[str, int]]) -> dict[tuple, dict[str, int]]:
    """Day deltas folded into (agency, procedure, channel, grain, first day of the month / year) deltas."""
    out: dict[tuple, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for key, delta in deltas.items():
        day = key[3]
        for period in ((*key[:3], Grain.MONTH, day[:8] + "01"), (*key[:3], Grain.YEAR, day[:5] + "01-01")):
            for counter, v in delta.items():
                out[period][counter] += v
    return {k: {c: v for c, v in d.items() if v} for k, d in out.items() if any(d.values())}


def _add(model, tail: tuple[str, ...], deltas: dict[tuple, dict[str, int]]) -> None:
    """Add the deltas to `model`'s rows keyed (agency, procedure, channel, *tail), inserting missing rows; the last
    key item is an ISO date. One statement whatever the number of keys: the rows go as one JSON array parameter,
    each row naming only its non-zero counters (a key usually has one to three), read back by the database's JSON
    functions. A multi-row VALUES list made the driver scan and bind tens of thousands of placeholders per
    statement, and column arrays made it quote every item in Python; either cost more than the upsert itself."""
    if not deltas:  # e.g. a day-to-day move inside one month leaves its month unchanged
        return
    key_cols = ("agency_id", "procedure_id", "channel", *tail)
    upsert, delete = _add_statements(model, tail, connection.vendor)
    keys = sorted(deltas)  # and rows locked in key order: concurrent transactions take them in the same order
    payload = json.dumps([{**dict(zip(key_cols, key, strict=True)), **deltas[key]} for key in keys],
                         separators=(",", ":"))
    with connection.cursor() as cur:
        cur.execute(upsert, [payload])
        # Only a row that lost something can have become all zero (every contribution is non-negative).
        for key in keys:
            if min(deltas[key].values(), default=0) < 0:
                cur.execute(delete, [*key[:-1], date.fromisoformat(key[-1])])


@functools.lru_cache(maxsize=16)
def _add_statements(model, tail: tuple[str, ...], vendor: str) -> tuple[str, str]:
    """`_add`'s upsert and its delete of an all-zero row, for `model` on this database vendor: constant text, built
    once per process (quoting some sixty names each time cost more than running the upsert of an intake)."""
    table = model._meta.db_table
    qn = connection.ops.quote_name
    cols = list(F.COUNTERS)
    key_cols = ("agency_id", "procedure_id", "channel", *tail)
    head = ", ".join(qn(c) for c in (*key_cols, *cols))
    sets = ", ".join(f"{qn(c)} = {qn(table)}.{qn(c)} + excluded.{qn(c)}" for c in cols)
    if vendor == "postgresql":
        values = ", ".join([*(f"r.{qn(c)}" for c in key_cols), *(f"COALESCE(r.{qn(c)}, 0)" for c in cols)])
        source = (f"SELECT {values} FROM json_populate_recordset(NULL::{qn(table)}, %s) AS r "
                  f"ORDER BY {', '.join(f'r.{qn(c)}' for c in key_cols)}")
    else:  # SQLite: "WHERE true" keeps the parser from reading ON CONFLICT as a join constraint
        values = ", ".join([*(f"json_extract(value, '$.{c}')" for c in key_cols),
                            *(f"COALESCE(json_extract(value, '$.{c}'), 0)" for c in cols)])
        source = f"SELECT {values} FROM json_each(%s) WHERE true ORDER BY key"
    upsert = f"INSERT INTO {qn(table)} ({head}) {source} ON CONFLICT ({', '.join(key_cols)}) DO UPDATE SET {sets}"
    where = " AND ".join(f"{qn(c)} = %s" for c in key_cols)
    zero = " AND ".join(f"{qn(c)} = 0" for c in cols)
    return upsert, f"DELETE FROM {qn(table)} WHERE {where} AND {zero}"


def resum_periods(date_from=None, date_to=None, day_model=DailyRollup, period_model=PeriodRollup) -> None:
    """Recompute from the day rows the month rows of every month that meets [date_from, date_to] (None: unbounded),
    then the year rows of those years from the month rows (aggregated in the database, streamed in batches). The
    models are parameters so the migration that creates the period table can fill it with its historical models."""
    from django.db.models import Sum
    from django.db.models.functions import TruncMonth, TruncYear

    date_from, date_to = (date.fromisoformat(str(d)) if d else None for d in (date_from, date_to))
    sums = {c: Sum(c) for c in F.COUNTERS}
    for grain, trunc, source, field in ((Grain.MONTH, TruncMonth, day_model.objects.all(), "day"),
                                        (Grain.YEAR, TruncYear, period_model.objects.filter(grain=Grain.MONTH),
                                         "start")):
        first = date_from and (date_from.replace(day=1) if grain == Grain.MONTH else date_from.replace(month=1, day=1))
        last = date_to and (date_to.replace(day=1) if grain == Grain.MONTH else date_to.replace(month=1, day=1))
        stale = period_model.objects.filter(grain=grain)
        if first:
            stale, source = stale.filter(start__gte=first), source.filter(**{f"{field}__gte": first})
        if last:
            stale, source = stale.filter(start__lte=last), source.filter(**{f"{field}__lt": _next_start(last, grain)})
        stale.delete()
        rows = (source.annotate(period=trunc(field)).values("agency_id", "procedure_id", "channel", "period")
                .annotate(**sums).order_by())
        batch = []
        for row in rows.iterator(chunk_size=CHUNK):
            period = row.pop("period")
            batch.append(period_model(grain=grain, start=period if isinstance(period, date) else
                                      date.fromisoformat(str(period)[:10]), **row))
            if len(batch) == CHUNK:
                period_model.objects.bulk_create(batch)
                batch = []
        period_model.objects.bulk_create(batch)


def _next_start(start: date, grain: str) -> date:
    if grain == Grain.YEAR:
        return start.replace(year=start.year + 1)
    return start.replace(year=start.year + 1, month=1) if start.month == 12 else start.replace(month=start.month + 1)


def refresh(dossier_ids: Iterable[int]) -> int:
    """Bring the rollups in line with the current state of these dossiers; returns how many changed."""
    ids = sorted({int(i) for i in dossier_ids})
    if not ids:
        return 0
    with transaction.atomic():
        return _apply(load_facts(ids), _stored(ids))


def _stored(ids: list[int]) -> dict[int, dict]:
    """The stored facts of these dossiers, row-locked (PostgreSQL). A plain statement: this runs on every
    transition, and building the ORM query cost more than running it."""
    table, field = connection.ops.quote_name(DossierFact._meta.db_table), DossierFact._meta.get_field("facts")
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cur:
        cur.execute(f"SELECT dossier_id, facts FROM {table} WHERE dossier_id IN ({', '.join(['%s'] * len(ids))})"
                    f"{lock}", ids)
        return {pk: field.from_db_value(facts, None, connection) for pk, facts in cur.fetchall()}


def _apply(new: dict[int, dict], old: dict[int, dict]) -> int:
    """Add contributions(new) - contributions(old) to the rollups and store the new facts."""
    total: dict[F.Key, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    changed_new, changed_old = [], []
    for pk in sorted(set(new) | set(old)):
        before, after = old.get(pk), new.get(pk)
        if before == after:
            continue
        for key, delta in F.diff(before, after).items():
            for counter, v in delta.items():
                total[key][counter] += v
        (changed_old if pk in old else changed_new).append(pk)
    _upsert({k: {c: v for c, v in d.items() if v} for k, d in total.items() if any(d.values())})
    _save_facts(new, changed_new, changed_old)
    return len(changed_new) + len(changed_old)


def _save_facts(new: dict[int, dict], created: list[int], changed: list[int]) -> None:
    """Store the new facts of these dossiers (rows `created` are inserted, the `changed` ones updated). Plain
    statements with the field's own value preparation: this runs on every intake and most transitions."""
    table, field = connection.ops.quote_name(DossierFact._meta.db_table), DossierFact._meta.get_field("facts")
    with connection.cursor() as cur:
        if created:
            cur.executemany(f"INSERT INTO {table} (dossier_id, facts) VALUES (%s, %s)",
                            [(pk, field.get_db_prep_save(new[pk], connection)) for pk in created])
        if changed:
            cur.executemany(f"UPDATE {table} SET facts = %s WHERE dossier_id = %s",
                            [(field.get_db_prep_save(new[pk], connection), pk) for pk in changed])


def facts_in_memory(dossier, event, stored: dict | None = None) -> dict | None:
    """The facts of a dossier whose row was just saved by intake or the engine, read from the instance instead of
    the database (the row, its procedure through the cached variant, the event's instant; its supplement requests
    are read only when the event's transition writes some, else their days are kept from its `stored` facts).
    None when the instance cannot tell: a dossier refused or withdrawn before reception whose terminal event is
    not this one."""
    from motcua.dossiers import catalogcache
    from motcua.dossiers.models import SupplementRequest
    from motcua.dossiers.transitions import TRANSITIONS

    terminal_at = None
    if dossier.received_at is None and dossier.status in (3, 7):
        if event.to_status != dossier.status:
            return None
        terminal_at = event.at
    version = dossier._state.fields_cache.get("procedure_version")
    procedure_id = version.procedure_id if version is not None else \
        catalogcache.variant(dossier.variant_id).version.procedure_id
    transition = TRANSITIONS.get(event.action)
    kept = bool(stored) and transition is not None and not transition.supplements
    supplements = [] if event.seq == 1 or kept else list(SupplementRequest.objects.filter(dossier_id=dossier.pk)
                                                         .values_list("requested_at", "fulfilled_at"))
    facts = F.build_facts(
        agency_id=dossier.competent_agency_id, procedure_id=procedure_id, channel=dossier.channel,
        status=dossier.status, received_at=dossier.received_at, finished_at=dossier.finished_at,
        due_at=dossier.due_at, delivered_at=dossier.delivered_at, outcome=dossier.outcome,
        outcome_766=dossier.outcome_766, digitised=dossier.digitised, e_result=dossier.e_result,
        paid_online=dossier.paid_online, supplements=supplements, terminal_at=terminal_at)
    if kept:
        facts["supp"] = stored["supp"]
    return facts


def on_event(event) -> None:
    """The hook of one history row written by intake or the engine after saving the dossier row. With the saved
    dossier instance at hand (the usual case) its facts come from memory and, for a new dossier, nothing is read:
    a new primary key has no stored facts. Otherwise the facts are reloaded (`refresh`)."""
    dossier = event._state.fields_cache.get("dossier")
    if dossier is None:
        refresh([event.dossier_id])
        return
    with transaction.atomic(savepoint=False):
        old = {} if event.seq == 1 else _stored([dossier.pk])
        new = facts_in_memory(dossier, event, old.get(dossier.pk))
        if new is None:
            refresh([event.dossier_id])
            return
        _apply({dossier.pk: new}, old)


# -- the hooks ----------------------------------------------------------------------------------------------------
def on_created(dossier) -> None:
    refresh([getattr(dossier, "pk", dossier)])


def on_transition(dossier, action: str = "", before: dict | None = None, after: dict | None = None,
                  at: datetime | None = None) -> None:
    refresh([getattr(dossier, "pk", dossier)])


def on_imported(facts: dict[int, dict]) -> None:
    """The hook of a batch of new dossiers the importer has just written, with their facts, which it computed from
    the rows it wrote (`facts_of`) and stored in `DossierFact` with them: nothing is read back. New primary keys
    had no stored facts, so the batch's contributions are only added, summed per key in memory first (one upsert
    per table for the whole batch)."""
    _upsert(total_contributions(facts.values()))


def total_contributions(facts: Iterable[dict]) -> dict[F.Key, dict[str, int]]:
    """The counters a set of dossiers contributes (their facts), summed per key."""
    total: dict[F.Key, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for f in facts:
        for key, delta in F.contributions(f).items():
            row = total[key]
            for counter, v in delta.items():
                row[counter] += v
    return total


# -- rebuild ------------------------------------------------------------------------------------------------------
def rebuild(date_from=None, date_to=None, progress=None) -> int:
    """Truncate and recompute the rollups (day, month and year rows) from the dossier tables (one transaction);
    returns dossiers read.

    With a date range only the rows of those days are recomputed from scratch; rows outside it receive the
    ordinary incremental correction (stored facts → current facts), so the table stays equal to a full rebuild; the
    month and year rows that meet the range are then summed again from the day rows."""
    from motcua.dossiers.models import Dossier

    def inside(day: str) -> bool:
        return not ((date_from and day < str(date_from)) or (date_to and day > str(date_to)))

    partial = bool(date_from or date_to)
    with transaction.atomic():
        rows = DailyRollup.objects.all()
        if date_from:
            rows = rows.filter(day__gte=date_from)
        if date_to:
            rows = rows.filter(day__lte=date_to)
        rows.delete()
        if not partial:
            PeriodRollup.objects.all().delete()
            DossierFact.objects.all().delete()
        ids = list(Dossier.objects.order_by("pk").values_list("pk", flat=True))
        total: dict[F.Key, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for i in range(0, len(ids), CHUNK):
            chunk = load_facts(ids[i:i + CHUNK])
            stored = dict(DossierFact.objects.filter(dossier_id__in=list(chunk)).values_list("dossier_id", "facts")) \
                if partial else {}
            for pk, f in chunk.items():
                for key, delta in F.contributions(f).items():
                    if inside(key[3]):
                        for counter, v in delta.items():
                            total[key][counter] += v
                if partial and stored.get(pk) != f:
                    for key, delta in F.diff(stored.get(pk), f).items():
                        if not inside(key[3]):
                            for counter, v in delta.items():
                                total[key][counter] += v
            if partial:
                DossierFact.objects.filter(dossier_id__in=list(chunk)).delete()
            DossierFact.objects.bulk_create([DossierFact(dossier_id=pk, facts=f) for pk, f in chunk.items()],
                                            batch_size=CHUNK)
            if progress:
                progress(len(chunk))
        _upsert({k: {c: v for c, v in d.items() if v} for k, d in total.items() if any(d.values())})
        if partial:  # the months and years that straddle the range got only part of their days' corrections
            resum_periods(date_from, date_to)
    return len(ids)


# -- wiring -------------------------------------------------------------------------------------------------------
def _on_event_saved(sender, instance, created, raw=False, **kwargs) -> None:
    """Every intake and every engine transition writes exactly one DossierEvent, after saving the dossier row and its
    supplement requests, inside the transaction (engine.commit, services._insert): that insert is the engine's
    event, so the rollups follow it in the same transaction without touching the engine. Bulk imports send no
    signal: the importer calls `on_imported`."""
    if not created or raw:
        return
    on_event(instance)


def connect() -> None:
    from django.db.models.signals import post_save

    from motcua.dossiers.models import DossierEvent

    post_save.connect(_on_event_saved, sender=DossierEvent, dispatch_uid="motcua.reports.rollups")
