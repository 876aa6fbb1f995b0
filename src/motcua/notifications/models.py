"""Notifications to applicants (e-mail, SMS/Zalo): one row per message, written with the business change that
caused it and sent after that change commits (see services.notify)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.TextChoices):
    RECEIVED = "received", _("Tiếp nhận hồ sơ")
    SUBMITTED = "submitted", _("Nộp hồ sơ trực tuyến")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Yêu cầu bổ sung hồ sơ")
    SUPPLEMENT_RECEIVED = "supplement_received", _("Đã nhận hồ sơ bổ sung")
    APOLOGY_EXTENSION = "apology_extension", _("Xin lỗi và hẹn lại ngày trả kết quả")
    PAYMENT_REQUESTED = "payment_requested", _("Yêu cầu thực hiện nghĩa vụ tài chính")
    RESULT_READY = "result_ready", _("Đã có kết quả")
    DELIVERED = "delivered", _("Đã trả kết quả")
    REFUSED = "refused", _("Không được tiếp nhận")
    SURVEY_INVITATION = "survey_invitation", _("Mời khảo sát sự hài lòng (SIPAS)")


class NotificationChannel(models.TextChoices):
    EMAIL = "email", _("Thư điện tử")
    SMS = "sms", _("Tin nhắn SMS/Zalo")


class NotificationStatus(models.TextChoices):
    QUEUED = "queued", _("Chờ gửi")
    SENT = "sent", _("Đã gửi")
    FAILED = "failed", _("Gửi lỗi")


class Notification(models.Model):
    dossier = models.ForeignKey("dossiers.Dossier", verbose_name=_("hồ sơ"), on_delete=models.CASCADE,
                                related_name="notifications")
    event = models.CharField(_("sự kiện"), max_length=32, choices=Event.choices)
    channel = models.CharField(_("kênh"), max_length=8, choices=NotificationChannel.choices)
    recipient = models.CharField(_("người nhận"), max_length=254)
    subject = models.CharField(_("tiêu đề"), max_length=255, blank=True)
    body = models.TextField(_("nội dung"))
    status = models.CharField(_("trạng thái"), max_length=8, choices=NotificationStatus.choices,
                              default=NotificationStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    provider_id = models.CharField(max_length=128, blank=True)
    created_at = models.DateTimeField(_("thời điểm tạo"), auto_now_add=True)
    sent_at = models.DateTimeField(_("thời điểm gửi"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("gửi lại sau"), null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="notification_retry")]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.event} {self.channel}"
