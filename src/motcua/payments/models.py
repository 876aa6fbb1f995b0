"""Online payments of a dossier's fees (nghĩa vụ tài chính, lifecycle §10) and their e-receipts (biên lai điện tử).

State changes go through `motcua.payments.services`; a payment is `pending` until its gateway's signed callback
makes it `paid`, `failed` or `cancelled` (final: a final payment never changes again).
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.text import format_number_vi


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("Chờ thanh toán")
    PAID = "paid", _("Đã thanh toán")
    FAILED = "failed", _("Thanh toán không thành công")
    CANCELLED = "cancelled", _("Đã huỷ thanh toán")


FINAL_STATUSES = frozenset({PaymentStatus.PAID, PaymentStatus.FAILED, PaymentStatus.CANCELLED})


def new_reference() -> str:
    """128 random bits, URL-safe: a reference appears in gateway URLs and must not be enumerable."""
    return secrets.token_urlsafe(16)


def format_dong(amount: int) -> str:
    """1644000 → '1.644.000 đồng'."""
    return f"{format_number_vi(int(amount))} {_('đồng')}"


class Payment(models.Model):
    dossier = models.ForeignKey("dossiers.Dossier", verbose_name=_("hồ sơ"), on_delete=models.PROTECT,
                                related_name="payments")
    reference = models.CharField(_("mã giao dịch"), max_length=64, unique=True, default=new_reference,
                                 editable=False)
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    # [{"name": "Lệ phí cấp giấy phép", "amount": 75000}], copied from the variant's Fee rows at creation so later
    # catalogue changes never alter a receipt.
    items = models.JSONField(_("khoản thu"), default=list)
    channel_online = models.BooleanField(_("mức thu nộp trực tuyến"), default=True)
    status = models.CharField(_("trạng thái"), max_length=16, choices=PaymentStatus.choices,
                              default=PaymentStatus.PENDING)
    gateway = models.CharField(_("cổng thanh toán"), max_length=32)
    gateway_txn = models.CharField(_("mã giao dịch tại cổng"), max_length=128, blank=True)
    receipt_number = models.CharField(_("số biên lai"), max_length=32, unique=True, null=True, blank=True)
    payer_name = models.CharField(_("người nộp tiền"), max_length=255, blank=True)
    return_url = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("thời điểm tạo"), auto_now_add=True)
    finished_at = models.DateTimeField(_("thời điểm có kết quả"), null=True, blank=True)
    paid_at = models.DateTimeField(_("thời điểm thanh toán"), null=True, blank=True)
    # Why the dossier could not be moved out of status 6 automatically (staff then confirm by hand).
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("giao dịch thanh toán")
        verbose_name_plural = _("giao dịch thanh toán")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["dossier", "status"], name="payment_dossier_status")]

    def __str__(self) -> str:
        return f"{self.reference} {self.amount}"

    @property
    def amount_display(self) -> str:
        return format_dong(self.amount)

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES


class CallbackLog(models.Model):
    """Every callback received (valid or not), for reconciliation with the gateway's statements."""

    gateway = models.CharField(max_length=32)
    reference = models.CharField(max_length=64, blank=True, db_index=True)
    params = models.JSONField(default=dict)
    outcome = models.CharField(max_length=32)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("nhật ký phản hồi cổng thanh toán")
        verbose_name_plural = _("nhật ký phản hồi cổng thanh toán")
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"{self.gateway} {self.reference} {self.outcome}"


class ReceiptCounter(models.Model):
    """Last receipt number used in a series and year: e-receipt numbers are consecutive, without gaps."""

    series = models.CharField(max_length=16)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["series", "year"], name="uniq_receipt_counter")]

    def __str__(self) -> str:
        return f"{self.series}/{self.year}: {self.last}"
