"""Federation between a province instance and the national instance (docs/federation.md).

Province side: `Peer`, the national instance it publishes to, with the shared secret and the cursor of the last
dossier event sent. National side: `ProvinceFeed`, one per province allowed to publish (its key id and secret),
`FederatedDossierStatus`, the latest known status of each of the province's dossiers (no personal data), and
`FederatedStatistic`, the period figures a province published per unit. `FederationNonce` keeps the nonces of
signed requests inside the timestamp window (replay protection, shared by every server process).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Peer(models.Model):
    """The national instance a province publishes to."""

    name = models.SlugField(_("tên kết nối"), max_length=64, unique=True)
    url = models.URLField(_("địa chỉ hệ thống quốc gia"), max_length=500)
    key_id = models.CharField(_("mã khoá"), max_length=64)
    # HMAC needs the secret itself on both ends, so it is stored as given (protect the database and its backups).
    secret = models.CharField(_("khoá bí mật dùng chung"), max_length=128)
    province_code = models.CharField(_("mã đơn vị cấp tỉnh công bố"), max_length=32)
    active = models.BooleanField(_("đang hoạt động"), default=True)
    last_cursor = models.BigIntegerField(_("sự kiện cuối đã gửi"), default=0)
    last_push_at = models.DateTimeField(_("lần gửi gần nhất"), null=True, blank=True)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)

    class Meta:
        verbose_name = _("hệ thống nhận liên thông")
        verbose_name_plural = _("hệ thống nhận liên thông")

    def __str__(self) -> str:
        return self.name


class ProvinceFeed(models.Model):
    """A province allowed to publish to this (national) instance."""

    code = models.CharField(_("mã đơn vị cấp tỉnh"), max_length=32, unique=True)
    name = models.CharField(_("tên tỉnh"), max_length=255)
    key_id = models.CharField(_("mã khoá"), max_length=64, unique=True)
    secret = models.CharField(_("khoá bí mật dùng chung"), max_length=128)
    active = models.BooleanField(_("đang hoạt động"), default=True)
    events_received = models.BigIntegerField(_("số sự kiện đã nhận"), default=0)
    last_events_at = models.DateTimeField(_("lần nhận sự kiện gần nhất"), null=True, blank=True)
    last_statistics_at = models.DateTimeField(_("lần nhận số liệu gần nhất"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tỉnh liên thông")
        verbose_name_plural = _("tỉnh liên thông")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class FederationNonce(models.Model):
    key_id = models.CharField(max_length=64)
    nonce = models.CharField(max_length=64)
    timestamp = models.BigIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key_id", "nonce"], name="uniq_federation_nonce")]
        indexes = [models.Index(fields=["timestamp"], name="federation_nonce_ts")]

    def __str__(self) -> str:
        return f"{self.key_id}/{self.nonce}"


class FederatedDossierStatus(models.Model):
    """A province's dossier as last reported: codes, status and instants only."""

    feed = models.ForeignKey(ProvinceFeed, on_delete=models.CASCADE, related_name="dossiers")
    code = models.CharField(_("mã hồ sơ"), max_length=64)
    seq = models.PositiveIntegerField(_("thứ tự sự kiện"))
    procedure_code = models.CharField(_("mã thủ tục"), max_length=64)
    receiving_agency_code = models.CharField(_("đơn vị tiếp nhận"), max_length=32)
    competent_agency_code = models.CharField(_("cơ quan giải quyết"), max_length=32)
    channel = models.PositiveSmallIntegerField(_("kênh nộp"))
    status = models.PositiveSmallIntegerField(_("trạng thái"))
    status_at = models.DateTimeField(_("thời điểm chuyển trạng thái"))
    submitted_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=16, blank=True)
    outcome_766 = models.CharField(max_length=16, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("trạng thái hồ sơ liên thông")
        verbose_name_plural = _("trạng thái hồ sơ liên thông")
        constraints = [models.UniqueConstraint(fields=["feed", "code"], name="uniq_federated_dossier")]
        indexes = [models.Index(fields=["feed", "status", "due_at"], name="federated_dossier_open")]

    def __str__(self) -> str:
        return f"{self.feed_id}/{self.code}"


class FederatedStatistic(models.Model):
    """One unit's figures for one period and definition, as the province computed them from its rollups."""

    feed = models.ForeignKey(ProvinceFeed, on_delete=models.CASCADE, related_name="statistics")
    period = models.CharField(_("kỳ"), max_length=8)  # 2026-10, 2026-Q4, 2026
    date_from = models.DateField()
    date_to = models.DateField()
    unit_code = models.CharField(_("mã đơn vị"), max_length=32)
    unit_name = models.CharField(_("tên đơn vị"), max_length=255)
    parent_code = models.CharField(max_length=32, blank=True)
    definition = models.CharField(max_length=8)
    figures = models.JSONField(default=dict)
    computed_at = models.DateTimeField()
    stored_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("số liệu liên thông")
        verbose_name_plural = _("số liệu liên thông")
        constraints = [models.UniqueConstraint(fields=["feed", "period", "definition", "unit_code"],
                                               name="uniq_federated_statistic")]
        indexes = [models.Index(fields=["period", "definition"], name="federated_stat_period")]

    def __str__(self) -> str:
        return f"{self.feed_id}/{self.unit_code} {self.period} {self.definition}"
