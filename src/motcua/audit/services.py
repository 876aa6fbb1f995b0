"""Writing the audit trail: `record()` appends to one stream's chain; `track_model()` audits a model's writes.

`checkpoint()` and `verify()` live in their own modules and are re-exported here for callers.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.audit import context
from motcua.audit.canonical import to_jsonable
from motcua.audit.models import AuditRecord, StreamHead

MAX_LENGTHS = {"stream": 200, "action": 64, "target_type": 64, "target_id": 200}


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


def _lock_head(stream: str, using: str) -> StreamHead:
    """Row-lock the stream's head; create it first if the stream is new. INSERT ... ON CONFLICT DO NOTHING makes
    creation race-safe without a savepoint: two writers of a new stream both insert, one wins, both then lock the
    same row (the loser waits for the winner's commit and sees its seq)."""
    heads = StreamHead.objects.using(using).select_for_update()
    head = heads.filter(pk=stream).first()
    if head is None:
        StreamHead.objects.using(using).bulk_create([StreamHead(stream=stream)], ignore_conflicts=True)
        head = heads.filter(pk=stream).first()
    return head


def record(stream: str, action: str, *, actor=None, target_type: str, target_id, old: dict | None = None,
           new: dict | None = None, using: str = "default") -> AuditRecord:
    """Append one record to ``stream`` and return it. Must run inside the caller's transaction so the audited
    write and its record commit or roll back together. Three queries: lock head, insert record, move head."""
    if not transaction.get_connection(using).in_atomic_block:
        raise AuditError(_("Ghi nhật ký kiểm toán phải nằm trong giao dịch (transaction.atomic) của thao tác."))
    stream = _check_text("stream", stream)
    fields = {"action": _check_text("action", action), "target_type": _check_text("target_type", target_type),
              "target_id": _check_text("target_id", target_id)}
    user, label = context.resolve(actor)
    head = _lock_head(stream, using)
    rec = AuditRecord(stream=stream, seq=head.last_seq + 1, at=timezone.now(), actor=user,
                      actor_label=label[:150], old=to_jsonable(old), new=to_jsonable(new),
                      prev_hash=head.last_hash, **fields)
    rec.hash = rec.compute_hash()
    rec.save(using=using)
    StreamHead.objects.using(using).filter(pk=stream).update(last_seq=rec.seq, last_hash=rec.hash)
    return rec


def stream_records(stream: str):
    """The records of one stream in chain order (for history pages and exports)."""
    return AuditRecord.objects.filter(stream=stream).order_by("seq")


# Re-exported so callers need only `motcua.audit.services`.
from motcua.audit.checkpoints import checkpoint  # noqa: E402
from motcua.audit.tracking import track_model, untrack_model  # noqa: E402
from motcua.audit.verify import verify  # noqa: E402

__all__ = ["AuditError", "checkpoint", "record", "stream_records", "track_model", "untrack_model", "verify"]
