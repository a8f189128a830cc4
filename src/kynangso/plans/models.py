"""Tables of provincial plans: objectives, task groups, tasks with lead and cooperating units, their occurrences and progress reports."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Plan(models.Model):
    """A provincial plan (Kế hoạch số …/KH-UBND).

    `key` identifies the plan in import files even while its number is unknown (a draft reads "Số: /KH-UBND");
    re-importing a file with the same number, or else the same key, updates the plan.
    """

    key = models.SlugField(_("mã tệp kế hoạch"), max_length=100, unique=True)
    number_symbol = models.CharField(_("số, ký hiệu"), max_length=64, blank=True, help_text=_("Ví dụ: 154/KH-UBND"))
    title = models.TextField(_("trích yếu"))
    issuing_body = models.CharField(_("cơ quan ban hành"), max_length=255)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    issued_year = models.PositiveSmallIntegerField(_("năm ban hành"))
    period_start = models.DateField(_("thực hiện từ"))
    period_end = models.DateField(_("thực hiện đến"))
    owner_unit = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name=_("cơ quan thường trực"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    owner_unit_label = models.CharField(_("cơ quan thường trực (theo văn bản)"), max_length=255, blank=True)
    purpose = models.TextField(_("mục đích, yêu cầu"), blank=True)
    funding = models.TextField(_("kinh phí thực hiện"), blank=True)
    annual_report_due_month = models.PositiveSmallIntegerField(_("tháng hạn báo cáo năm"), null=True, blank=True)
    annual_report_due_day = models.PositiveSmallIntegerField(_("ngày hạn báo cáo năm"), null=True, blank=True)
    # Emulation («thi đua»): the weights the province gives each part of a unit's score (docs/plans.md).
    ranking_weight_on_time = models.PositiveSmallIntegerField(_("trọng số thi đua: báo cáo đúng hạn"), default=50)
    ranking_weight_completion = models.PositiveSmallIntegerField(_("trọng số thi đua: hoàn thành nhiệm vụ"), default=20)
    ranking_weight_indicators = models.PositiveSmallIntegerField(_("trọng số thi đua: đạt chỉ tiêu"), default=30)
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ngày cập nhật"), auto_now=True)

    class Meta:
        verbose_name = _("kế hoạch")
        verbose_name_plural = _("kế hoạch")
        ordering = ["-issued_year", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["number_symbol"], condition=~Q(number_symbol=""), name="plan_number_unique"
            ),
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="plan_period_ordered"),
            models.CheckConstraint(
                condition=Q(ranking_weight_on_time__gt=0)
                | Q(ranking_weight_completion__gt=0)
                | Q(ranking_weight_indicators__gt=0),
                name="plan_ranking_weights_positive",
                violation_error_message=_("Cần ít nhất một trọng số thi đua lớn hơn 0."),
            ),
            models.CheckConstraint(
                condition=(Q(annual_report_due_month__isnull=True) & Q(annual_report_due_day__isnull=True))
                | (
                    Q(annual_report_due_month__gte=1)
                    & Q(annual_report_due_month__lte=12)
                    & Q(annual_report_due_day__gte=1)
                    & Q(annual_report_due_day__lte=31)
                ),
                name="plan_annual_report_date_valid",
            ),
        ]

    def ranking_weights(self) -> dict[str, float]:
        """The province's weights for `selectors.emulation_ranking`."""
        return {
            "on_time_rate": self.ranking_weight_on_time,
            "completion_rate": self.ranking_weight_completion,
            "indicators": self.ranking_weight_indicators,
        }

    def __str__(self) -> str:
        return f"{self.number_symbol or self.key}: {self.title[:80]}"


class PlanLegalBasis(models.Model):
    plan = models.ForeignKey(Plan, verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="legal_bases")
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    text = models.TextField(_("căn cứ"))

    class Meta:
        verbose_name = _("căn cứ pháp lý")
        verbose_name_plural = _("căn cứ pháp lý")
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "order"], name="planlegalbasis_unique_order")]

    def __str__(self) -> str:
        return self.text[:80]


class PlanObjective(models.Model):
    plan = models.ForeignKey(Plan, verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="objectives")
    code = models.CharField(_("mục"), max_length=32)
    text = models.TextField(_("mục tiêu"))
    target_year = models.PositiveSmallIntegerField(_("đến năm"), null=True, blank=True)
    indicator_code = models.CharField(
        _("mã chỉ số"),
        max_length=64,
        blank=True,
        help_text=_("Chỉ số theo dõi mục tiêu (liên kết với phần giám sát)."),
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("mục tiêu")
        verbose_name_plural = _("mục tiêu")
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="planobjective_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:80]}"


class TaskGroup(models.Model):
    plan = models.ForeignKey(Plan, verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="task_groups")
    code = models.CharField(_("mục"), max_length=32, help_text=_("Ví dụ: III.1"))
    title = models.TextField(_("tên nhóm nhiệm vụ"))
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("nhóm nhiệm vụ")
        verbose_name_plural = _("nhóm nhiệm vụ")
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="taskgroup_unique_code")]

    def __str__(self) -> str:
        return f"{self.code}. {self.title[:80]}"


class Recurrence(models.TextChoices):
    ONE_OFF = "one_off", _("Một lần")
    MONTHLY = "monthly", _("Hằng tháng")
    QUARTERLY = "quarterly", _("Hằng quý")
    YEARLY = "yearly", _("Hằng năm")


class Task(models.Model):
    """A task of a plan (nhiệm vụ III.1.a …). The plan's literal wording of the lead and cooperating units is kept
    next to the units it could be resolved to, because plans often name a kind of unit ("UBND các huyện")."""

    plan = models.ForeignKey(Plan, verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="tasks")
    group = models.ForeignKey(
        TaskGroup, verbose_name=_("nhóm nhiệm vụ"), on_delete=models.CASCADE, related_name="tasks"
    )
    code = models.CharField(_("mục"), max_length=32, help_text=_("Ví dụ: III.1.a"))
    title = models.TextField(_("tên nhiệm vụ"))
    description = models.TextField(_("nội dung"), blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    lead_unit = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name=_("đơn vị chủ trì"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    lead_unit_label = models.TextField(_("đơn vị chủ trì (theo văn bản)"))
    cooperating_units = models.ManyToManyField(
        "orgs.OrgUnit",
        verbose_name=_("đơn vị phối hợp"),
        blank=True,
        related_name="+",
    )
    cooperating_label = models.TextField(_("đơn vị phối hợp (theo văn bản)"), blank=True)
    recurrence = models.CharField(_("chu kỳ"), max_length=16, choices=Recurrence.choices)
    schedule_label = models.TextField(_("thời gian thực hiện (theo văn bản)"), blank=True)
    starts_on = models.DateField(_("bắt đầu"))
    ends_on = models.DateField(_("kết thúc"))
    due_offset_days = models.SmallIntegerField(
        _("hạn sau cuối kỳ (ngày)"),
        default=0,
        help_text=_("Số ngày sau cuối kỳ (một lần: sau ngày kết thúc) đến hạn báo cáo."),
    )
    expected_outputs = models.TextField(_("kết quả"), blank=True)

    class Meta:
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="task_unique_code_per_plan"),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="task_schedule_ordered"),
        ]
        indexes = [models.Index(fields=["lead_unit"], name="task_lead_unit_idx")]

    def __str__(self) -> str:
        return f"{self.code} {self.title[:80]}"


class Responsibility(models.Model):
    """Section IV of a plan: what each body must do, in the plan's words."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="responsibilities"
    )
    code = models.CharField(_("mục"), max_length=32)
    unit_label = models.TextField(_("cơ quan, đơn vị (theo văn bản)"))
    unit = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name=_("đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField(_("trách nhiệm"))
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("trách nhiệm")
        verbose_name_plural = _("trách nhiệm của các cơ quan, đơn vị")
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="responsibility_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.unit_label[:80]}"


class OccurrenceStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Chưa thực hiện")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    DONE = "done", _("Hoàn thành")
    CANCELLED = "cancelled", _("Không thực hiện")


CLOSED_STATUSES = (OccurrenceStatus.DONE, OccurrenceStatus.CANCELLED)


class Occurrence(models.Model):
    """One period of a task (a quarter of a quarterly campaign, a year of a yearly task) and what was reported on it."""

    task = models.ForeignKey(Task, verbose_name=_("nhiệm vụ"), on_delete=models.CASCADE, related_name="occurrences")
    period_start = models.DateField(_("đầu kỳ"))
    period_end = models.DateField(_("cuối kỳ"))
    due_on = models.DateField(_("hạn báo cáo"))
    status = models.CharField(
        _("tình trạng"),
        max_length=16,
        choices=OccurrenceStatus.choices,
        default=OccurrenceStatus.NOT_STARTED,
    )
    cancel_reason = models.TextField(_("lý do không thực hiện"), blank=True)
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    narrative = models.TextField(_("kết quả thực hiện"), blank=True)
    reported_at = models.DateTimeField(_("ngày báo cáo"), null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người báo cáo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("kỳ thực hiện")
        verbose_name_plural = _("kỳ thực hiện")
        ordering = ["task", "period_start"]
        constraints = [
            models.UniqueConstraint(fields=["task", "period_start"], name="occurrence_unique_period"),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="occurrence_period_ordered"
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="occurrence_progress_percent"),
            models.CheckConstraint(
                condition=~Q(status=OccurrenceStatus.CANCELLED) | ~Q(cancel_reason=""),
                name="occurrence_cancel_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status=OccurrenceStatus.DONE) | Q(progress=100),
                name="occurrence_done_is_complete",
            ),
        ]
        indexes = [models.Index(fields=["due_on", "status"], name="occurrence_due_status_idx")]

    def __str__(self) -> str:
        return f"{self.task.code} · {self.period_start:%d/%m/%Y}–{self.period_end:%d/%m/%Y}"


class OutputKind(models.TextChoices):
    CAMPAIGNS = "campaigns", _("Chiến dịch truyền thông")
    ARTICLES_NEWS = "articles_news", _("Tin, bài")
    RADIO_TV_PROGRAMMES = "radio_tv_programmes", _("Chương trình phát thanh, truyền hình")
    CONFERENCES_EXHIBITIONS = "conferences_exhibitions", _("Hội nghị, hội thảo, triển lãm")
    TRAINING_COURSES = "training_courses", _("Khóa đào tạo, bồi dưỡng, tập huấn")
    PEOPLE_REACHED = "people_reached", _("Lượt người tham gia, tiếp cận")
    OTHER = "other", _("Khác")


class OutputCount(models.Model):
    """A count of outputs a unit produced in an occurrence; the lead and each cooperating unit add their own."""

    occurrence = models.ForeignKey(
        Occurrence, verbose_name=_("kỳ thực hiện"), on_delete=models.CASCADE, related_name="outputs"
    )
    kind = models.CharField(_("loại kết quả"), max_length=32, choices=OutputKind.choices)
    count = models.PositiveIntegerField(_("số lượng"))
    unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name=_("đơn vị đóng góp"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("số lượng kết quả")
        verbose_name_plural = _("số lượng kết quả")
        constraints = [
            models.UniqueConstraint(fields=["occurrence", "kind", "unit"], name="outputcount_unique_kind_unit"),
            models.CheckConstraint(condition=Q(count__gte=0), name="outputcount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.count}"


class Evidence(models.Model):
    occurrence = models.ForeignKey(
        Occurrence, verbose_name=_("kỳ thực hiện"), on_delete=models.CASCADE, related_name="evidence"
    )
    unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+")
    file = models.FileField(_("tệp minh chứng"), upload_to="plans/evidence/%Y/", blank=True)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255, blank=True)
    url = models.URLField(_("đường dẫn minh chứng"), max_length=500, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("minh chứng")
        verbose_name_plural = _("minh chứng")
        constraints = [models.CheckConstraint(condition=~Q(file="") | ~Q(url=""), name="evidence_file_or_url")]

    def __str__(self) -> str:
        return self.url or self.file.name


class Contribution(models.Model):
    """What a cooperating unit reports it did for an occurrence of a task it cooperates on."""

    occurrence = models.ForeignKey(
        Occurrence,
        verbose_name=_("kỳ thực hiện"),
        on_delete=models.CASCADE,
        related_name="contributions",
    )
    unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name=_("đơn vị phối hợp"), on_delete=models.PROTECT, related_name="+"
    )
    narrative = models.TextField(_("nội dung phối hợp"))
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("đóng góp của đơn vị phối hợp")
        verbose_name_plural = _("đóng góp của đơn vị phối hợp")
        ordering = ["occurrence", "created_at"]

    def __str__(self) -> str:
        return self.narrative[:80]


class RecognitionKind(models.TextChoices):
    COMMENDATION = "commendation", _("Biểu dương")
    AWARD = "award", _("Khen thưởng")


class Recognition(models.Model):
    """A commendation or award (task III.1.đ of most plans) given to a unit or a person."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("kế hoạch"), null=True, blank=True, on_delete=models.PROTECT, related_name="recognitions"
    )
    recipient_unit = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name=_("đơn vị được khen"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recipient_person = models.ForeignKey(
        "people.Person",
        verbose_name=_("cá nhân được khen"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("hình thức"), max_length=16, choices=RecognitionKind.choices)
    decision_number = models.CharField(_("số quyết định"), max_length=64)
    decided_on = models.DateField(_("ngày quyết định"))
    reason = models.TextField(_("thành tích"))
    recorded_at = models.DateTimeField(_("ngày ghi nhận"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ghi nhận"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("biểu dương, khen thưởng")
        verbose_name_plural = _("biểu dương, khen thưởng")
        ordering = ["-decided_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(recipient_unit__isnull=False) | Q(recipient_person__isnull=False),
                name="recognition_has_recipient",
            ),
        ]
        indexes = [models.Index(fields=["recipient_unit", "decided_on"], name="recognition_unit_idx")]

    def __str__(self) -> str:
        return f"{self.decision_number} ({self.decided_on:%d/%m/%Y})"


class ReminderKind(models.TextChoices):
    BEFORE_DUE = "before_due", _("Sắp đến hạn")
    AFTER_DUE = "after_due", _("Quá hạn")
    ANNUAL_REPORT = "annual_report", _("Báo cáo năm")


class ReminderChannel(models.TextChoices):
    IN_APP = "in_app", _("Trong ứng dụng")
    EMAIL = "email", _("Thư điện tử")


class ReminderLog(models.Model):
    """A reminder sent (and the in-app notice itself). The unique constraints make each reminder go out once."""

    plan = models.ForeignKey(Plan, verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="+")
    occurrence = models.ForeignKey(
        Occurrence,
        verbose_name=_("kỳ thực hiện"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    report_year = models.PositiveSmallIntegerField(_("năm báo cáo"), null=True, blank=True)
    kind = models.CharField(_("loại nhắc việc"), max_length=16, choices=ReminderKind.choices)
    channel = models.CharField(_("kênh"), max_length=8, choices=ReminderChannel.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhận"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    subject = models.CharField(_("tiêu đề"), max_length=255)
    body = models.TextField(_("nội dung"))
    sent_on = models.DateField(_("ngày gửi"))
    read_at = models.DateTimeField(_("đã xem lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("nhắc việc")
        verbose_name_plural = _("nhắc việc")
        ordering = ["-sent_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["occurrence", "kind", "channel", "recipient"],
                condition=Q(occurrence__isnull=False),
                name="reminderlog_once_per_occurrence",
            ),
            models.UniqueConstraint(
                fields=["plan", "report_year", "kind", "channel", "recipient"],
                condition=Q(occurrence__isnull=True),
                name="reminderlog_once_per_annual_report",
            ),
            models.CheckConstraint(
                condition=Q(occurrence__isnull=False) | (Q(report_year__isnull=False) & Q(kind="annual_report")),
                name="reminderlog_has_subject",
            ),
        ]
        indexes = [models.Index(fields=["recipient", "channel", "read_at"], name="reminderlog_inbox_idx")]

    def __str__(self) -> str:
        return self.subject
