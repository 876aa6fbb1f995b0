"""Writing the audit trail: `record()` appends to one stream's chain; `track_model()` audits a model's writes.

`checkpoint()` and `verify()` live in their own modules and are re-exported here for callers.
"""

import json

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.audit import context
from motcua.audit.canonical import GENESIS, record_hash, to_jsonable
from motcua.audit.models import AuditRecord, StreamHead

MAX_LENGTHS = {"stream": 200, "action": 64, "target_type": 64, "target_id": 200}
_HEAD = StreamHead._meta.db_table


class AuditError(ValueError):
    """Bad use of the audit API; ``field`` names the offending argument."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def _check_text(field: str, value) -> str:
    value = "" if value is None else str(value)
    if not value:
        raise AuditError(_("Thiếu giá trị bắt buộc: %(field)s.") % {"field": field}, field)
    if len(value) > MAX_LENGTHS[field]:
        raise AuditError(_("Giá trị %(field)s dài quá %(max)s ký tự.") % {"field": field, "max": MAX_LENGTHS[field]},
                         field)
    return value


def _tip(conn, stream: str) -> tuple[int, str] | None:
    """The stream head (last seq, last hash), row-locked until commit; None for a new stream."""
    lock = " FOR UPDATE" if conn.features.has_select_for_update else ""
    with conn.cursor() as cur:
        cur.execute(f"SELECT last_seq, last_hash FROM {_HEAD} WHERE stream = %s{lock}", [stream])
        row = cur.fetchone()
    return (int(row[0]), row[1]) if row else None


def _move_head(conn, stream: str, seq: int, digest: str, *, new: bool) -> bool:
    """Point the head at the appended record. A new stream's head is inserted with ON CONFLICT DO NOTHING, which
    makes creation race-safe without a savepoint: of two writers of a new stream one inserts, the other (after the
    winner commits, on PostgreSQL) inserts nothing and gets False — it must read the tip again and re-chain."""
    with conn.cursor() as cur:
        if new:
            cur.execute(f"INSERT INTO {_HEAD} (stream, last_seq, last_hash) VALUES (%s, %s, %s) "
                        f"ON CONFLICT (stream) DO NOTHING", [stream, seq, digest])
            return cur.rowcount == 1
        cur.execute(f"UPDATE {_HEAD} SET last_seq = %s, last_hash = %s WHERE stream = %s", [seq, digest, stream])
        return True


def _insert(conn, rec: AuditRecord, using: str) -> None:
    """INSERT the record through the fields' own value preparation (exactly what Model.save() would store),
    without building an ORM query: this runs once per dossier transition."""
    fields = [f for f in AuditRecord._meta.concrete_fields if not f.primary_key]
    qn = conn.ops.quote_name
    sql = (f"INSERT INTO {qn(AuditRecord._meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) "
           f"VALUES ({', '.join(['%s'] * len(fields))}) RETURNING {qn(AuditRecord._meta.pk.column)}")
    with conn.cursor() as cur:
        cur.execute(sql, [f.get_db_prep_save(getattr(rec, f.attname), conn) for f in fields])
        rec.pk = cur.fetchone()[0]
    rec._state.adding, rec._state.db = False, using


def record(stream: str, action: str, *, actor=None, target_type: str, target_id, old: dict | None = None,
           new: dict | None = None, using: str = "default", new_stream: bool = False) -> AuditRecord:
    """Append one record to ``stream`` and return it. Must run inside the caller's transaction so the audited
    write and its record commit or roll back together. Three statements: lock the head (absent for a new
    stream), insert the record, move (or create) the head. ``new_stream=True`` (the caller has just created the
    target, e.g. a dossier at intake) skips the first: the head is created directly, and should it exist after
    all, its creation conflicts and the tip is read and locked as usual — a hint, never a risk to the chain."""
    conn = transaction.get_connection(using)
    if not conn.in_atomic_block:
        raise AuditError(_("Ghi nhật ký kiểm toán phải nằm trong giao dịch (transaction.atomic) của thao tác."))
    stream = _check_text("stream", stream)
    fields = {"action": _check_text("action", action), "target_type": _check_text("target_type", target_type),
              "target_id": _check_text("target_id", target_id)}
    user, label = context.resolve(actor)
    rec = AuditRecord(stream=stream, at=timezone.now(), actor=user, actor_label=label[:150], old=to_jsonable(old),
                      new=to_jsonable(new), **fields)
    tip = None if new_stream else _tip(conn, stream)
    for _attempt in range(2):
        rec.seq, rec.prev_hash = (tip[0] + 1, tip[1]) if tip else (1, GENESIS)
        rec.hash = rec.compute_hash()
        if _move_head(conn, stream, rec.seq, rec.hash, new=tip is None):
            _insert(conn, rec, using)
            return rec
        tip = _tip(conn, stream)  # a concurrent writer created the stream first: chain after its record
    raise AuditError(_("Không ghi được nhật ký kiểm toán do xung đột đồng thời; hãy thử lại."))


def record_bulk(entries, *, actor=None, using: str = "default") -> int:
    """Append many records in one go (bulk imports). Each entry is a dict with stream, action, target_type,
    target_id and optionally old/new; entries of one stream are chained in the given order after that stream's
    current head (a new stream starts at seq 1). Same rules as `record()`: inside the caller's transaction, heads
    of existing streams row-locked. The hashes are computed here and the rows written with one multi-row insert
    (COPY on PostgreSQL) — the only bulk write the append-only manager does not see. Returns the number written."""
    entries = list(entries)
    conn = transaction.get_connection(using)
    if not conn.in_atomic_block:
        raise AuditError(_("Ghi nhật ký kiểm toán phải nằm trong giao dịch (transaction.atomic) của thao tác."))
    if not entries:
        return 0
    user, label = context.resolve(actor)
    label, at, actor_id = label[:150], timezone.now(), getattr(user, "pk", None)
    streams = list(dict.fromkeys(_check_text("stream", e.get("stream")) for e in entries))
    tips = {h.stream: (h.last_seq, h.last_hash)
            for h in StreamHead.objects.using(using).select_for_update().filter(stream__in=streams)}
    existing, rows, stamp = set(tips), [], conn.ops.adapt_datetimefield_value(at)
    for e in entries:
        stream, fields = e["stream"], [_check_text(k, e.get(k)) for k in ("action", "target_type", "target_id")]
        seq, prev = tips.get(stream, (0, GENESIS))
        old, new = _jsonable(e.get("old")), _jsonable(e.get("new"))
        digest = record_hash(stream=stream, seq=seq + 1, at=at, actor_id=actor_id, actor_label=label,
                             action=fields[0], target_type=fields[1], target_id=fields[2], old=old, new=new,
                             prev_hash=prev)
        tips[stream] = (seq + 1, digest)
        rows.append((stream, seq + 1, stamp, actor_id, label, *fields,
                     *(None if v is None else json.dumps(v, ensure_ascii=False) for v in (old, new)), prev, digest))
    # Heads written as rows too (no model instances, no query per stream): new streams inserted with the
    # records, existing heads (locked above) moved with one executemany.
    _bulk_insert(conn, AuditRecord, ("stream", "seq", "at", "actor", "actor_label", "action", "target_type",
                                     "target_id", "old", "new", "prev_hash", "hash"), rows)
    _bulk_insert(conn, StreamHead, ("stream", "last_seq", "last_hash"),
                 [(s, q, h) for s, (q, h) in tips.items() if s not in existing])
    if existing:
        with conn.cursor() as cur:
            cur.executemany(f"UPDATE {_HEAD} SET last_seq = %s, last_hash = %s WHERE stream = %s",
                            [(*tips[s], s) for s in sorted(existing)])
    return len(rows)


_PLAIN = frozenset({str, int, bool, type(None)})


def _jsonable(value):
    """`to_jsonable`, without the walk for a flat dict of plain values (str keys; str, int, bool or None values;
    no NUL), which it would return as it is: a bulk import sends one such payload per record."""
    if type(value) is dict and all(type(k) is str and "\x00" not in k and type(v) in _PLAIN
                                   and not (type(v) is str and "\x00" in v) for k, v in value.items()):
        return value
    return to_jsonable(value)


def _bulk_insert(conn, model, names: tuple[str, ...], rows: list[tuple]) -> None:
    """Plain multi-row insert of ready column values: COPY on PostgreSQL (its errors raised as Django's, like
    any query's), executemany elsewhere."""
    if not rows:
        return
    qn = conn.ops.quote_name
    table = qn(model._meta.db_table)
    cols = ", ".join(qn(model._meta.get_field(n).column) for n in names)
    with conn.cursor() as cur, conn.wrap_database_errors:
        if conn.vendor == "postgresql":
            with cur.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cur.executemany(f"INSERT INTO {table} ({cols}) VALUES ({', '.join(['%s'] * len(names))})", rows)


def stream_records(stream: str):
    """The records of one stream in chain order (for history pages and exports)."""
    return AuditRecord.objects.filter(stream=stream).order_by("seq")


# Re-exported so callers need only `motcua.audit.services`.
from motcua.audit.checkpoints import checkpoint  # noqa: E402
from motcua.audit.tracking import track_model, untrack_model  # noqa: E402
from motcua.audit.verify import verify  # noqa: E402

__all__ = ["AuditError", "checkpoint", "record", "record_bulk", "stream_records", "track_model", "untrack_model",
           "verify"]
