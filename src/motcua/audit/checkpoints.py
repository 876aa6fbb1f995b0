"""Checkpoints: periodic seals over all streams, chained by hash (see docs/audit.md).

A checkpoint lists only the streams whose head moved since they were last sealed (so an hourly checkpoint of a
province costs the streams touched in that hour, not all of them). Its running totals (streams and records
sealed so far) are derived from its entries, so `verify` can recheck them by arithmetic.
"""

from django.db import IntegrityError, models, transaction
from django.db.models import F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.audit.canonical import GENESIS, StreamsDigest, checkpoint_hash
from motcua.audit.models import AuditCheckpoint, CheckpointEntry, StreamHead

PAGE = 5000


def _changed_heads(using: str, after: str | None):
    """Next page (by stream, compared by the database) of heads ahead of what was last sealed for them."""
    sealed = (CheckpointEntry.objects.using(using).filter(stream=OuterRef("stream"))
              .order_by("-last_seq").values("last_seq")[:1])
    heads = (StreamHead.objects.using(using)
             .annotate(sealed=Coalesce(Subquery(sealed), Value(0), output_field=models.BigIntegerField()))
             .filter(last_seq__gt=F("sealed")))
    if after is not None:
        heads = heads.filter(stream__gt=after)
    return list(heads.order_by("stream").values_list("stream", "last_seq", "last_hash", "sealed")[:PAGE])


def _seal_entries(using: str, seq: int) -> tuple:
    """Write this checkpoint's entries page by page; return (digest, entries, new streams, new records)."""
    digest, entries, new_streams, new_records, after = StreamsDigest(), 0, 0, 0, None
    while page := _changed_heads(using, after):
        rows = [CheckpointEntry(checkpoint_seq=seq, stream=s, last_seq=n, last_hash=h, prev_seq=p)
                for s, n, h, p in page]
        models.QuerySet.bulk_create(CheckpointEntry.objects.using(using).all(), rows)  # our own insert path
        for s, n, h, p in page:
            digest.add(s, n, h, p)
            new_streams += p == 0
            new_records += n - p
        entries += len(page)
        after = page[-1][0]
    return digest.hexdigest(), entries, new_streams, new_records


def checkpoint(using: str = "default") -> AuditCheckpoint:
    """Seal every stream that moved since the last checkpoint; returns the new checkpoint. Two concurrent runs
    cannot both succeed: the second hits the unique checkpoint seq and rolls back."""
    try:
        with transaction.atomic(using=using):
            last = AuditCheckpoint.objects.using(using).select_for_update().order_by("-seq").first()
            seq = last.seq + 1 if last else 1
            digest, entries, new_streams, new_records = _seal_entries(using, seq)
            cp = AuditCheckpoint(seq=seq, at=timezone.now(), prev_hash=last.hash if last else GENESIS,
                                 streams_digest=digest, entry_count=entries,
                                 stream_count=(last.stream_count if last else 0) + new_streams,
                                 record_count=(last.record_count if last else 0) + new_records)
            cp.hash = compute_checkpoint_hash(cp)
            cp.save(using=using)
            return cp
    except IntegrityError as exc:
        from motcua.audit.services import AuditError

        raise AuditError(_("Một lần niêm phong nhật ký khác đang chạy; hãy thử lại.")) from exc


def compute_checkpoint_hash(cp: AuditCheckpoint) -> str:
    return checkpoint_hash(seq=cp.seq, at=cp.at, prev_hash=cp.prev_hash, streams_digest=cp.streams_digest,
                           stream_count=cp.stream_count, record_count=cp.record_count,
                           entry_count=cp.entry_count)
