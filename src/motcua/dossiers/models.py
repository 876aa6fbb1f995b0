"""Dossiers (hồ sơ TTHC): the dossier row (current state pointer), its documents, append-only history, the clock
ledger events, tracking-sheet rows (Form 06), supplement requests, API clients and per-unit code counters.

State changes go through `motcua.dossiers.engine` only; the models hold data and the invariants a row can check
alone (append-only rows refuse updates and deletes).
"""

import hashlib
import hmac
import secrets
from datetime import UTC, datetime

from django.conf import settings
from django.db import models
from django.db.models import Value
from django.db.models.functions import Coalesce, Greatest
from django.utils.translation import gettext_lazy as _


class Channel(models.IntegerChoices):
    """KenhThucHien as exchanged with the national portal (1–3); 4 and 5 are MotCua's own."""

    IN_PERSON = 1, _("Trực tiếp")
    ONLINE = 2, _("Trực tuyến")
    POSTAL = 3, _("Qua dịch vụ bưu chính công ích")
    API = 4, _("Qua kết nối hệ thống (API)")
    IMPORT = 5, _("Nhập từ hệ thống cũ")


class Status(models.IntegerChoices):
    """TrangThaiHoSo, the national status codes."""

    NEW = 1, _("Mới đăng ký")
    RECEIVED = 2, _("Được tiếp nhận")
    REFUSED = 3, _("Không được tiếp nhận")
    PROCESSING = 4, _("Đang xử lý")
    SUPPLEMENT = 5, _("Yêu cầu bổ sung giấy tờ")
    PAYMENT = 6, _("Yêu cầu thực hiện nghĩa vụ tài chính")
    WITHDRAWN = 7, _("Công dân yêu cầu rút hồ sơ")
    STOPPED = 8, _("Dừng xử lý")
    FINISHED = 9, _("Đã xử lý xong")
    DELIVERED = 10, _("Đã trả kết quả")


TERMINAL_STATUSES = frozenset({Status.REFUSED, Status.WITHDRAWN, Status.STOPPED, Status.FINISHED, Status.DELIVERED})
# Statuses in which the legal clock runs and a dossier can become overdue.
RUNNING_STATUSES = frozenset({Status.RECEIVED, Status.PROCESSING})
# Statuses still waiting for someone in the administration (result ready = waiting for delivery at the desk): the
# officer inbox. A tuple in a fixed order: the inbox repeats the partial indexes' condition literally (see
# backoffice.queries.open_only).
INBOX_STATUSES = (Status.NEW, Status.RECEIVED, Status.PROCESSING, Status.SUPPLEMENT, Status.PAYMENT, Status.FINISHED)


class ApplicantKind(models.TextChoices):
    PERSON = "person", _("Cá nhân")
    BUSINESS = "business", _("Tổ chức, doanh nghiệp")


class Outcome(models.TextChoices):
    EARLY = "early", _("Trước hạn")
    ON_TIME = "on_time", _("Đúng hạn")
    LATE = "late", _("Quá hạn")


class DeliveryMethod(models.TextChoices):
    COUNTER = "counter", _("Trực tiếp tại bộ phận một cửa")
    POST = "post", _("Qua dịch vụ bưu chính công ích")
    ONLINE = "online", _("Trực tuyến (kho dữ liệu điện tử)")


class PaidOnline(models.IntegerChoices):
    NONE = 0, _("Không thanh toán trực tuyến")
    NATIONAL = 1, _("Cổng Dịch vụ công quốc gia")
    LOCAL = 2, _("Cổng thanh toán của bộ, ngành, địa phương")


class CopyKind(models.TextChoices):
    ORIGINAL = "original", _("Bản chính")
    CERTIFIED_COPY = "certified_copy", _("Bản sao chứng thực")
    COPY = "copy", _("Bản sao")


class ClockEventKind(models.TextChoices):
    PAUSE = "pause", _("Tạm dừng tính thời gian")
    RESUME = "resume", _("Tiếp tục tính thời gian")
    EXTEND = "extend", _("Gia hạn")


def hash_secret(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def secret_matches(stored: str, value: str) -> bool:
    """Whether `value` is the lookup secret whose hash is `stored`, compared in constant time."""
    return bool(value) and hmac.compare_digest(stored or "", hash_secret(value))


class AppendOnlyQuerySet(models.QuerySet):
    """Bulk update/delete are refused too, so history cannot be rewritten through a queryset."""

    def update(self, **kwargs):
        raise TypeError(f"{self.model.__name__} chỉ được ghi thêm, không được sửa.")

    def delete(self):
        raise TypeError(f"{self.model.__name__} chỉ được ghi thêm, không được xoá.")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError(f"{type(self).__name__} chỉ được ghi thêm, không được sửa.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError(f"{type(self).__name__} chỉ được ghi thêm, không được xoá.")


class ApiClient(models.Model):
    """A connected system (postal service, sector system) acting through `Authorization: Bearer <token>`.

    Only the sha256 of the token is stored; the client may act only on dossiers whose receiving or competent agency
    lies in the subtree of one of its `agencies`, and only in the roles listed in `roles`.
    """

    name = models.CharField(_("tên hệ thống"), max_length=255)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    agencies = models.ManyToManyField("agencies.Agency", verbose_name=_("phạm vi đơn vị"), related_name="+")
    roles = models.JSONField(_("vai trò"), default=list, blank=True)
    active = models.BooleanField(_("đang hoạt động"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("hệ thống kết nối")
        verbose_name_plural = _("hệ thống kết nối")

    def __str__(self) -> str:
        return self.name

    def set_token(self) -> str:
        """Issue a new token; the plaintext is returned once and never stored."""
        token = secrets.token_urlsafe(32)
        self.token_hash = hash_secret(token)
        return token

    @classmethod
    def authenticate(cls, token: str) -> "ApiClient | None":
        if not token:
            return None
        return cls.objects.filter(token_hash=hash_secret(token), active=True).first()


# Bounds standing in for a missing instant in `last_activity` (never finished: still active; no receipt or delivery:
# nothing then). Literal datetimes, not ±infinity, so that SQLite stores and compares them too.
EARLIEST = datetime(1, 1, 1, tzinfo=UTC)
LATEST = datetime(9999, 1, 1, tzinfo=UTC)


def last_activity():
    """The dossier's last reception, finish or delivery instant; LATEST while it is not finished. A dossier with
    every instant before a period's start and a finish counts in that period's report only as a result not yet
    collected; the raw-table report reads the rest of a period through an index on this expression."""
    return Greatest(Coalesce("received_at", Value(EARLIEST)), Coalesce("finished_at", Value(LATEST)),
                    Coalesce("delivered_at", Value(EARLIEST)))


def where_set(*fields: str, prefix: str) -> list[models.Index]:
    """Indexes of nullable foreign keys over the rows that set them: what a lookup by the key, or the check before
    deleting the row it points to, reads, and nothing to write for the many rows that leave it empty."""
    return [models.Index(fields=[f], name=f"{prefix}_{f}_set", condition=models.Q(**{f"{f}__isnull": False}))
            for f in fields]


class Dossier(models.Model):
    code = models.CharField(_("mã hồ sơ"), max_length=64, unique=True)
    # sha256 of a secrets.token_urlsafe value handed to the applicant with the receipt (portal lookup by code +
    # secret); compared in constant time.
    lookup_secret = models.CharField(max_length=64, editable=False)

    procedure_version = models.ForeignKey("catalog.ProcedureVersion", on_delete=models.PROTECT, related_name="+")
    variant = models.ForeignKey("catalog.Variant", on_delete=models.PROTECT, related_name="+")
    # No single-column index on the agencies, the applicant's account or the assignee: the composite indexes below
    # lead with them. The API client and the creator are NULL on most rows: indexed where set only. Every index is
    # written on each intake and on each transition (a status change is never a HOT update) — see
    # docs/decisions/0003-index-diet.md.
    receiving_agency = models.ForeignKey("agencies.Agency", verbose_name=_("đơn vị tiếp nhận"),
                                         on_delete=models.PROTECT, related_name="+", db_index=False)
    competent_agency = models.ForeignKey("agencies.Agency", verbose_name=_("cơ quan giải quyết"),
                                         on_delete=models.PROTECT, related_name="+", db_index=False)
    channel = models.PositiveSmallIntegerField(_("kênh nộp"), choices=Channel.choices, default=Channel.IN_PERSON)

    applicant_kind = models.CharField(_("loại người nộp"), max_length=16, choices=ApplicantKind.choices,
                                      default=ApplicantKind.PERSON)
    applicant_name = models.CharField(_("tên người nộp"), max_length=255)
    applicant_personal_id = models.CharField(_("số định danh cá nhân"), max_length=12, blank=True)
    applicant_tax_code = models.CharField(_("mã số thuế"), max_length=14, blank=True)
    applicant_phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    applicant_email = models.EmailField(_("thư điện tử"), blank=True)
    applicant_address = models.CharField(_("địa chỉ"), max_length=500, blank=True)
    applicant_representative = models.CharField(_("người đại diện"), max_length=255, blank=True)
    applicant_user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("tài khoản người nộp"), null=True,
                                       blank=True, on_delete=models.SET_NULL, related_name="dossiers",
                                       db_index=False)

    submitted_at = models.DateTimeField(_("thời điểm nộp"))
    received_at = models.DateTimeField(_("thời điểm tiếp nhận hợp lệ"), null=True, blank=True)
    status = models.PositiveSmallIntegerField(_("trạng thái"), choices=Status.choices, default=Status.NEW)
    previous_status = models.PositiveSmallIntegerField(choices=Status.choices, null=True, blank=True)
    current_step = models.ForeignKey("catalog.ProcessStep", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người xử lý"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="assigned_dossiers", db_index=False)

    # Legal clock. due_at is derived from received_at, the variant's limit, the ClockEvent ledger and the calendar;
    # stored (indexed) for the inbox. original_due_at is the due date printed on Form 01 and never moves.
    due_at = models.DateTimeField(_("hạn giải quyết"), null=True, blank=True, db_index=True)
    original_due_at = models.DateTimeField(_("hạn giải quyết ban đầu"), null=True, blank=True)
    paused_since = models.DateTimeField(null=True, blank=True)
    supplement_count = models.PositiveSmallIntegerField(_("số lần yêu cầu bổ sung"), default=0)
    payment_pause = models.BooleanField(default=False)
    # Per-step clock.
    step_started_at = models.DateTimeField(null=True, blank=True)
    step_due_at = models.DateTimeField(null=True, blank=True)

    # Outcome, frozen when the event happens (never recomputed on read).
    finished_at = models.DateTimeField(_("thời điểm kết thúc xử lý"), null=True, blank=True)
    outcome = models.CharField(_("kết quả đúng hạn"), max_length=16, choices=Outcome.choices, blank=True)
    outcome_766 = models.CharField(_("kết quả theo QĐ 766"), max_length=16, choices=Outcome.choices, blank=True)
    delivered_at = models.DateTimeField(_("thời điểm trả kết quả"), null=True, blank=True)
    delivery_method = models.CharField(_("hình thức trả kết quả"), max_length=16, choices=DeliveryMethod.choices,
                                       blank=True)
    delivery_address = models.CharField(_("địa chỉ nhận kết quả"), max_length=500, blank=True)

    digitised = models.BooleanField(_("đã số hoá"), default=False)
    e_result = models.BooleanField(_("có kết quả điện tử"), default=False)
    result_code = models.CharField(_("mã kết quả"), max_length=128, blank=True)
    result_file = models.CharField(_("đường dẫn tệp kết quả"), max_length=500, blank=True)
    vneid_authenticated = models.BooleanField(_("xác thực VNeID"), default=False)
    paid_online = models.PositiveSmallIntegerField(_("thanh toán trực tuyến"), choices=PaidOnline.choices,
                                                   default=PaidOnline.NONE)

    # Idempotent creation: one dossier per (owner, key); owner = "client:<id>" or "user:<id>".
    idempotency_owner = models.CharField(max_length=64, blank=True)
    idempotency_key = models.CharField(max_length=128, null=True, blank=True)
    api_client = models.ForeignKey(ApiClient, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                   db_index=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", db_index=False)

    row_version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        indexes = [
            # paused_since: the inbox's overdue count reads it from the index, not from each dossier's row
            models.Index(fields=["competent_agency", "status", "due_at", "paused_since"], name="dossier_inbox_agency"),
            models.Index(fields=["assignee", "status", "due_at"], name="dossier_inbox_assignee"),
            models.Index(fields=["receiving_agency", "received_at"], name="dossier_reception"),
            models.Index(fields=["applicant_user", "created_at"], name="dossier_applicant"),
            # Officer inbox (bench/inbox.py): open dossiers only, in due order, with the scope columns inside the
            # index so a department's page is found without reading the table; "my tasks" by assignee.
            models.Index(fields=["due_at", "id", "competent_agency", "receiving_agency", "assignee"],
                         name="dossier_open_due", condition=models.Q(status__in=INBOX_STATUSES)),
            # Inbox "overdue" (running, clock not paused) in due order, past the old results waiting for delivery;
            # undated open dossiers of one status (not yet received) in id order, without sorting them all.
            models.Index(fields=["due_at", "id", "competent_agency", "receiving_agency", "assignee"],
                         name="dossier_running_due",
                         condition=models.Q(status__in=sorted(RUNNING_STATUSES), paused_since__isnull=True)),
            models.Index(fields=["status", "id", "competent_agency", "receiving_agency", "assignee"],
                         name="dossier_open_undated",
                         condition=models.Q(status__in=INBOX_STATUSES, due_at__isnull=True)),
            models.Index(fields=["assignee", "due_at", "id", "competent_agency", "receiving_agency"],
                         name="dossier_open_assignee", condition=models.Q(status__in=INBOX_STATUSES)),
            # Inbox filtered by status (a centre's status-1 queue: its undated rows by id), and the count of what
            # an officer sees as received in scope for another competent agency (backoffice.queries.scope_parts).
            models.Index(fields=["status", "due_at", "id", "competent_agency", "receiving_agency", "assignee"],
                         name="dossier_open_status", condition=models.Q(status__in=INBOX_STATUSES)),
            models.Index(fields=["receiving_agency", "status", "competent_agency"],
                         name="dossier_open_receiving", condition=models.Q(status__in=INBOX_STATUSES)),
            # The raw-table report (reports.report._raw_parts): a period's dossiers by their last activity, the
            # results never collected, the dossiers never received.
            models.Index(models.F("competent_agency"), last_activity(), name="dossier_agency_last_activity"),
            models.Index(fields=["competent_agency", "finished_at"], name="dossier_uncollected",
                         condition=models.Q(status__in=(9, 10), delivered_at__isnull=True)),
            models.Index(fields=["competent_agency", "delivered_at"], name="dossier_never_received",
                         condition=models.Q(received_at__isnull=True)),
            *where_set("api_client", "created_by", prefix="dossier"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["idempotency_owner", "idempotency_key"], name="uniq_dossier_idempotency",
                                    condition=models.Q(idempotency_key__isnull=False)),
        ]

    def __str__(self) -> str:
        return self.code

    def issue_lookup_secret(self) -> str:
        """New applicant secret: the plaintext is returned (print it on the receipt) and only its hash kept."""
        secret = secrets.token_urlsafe(12)
        self.lookup_secret = hash_secret(secret)
        return secret

    def check_lookup_secret(self, value: str) -> bool:
        return secret_matches(self.lookup_secret, value)

    @property
    def is_terminal(self) -> bool:
        return self.status in TERMINAL_STATUSES


def document_upload_to(instance: "DossierDocument", filename: str) -> str:
    return f"dossiers/{instance.dossier.code}/{filename}"


class DossierDocument(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="documents")
    required_document = models.ForeignKey("catalog.RequiredDocument", null=True, blank=True,
                                          on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("tên giấy tờ"), max_length=1000)
    file = models.FileField(_("tệp"), upload_to=document_upload_to, blank=True)
    copy_kind = models.CharField(_("loại bản"), max_length=16, choices=CopyKind.choices, default=CopyKind.COPY)
    digitised = models.BooleanField(_("đã số hoá"), default=False)
    reused = models.BooleanField(_("tái sử dụng dữ liệu"), default=False)
    from_data_store = models.BooleanField(_("lấy từ kho dữ liệu"), default=False)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    content_type = models.CharField(max_length=128, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("thành phần hồ sơ đã nộp")
        verbose_name_plural = _("thành phần hồ sơ đã nộp")
        ordering = ["dossier", "id"]

    def __str__(self) -> str:
        return self.name


class DossierEvent(AppendOnlyModel):
    """One line of the processing history; seq equals the dossier's row_version after the event."""

    # Indexed by uniq_dossier_event_seq (dossier first); steps and actor where set (imported history has none).
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="events", db_index=False)
    seq = models.PositiveIntegerField()
    action = models.CharField(max_length=32)
    from_status = models.PositiveSmallIntegerField(choices=Status.choices, null=True, blank=True)
    to_status = models.PositiveSmallIntegerField(choices=Status.choices, null=True, blank=True)
    from_step = models.ForeignKey("catalog.ProcessStep", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", db_index=False)
    to_step = models.ForeignKey("catalog.ProcessStep", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+", db_index=False)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", db_index=False)
    actor_label = models.CharField(max_length=255, blank=True)
    at = models.DateTimeField()
    reason = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("lịch sử xử lý")
        verbose_name_plural = _("lịch sử xử lý")
        ordering = ["dossier", "seq"]
        constraints = [models.UniqueConstraint(fields=["dossier", "seq"], name="uniq_dossier_event_seq")]
        # The raw-table report finds the dossiers refused, withdrawn or stopped before reception in a period
        # through these few events (an index-only scan), not by a probe per never-received dossier of every year.
        indexes = [models.Index(fields=["at", "dossier"], condition=models.Q(to_status__in=(3, 7, 8)),
                                name="event_terminal_at"),
                   *where_set("from_step", "to_step", "actor", prefix="event")]

    def __str__(self) -> str:
        return f"{self.dossier_id}#{self.seq} {self.action}"


class ClockEvent(AppendOnlyModel):
    """The legal clock's ledger: pauses (supplement, payment), resumes and extensions (Form 04)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="clock_events")
    kind = models.CharField(max_length=16, choices=ClockEventKind.choices)
    at = models.DateTimeField()
    reason = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["dossier", "at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d %H:%M}"


class HandOver(models.Model):
    """A row of the tracking sheet (Form 06): who gave the dossier to whom, when, and the giver step's outcome."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="handovers")
    from_step = models.ForeignKey("catalog.ProcessStep", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", db_index=False)
    to_step = models.ForeignKey("catalog.ProcessStep", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+", db_index=False)
    giver_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    giver_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", db_index=False)
    receiver_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    receiver_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+", db_index=False)
    handed_at = models.DateTimeField()
    step_started_at = models.DateTimeField(null=True, blank=True)
    step_due_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        verbose_name = _("phiếu kiểm soát quá trình")
        verbose_name_plural = _("phiếu kiểm soát quá trình")
        ordering = ["dossier", "handed_at", "id"]
        indexes = where_set("from_step", "to_step", "giver_user", "receiver_user", prefix="handover")

    def __str__(self) -> str:
        return f"{self.giver_agency_id} → {self.receiver_agency_id} {self.handed_at:%Y-%m-%d %H:%M}"


class SupplementRequest(models.Model):
    """Form 02: every missing item listed at once."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="supplement_requests")
    requested_at = models.DateTimeField()
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    items = models.JSONField(default=list)
    reason = models.TextField(blank=True)
    due_by = models.DateTimeField(null=True, blank=True)
    fulfilled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("yêu cầu bổ sung hồ sơ")
        verbose_name_plural = _("yêu cầu bổ sung hồ sơ")
        ordering = ["dossier", "requested_at"]
        # Requests still open at an instant (unfulfilled, or fulfilled later): the raw-table report's waiting set.
        # requested_at: the period's requests (Form 02 count of the raw-table report), index-only with the dossier
        indexes = [models.Index(fields=["fulfilled_at"], name="supplement_fulfilled"),
                   models.Index(fields=["requested_at", "dossier"], name="supplement_requested_at")]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.requested_at:%Y-%m-%d}"


class DossierCounter(models.Model):
    """Last sequence number used by a receiving unit on one local day (dossier codes)."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    last_seq = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "day"], name="uniq_dossier_counter")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.day} {self.last_seq}"
