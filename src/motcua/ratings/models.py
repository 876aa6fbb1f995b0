"""Citizen evaluation of a dossier's handling (đánh giá việc giải quyết TTHC, TT 01/2018 Chapter III).

The evaluation indices are data, not code: an `IndexSet` (one per legal basis, with its validity period) holds
`IndexDefinition` rows (code, text, options with points). Ratings keep a reference to the set they answered and
copy each chosen option's points, so a later set never changes an old score.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Overall(models.TextChoices):
    """The five-level overall satisfaction scale (SIPAS 5-point scale, Thanh Hóa DanhGiaHaiLong)."""

    VERY_SATISFIED = "very_satisfied", _("Rất hài lòng")
    SATISFIED = "satisfied", _("Hài lòng")
    NEUTRAL = "neutral", _("Bình thường")
    DISSATISFIED = "dissatisfied", _("Không hài lòng")
    VERY_DISSATISFIED = "very_dissatisfied", _("Rất không hài lòng")


SATISFIED_LEVELS = frozenset({Overall.VERY_SATISFIED, Overall.SATISFIED})


class Source(models.TextChoices):
    ONLINE = "online", _("Trực tuyến")
    PAPER = "paper", _("Phiếu giấy")
    KIOSK = "kiosk", _("Máy đánh giá tại quầy")


class IndexSet(models.Model):
    code = models.CharField(_("mã bộ chỉ số"), max_length=32, unique=True)
    name = models.CharField(_("tên bộ chỉ số"), max_length=255)
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=500, blank=True)
    effective_from = models.DateField(_("áp dụng từ"))
    effective_to = models.DateField(_("áp dụng đến"), null=True, blank=True)

    class Meta:
        verbose_name = _("bộ chỉ số đánh giá")
        verbose_name_plural = _("bộ chỉ số đánh giá")
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return self.name

    @property
    def max_points(self) -> int:
        return sum(i.max_points for i in self.indices.all())


class IndexDefinition(models.Model):
    index_set = models.ForeignKey(IndexSet, on_delete=models.CASCADE, related_name="indices")
    code = models.CharField(_("mã chỉ số"), max_length=16)
    order = models.PositiveSmallIntegerField(default=1)
    text = models.CharField(_("nội dung chỉ số"), max_length=500)
    # [{"points": 2, "label": "Sớm hơn thời hạn quy định"}, ...]
    options = models.JSONField(_("phương án trả lời"), default=list)
    # Counted in the civil-servant score (local rule, e.g. indices 1+2+3+4+7 in Thanh Hóa's report "Mẫu 01").
    officer_score = models.BooleanField(_("tính vào điểm đánh giá cán bộ"), default=False)

    class Meta:
        verbose_name = _("chỉ số đánh giá")
        verbose_name_plural = _("chỉ số đánh giá")
        ordering = ["index_set", "order"]
        constraints = [models.UniqueConstraint(fields=["index_set", "code"], name="uniq_index_code")]

    def __str__(self) -> str:
        return f"{self.code}. {self.text}"

    @property
    def max_points(self) -> int:
        return max((int(o["points"]) for o in self.options), default=0)

    def option(self, points: int) -> dict | None:
        return next((o for o in self.options if int(o["points"]) == points), None)


class Rating(models.Model):
    """One evaluation per dossier (its applicant's), online or entered from a paper form by a desk officer."""

    dossier = models.OneToOneField("dossiers.Dossier", verbose_name=_("hồ sơ"), on_delete=models.PROTECT,
                                   related_name="rating")
    index_set = models.ForeignKey(IndexSet, on_delete=models.PROTECT, related_name="+")
    overall = models.CharField(_("mức độ hài lòng chung"), max_length=20, choices=Overall.choices)
    comment = models.TextField(_("ý kiến khác"), blank=True)
    source = models.CharField(_("hình thức đánh giá"), max_length=8, choices=Source.choices, default=Source.ONLINE)
    applicant_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="+")
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("cán bộ nhập phiếu"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")
    total_points = models.PositiveSmallIntegerField(_("tổng điểm"), default=0)
    answered = models.PositiveSmallIntegerField(_("số chỉ số đã trả lời"), default=0)
    created_at = models.DateTimeField(_("thời điểm đánh giá"), auto_now_add=True)

    class Meta:
        verbose_name = _("đánh giá hồ sơ")
        verbose_name_plural = _("đánh giá hồ sơ")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.overall}"


class RatingAnswer(models.Model):
    rating = models.ForeignKey(Rating, on_delete=models.CASCADE, related_name="answers")
    index = models.ForeignKey(IndexDefinition, on_delete=models.PROTECT, related_name="+")
    points = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=500)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["rating", "index"], name="uniq_rating_answer")]

    def __str__(self) -> str:
        return f"{self.index_id}: {self.points}"
