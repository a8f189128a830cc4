"""Tables of the monitoring app: indicators (as data), targets, manual values with their approval history, and the
rolled-up values with the roll-up's work tables (windows, per-unit base counts, dirty units, watermark)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# Unit kinds that have residents of their own (orgs.UnitKind codes): where indicators counted by residence apply.
TERRITORIAL_KINDS = frozenset({"province", "district", "commune", "ward", "township", "special_zone", "hamlet"})


class Measure(models.TextChoices):
    PERCENT = "percent", _("Tỷ lệ (%)")
    COUNT = "count", _("Số lượng")


class IndicatorKind(models.TextChoices):
    COMPUTED = "computed", _("Tính từ dữ liệu")
    MANUAL = "manual", _("Nhập tay")
    SURVEY = "survey", _("Ước lượng từ khảo sát")  # the survey app's weighted estimate, with its interval


class Source(models.TextChoices):
    """The building blocks a computed indicator counts (docs/monitoring.md lists what each one reads)."""

    PASSED_STANDARD = "passed_standard", _("Người đạt chuẩn kỹ năng số")
    ASSESSED = "assessed", _("Người đã dự sát hạch")
    TRAINED_ONLINE = "trained_online", _("Người hoàn thành khóa học trực tuyến")
    TRAINED_IN_CLASS = "trained_in_class", _("Người dự lớp tập huấn trực tiếp")
    TRAINED = "trained", _("Người được đào tạo (trực tuyến hoặc trực tiếp)")
    CREDENTIALS_ISSUED = "credentials_issued", _("Chứng nhận đã cấp")
    PEOPLE = "people", _("Số người (theo nhóm, độ tuổi)")
    HAMLETS_WITH_TEAM = "hamlets_with_team", _("Thôn, ấp, khóm có tổ công nghệ số cộng đồng hoạt động")


class PeriodMode(models.TextChoices):
    CUMULATIVE = "cumulative", _("Lũy kế đến cuối kỳ")
    IN_YEAR = "in_year", _("Trong năm (từ 1/1 đến cuối kỳ)")


class Attribution(models.TextChoices):
    RESIDENCE = "residence", _("Nơi cư trú")
    WORKPLACE = "workplace", _("Nơi công tác, học tập")


class DenominatorSource(models.TextChoices):
    NONE = "", _("Không có mẫu số")
    PEOPLE = "people", _("Số người cùng nhóm, độ tuổi, loại đơn vị")
    UNIT_DENOMINATOR = "unit_denominator", _("Mẫu số theo năm của đơn vị")
    HAMLETS = "hamlets", _("Số thôn, ấp, khóm, tổ dân phố")


class Indicator(models.Model):
    """A monitored indicator. A computed one is defined by building blocks (no code); a manual one is entered by units."""

    code = models.SlugField(_("mã chỉ số"), max_length=64, unique=True)
    name = models.CharField(_("tên chỉ số"), max_length=255)
    description = models.TextField(_("mô tả"), blank=True)
    measure = models.CharField(_("đơn vị tính"), max_length=8, choices=Measure.choices)
    kind = models.CharField(_("cách lấy số liệu"), max_length=8, choices=IndicatorKind.choices)
    source = models.CharField(_("đếm gì"), max_length=24, choices=Source.choices, blank=True)
    target_group = models.CharField(
        _("nhóm đối tượng"),
        max_length=32,
        blank=True,
        help_text=_("Chỉ đếm người thuộc nhóm này vào cuối kỳ; để trống: mọi người."),
    )
    standard_code = models.CharField(
        _("mã chuẩn"),
        max_length=64,
        blank=True,
        help_text=_("Với «đạt chuẩn»/«đã dự sát hạch»; để trống: chuẩn bất kỳ."),
    )
    course_code = models.CharField(
        _("mã khóa học"),
        max_length=64,
        blank=True,
        help_text=_("Với «hoàn thành khóa học trực tuyến»; để trống: khóa bất kỳ."),
    )
    credential_code = models.CharField(_("mã thành tích của chứng nhận"), max_length=64, blank=True)
    survey_code = models.CharField(
        _("mã bảng hỏi khảo sát"),
        max_length=64,
        blank=True,
        help_text=_("Với «ước lượng từ khảo sát»: bảng hỏi có ước lượng được lấy."),
    )
    age_min = models.PositiveSmallIntegerField(
        _("từ tuổi"), null=True, blank=True, help_text=_("Tuổi tính vào ngày cuối kỳ.")
    )
    age_max = models.PositiveSmallIntegerField(
        _("đến tuổi"), null=True, blank=True, help_text=_("Tuổi tính vào ngày cuối kỳ (tính cả tuổi này).")
    )
    unit_kind = models.CharField(
        _("loại đơn vị"),
        max_length=32,
        blank=True,
        help_text=_("Chỉ đếm người gắn với đơn vị loại này; để trống: mọi loại."),
    )
    attribution = models.CharField(
        _("tính người cho đơn vị theo"), max_length=16, choices=Attribution.choices, default=Attribution.RESIDENCE
    )
    period_mode = models.CharField(
        _("kỳ tính"), max_length=16, choices=PeriodMode.choices, default=PeriodMode.CUMULATIVE
    )
    counts_outside_learning = models.BooleanField(
        _("tính cả học trên nền tảng khác"),
        default=True,
        help_text=_(
            "Với «đạt chuẩn» và «hoàn thành khóa học trực tuyến»: tính cả kết quả từ nền tảng khác (xAPI, "
            "danh sách nhập) mà tỉnh đã ánh xạ sang chuẩn hoặc khóa học của hệ thống."
        ),
    )
    denominator = models.CharField(_("mẫu số"), max_length=24, choices=DenominatorSource.choices, blank=True)
    denominator_kind = models.CharField(_("loại mẫu số của đơn vị"), max_length=32, blank=True)
    applies_to = models.JSONField(
        _("áp dụng cho loại đơn vị"),
        default=list,
        blank=True,
        help_text=_(
            "Mã các loại đơn vị có số liệu của chỉ số (ví dụ commune, ward, school); để trống: chỉ số tính "
            "theo nơi cư trú áp dụng cho tỉnh, xã, phường, đặc khu; các chỉ số khác cho mọi loại."
        ),
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    is_active = models.BooleanField(_("đang theo dõi"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("chỉ số")
        verbose_name_plural = _("chỉ số")
        ordering = ["order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(age_min__isnull=True) | Q(age_max__isnull=True) | Q(age_max__gte=models.F("age_min")),
                name="indicator_age_band_ordered",
            ),
        ]

    def applies_to_kind(self, kind: str) -> bool:
        """Whether a unit of this kind can have a figure for the indicator: the listed kinds, else for a computed
        indicator counted where people live the territorial units, else every kind. Units it does not apply to are
        left out of drill-downs, rankings and at-risk flags (a school has no residents to count)."""
        if self.applies_to:
            return kind in self.applies_to
        if self.kind == IndicatorKind.COMPUTED and self.attribution == Attribution.RESIDENCE:
            return kind in TERRITORIAL_KINDS
        return True

    def __str__(self) -> str:
        return f"{self.code}: {self.name}"

    def clean(self):
        from kynangso.monitoring.definitions import validate_indicator

        validate_indicator(self)


class Target(models.Model):
    """A plan's target for an indicator at a unit in a year; units without their own inherit their parent's."""

    plan = models.ForeignKey("plans.Plan", verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="+")
    indicator = models.ForeignKey(Indicator, verbose_name=_("chỉ số"), on_delete=models.CASCADE, related_name="targets")
    unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("đơn vị"), on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("năm"))
    value = models.DecimalField(_("chỉ tiêu"), max_digits=14, decimal_places=2)
    objective_code = models.CharField(_("mục tiêu của kế hoạch"), max_length=32, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    # A count target the province shared out among the units below by their recorded figures (targets.allocate_target).
    allocated_from = models.ForeignKey(
        "self",
        verbose_name=_("phân bổ từ chỉ tiêu"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="allocations",
    )
    allocation_basis = models.CharField(_("phân bổ theo"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        ordering = ["plan", "indicator__order", "year"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "indicator", "unit", "year"], name="target_unique"),
        ]
        indexes = [models.Index(fields=["plan", "year"])]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.year}: {self.value}"


class ManualStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Đã gửi, chờ duyệt")
    APPROVED = "approved", _("Đã duyệt")
    RETURNED = "returned", _("Đã trả lại")


class ManualValue(models.Model):
    """A unit's value for a manual indicator in a year; the parent unit approves it (then it is locked) or returns it."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("chỉ số"), on_delete=models.PROTECT, related_name="manual_values"
    )
    unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("năm"))
    value = models.DecimalField(_("giá trị"), max_digits=14, decimal_places=2)
    note = models.TextField(_("ghi chú"), blank=True)
    status = models.CharField(_("trạng thái"), max_length=16, choices=ManualStatus.choices)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    entered_at = models.DateTimeField(_("gửi lúc"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("duyệt/trả lại lúc"), null=True, blank=True)
    comment = models.TextField(_("ý kiến khi trả lại"), blank=True)

    class Meta:
        verbose_name = _("số liệu nhập tay")
        verbose_name_plural = _("số liệu nhập tay")
        ordering = ["unit__code", "indicator__order", "-year"]
        constraints = [models.UniqueConstraint(fields=["indicator", "unit", "year"], name="manualvalue_unique")]
        indexes = [models.Index(fields=["status", "unit"])]


class ManualValueEvent(models.Model):
    """One step in a manual value's history (submitted, approved, returned), with the value as it was."""

    manual_value = models.ForeignKey(ManualValue, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("thao tác"), max_length=16, choices=ManualStatus.choices)
    value = models.DecimalField(_("giá trị"), max_digits=14, decimal_places=2)
    note = models.TextField(_("ghi chú"), blank=True)
    comment = models.TextField(_("ý kiến"), blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("lúc"))

    class Meta:
        verbose_name = _("lịch sử số liệu nhập tay")
        verbose_name_plural = _("lịch sử số liệu nhập tay")
        ordering = ["manual_value", "at", "id"]


class IndicatorValue(models.Model):
    """A computed indicator's value at a unit (its whole effective subtree) at the end of a period (a month end)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    unit_id = models.IntegerField()
    period_end = models.DateField()
    numerator = models.BigIntegerField()
    denominator = models.BigIntegerField(null=True)
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["indicator", "unit_id", "period_end"], name="indicatorvalue_unique"),
        ]
        indexes = [models.Index(fields=["unit_id", "period_end"])]


class RollupWindow(models.Model):
    """Work table: one row per (indicator, period) of the last full roll-up, with the bounds the SQL compares to."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    period_end = models.DateField()
    year = models.PositiveSmallIntegerField()
    start_date = models.DateField(null=True)  # None: cumulative (from the beginning)
    start_at = models.DateTimeField(null=True)
    end_at = models.DateTimeField()  # exclusive: the first instant after the period end
    born_after = models.DateField(null=True)  # exclusive bound from age_max
    born_until = models.DateField(null=True)  # inclusive bound from age_min

    class Meta:
        constraints = [models.UniqueConstraint(fields=["indicator", "period_end"], name="rollupwindow_unique")]


class BaseCount(models.Model):
    """Work table: per (indicator, unit people are attached to, period), the numerator or denominator count.

    Each person (or credential) is attached to exactly one unit per indicator, so a subtree's figure is the sum of
    its units' base counts: this is what makes the incremental roll-up cheap."""

    NUMERATOR = "n"
    DENOMINATOR = "d"
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    unit_id = models.IntegerField()
    period_end = models.DateField()
    part = models.CharField(max_length=1)
    count = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["unit_id", "indicator", "period_end"])]


class DirtyUnit(models.Model):
    """A unit whose people's records changed since the last roll-up (or marked by hand): the incremental roll-up
    recomputes its base counts."""

    unit_id = models.IntegerField(unique=True)


class AffectedPerson(models.Model):
    """Work table of the incremental roll-up: a person with facts recorded since the watermark, and where they come
    from (`attempt:<standard>`, `course:<course>`, `class`, `credential:<code>`), so that only the indicators over
    that source are recomputed for them."""

    person_id = models.BigIntegerField(db_index=True)
    source = models.CharField(max_length=120, default="", db_index=True)


class TouchedUnit(models.Model):
    """Work table of the incremental roll-up: a unit whose values are recomputed (ancestors of what changed)."""

    unit_id = models.IntegerField(unique=True)


class RollupState(models.Model):
    """The single row saying when the last full roll-up ran and up to when facts have been taken in (watermark)."""

    full_computed_at = models.DateTimeField(null=True)
    watermark = models.DateTimeField(null=True)
    last_run_at = models.DateTimeField(null=True)
    last_run_kind = models.CharField(max_length=16, blank=True)
    last_run_seconds = models.FloatField(null=True)
    granularity = models.CharField(max_length=8, default="month")  # "month" or "year" periods
