"""Monthly range partitions of the history and audit tables (PostgreSQL), see docs/scaling.md.

`convert(table)` turns the plain table into one partitioned by month on its instant column, in one transaction:
the rows are copied into monthly partitions (plus a default one for rows outside them), then the table's own
indexes and foreign keys are recreated under their own names, and its primary key and unique constraints gain the
partition column, because PostgreSQL demands that of a partitioned table. Django's model state is untouched: the
columns are the same and the ids still come from one sequence; per-dossier event numbers and per-stream audit
numbers stay unique because their writers hold the dossier's or the stream head's row lock.

`ensure(table, ahead)` adds the months to come (and moves rows that fell into the default partition into a month
of their own); `detach(table, before)` detaches every month before `before`, oldest first, into a plain table that
stays in the database for the operator to dump and drop. Detaching audit months first seals them
(`motcua.audit.archive`) so `motcua audit verify` still walks every chain.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.audit.models import AuditRecord
from motcua.dossiers.models import DossierEvent


class PartitionError(Exception):
    pass


@dataclass(frozen=True)
class Spec:
    name: str  # how the command names it
    model: type
    column: str = "at"

    @property
    def table(self) -> str:
        return self.model._meta.db_table


SPECS = {s.name: s for s in (Spec("events", DossierEvent), Spec("audit", AuditRecord))}


@dataclass(frozen=True)
class Partition:
    table: str
    lower: date | None  # None for the default partition
    upper: date | None
    rows: int | None = None


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, n: int) -> date:
    index = day.year * 12 + day.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def partition_name(spec: Spec, lower: date) -> str:
    return f"{spec.table}_{lower:%Y_%m}"


def _require_postgresql() -> None:
    if connection.vendor != "postgresql":
        raise PartitionError(_("Phân vùng theo tháng chỉ có trên PostgreSQL."))


def _rows(sql: str, params=()) -> list[tuple]:
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchall() if cur.description else []


def _run(*statements: str) -> None:
    with connection.cursor() as cur:
        for statement in statements:
            cur.execute(statement)


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def is_partitioned(spec: Spec) -> bool:
    if connection.vendor != "postgresql":
        return False
    return bool(_rows("SELECT 1 FROM pg_class WHERE oid = to_regclass(%s) AND relkind = 'p'", [spec.table]))


def partitions(spec: Spec, count_rows: bool = False) -> list[Partition]:
    """Attached partitions, months in order, the default last."""
    found = []
    for name, bound in _rows("SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i "
                             "JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = to_regclass(%s)",
                             [spec.table]):
        lower, upper = _bounds(bound)
        rows = _rows(f"SELECT count(*) FROM {_q(name)}")[0][0] if count_rows else None
        found.append(Partition(name, lower, upper, rows))
    return sorted(found, key=lambda p: (p.lower is None, p.lower or date.min))


def _bounds(expr: str) -> tuple[date | None, date | None]:
    """`FOR VALUES FROM ('2025-12-31 17:00:00+00') TO (...)` → the two local days; DEFAULT → (None, None)."""
    if expr == "DEFAULT":
        return None, None
    parts = expr.split("'")
    return tuple(timezone.localtime(datetime.fromisoformat(parts[i])).date() for i in (1, 3))


def _create_month(spec: Spec, lower: date) -> str:
    name, upper = partition_name(spec, lower), add_months(lower, 1)
    _run(f"CREATE TABLE {_q(name)} PARTITION OF {_q(spec.table)} "
         f"FOR VALUES FROM ({_literal(lower)}) TO ({_literal(upper)})")
    return name


def _literal(day: date) -> str:
    """Partition bounds must be constants: the local midnight as a timestamptz literal."""
    moment = timezone.make_aware(datetime(day.year, day.month, day.day))
    return f"'{moment.isoformat()}'"


def _local_month(column: str) -> str:
    return f"date_trunc('month', {column} AT TIME ZONE '{timezone.get_current_timezone_name()}')::date"


# -- convert ------------------------------------------------------------------------------------------------------
def convert(spec: Spec, ahead: int = 3) -> int:
    """Partition `spec`'s table by month; returns how many monthly partitions it got. Refused when it already is."""
    _require_postgresql()
    if is_partitioned(spec):
        raise PartitionError(_("Bảng %(t)s đã được phân vùng theo tháng.") % {"t": spec.table})
    table, old = spec.table, f"{spec.table}_unpartitioned"
    with transaction.atomic():
        # Deferred foreign-key checks still pending on the old table (rows written earlier in this transaction)
        # would forbid dropping it: run them now.
        _run(f"LOCK TABLE {_q(table)} IN ACCESS EXCLUSIVE MODE", "SET CONSTRAINTS ALL IMMEDIATE")
        _refuse_referenced(table)
        keys, foreign, indexes = _definitions(table, spec.column)
        first = _rows(f"SELECT min({_local_month(_q(spec.column))}) FROM {_q(table)}")[0][0]
        _run(f"ALTER TABLE {_q(table)} RENAME TO {_q(old)}",
             f"CREATE TABLE {_q(table)} (LIKE {_q(old)} INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING CONSTRAINTS)"
             f" PARTITION BY RANGE ({_q(spec.column)})",
             f"CREATE TABLE {_q(table + '_default')} PARTITION OF {_q(table)} DEFAULT")
        months = _months(first, ahead)
        for lower in months:
            _create_month(spec, lower)
        _run(f"INSERT INTO {_q(table)} SELECT * FROM {_q(old)}")
        _carry_sequence(old, table)
        _run(f"DROP TABLE {_q(old)}", *keys, *foreign, *indexes)
    return len(months)


def _refuse_referenced(table: str) -> None:
    referencing = _rows("SELECT conrelid::regclass::text FROM pg_constraint WHERE confrelid = to_regclass(%s)",
                        [table])
    if referencing:
        raise PartitionError(_("Không phân vùng được %(t)s: bảng %(r)s tham chiếu tới nó.")
                             % {"t": table, "r": ", ".join(r[0] for r in referencing)})


def _definitions(table: str, column: str) -> tuple[list[str], list[str], list[str]]:
    """The statements that give the new parent the old table's keys (partition column added), foreign keys and
    other indexes, under the same names."""
    keys, foreign = [], []
    for name, kind, definition, columns in _rows(
            "SELECT conname, contype, pg_get_constraintdef(oid), ARRAY(SELECT attname FROM pg_attribute "
            "WHERE attrelid = conrelid AND attnum = ANY(conkey) ORDER BY array_position(conkey, attnum)) "
            "FROM pg_constraint WHERE conrelid = to_regclass(%s) AND contype IN ('p', 'u', 'f') ORDER BY conname",
            [table]):
        if kind == "f":
            foreign.append(f"ALTER TABLE {_q(table)} ADD CONSTRAINT {_q(name)} {definition}")
            continue
        cols = ", ".join(_q(c) for c in [*columns, *([column] if column not in columns else [])])
        keys.append(f"ALTER TABLE {_q(table)} ADD CONSTRAINT {_q(name)} "
                    f"{'PRIMARY KEY' if kind == 'p' else 'UNIQUE'} ({cols})")
    return keys, foreign, [definition for _name, definition in secondary_indexes(table)]


def secondary_indexes(table: str) -> list[tuple[str, str]]:
    """(name, CREATE INDEX statement) of the table's indexes that back no constraint."""
    return _rows("SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = "
                 "i.indexrelid WHERE i.indrelid = to_regclass(%s) AND NOT EXISTS (SELECT 1 FROM pg_constraint "
                 "WHERE conindid = i.indexrelid) ORDER BY i.indexrelid", [table])


def _months(first: date | None, ahead: int) -> list[date]:
    this = month_start(timezone.localdate())
    start, end = min(first or this, this), add_months(this, ahead)
    out = []
    while start <= end:
        out.append(start)
        start = add_months(start, 1)
    return out


def _carry_sequence(old: str, table: str) -> None:
    """The new identity sequence continues where the old one was, never below an id already used."""
    _run(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), greatest("
         f"(SELECT last_value FROM {_sequence_of(old)}), (SELECT coalesce(max(id), 0) FROM {_q(table)}), 1))")


def _sequence_of(table: str) -> str:
    return _rows("SELECT pg_get_serial_sequence(%s, 'id')", [table])[0][0]


# -- ensure -------------------------------------------------------------------------------------------------------
def ensure(spec: Spec, ahead: int = 3) -> list[str]:
    """Create the missing months up to `ahead` months after this one, and a month for every row that fell into the
    default partition; returns the partitions created."""
    _require_postgresql()
    _require_partitioned(spec)
    created = []
    with transaction.atomic():
        have = {p.lower for p in partitions(spec) if p.lower}
        default = f"{spec.table}_default"
        stray = [r[0] for r in _rows(f"SELECT DISTINCT {_local_month(_q(spec.column))} FROM {_q(default)}")]
        for lower in sorted(set(stray) - have):
            created.append(_month_from_default(spec, lower, default))
        for lower in _months(max(have, default=None), ahead):
            if lower not in have and lower not in stray:
                created.append(_create_month(spec, lower))
    return created


def _month_from_default(spec: Spec, lower: date, default: str) -> str:
    """A month whose rows sit in the default partition: build it beside, move the rows, attach it."""
    name, upper = partition_name(spec, lower), add_months(lower, 1)
    where = f"{_q(spec.column)} >= {_literal(lower)} AND {_q(spec.column)} < {_literal(upper)}"
    _run(f"CREATE TABLE {_q(name)} (LIKE {_q(spec.table)} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)",
         f"WITH moved AS (DELETE FROM {_q(default)} WHERE {where} RETURNING *) INSERT INTO {_q(name)} "
         f"SELECT * FROM moved",
         f"ALTER TABLE {_q(spec.table)} ATTACH PARTITION {_q(name)} FOR VALUES FROM ({_literal(lower)}) "
         f"TO ({_literal(upper)})")
    return name


def _require_partitioned(spec: Spec) -> None:
    if not is_partitioned(spec):
        raise PartitionError(_("Bảng %(t)s chưa được phân vùng: chạy «motcua partitions convert» trước.")
                             % {"t": spec.table})


# -- detach -------------------------------------------------------------------------------------------------------
def detach(spec: Spec, before: date) -> list[str]:
    """Detach every month that ends on or before `before` (a month's first day), oldest first; returns the tables
    detached. Refused while the default partition still holds rows older than `before` (run `ensure` first)."""
    _require_postgresql()
    _require_partitioned(spec)
    before = month_start(before)
    if before > add_months(month_start(timezone.localdate()), -1):
        raise PartitionError(_("Chỉ tách được các tháng đã qua, trước tháng trước."))
    done = []
    with transaction.atomic():
        _run(f"LOCK TABLE {_q(spec.table)} IN SHARE ROW EXCLUSIVE MODE")
        default = f"{spec.table}_default"
        if _rows(f"SELECT 1 FROM {_q(default)} WHERE {_q(spec.column)} < {_literal(before)} LIMIT 1"):
            raise PartitionError(_("Phân vùng mặc định còn bản ghi trước %(m)s: chạy «motcua partitions ensure» "
                                   "trước.") % {"m": f"{before:%m/%Y}"})
        leaving = [p for p in partitions(spec) if p.upper is not None and p.upper <= before]
        audit = spec.model is AuditRecord and bool(leaving)
        if audit:
            from motcua.audit import archive

            archive.require_intact()
        for part in leaving:
            if audit:
                archive.seal_partition(part.table, part.lower, part.upper)
            _run(f"ALTER TABLE {_q(spec.table)} DETACH PARTITION {_q(part.table)}")
            done.append(part.table)
    return done
