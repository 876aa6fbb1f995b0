"""PAKN (phản ánh, kiến nghị về quy định hành chính — Decree 20/2008): the register, its history, consultations,
attachments and citizens' votes on published answers.

Deadlines are stored on the row at the event that starts each clock (reception, approval) and copied into the
history row, so statistics read stored facts instead of recomputing with today's calendar.
"""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def hash_secret(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


class Channel(models.TextChoices):
    WEB = "web", _("Cổng dịch vụ công (trực tuyến)")
    PHONE = "phone", _("Điện thoại (đường dây nóng)")
    LETTER = "letter", _("Văn bản, thư gửi qua bưu chính")
    EMAIL = "email", _("Thư điện tử")
    FORWARDED = "forwarded", _("Cơ quan khác chuyển đến")


class Category(models.TextChoices):
    IN_COMPETENCE = "in_competence", _("Về quy định hành chính, thuộc thẩm quyền")
    OUT_OF_COMPETENCE = "out_of_competence", _("Về quy định hành chính, không thuộc thẩm quyền")
    BEHAVIOUR = "behaviour", _("Về hành vi của cơ quan, cán bộ (chậm trễ, nhũng nhiễu...)")
    NOT_RECEIVABLE = "not_receivable", _("Không đủ điều kiện thụ lý")


class Status(models.TextChoices):
    NEW = "new", _("Mới tiếp nhận, chờ phân loại")
    TO_FORWARD = "to_forward", _("Chờ chuyển cơ quan có thẩm quyền")
    HANDLING = "handling", _("Đang xử lý")
    SUPPLEMENT = "supplement", _("Chờ người gửi bổ sung thông tin")
    AWAITING_APPROVAL = "awaiting_approval", _("Chờ lãnh đạo duyệt trả lời")
    AWAITING_PUBLICATION = "awaiting_publication", _("Chờ công khai")
    PUBLISHED = "published", _("Đã công khai")
    FORWARDED = "forwarded", _("Đã chuyển cơ quan có thẩm quyền")
    REJECTED = "rejected", _("Từ chối, không thụ lý")


OPEN_STATUSES = frozenset({Status.NEW, Status.TO_FORWARD, Status.HANDLING, Status.SUPPLEMENT,
                           Status.AWAITING_APPROVAL, Status.AWAITING_PUBLICATION})


class Feedback(models.Model):
    code = models.CharField(_("mã PAKN"), max_length=64, unique=True)
    lookup_secret = models.CharField(max_length=64, editable=False)
    agency = models.ForeignKey("agencies.Agency", verbose_name=_("cơ quan tiếp nhận"), on_delete=models.PROTECT,
                               related_name="+", db_index=True)
    channel = models.CharField(_("kênh tiếp nhận"), max_length=16, choices=Channel.choices, default=Channel.WEB)
    category = models.CharField(_("phân loại"), max_length=24, choices=Category.choices, blank=True)
    status = models.CharField(_("trạng thái"), max_length=24, choices=Status.choices, default=Status.NEW,
                              db_index=True)

    title = models.CharField(_("tiêu đề"), max_length=255)
    content = models.TextField(_("nội dung"))
    anonymous = models.BooleanField(_("ẩn danh"), default=False)
    sender_name = models.CharField(_("họ và tên"), max_length=255, blank=True)
    sender_address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    sender_phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    sender_email = models.EmailField(_("thư điện tử"), blank=True)
    sender_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    dossier = models.ForeignKey("dossiers.Dossier", verbose_name=_("hồ sơ liên quan"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("cán bộ bị phản ánh"), null=True,
                                blank=True, on_delete=models.SET_NULL, related_name="+")
    officer_name = models.CharField(_("tên cán bộ bị phản ánh (người gửi ghi)"), max_length=255, blank=True)
    repeat_of = models.ForeignKey("self", verbose_name=_("phản ánh lặp lại của"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="repeats")
    forwarded_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="forwarded_copies")
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("cán bộ xử lý"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")

    # Clocks: received_at starts them all; *_due stored at the starting event; *_at when the step happened.
    received_at = models.DateTimeField(_("thời điểm tiếp nhận"), db_index=True)
    reject_due = models.DateTimeField(null=True, blank=True)
    forward_due = models.DateTimeField(null=True, blank=True)
    supplement_due = models.DateTimeField(null=True, blank=True)
    handling_due = models.DateTimeField(null=True, blank=True)
    publication_due = models.DateTimeField(null=True, blank=True)
    next_due = models.DateTimeField(null=True, blank=True, db_index=True)  # the open step's due: inbox order
    rejected_at = models.DateTimeField(null=True, blank=True)
    forwarded_at = models.DateTimeField(null=True, blank=True)
    first_supplement_at = models.DateTimeField(null=True, blank=True)
    handled_at = models.DateTimeField(null=True, blank=True)  # reached "chờ công khai" (answer approved)
    published_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(_("lý do"), blank=True)

    answer = models.TextField(_("nội dung trả lời"), blank=True)
    answer_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    search_folded = models.TextField(blank=True, editable=False)  # fold(title + content + answer) when published
    likes = models.PositiveIntegerField(default=0)
    dislikes = models.PositiveIntegerField(default=0)
    row_version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("phản ánh, kiến nghị")
        verbose_name_plural = _("phản ánh, kiến nghị")
        indexes = [models.Index(fields=["agency", "received_at"], name="pakn_agency_received")]

    def __str__(self) -> str:
        return self.code

    def issue_lookup_secret(self) -> str:
        """New secret for the sender: the plaintext is shown once, only its hash is stored."""
        secret = secrets.token_urlsafe(9)
        self.lookup_secret = hash_secret(secret)
        return secret

    def check_lookup_secret(self, value: str) -> bool:
        return bool(value) and hmac.compare_digest(self.lookup_secret, hash_secret(value))

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("FeedbackEvent chỉ được ghi thêm, không được sửa.")

    def delete(self):
        raise TypeError("FeedbackEvent chỉ được ghi thêm, không được xoá.")


class FeedbackEvent(models.Model):
    """One transition of a PAKN (append-only): seq = the PAKN's row_version after it."""

    feedback = models.ForeignKey(Feedback, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField()
    action = models.CharField(max_length=32)
    from_status = models.CharField(max_length=24, blank=True)
    to_status = models.CharField(max_length=24)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    at = models.DateTimeField()
    reason = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["feedback", "seq"]
        constraints = [models.UniqueConstraint(fields=["feedback", "seq"], name="uniq_pakn_event_seq")]

    def __str__(self) -> str:
        return f"{self.feedback_id}#{self.seq} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("FeedbackEvent chỉ được ghi thêm, không được sửa.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("FeedbackEvent chỉ được ghi thêm, không được xoá.")


class Consultation(models.Model):
    """Internal consultation: a question to another officer or agency, and its reply."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="consultations")
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    to_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    to_agency = models.ForeignKey("agencies.Agency", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    question = models.TextField()
    asked_at = models.DateTimeField()
    reply = models.TextField(blank=True)
    replied_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    replied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["asked_at", "pk"]

    def __str__(self) -> str:
        return self.question[:80]


class Attachment(models.Model):
    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="feedback/%Y/%m/")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    def __str__(self) -> str:
        return self.original_name


class Vote(models.Model):
    """A like (+1) or dislike (−1) on a published answer: one per logged-in user, else one per session."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+")
    session_key = models.CharField(max_length=64, blank=True)
    value = models.SmallIntegerField()
    at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["feedback", "user"], condition=models.Q(user__isnull=False),
                                    name="uniq_pakn_vote_user"),
            models.UniqueConstraint(fields=["feedback", "session_key"], condition=models.Q(user__isnull=True),
                                    name="uniq_pakn_vote_session"),
        ]

    def __str__(self) -> str:
        return f"{self.feedback_id} {self.value:+d}"


class FeedbackCounter(models.Model):
    """Last PAKN sequence number used by an agency on one local day (atomic code allocation)."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    last_seq = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "day"], name="uniq_pakn_counter")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.day} {self.last_seq}"
