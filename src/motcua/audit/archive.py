"""Sealing a month of audit records before it is detached from the live table (PostgreSQL partitions).

A stream whose first records leave with the month resumes, in the live table, after the last record it had in
that month: that (stream, seq, hash) is kept as an `ArchiveBoundary`, so `verify()` still checks the first live
link of every chain. The month's record count and a digest of its records (in id order), and a digest of its
boundaries, go into an `ArchivedPartition` row and into a record of stream "audit", which the checkpoints seal like
any other: removing or forging an archive row, or a boundary, is detected.
"""

import hashlib
from datetime import date

from django.db import connection, connections
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.audit.canonical import StreamsDigest
from motcua.audit.models import ArchiveBoundary, ArchivedPartition
from motcua.audit.services import AuditError, _bulk_insert, record

ARCHIVE_STREAM = "audit"
ARCHIVE_ACTION = "partition.archive"
CHUNK = 5000


def require_intact() -> None:
    """Months are sealed only from a trail that verifies: once before detaching any number of them."""
    from motcua.audit.verify import verify

    result = verify()
    if not result.ok:
        raise AuditError(_("Nhật ký kiểm toán không toàn vẹn, không lưu trữ được: %(first)s")
                         % {"first": result.first})


def seal_partition(table: str, lower: date, upper: date) -> ArchivedPartition:
    """Seal the audit partition `table` (records of [lower, upper)) inside the caller's transaction, just before it
    is detached, after `require_intact()`. Refused when the month is not a prefix of every chain it holds (a later
    month holds an earlier record of one of its streams)."""
    q = connection.ops.quote_name(table)
    _refuse_interleaved(q, upper)
    count, digest = records_digest(table)
    with connection.cursor() as cur:
        cur.execute(f"SELECT DISTINCT ON (stream) stream, seq, hash FROM {q} ORDER BY stream, seq DESC")
        boundaries = cur.fetchall()
    archive = ArchivedPartition.objects.create(
        table=table, lower=lower, upper=upper, record_count=count, records_digest=digest,
        boundary_count=len(boundaries), boundaries_digest=_digest(boundaries), at=timezone.now())
    # Written in this order, so their ids keep it: verify() digests them by id.
    _bulk_insert(connection, ArchiveBoundary, ("archive", "stream", "last_seq", "last_hash"),
                 [(archive.pk, *b) for b in boundaries])
    record(ARCHIVE_STREAM, ARCHIVE_ACTION, target_type="partition", target_id=table, new=describe(archive))
    return archive


def describe(archive: ArchivedPartition) -> dict:
    return {"lower": archive.lower.isoformat(), "upper": archive.upper.isoformat(), "records": archive.record_count,
            "records_digest": archive.records_digest, "boundaries": archive.boundary_count,
            "boundaries_digest": archive.boundaries_digest}


def _refuse_interleaved(q: str, upper: date) -> None:
    from motcua.audit.models import AuditRecord

    live = connection.ops.quote_name(AuditRecord._meta.db_table)
    with connection.cursor() as cur:
        cur.execute(f"SELECT m.stream FROM (SELECT stream, max(seq) AS seq FROM {q} GROUP BY stream) m WHERE EXISTS "
                    f"(SELECT 1 FROM {live} r WHERE r.stream = m.stream AND r.seq < m.seq AND r.at >= %s) LIMIT 1",
                    [timezone.make_aware(timezone.datetime(upper.year, upper.month, upper.day))])
        row = cur.fetchone()
    if row:
        raise AuditError(_("Luồng %(s)s có bản ghi của tháng sau đứng trước bản ghi của tháng cần lưu trữ; "
                           "không tách được tháng này.") % {"s": row[0]})


def records_digest(table: str, using: str = "default") -> tuple[int, str]:
    """Count and SHA-256 of (id, stream, seq, hash) of every record of `table`, in id order."""
    h, count = hashlib.sha256(), 0
    with connections[using].cursor() as cur:
        cur.execute(f"SELECT id, stream, seq, hash FROM {connection.ops.quote_name(table)} ORDER BY id")
        while rows := cur.fetchmany(CHUNK):
            for row in rows:
                h.update(("\t".join(map(str, row)) + "\n").encode("utf-8"))
            count += len(rows)
    return count, h.hexdigest()


def _digest(boundaries) -> str:
    digest = StreamsDigest()
    for stream, last_seq, last_hash in boundaries:
        digest.add(stream, last_seq, last_hash, 0)
    return digest.hexdigest()


def boundaries_digest(archive: ArchivedPartition) -> tuple[int, str]:
    """Count and digest of the boundaries stored for `archive`, in the order they were written."""
    rows = list(ArchiveBoundary.objects.filter(archive=archive).order_by("id")
                .values_list("stream", "last_seq", "last_hash").iterator(chunk_size=CHUNK))
    return len(rows), _digest(rows)
