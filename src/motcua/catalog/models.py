"""Procedure catalogue: procedures versioned by announcement decision, variants, fees, documents, process steps.

Immutability of published versions is enforced here, in save()/delete() of the version and of every child row
(variant, fee, document, step) and in a pre_delete signal that also covers queryset and cascade deletes. The only
writes a published version accepts come from `catalog.services`: the draft → published switch (`publish`) and
closing an open-ended version when its successor is published. Queryset.update()/bulk_update() bypass model code
and must not be used on catalogue rows.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.signals import pre_delete
from django.utils.translation import gettext_lazy as _

from motcua.core.text import fold


class PublishedVersionLocked(ValidationError):
    """A write to a published version or to one of its variants, fees, documents or steps."""


def locked_message():
    return _("Phiên bản thủ tục đã công bố không được sửa hoặc xoá (kể cả trường hợp, phí, thành phần hồ sơ, "
             "bước xử lý). Hãy tạo phiên bản mới theo quyết định công bố mới.")


class TimeUnit(models.TextChoices):
    WORKING_HOURS = "working_hours", _("giờ làm việc")
    WORKING_DAYS = "working_days", _("ngày làm việc")
    CALENDAR_DAYS = "calendar_days", _("ngày")
    NONE = "none", _("không quy định thời hạn")


class OnlineLevel(models.TextChoices):
    NONE = "none", _("Không trực tuyến")
    PARTIAL = "partial", _("Một phần")
    FULL = "full", _("Toàn trình")


class ApplicantType(models.TextChoices):
    CITIZEN = "citizen", _("Công dân")
    BUSINESS = "business", _("Doanh nghiệp, tổ chức")
    BOTH = "both", _("Công dân, tổ chức")


class ProcedureLevel(models.TextChoices):
    CENTRAL = "central", _("Cấp trung ương thực hiện tại địa phương")
    PROVINCE = "province", _("Cấp tỉnh")
    DISTRICT = "district", _("Cấp huyện (trước 01/07/2025)")
    COMMUNE = "commune", _("Cấp xã")


class ResultType(models.TextChoices):
    PAPER = "paper", _("Bản giấy")
    ELECTRONIC = "electronic", _("Bản điện tử")
    BOTH = "both", _("Bản giấy và bản điện tử")


class SupplementPolicy(models.TextChoices):
    RESUME = "resume", _("Tiếp tục thời gian còn lại")
    RESTART = "restart", _("Tính lại từ đầu")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    PUBLISHED = "published", _("Đã công bố")


class Field(models.Model):
    """Lĩnh vực (e.g. Hộ tịch, Đất đai)."""

    code = models.CharField(_("mã lĩnh vực"), max_length=32, unique=True)
    name = models.CharField(_("tên lĩnh vực"), max_length=255)

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Procedure(models.Model):
    code = models.CharField(_("mã thủ tục"), max_length=32, unique=True)  # e.g. 1.001234, 2.000635
    name = models.CharField(_("tên thủ tục"), max_length=500)
    search_text = models.TextField(editable=False, blank=True, db_index=False)  # folded name + code + field
    field = models.ForeignKey(Field, verbose_name=_("lĩnh vực"), on_delete=models.PROTECT,
                              related_name="procedures")
    level = models.CharField(_("cấp thực hiện"), max_length=16, choices=ProcedureLevel.choices)
    applicant_type = models.CharField(_("đối tượng thực hiện"), max_length=16, choices=ApplicantType.choices,
                                      default=ApplicantType.BOTH)
    competent_agencies = models.ManyToManyField("agencies.Agency", verbose_name=_("cơ quan có thẩm quyền"),
                                                related_name="procedures", blank=True)
    life_events = models.CharField(_("sự kiện cuộc sống"), max_length=255, blank=True,
                                   help_text=_("Các nhóm sự kiện, cách nhau bởi dấu phẩy"))

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    def save(self, *args, **kwargs):
        field_name = self.field.name if self.field_id else ""
        self.search_text = fold(f"{self.name} {self.code} {field_name}")
        super().save(*args, **kwargs)


class GuardedQuerySet(models.QuerySet):
    """Refuses a queryset delete touching a published version before Django starts deleting (the pre_delete
    signal would refuse it too, but only after the surrounding transaction is already marked for rollback)."""

    version_lookup = "pk"

    def delete(self):
        guard_version_ids(list(self.order_by().values_list(self.version_lookup, flat=True).distinct()))
        return super().delete()


class VariantQuerySet(GuardedQuerySet):
    version_lookup = "version_id"


class VariantChildQuerySet(GuardedQuerySet):
    version_lookup = "variant__version_id"


class ProcedureVersion(models.Model):
    """One announced version of a procedure. Published versions are immutable; validity periods never overlap."""

    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="versions")
    decision_number = models.CharField(_("số quyết định công bố"), max_length=64)
    decision_date = models.DateField(_("ngày quyết định"))
    effective_from = models.DateField(_("hiệu lực từ"))
    effective_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    status = models.CharField(_("trạng thái"), max_length=16, choices=VersionStatus.choices,
                              default=VersionStatus.DRAFT)
    published_at = models.DateTimeField(_("thời điểm công bố"), null=True, blank=True)
    # The seven mandatory components (Decree 63/2010 Art. 8(2)); name is on Procedure, documents and time limits on
    # variants.
    steps_text = models.TextField(_("trình tự thực hiện"), blank=True)
    method_text = models.TextField(_("cách thức thực hiện"), blank=True)
    applicants_text = models.TextField(_("đối tượng thực hiện"), blank=True)
    implementing_agency_text = models.TextField(_("cơ quan thực hiện"), blank=True)
    result_text = models.TextField(_("kết quả thực hiện"), blank=True)
    requirements_text = models.TextField(_("yêu cầu, điều kiện"), blank=True)
    legal_basis = models.TextField(_("căn cứ pháp lý"), blank=True)

    objects = GuardedQuerySet.as_manager()

    class Meta:
        verbose_name = _("phiên bản thủ tục")
        verbose_name_plural = _("phiên bản thủ tục")
        ordering = ["procedure", "-effective_from"]
        indexes = [models.Index(fields=["procedure", "status", "effective_from"])]
        constraints = [
            # The import key: one version per announcement decision of a procedure.
            models.UniqueConstraint(fields=["procedure", "decision_number"], name="uniq_version_decision"),
            models.CheckConstraint(
                condition=models.Q(effective_to__isnull=True) | models.Q(effective_to__gte=models.F("effective_from")),
                name="version_period_ordered",
            ),
        ]

    # Set only by catalog.services (publish / close_previous); never by callers.
    _publishing = False
    _closing = False

    def __str__(self) -> str:
        return f"{self.procedure.code} ({self.decision_number})"

    def save(self, *args, **kwargs):
        stored = type(self).objects.filter(pk=self.pk).values("status", "effective_to").first() if self.pk else None
        if stored and stored["status"] == VersionStatus.PUBLISHED:
            self._check_closing(stored, kwargs.get("update_fields"))
        elif self.status == VersionStatus.PUBLISHED and not self._publishing:
            raise PublishedVersionLocked(_("Chỉ công bố phiên bản qua chức năng «Công bố» (có kiểm tra đủ điều "
                                           "kiện công bố)."), code="publish_required")
        super().save(*args, **kwargs)

    def _check_closing(self, stored: dict, update_fields) -> None:
        """A published version may only get an end date once, when its successor is published."""
        if self._closing and stored["effective_to"] is None and list(update_fields or []) == ["effective_to"]:
            return
        raise PublishedVersionLocked(locked_message(), code="published_locked")

    def delete(self, *args, **kwargs):
        guard_version_ids([self.pk])
        return super().delete(*args, **kwargs)

    @property
    def is_published(self) -> bool:
        return self.status == VersionStatus.PUBLISHED


def guard_version_ids(version_ids) -> None:
    """Refuse the write when any of these versions is published (as stored in the database)."""
    ids = [pk for pk in version_ids if pk is not None]
    if ids and ProcedureVersion.objects.filter(pk__in=ids, status=VersionStatus.PUBLISHED).exists():
        raise PublishedVersionLocked(locked_message(), code="published_locked")


class VersionChild(models.Model):
    """Rows that belong to a version: writable only while the version is a draft (checked against the database,
    for both the new and the stored parent so a row cannot be moved out of a published version either)."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        guard_version_ids(self.parent_version_ids() + self.stored_version_ids())
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        guard_version_ids(self.stored_version_ids() or self.parent_version_ids())
        return super().delete(*args, **kwargs)

    def parent_version_ids(self) -> list:
        raise NotImplementedError

    def stored_version_ids(self) -> list:
        if not self.pk:
            return []
        stored = type(self).objects.filter(pk=self.pk).first()
        return stored.parent_version_ids() if stored else []


class Variant(VersionChild):
    """Trường hợp: a case of the procedure with its own time limit, fees, documents and process."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="variants")
    order = models.PositiveSmallIntegerField(default=1)
    name = models.CharField(_("trường hợp"), max_length=500)
    legal_limit = models.DecimalField(_("thời hạn theo quy định"), max_digits=7, decimal_places=2, default=0)
    limit_unit = models.CharField(_("đơn vị thời hạn"), max_length=16, choices=TimeUnit.choices,
                                  default=TimeUnit.WORKING_DAYS)
    committed_limit = models.DecimalField(_("thời hạn cam kết (rút ngắn)"), max_digits=7, decimal_places=2,
                                          null=True, blank=True)
    same_day_cutoff = models.TimeField(_("giờ tiếp nhận muộn nhất để trả trong ngày"), null=True, blank=True)
    supplement_policy = models.CharField(_("khi bổ sung hồ sơ"), max_length=16, choices=SupplementPolicy.choices,
                                         default=SupplementPolicy.RESUME)
    fee_note = models.TextField(_("ghi chú phí, lệ phí"), blank=True)
    result_type = models.CharField(_("loại kết quả"), max_length=16, choices=ResultType.choices,
                                   default=ResultType.BOTH)
    result_name = models.CharField(_("tên kết quả"), max_length=500, blank=True)
    online_level = models.CharField(_("mức độ trực tuyến"), max_length=16, choices=OnlineLevel.choices,
                                    default=OnlineLevel.NONE)
    postal_in = models.BooleanField(_("nhận hồ sơ qua bưu chính"), default=True)
    postal_out = models.BooleanField(_("trả kết quả qua bưu chính"), default=True)
    on_the_spot = models.BooleanField(_("giải quyết tại chỗ"), default=False)
    legal_basis = models.TextField(_("căn cứ pháp lý"), blank=True)

    objects = VariantQuerySet.as_manager()

    class Meta:
        verbose_name = _("trường hợp")
        verbose_name_plural = _("trường hợp")
        ordering = ["version", "order"]

    def __str__(self) -> str:
        return self.name

    def parent_version_ids(self) -> list:
        return [self.version_id]

    @property
    def effective_limit(self):
        """The limit the clock runs on: the committed (shortened) limit when set, else the legal one."""
        return self.committed_limit if self.committed_limit is not None else self.legal_limit


class VariantChild(VersionChild):
    objects = VariantChildQuerySet.as_manager()

    class Meta:
        abstract = True

    def parent_version_ids(self) -> list:
        cached = self._state.fields_cache.get("variant")
        if cached is not None and cached.pk == self.variant_id:  # saves a query per row on bulk writes
            return [cached.version_id]
        version_id = Variant.objects.filter(pk=self.variant_id).values_list("version_id", flat=True).first()
        return [version_id]


class Fee(VariantChild):
    variant = models.ForeignKey(Variant, on_delete=models.CASCADE, related_name="fees")
    name = models.CharField(_("tên phí, lệ phí"), max_length=255)
    amount = models.PositiveBigIntegerField(_("mức thu (đồng)"), default=0)
    online_amount = models.PositiveBigIntegerField(_("mức thu khi nộp trực tuyến (đồng)"), null=True, blank=True)
    exemption = models.CharField(_("trường hợp miễn, giảm"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("phí, lệ phí")
        verbose_name_plural = _("phí, lệ phí")

    def __str__(self) -> str:
        return f"{self.name}: {self.amount}"


class RequiredDocument(VariantChild):
    variant = models.ForeignKey(Variant, on_delete=models.CASCADE, related_name="documents")
    order = models.PositiveSmallIntegerField(default=1)
    name = models.CharField(_("tên giấy tờ"), max_length=1000)
    originals = models.PositiveSmallIntegerField(_("bản chính"), default=0)
    certified_copies = models.PositiveSmallIntegerField(_("bản sao chứng thực"), default=0)
    copies = models.PositiveSmallIntegerField(_("bản sao"), default=0)
    required = models.BooleanField(_("bắt buộc"), default=True)
    template = models.FileField(_("mẫu đơn, tờ khai"), upload_to="catalog/templates/", blank=True)
    template_name = models.CharField(_("tên mẫu"), max_length=255, blank=True)
    from_data_store = models.BooleanField(_("có thể lấy từ kho dữ liệu"), default=False)

    class Meta:
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")
        ordering = ["variant", "order"]

    def __str__(self) -> str:
        return self.name


class ProcessStep(VariantChild):
    """One step of the internal process; `actions` names the transitions allowed while a dossier is at it."""

    variant = models.ForeignKey(Variant, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField()
    code = models.SlugField(_("mã bước"), max_length=32)
    name = models.CharField(_("tên bước"), max_length=255)
    role = models.CharField(_("vai trò thực hiện"), max_length=32)  # accounts.models.Role value
    # Empty = the dossier's competent agency; set = a fixed agency (e.g. the service centre, another department).
    agency = models.ForeignKey("agencies.Agency", verbose_name=_("đơn vị thực hiện"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    budget = models.DecimalField(_("thời gian (theo đơn vị của trường hợp)"), max_digits=7, decimal_places=2,
                                 default=0)
    actions = models.JSONField(_("thao tác được phép"), default=list, blank=True)
    is_final = models.BooleanField(_("bước cuối"), default=False)

    class Meta:
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("bước xử lý")
        ordering = ["variant", "order"]
        constraints = [models.UniqueConstraint(fields=["variant", "order"], name="uniq_step_order"),
                       models.UniqueConstraint(fields=["variant", "code"], name="uniq_step_code")]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


def _refuse_published_delete(sender, instance, **kwargs):
    """Covers queryset deletes and cascades, which do not call Model.delete()."""
    if isinstance(instance, ProcedureVersion):
        guard_version_ids([instance.pk])
    else:
        guard_version_ids(instance.stored_version_ids() or instance.parent_version_ids())


# Connected per model (not globally) so other apps keep Django's fast deletes.
for _model in (ProcedureVersion, Variant, Fee, RequiredDocument, ProcessStep):
    pre_delete.connect(_refuse_published_delete, sender=_model, dispatch_uid=f"catalog_locked_{_model.__name__}")
