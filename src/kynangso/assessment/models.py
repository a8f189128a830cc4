"""Standards per target group, the versioned item bank, and attempts with their drawn items and saved answers."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kynangso.people.api import TargetGroup


class ItemType(models.TextChoices):
    SINGLE_CHOICE = "single_choice", _("Một lựa chọn")
    MULTIPLE_RESPONSE = "multiple_response", _("Nhiều lựa chọn")
    TRUE_FALSE = "true_false", _("Đúng/Sai")
    ORDERING = "ordering", _("Sắp xếp")
    MATCHING = "matching", _("Ghép cặp")
    SHORT_TEXT = "short_text", _("Trả lời ngắn")
    NUMERIC = "numeric", _("Số")


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    REVIEWED = "reviewed", _("Đã thẩm định")
    LIVE = "live", _("Đang dùng")
    RETIRED = "retired", _("Ngừng dùng")


class ItemUse(models.TextChoices):
    ASSESSMENT = "assessment", _("Sát hạch")
    PRACTICE = "practice", _("Luyện tập (không tính vào chuẩn)")


class StandardMode(models.TextChoices):
    FIXED = "fixed", _("Đề theo ma trận")
    ADAPTIVE = "adaptive", _("Thích ứng (CAT)")


class UniversalGroup(models.TextChoices):
    """The four target groups of Quyết định 757/QĐ-BKHCN (29/04/2025), Appendix I, whose members are confirmed as
    having reached basic digital skills («xác nhận đạt phổ cập», Appendix II)."""

    PUPILS_STUDENTS = "pupils_students", _("Học sinh, sinh viên")
    CITIZENS = "citizens", _("Công dân")
    OFFICIALS = "officials", _("Cán bộ, công chức, viên chức cơ quan nhà nước")
    ENTERPRISE_WORKERS = "enterprise_workers", _("Người lao động trong doanh nghiệp")


class Standard(models.Model):
    code = models.CharField(_("mã chuẩn"), max_length=32, unique=True)
    name = models.CharField(_("tên chuẩn"), max_length=255)
    target_group = models.CharField(_("nhóm đối tượng"), max_length=32, choices=TargetGroup.choices)
    framework_code = models.CharField(_("khung năng lực"), max_length=32)
    description = models.TextField(_("mô tả"), blank=True)
    confirms_universal_for = models.CharField(
        _("xác nhận đạt phổ cập cho nhóm (QĐ 757)"),
        max_length=32,
        choices=UniversalGroup.choices,
        blank=True,
        help_text=_(
            "Người đạt chuẩn này được xác nhận đạt phổ cập kỹ năng số cơ bản của nhóm này theo Quyết định "
            "757/QĐ-BKHCN; để trống nếu chuẩn không dùng để xác nhận."
        ),
    )
    time_limit_minutes = models.PositiveSmallIntegerField(_("thời gian làm bài (phút)"))
    pass_percent = models.PositiveSmallIntegerField(_("điểm đạt (%)"))
    domain_pass_percent = models.PositiveSmallIntegerField(_("điểm đạt tối thiểu mỗi miền (%)"), null=True, blank=True)
    max_attempts_per_year = models.PositiveSmallIntegerField(_("số lần thi tối đa mỗi năm"), default=3)
    wait_hours = models.PositiveSmallIntegerField(_("thời gian chờ giữa hai lần thi (giờ)"), default=24)
    mode = models.CharField(_("hình thức"), max_length=16, choices=StandardMode.choices, default=StandardMode.FIXED)
    partial_credit = models.BooleanField(
        _("chấm điểm từng phần"),
        default=False,
        help_text=_(
            "Câu có điểm từng phần (nhập từ Moodle) được tính một phần điểm; nếu không, mỗi câu đúng hết "
            "hoặc không. Bài thi thích ứng luôn chấm đúng/sai."
        ),
    )
    cat_se_target = models.FloatField(_("sai số chuẩn để dừng (CAT)"), default=0.35)
    cat_min_items = models.PositiveSmallIntegerField(_("số câu tối thiểu (CAT)"), default=10)
    cat_max_items = models.PositiveSmallIntegerField(_("số câu tối đa (CAT)"), default=30)
    is_active = models.BooleanField(_("đang áp dụng"), default=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("chuẩn kỹ năng số")
        verbose_name_plural = _("chuẩn kỹ năng số")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=Q(pass_percent__lte=100), name="standard_pass_percent_max"),
            models.CheckConstraint(condition=Q(time_limit_minutes__gte=1), name="standard_time_limit_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class BlueprintRow(models.Model):
    """How many items of a competence at a level each form of the standard holds. The level a standard requires
    for a competence is the highest level its rows name."""

    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="blueprint")
    competence_code = models.CharField(_("năng lực"), max_length=16)
    level = models.PositiveSmallIntegerField(_("bậc"))
    item_count = models.PositiveSmallIntegerField(_("số câu"))

    class Meta:
        verbose_name = _("dòng ma trận đề")
        verbose_name_plural = _("ma trận đề")
        ordering = ["standard", "competence_code", "level"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "competence_code", "level"], name="blueprint_unique_cell")
        ]


class Item(models.Model):
    """A question's identity; its text lives in versions. Attempts point at versions, so editing never rescores."""

    code = models.CharField(_("mã câu hỏi"), max_length=64, unique=True)
    framework_code = models.CharField(_("khung năng lực"), max_length=32)
    competence_code = models.CharField(_("năng lực"), max_length=16)
    level = models.PositiveSmallIntegerField(_("bậc"))
    groups = models.JSONField(_("nhóm đối tượng phù hợp"), default=list, blank=True)
    # The family (docs/item-writing.md, rule 12) a variant was expanded from; "" for a stand-alone item. A form holds
    # at most one item of a family, and a family counts once in exposure and in the pool rule.
    family = models.CharField(_("họ câu hỏi"), max_length=64, blank=True, default="", db_index=True)
    use = models.CharField(_("mục đích"), max_length=16, choices=ItemUse.choices, default=ItemUse.ASSESSMENT)
    live_version = models.ForeignKey(
        "ItemVersion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("phiên bản đang dùng"),
    )
    # IRT parameters (2PL), set by calibration; null until the item has enough responses.
    irt_a = models.FloatField(null=True, blank=True)
    irt_b = models.FloatField(null=True, blank=True)
    calibrated_at = models.DateTimeField(null=True, blank=True)
    times_drawn = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("câu hỏi")
        verbose_name_plural = _("ngân hàng câu hỏi")
        ordering = ["code"]
        indexes = [models.Index(fields=["framework_code", "competence_code", "level", "use"])]

    def __str__(self) -> str:
        return self.code

    @property
    def is_tagged(self) -> bool:
        """Whether the item has a framework, a competence and a level (an imported item may have none yet)."""
        return bool(self.framework_code and self.competence_code and self.level)


class ItemVersion(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("phiên bản"))
    type = models.CharField(_("loại câu hỏi"), max_length=20, choices=ItemType.choices)
    stem = models.TextField(_("nội dung câu hỏi"))
    # A path or URL, or (imported from Moodle) the image itself as a data: URI of at most 256 KB.
    image = models.TextField(_("hình ảnh"), blank=True)
    # Options, steps, pairs and the key, with random ids (see assessment/bank.py); never sent to a taker as is.
    body = models.JSONField(default=dict)
    explanation = models.TextField(_("giải thích"), blank=True)
    source_note = models.CharField(_("căn cứ"), max_length=500, blank=True)
    # What an import from Moodle/GIFT/XLSX could not keep, in Vietnamese, one line each: for the reviewer to check.
    import_notes = models.JSONField(_("ghi chú khi nhập"), default=list, blank=True)
    status = models.CharField(_("trạng thái"), max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người soạn"),
    )
    reviewed_at = models.DateTimeField(_("thẩm định lúc"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người thẩm định"),
    )
    published_at = models.DateTimeField(_("đưa vào dùng lúc"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người đưa vào dùng"),
    )
    retired_at = models.DateTimeField(_("ngừng dùng lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("phiên bản câu hỏi")
        verbose_name_plural = _("phiên bản câu hỏi")
        ordering = ["item", "number"]
        constraints = [models.UniqueConstraint(fields=["item", "number"], name="item_version_unique_number")]

    def __str__(self) -> str:
        return f"{self.item.code} v{self.number}"


class AttemptStatus(models.TextChoices):
    OPEN = "open", _("Đang làm bài")
    SUBMITTED = "submitted", _("Đã nộp bài")


class Attempt(models.Model):
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("người dự thi")
    )
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="attempts")
    number = models.PositiveSmallIntegerField(_("lần thi"))
    status = models.CharField(_("trạng thái"), max_length=16, choices=AttemptStatus.choices, default=AttemptStatus.OPEN)
    mode = models.CharField(_("hình thức"), max_length=16, choices=StandardMode.choices, default=StandardMode.FIXED)
    started_at = models.DateTimeField(_("bắt đầu lúc"))
    deadline = models.DateTimeField(_("hạn nộp bài"))
    submitted_at = models.DateTimeField(_("nộp bài lúc"), null=True, blank=True)
    auto_submitted = models.BooleanField(_("tự nộp khi hết giờ"), default=False)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    assisted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người hỗ trợ"),
    )
    consent_recorded_at = models.DateTimeField(_("người dự thi đồng ý được hỗ trợ lúc"), null=True, blank=True)
    score_percent = models.FloatField(_("điểm (%)"), null=True, blank=True)
    passed = models.BooleanField(_("đạt"), null=True)
    profile = models.JSONField(_("hồ sơ năng lực"), default=dict, blank=True)
    theta = models.FloatField(null=True, blank=True)
    theta_se = models.FloatField(null=True, blank=True)

    class Meta:
        verbose_name = _("lượt thi")
        verbose_name_plural = _("lượt thi")
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "standard"], condition=Q(status="open"), name="attempt_one_open_per_person_standard"
            ),
            models.UniqueConstraint(fields=["person", "standard", "number"], name="attempt_unique_number"),
        ]
        indexes = [
            models.Index(fields=["standard", "status", "passed"]),
            models.Index(fields=["status", "deadline"]),
            # the incremental roll-up finds the results submitted since its last run
            models.Index(fields=["submitted_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.standard.code} #{self.number}"


class AttemptItem(models.Model):
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("thứ tự"))
    item_version = models.ForeignKey(ItemVersion, on_delete=models.PROTECT, related_name="+")
    # The order the taker sees options, steps or right-hand sides in (ids into the version's body), and under
    # "aliases" the random id each of them has in this attempt only: the only ids a taker sees or sends.
    presentation = models.JSONField(default=dict)
    # Stored in the version's own ids (the taker's aliases are translated on saving), so scoring and analysis
    # read it without the presentation.
    answer = models.JSONField(_("câu trả lời"), null=True, blank=True)
    answered_at = models.DateTimeField(_("trả lời lúc"), null=True, blank=True)
    revision = models.PositiveIntegerField(default=0)
    # Random per drawn item: a save validated against a cached copy of this row must name it (answering.store_answer).
    nonce = models.CharField(max_length=16, blank=True, default="")
    correct = models.BooleanField(null=True)
    # The share of the point earned (scoring.credit), set on submitting; counted when the standard gives partial credit.
    credit = models.FloatField(null=True, blank=True)

    class Meta:
        verbose_name = _("câu trong đề")
        verbose_name_plural = _("câu trong đề")
        ordering = ["attempt", "position"]
        constraints = [models.UniqueConstraint(fields=["attempt", "position"], name="attempt_item_unique_position")]
