"""Administrative reform (cải cách hành chính, CCHC): yearly plans, PAR index criteria trees, scoring rounds.

- A `Plan` is one unit's CCHC plan for a year; its `Activity` rows are grouped by the seven reform areas
  (`Area`), each with a responsible unit, a deadline, a status and `Evidence` files.
- A `CriteriaSet` is one versioned criteria tree (area → criterion → sub-criterion) of one decision for one kind of
  unit; its `Criterion` rows carry maximum points, guidance, the evidence required and, for criteria the system's
  own data decide, the key of an auto source and the rule that turns its figure into points.
- A `Round` scores a group of units (khối sở, khối xã) against one set for one year; each unit has a
  `UnitAssessment` with one `Score` per scored criterion (self-assessment, proposal from the data, appraisal).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

MONEY = {"max_digits": 6, "decimal_places": 2}


class Area(models.TextChoices):
    """The seven reform areas of the CCHC master programme (Resolution 76/NQ-CP), as plans group them."""

    DIRECTION = "direction", _("Công tác chỉ đạo, điều hành CCHC")
    INSTITUTIONS = "institutions", _("Cải cách thể chế")
    PROCEDURES = "procedures", _("Cải cách thủ tục hành chính")
    APPARATUS = "apparatus", _("Cải cách tổ chức bộ máy hành chính")
    CIVIL_SERVICE = "civil_service", _("Cải cách chế độ công vụ")
    PUBLIC_FINANCE = "public_finance", _("Cải cách tài chính công")
    DIGITAL = "digital", _("Xây dựng, phát triển chính quyền điện tử, chính quyền số")


class ActivityStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Chưa triển khai")
    IN_PROGRESS = "in_progress", _("Đang triển khai")
    DONE = "done", _("Đã hoàn thành")


class Plan(models.Model):
    agency = models.ForeignKey("agencies.Agency", verbose_name=_("đơn vị"), on_delete=models.PROTECT,
                               related_name="+")
    year = models.PositiveSmallIntegerField(_("năm"))
    title = models.CharField(_("tên kế hoạch"), max_length=500)
    reference = models.CharField(_("số, ký hiệu văn bản"), max_length=100, blank=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kế hoạch CCHC")
        verbose_name_plural = _("kế hoạch CCHC")
        ordering = ["-year", "agency__path"]
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="reform_one_plan_per_year")]

    def __str__(self) -> str:
        return self.title


class Activity(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="activities")
    area = models.CharField(_("lĩnh vực"), max_length=24, choices=Area.choices)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=1)
    title = models.CharField(_("nhiệm vụ"), max_length=500)
    output = models.CharField(_("sản phẩm"), max_length=500, blank=True)
    responsible = models.ForeignKey("agencies.Agency", verbose_name=_("đơn vị chủ trì"), on_delete=models.PROTECT,
                                    related_name="+")
    deadline = models.DateField(_("thời hạn hoàn thành"))
    status = models.CharField(_("trạng thái"), max_length=16, choices=ActivityStatus.choices,
                              default=ActivityStatus.NOT_STARTED)
    done_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("nhiệm vụ CCHC")
        verbose_name_plural = _("nhiệm vụ CCHC")
        ordering = ["plan", "area", "order", "id"]

    def __str__(self) -> str:
        return self.title


def evidence_upload_to(instance, filename: str) -> str:
    # Generated name (uuid from CheckedFile.as_file); MEDIA_ROOT is outside the web root, served by a checked view.
    return f"reform/evidence/{filename}"


class Evidence(models.Model):
    """A file proving an activity was done or a self-assessed score (exactly one of the two links)."""

    activity = models.ForeignKey(Activity, null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="evidence")
    score = models.ForeignKey("Score", null=True, blank=True, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=evidence_upload_to)
    original_name = models.CharField(_("tên tệp"), max_length=200)
    content_type = models.CharField(max_length=128)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tài liệu kiểm chứng")
        verbose_name_plural = _("tài liệu kiểm chứng")
        constraints = [models.CheckConstraint(
            condition=models.Q(activity__isnull=False, score__isnull=True)
            | models.Q(activity__isnull=True, score__isnull=False), name="reform_evidence_one_owner")]

    def __str__(self) -> str:
        return self.original_name


class UnitKind(models.TextChoices):
    PROVINCE = "province", _("Tỉnh")
    DEPARTMENT = "department", _("Sở, ban, ngành")
    COMMUNE = "commune", _("UBND cấp xã")


GROUP_LABELS = {UnitKind.PROVINCE: _("khối tỉnh"), UnitKind.DEPARTMENT: _("khối sở"),
                UnitKind.COMMUNE: _("khối xã")}


class CriteriaSet(models.Model):
    code = models.CharField(_("mã bộ tiêu chí"), max_length=64)
    version = models.PositiveSmallIntegerField(_("phiên bản"), default=1)
    name = models.CharField(_("tên bộ tiêu chí"), max_length=500)
    decision = models.CharField(_("quyết định ban hành"), max_length=255)
    unit_kind = models.CharField(_("loại đơn vị"), max_length=16, choices=UnitKind.choices)
    effective_year = models.PositiveSmallIntegerField(_("áp dụng từ năm"))
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("bộ tiêu chí chỉ số CCHC")
        verbose_name_plural = _("bộ tiêu chí chỉ số CCHC")
        ordering = ["unit_kind", "-effective_year", "-version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="reform_set_code_version")]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"


class CriterionKind(models.TextChoices):
    ASSESSED = "assessed", _("Tự đánh giá và thẩm định")
    SURVEY = "survey", _("Điều tra xã hội học (SIPAS)")


class Criterion(models.Model):
    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="criteria")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    code = models.CharField(_("mã"), max_length=16)
    order = models.PositiveSmallIntegerField(default=1)
    title = models.CharField(_("nội dung"), max_length=1000)
    max_points = models.DecimalField(_("điểm tối đa"), **MONEY)
    kind = models.CharField(max_length=16, choices=CriterionKind.choices, default=CriterionKind.ASSESSED)
    guidance = models.TextField(_("hướng dẫn chấm điểm"), blank=True)
    evidence_required = models.TextField(_("tài liệu kiểm chứng"), blank=True)
    # {"source": "on_time_rate", "rule": "ladder", "steps": [[95, 2], [90, 1]], "none": 2} — see reform/scoring.py
    auto = models.JSONField(_("đề xuất tự động"), default=dict, blank=True)
    uncertain = models.BooleanField(_("cần đối chiếu văn bản"), default=False)

    class Meta:
        verbose_name = _("tiêu chí")
        verbose_name_plural = _("tiêu chí")
        ordering = ["criteria_set", "order"]
        constraints = [models.UniqueConstraint(fields=["criteria_set", "code"], name="reform_criterion_code")]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"

    @property
    def depth(self) -> int:
        return self.code.count(".")


class Phase(models.TextChoices):
    SELF = "self", _("Tự đánh giá")
    APPRAISAL = "appraisal", _("Thẩm định")
    CLOSED = "closed", _("Đã công bố kết quả")


class Round(models.Model):
    """One year's scoring of a group of units against one criteria set, organised by `agency` (the province)."""

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.PROTECT, related_name="rounds")
    agency = models.ForeignKey("agencies.Agency", verbose_name=_("cơ quan tổ chức"), on_delete=models.PROTECT,
                               related_name="+")
    year = models.PositiveSmallIntegerField(_("năm đánh giá"))
    phase = models.CharField(_("giai đoạn"), max_length=16, choices=Phase.choices, default=Phase.SELF)
    self_closed_at = models.DateTimeField(_("khóa tự đánh giá lúc"), null=True, blank=True)
    appraisal_closed_at = models.DateTimeField(_("khóa thẩm định lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("đợt đánh giá chỉ số CCHC")
        verbose_name_plural = _("đợt đánh giá chỉ số CCHC")
        ordering = ["-year", "criteria_set__unit_kind"]
        constraints = [models.UniqueConstraint(fields=["criteria_set", "agency", "year"], name="reform_one_round")]

    def __str__(self) -> str:
        return f"{self.criteria_set.name} — {self.year}"

    @property
    def group_label(self) -> str:
        return str(GROUP_LABELS[self.criteria_set.unit_kind])


class UnitAssessment(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="assessments")
    agency = models.ForeignKey("agencies.Agency", verbose_name=_("đơn vị"), on_delete=models.PROTECT,
                               related_name="+")
    figures_at = models.DateTimeField(_("cập nhật số liệu lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("kết quả chỉ số CCHC của đơn vị")
        verbose_name_plural = _("kết quả chỉ số CCHC của đơn vị")
        ordering = ["round", "agency__path"]
        constraints = [models.UniqueConstraint(fields=["round", "agency"], name="reform_one_assessment")]

    def __str__(self) -> str:
        return f"{self.agency} — {self.round}"


class Score(models.Model):
    """One scored (leaf) criterion of a unit. Survey criteria take `proposed` (from SIPAS) as their points; assessed
    criteria take the appraised score, else the self-assessed one (`scoring.effective`)."""

    assessment = models.ForeignKey(UnitAssessment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    proposed = models.DecimalField(_("điểm đề xuất từ dữ liệu"), null=True, blank=True, **MONEY)
    figures = models.JSONField(_("số liệu căn cứ"), default=dict, blank=True)
    self_score = models.DecimalField(_("điểm tự đánh giá"), null=True, blank=True, **MONEY)
    self_note = models.TextField(_("giải trình"), blank=True)
    self_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    appraised = models.DecimalField(_("điểm thẩm định"), null=True, blank=True, **MONEY)
    appraisal_reason = models.TextField(_("lý do điều chỉnh"), blank=True)
    appraised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")

    class Meta:
        verbose_name = _("điểm tiêu chí")
        verbose_name_plural = _("điểm tiêu chí")
        constraints = [models.UniqueConstraint(fields=["assessment", "criterion"], name="reform_one_score")]

    def __str__(self) -> str:
        return f"{self.criterion.code}: {self.self_score} / {self.appraised}"
