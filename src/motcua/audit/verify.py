"""`verify()`: walk every stream and the checkpoint chain; report what was altered, removed or reordered.

Streams are read in one ordered, chunked pass (values_list + iterator: no model instances, constant memory), heads
are compared in batches, and checkpoint entries are checked against the records in one anti-join query.
"""

from dataclasses import dataclass, field

from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from motcua.audit.canonical import GENESIS, StreamsDigest, record_hash
from motcua.audit.checkpoints import compute_checkpoint_hash
from motcua.audit.models import (
    ArchiveBoundary,
    ArchivedPartition,
    AuditCheckpoint,
    AuditRecord,
    CheckpointEntry,
    StreamHead,
)

CHUNK = 2000
MAX_PROBLEMS = 1000  # kept in detail; beyond that only counted
RECORD_FIELDS = ("id", "stream", "seq", "at", "actor_id", "actor_label", "action", "target_type", "target_id",
                 "old", "new", "prev_hash", "hash")


@dataclass
class Problem:
    kind: str  # record | gap | head | checkpoint | entry | anchor | archive
    message: str
    stream: str | None = None
    seq: int | None = None
    record_id: int | None = None

    def __str__(self) -> str:
        where = []
        if self.stream is not None:
            where.append(_("luồng %(stream)s") % {"stream": self.stream})
        if self.seq is not None:
            where.append(_("số thứ tự %(seq)s") % {"seq": self.seq})
        if self.record_id is not None:
            where.append(f"id={self.record_id}")
        return f"[{', '.join(where)}] {self.message}" if where else self.message


@dataclass
class VerifyResult:
    records: int = 0
    streams: int = 0
    checkpoints: int = 0
    problem_count: int = 0
    problems: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    @property
    def first(self) -> Problem | None:
        return self.problems[0] if self.problems else None

    def add(self, kind: str, message: str, **where) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(kind, message, **where))


def verify(using: str = "default", anchor: tuple[int, str] | None = None) -> VerifyResult:
    """Check every chain, every head and every checkpoint. ``anchor`` = (checkpoint seq, hash) kept outside the
    database (printed by `motcua audit checkpoint`), to detect a rewrite of the checkpoints themselves."""
    result = VerifyResult()
    archived = _check_archives(result, using)
    _walk_streams(result, using, archived)
    _orphan_heads(result, using)
    _walk_checkpoints(result, using, anchor)
    _check_entries(result, using)
    return result


class _StreamWalk:
    """State of the chain being walked; heads are compared in batches when streams end."""

    def __init__(self, result: VerifyResult, using: str, archived: bool = False):
        self.result, self.using, self.pending, self.resumed = result, using, [], []
        self.stream, self.archived = None, archived

    def start(self, stream: str) -> None:
        self.end()
        if len(self.pending) >= CHUNK:
            self.flush()
        self.stream, self.expected, self.prev, self.last = stream, 1, GENESIS, None
        self.result.streams += 1

    def end(self) -> None:
        if self.stream is not None:
            self.pending.append((self.stream, *self.last))

    def flush(self) -> None:
        self._flush_resumed()
        heads = {h.stream: h for h in StreamHead.objects.using(self.using).filter(
            stream__in=[p[0] for p in self.pending])}
        for stream, seq, digest, rec_id in self.pending:
            head = heads.get(stream)
            if head is None:
                self.result.add("head", _("Mất đầu luồng (StreamHead) của luồng này."), stream=stream)
            elif head.last_seq != seq or head.last_hash != digest:
                self.result.add("head", _("Đầu luồng ghi số thứ tự %(head)s nhưng bản ghi cuối còn lại là %(seq)s "
                                          "(bản ghi cuối bị xoá hoặc bị sửa).") % {"head": head.last_seq, "seq": seq},
                                stream=stream, seq=seq, record_id=rec_id)
        self.pending = []

    def _flush_resumed(self) -> None:
        """A chain that starts past 1 must resume right after its last archived record."""
        if not self.resumed:
            return
        last = {}
        for stream, seq, digest in ArchiveBoundary.objects.using(self.using).filter(
                stream__in=[r[0] for r in self.resumed]).order_by("last_seq").values_list(
                "stream", "last_seq", "last_hash"):
            last[stream] = (seq, digest)
        for stream, seq, prev_hash, rec_id in self.resumed:
            where = {"stream": stream, "seq": seq, "record_id": rec_id}
            if stream not in last or last[stream][0] != seq - 1:
                self.result.add("gap", _("Thiếu hoặc đảo thứ tự bản ghi: mong đợi số thứ tự %(expected)s, gặp "
                                         "%(seq)s.") % {"expected": last.get(stream, (0,))[0] + 1, "seq": seq}, **where)
            elif last[stream][1] != prev_hash:
                self.result.add("record", _("Liên kết băm với bản ghi cuối đã lưu trữ bị đứt."), **where)
        self.resumed = []

    def check(self, row: tuple) -> None:
        rec_id, stream, seq, at, actor_id, label, action, ttype, tid, old, new, prev_hash, digest = row
        where = {"stream": stream, "seq": seq, "record_id": rec_id}
        if self.archived and self.last is None and seq != 1:
            self.resumed.append((stream, seq, prev_hash, rec_id))  # its first records may be archived: checked later
        elif seq != self.expected:
            self.result.add("gap", _("Thiếu hoặc đảo thứ tự bản ghi: mong đợi số thứ tự %(expected)s, gặp %(seq)s.")
                            % {"expected": self.expected, "seq": seq}, **where)
        elif prev_hash != self.prev:
            self.result.add("record", _("Liên kết băm với bản ghi trước bị đứt (bản ghi trước bị sửa hoặc thay)."),
                            **where)
        computed = record_hash(stream=stream, seq=seq, at=at, actor_id=actor_id, actor_label=label, action=action,
                               target_type=ttype, target_id=tid, old=old, new=new, prev_hash=prev_hash)
        if computed != digest:
            self.result.add("record", _("Nội dung bản ghi không khớp mã băm (bản ghi bị sửa)."), **where)
        self.expected, self.prev, self.last = seq + 1, digest, (seq, digest, rec_id)
        self.result.records += 1


def _walk_streams(result: VerifyResult, using: str, archived: bool) -> None:
    walk = _StreamWalk(result, using, archived)
    rows = AuditRecord.objects.using(using).order_by("stream", "seq").values_list(*RECORD_FIELDS)
    for row in rows.iterator(chunk_size=CHUNK):
        if row[1] != walk.stream:
            walk.start(row[1])
        walk.check(row)
    walk.end()
    if walk.pending or walk.resumed:
        walk.flush()


def _orphan_heads(result: VerifyResult, using: str) -> None:
    """Heads that count records none of which remain: the whole stream was deleted."""
    records = AuditRecord.objects.using(using).filter(stream=OuterRef("stream"))
    archived = ArchiveBoundary.objects.using(using).filter(stream=OuterRef("stream"), last_seq=OuterRef("last_seq"),
                                                           last_hash=OuterRef("last_hash"))
    orphans = (StreamHead.objects.using(using).filter(last_seq__gt=0).filter(~Exists(records), ~Exists(archived))
               .order_by("stream").values_list("stream", "last_seq")[:MAX_PROBLEMS])
    for stream, last_seq in orphans:
        result.add("head", _("Đầu luồng ghi %(n)s bản ghi nhưng không còn bản ghi nào (cả luồng bị xoá).")
                   % {"n": last_seq}, stream=stream)


class _Peek:
    def __init__(self, iterable):
        self.it, self.head = iter(iterable), None
        self.advance()

    def advance(self):
        self.head = next(self.it, None)


def _walk_checkpoints(result: VerifyResult, using: str, anchor) -> None:
    entries = _Peek(CheckpointEntry.objects.using(using).order_by("checkpoint_seq", "id").values_list(
        "checkpoint_seq", "stream", "last_seq", "last_hash", "prev_seq").iterator(chunk_size=CHUNK))
    prev_hash, expected, streams, records = GENESIS, 1, 0, 0
    anchored = anchor is None
    for cp in AuditCheckpoint.objects.using(using).order_by("seq").iterator(chunk_size=CHUNK):
        result.checkpoints += 1
        while entries.head is not None and entries.head[0] < cp.seq:
            result.add("checkpoint", _("Mục niêm phong thuộc điểm niêm phong %(seq)s không tồn tại.")
                       % {"seq": entries.head[0]}, stream=entries.head[1])
            entries.advance()
        digest, count, new_streams, new_records = StreamsDigest(), 0, 0, 0
        while entries.head is not None and entries.head[0] == cp.seq:
            _cs, stream, last_seq, last_hash, prev_seq = entries.head
            digest.add(stream, last_seq, last_hash, prev_seq)
            count, new_streams, new_records = count + 1, new_streams + (prev_seq == 0), new_records + last_seq - prev_seq
            entries.advance()
        streams, records = streams + new_streams, records + new_records
        bad = []
        if cp.seq != expected:
            bad.append(_("thiếu điểm niêm phong trước đó (mong đợi số %(n)s)") % {"n": expected})
        if cp.prev_hash != prev_hash:
            bad.append(_("liên kết băm với điểm niêm phong trước bị đứt"))
        if (digest.hexdigest(), count) != (cp.streams_digest, cp.entry_count):
            bad.append(_("danh sách luồng được niêm phong bị sửa"))
        if (streams, records) != (cp.stream_count, cp.record_count):
            bad.append(_("tổng số luồng/bản ghi không khớp các mục niêm phong"))
        if compute_checkpoint_hash(cp) != cp.hash:
            bad.append(_("nội dung điểm niêm phong không khớp mã băm"))
        if bad:
            result.add("checkpoint", _("Điểm niêm phong %(seq)s: %(what)s.") % {"seq": cp.seq, "what": "; ".join(bad)})
        if anchor is not None and cp.seq == anchor[0]:
            anchored = True
            if cp.hash != anchor[1]:
                result.add("anchor", _("Điểm niêm phong %(seq)s không khớp mã băm đã lưu bên ngoài.") % {"seq": cp.seq})
        prev_hash, expected = cp.hash, cp.seq + 1
    if entries.head is not None:
        result.add("checkpoint", _("Mục niêm phong thuộc điểm niêm phong %(seq)s không tồn tại.")
                   % {"seq": entries.head[0]}, stream=entries.head[1])
    if not anchored:
        result.add("anchor", _("Không còn điểm niêm phong %(seq)s đã lưu bên ngoài.") % {"seq": anchor[0]})


def _check_entries(result: VerifyResult, using: str) -> None:
    """Every sealed (stream, seq, hash) must still be there: catches deleted streams and truncated tails."""
    rec_hash = Subquery(AuditRecord.objects.using(using).filter(stream=OuterRef("stream"), seq=OuterRef("last_seq"))
                        .values("hash")[:1])
    archived = ArchiveBoundary.objects.using(using).filter(stream=OuterRef("stream"), last_seq__gte=OuterRef("last_seq"))
    broken = (CheckpointEntry.objects.using(using).annotate(rec_hash=rec_hash)
              .filter(Q(rec_hash__isnull=True) | ~Q(rec_hash=F("last_hash"))).filter(~Exists(archived))
              .order_by("checkpoint_seq", "id").values_list("checkpoint_seq", "stream", "last_seq", "rec_hash"))
    for cp_seq, stream, last_seq, found in broken[:MAX_PROBLEMS]:
        if found is None:
            msg = _("Bản ghi đã được điểm niêm phong %(cp)s niêm phong không còn (bị xoá).") % {"cp": cp_seq}
        else:
            msg = _("Bản ghi khác với bản đã được điểm niêm phong %(cp)s niêm phong.") % {"cp": cp_seq}
        result.add("entry", msg, stream=stream, seq=last_seq)


def _check_archives(result: VerifyResult, using: str) -> bool:
    """Each archived month matches the audit record that sealed it, and so do its boundaries and, while the
    detached table is still in the database, its records. Returns whether any month was ever archived."""
    from motcua.audit.archive import (
        ARCHIVE_ACTION,
        ARCHIVE_STREAM,
        boundaries_digest,
        describe,
        records_digest,
    )

    sealed = {r.target_id: r.new for r in AuditRecord.objects.using(using).filter(
        stream=ARCHIVE_STREAM, action=ARCHIVE_ACTION)}
    told_any = bool(sealed)
    for archive in ArchivedPartition.objects.using(using).order_by("id"):
        told = sealed.pop(archive.table, None)
        if told != describe(archive):
            result.add("archive", _("Tháng lưu trữ %(t)s không khớp bản ghi niêm phong của nó.") % {"t": archive.table})
        elif boundaries_digest(archive) != (archive.boundary_count, archive.boundaries_digest):
            result.add("archive", _("Các điểm nối của tháng lưu trữ %(t)s bị sửa.") % {"t": archive.table})
        elif _table_exists(archive.table, using) and \
                records_digest(archive.table, using) != (archive.record_count, archive.records_digest):
            result.add("archive", _("Bảng lưu trữ %(t)s bị sửa sau khi tách.") % {"t": archive.table})
    for table in sealed:
        result.add("archive", _("Mất bản ghi tháng lưu trữ %(t)s.") % {"t": table})
    return told_any


def _table_exists(table: str, using: str) -> bool:
    from django.db import connections

    with connections[using].cursor() as cur:
        return table in connections[using].introspection.table_names(cur)
