"""SIPAS surveys: a versioned questionnaire (loaded from data/*.json, never edited in place), campaigns per unit
and period, the drawn sample as invitations (one per distinct applicant) and at most one response per invitation.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Aspect(models.TextChoices):
    ASSESSMENT = "assessment", _("Nhận định")
    SATISFACTION = "satisfaction", _("Sự hài lòng")
    EXPECTATION = "expectation", _("Sự mong đợi")


class Questionnaire(models.Model):
    code = models.CharField(_("mã"), max_length=64, unique=True)
    name = models.CharField(_("tên phiếu"), max_length=500)
    legal_basis = models.CharField(_("căn cứ"), max_length=500, blank=True)
    effective_from = models.DateField(_("áp dụng từ"))
    scales = models.JSONField(_("thang đo"))  # scale name → five labels (1 … 5)
    elements = models.JSONField(_("yếu tố"))  # [{code, name, optional, note}] in order

    class Meta:
        verbose_name = _("phiếu khảo sát")
        verbose_name_plural = _("phiếu khảo sát")
        ordering = ["-effective_from", "code"]

    def __str__(self) -> str:
        return self.code


class Question(models.Model):
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="questions")
    code = models.CharField(_("mã câu hỏi"), max_length=32)
    element = models.CharField(_("yếu tố"), max_length=32)
    aspect = models.CharField(_("khía cạnh"), max_length=16, choices=Aspect.choices)
    order = models.PositiveSmallIntegerField()
    text = models.CharField(_("nội dung"), max_length=500)
    scale = models.CharField(_("thang đo"), max_length=32)
    optional = models.BooleanField(_("không bắt buộc"), default=False)

    class Meta:
        verbose_name = _("câu hỏi")
        verbose_name_plural = _("câu hỏi")
        ordering = ["questionnaire", "order"]
        constraints = [models.UniqueConstraint(fields=["questionnaire", "code"], name="uniq_survey_question")]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"


class CampaignQuerySet(models.QuerySet):
    def visible_to(self, user):
        from motcua.accounts.scoping import scope_queryset

        return scope_queryset(self, user, "agency")


class Campaign(models.Model):
    agency = models.ForeignKey("agencies.Agency", verbose_name=_("đơn vị"), on_delete=models.PROTECT,
                               related_name="+")
    name = models.CharField(_("tên đợt khảo sát"), max_length=255)
    questionnaire = models.ForeignKey(Questionnaire, verbose_name=_("phiếu khảo sát"), on_delete=models.PROTECT,
                                      related_name="campaigns")
    period_start = models.DateField(_("từ ngày"))
    period_end = models.DateField(_("đến ngày"))
    closes_on = models.DateField(_("hạn trả lời"))
    margin_of_error = models.DecimalField(_("sai số cho phép"), max_digits=4, decimal_places=3, default="0.050")
    seed = models.BigIntegerField(_("hạt giống ngẫu nhiên"), default=0)
    population = models.PositiveIntegerField(_("tổng thể N"), null=True, blank=True)
    sample_size = models.PositiveIntegerField(_("cỡ mẫu n"), null=True, blank=True)
    sampled_at = models.DateTimeField(_("thời điểm chọn mẫu"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("đợt khảo sát")
        verbose_name_plural = _("đợt khảo sát")
        ordering = ["-period_end", "-id"]
        indexes = [models.Index(fields=["agency", "period_end"], name="survey_campaign_agency")]

    def __str__(self) -> str:
        return self.name

    def is_closed(self, today=None) -> bool:
        return (today or timezone.localdate()) > self.closes_on


class InvitationStatus(models.TextChoices):
    SAMPLED = "sampled", _("Đã chọn vào mẫu")
    INVITED = "invited", _("Đã gửi thư mời")
    NO_CONTACT = "no_contact", _("Không có kênh liên hệ — phát phiếu giấy")
    RESPONDED = "responded", _("Đã trả lời")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Invitation(models.Model):
    """One sampled applicant. Only the sha256 of the link token is stored; the plaintext travels in the message."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="invitations")
    dossier = models.ForeignKey("dossiers.Dossier", verbose_name=_("hồ sơ"), on_delete=models.PROTECT,
                                related_name="+")
    applicant_key = models.CharField(max_length=64)  # sha256 of the applicant's identity (see services)
    token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    status = models.CharField(_("trạng thái"), max_length=16, choices=InvitationStatus.choices,
                              default=InvitationStatus.SAMPLED)
    invited_at = models.DateTimeField(_("thời điểm mời"), null=True, blank=True)
    notifications = models.ManyToManyField("notifications.Notification", blank=True, related_name="+")

    class Meta:
        verbose_name = _("thư mời khảo sát")
        verbose_name_plural = _("thư mời khảo sát")
        ordering = ["campaign", "id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "applicant_key"],
                                               name="uniq_survey_invitation_applicant")]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.pk}"

    def issue_token(self) -> str:
        token = secrets.token_urlsafe(24)
        self.token_hash = hash_token(token)
        return token


class ResponseChannel(models.TextChoices):
    ONLINE = "online", _("Trực tuyến (đường liên kết)")
    PAPER = "paper", _("Phiếu giấy (cán bộ nhập)")


class Response(models.Model):
    invitation = models.OneToOneField(Invitation, on_delete=models.CASCADE, related_name="response")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="responses")
    channel = models.CharField(_("hình thức"), max_length=8, choices=ResponseChannel.choices)
    answers = models.JSONField(_("câu trả lời"))  # question code → 1 … 5
    comment = models.TextField(_("ý kiến khác"), blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    submitted_at = models.DateTimeField(_("thời điểm trả lời"), default=timezone.now)

    class Meta:
        verbose_name = _("phiếu trả lời")
        verbose_name_plural = _("phiếu trả lời")
        ordering = ["campaign", "id"]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.invitation_id}"
