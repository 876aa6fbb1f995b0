"""Append-only, hash-chained audit records (see docs/audit.md).

One chain per *stream* ("dossier:<code>", "catalog", "calendar", "accounts", "agencies"): a writer locks only its
stream's head row, so writers of different dossiers never wait for each other. Checkpoints periodically seal the
heads of every stream that moved, chained by hash, so deleting a whole stream (or its tail) is detected too.

The ORM refuses to change or delete these rows; only `services.record()` and `checkpoints.checkpoint()` add them.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.audit.canonical import GENESIS, record_hash


class AuditImmutable(Exception):
    """An attempt to change or delete an audit row through the ORM."""


def _refuse(*args, **kwargs):
    raise AuditImmutable(_("Nhật ký kiểm toán chỉ được ghi thêm, không được sửa hoặc xoá."))


class AppendOnlyQuerySet(models.QuerySet):
    """Bulk writes bypass the chain (update/delete) or the hashing (bulk_create): refused."""

    update = _refuse
    delete = _refuse
    bulk_update = _refuse
    bulk_create = _refuse
    update_or_create = _refuse
    _raw_delete = _refuse


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True
        base_manager_name = "objects"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            _refuse()
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        _refuse()


class StreamHead(models.Model):
    """The tip of one stream: locked (SELECT ... FOR UPDATE) by each writer of that stream only."""

    stream = models.CharField(max_length=200, primary_key=True)
    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS)

    class Meta:
        verbose_name = _("đầu luồng nhật ký")
        verbose_name_plural = _("đầu luồng nhật ký")

    def __str__(self) -> str:
        return f"{self.stream}#{self.last_seq}"


class AuditRecord(AppendOnlyModel):
    # Indexed through the unique (stream, seq) constraint, whose leading column is stream.
    stream = models.CharField(_("luồng"), max_length=200)
    seq = models.PositiveBigIntegerField(_("số thứ tự"))
    at = models.DateTimeField(_("thời điểm"))
    # PROTECT: a person who has acted is deactivated, never erased, or the chain would lose who did it.
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người thực hiện"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    actor_label = models.CharField(_("tác nhân"), max_length=150)
    action = models.CharField(_("hành động"), max_length=64, db_index=True)
    target_type = models.CharField(_("loại đối tượng"), max_length=64)
    target_id = models.CharField(_("mã đối tượng"), max_length=200)
    old = models.JSONField(_("giá trị cũ"), null=True, blank=True)
    new = models.JSONField(_("giá trị mới"), null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("bản ghi nhật ký kiểm toán")
        verbose_name_plural = _("nhật ký kiểm toán")
        constraints = [models.UniqueConstraint(fields=["stream", "seq"], name="audit_stream_seq_uniq")]
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target_idx")]

    def __str__(self) -> str:
        return f"{self.stream}#{self.seq} {self.action}"

    def compute_hash(self) -> str:
        return record_hash(stream=self.stream, seq=self.seq, at=self.at, actor_id=self.actor_id,
                           actor_label=self.actor_label, action=self.action, target_type=self.target_type,
                           target_id=self.target_id, old=self.old, new=self.new, prev_hash=self.prev_hash)


class AuditCheckpoint(AppendOnlyModel):
    """Seals the heads of every stream that moved since the previous checkpoint. stream_count/record_count are
    running totals of the sealed state (derived from the entries, so they are checkable arithmetic)."""

    seq = models.PositiveBigIntegerField(unique=True)
    at = models.DateTimeField()
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    streams_digest = models.CharField(max_length=64)
    stream_count = models.PositiveBigIntegerField()
    record_count = models.PositiveBigIntegerField()
    entry_count = models.PositiveBigIntegerField()

    class Meta:
        verbose_name = _("điểm niêm phong nhật ký")
        verbose_name_plural = _("điểm niêm phong nhật ký")

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash[:12]}"


class CheckpointEntry(AppendOnlyModel):
    """One stream's head as sealed by checkpoint ``checkpoint_seq``; prev_seq is what earlier checkpoints had
    sealed for that stream (0 for a stream sealed for the first time). Entries are written before their
    checkpoint row (whose hash covers their digest), hence a plain seq and not a foreign key."""

    checkpoint_seq = models.PositiveBigIntegerField(db_index=True)
    stream = models.CharField(max_length=200)
    last_seq = models.PositiveBigIntegerField()
    last_hash = models.CharField(max_length=64)
    prev_seq = models.PositiveBigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["stream", "last_seq"], name="audit_entry_stream_idx")]

    def __str__(self) -> str:
        return f"#{self.checkpoint_seq} {self.stream}@{self.last_seq}"


class ArchivedPartition(AppendOnlyModel):
    """A month of audit records detached from the live table (`motcua partitions detach`). Its counts and
    digests are repeated in an audit record of stream "audit", so the archive row cannot be forged or dropped
    unnoticed; the detached table may stay in the database or be dumped and dropped."""

    table = models.CharField(max_length=63, unique=True)
    lower = models.DateField()
    upper = models.DateField()
    record_count = models.PositiveBigIntegerField()
    records_digest = models.CharField(max_length=64)
    boundary_count = models.PositiveBigIntegerField()
    boundaries_digest = models.CharField(max_length=64)
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("tháng nhật ký đã lưu trữ")
        verbose_name_plural = _("các tháng nhật ký đã lưu trữ")

    def __str__(self) -> str:
        return self.table


class ArchiveBoundary(AppendOnlyModel):
    """The last record of one stream inside an archived month: the live chain of that stream resumes after it."""

    archive = models.ForeignKey(ArchivedPartition, on_delete=models.PROTECT, related_name="boundaries")
    stream = models.CharField(max_length=200)
    last_seq = models.PositiveBigIntegerField()
    last_hash = models.CharField(max_length=64)

    class Meta:
        indexes = [models.Index(fields=["stream", "last_seq"], name="audit_boundary_stream_idx")]

    def __str__(self) -> str:
        return f"{self.stream}@{self.last_seq}"
