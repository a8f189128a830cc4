"""Tables of the reports app: each unit's annual report, its history, and the reminders sent about it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Đã gửi, chờ duyệt")
    RETURNED = "returned", _("Bị trả lại")
    APPROVED = "approved", _("Đã duyệt")


EDITABLE_STATUSES = (ReportStatus.DRAFT, ReportStatus.RETURNED)


class AnnualReport(models.Model):
    """The annual report of one unit for one year: figures frozen from monitoring and plans, and free text."""

    unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("năm báo cáo"))
    plan_id = models.PositiveIntegerField(
        _("kế hoạch theo dõi"), null=True, blank=True, help_text=_("Kế hoạch có các chỉ tiêu được đưa vào báo cáo.")
    )
    status = models.CharField(_("trạng thái"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    # The administrative header (Nghị định 30/2020/NĐ-CP).
    superior_body = models.CharField(_("cơ quan chủ quản"), max_length=255, blank=True)
    issuing_body = models.CharField(_("cơ quan ban hành"), max_length=255)
    number_symbol = models.CharField(_("số, ký hiệu"), max_length=64, blank=True, help_text=_("Ví dụ: 125/BC-UBND"))
    place_name = models.CharField(
        _("địa danh"), max_length=128, blank=True, help_text=_("Ghi ở dòng «…, ngày … tháng … năm …».")
    )
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    title = models.CharField(_("trích yếu"), max_length=500)
    # Free-text sections.
    general_assessment = models.TextField(_("đánh giá chung"), blank=True)
    results_narrative = models.TextField(_("kết quả nổi bật"), blank=True)
    shortcomings = models.TextField(_("tồn tại, hạn chế và nguyên nhân"), blank=True)
    next_year_tasks = models.TextField(_("phương hướng, nhiệm vụ năm tới"), blank=True)
    proposals = models.TextField(_("kiến nghị, đề xuất"), blank=True)
    recipients = models.TextField(_("nơi nhận"), blank=True, help_text=_("Mỗi nơi nhận một dòng."))
    signer_title = models.CharField(
        _("chức vụ người ký"),
        max_length=255,
        blank=True,
        help_text=_("Ví dụ: KT. CHỦ TỊCH / PHÓ CHỦ TỊCH (mỗi dòng một cấp)."),
    )
    signer_name = models.CharField(_("họ tên người ký"), max_length=255, blank=True)
    # Figures as they were when the report was prepared: a submitted report does not change under the reader.
    indicator_rows = models.JSONField(_("số liệu chỉ tiêu"), default=list, blank=True)
    task_rows = models.JSONField(_("nhiệm vụ của kế hoạch"), default=list, blank=True)
    figures_as_of = models.DateTimeField(_("số liệu tính đến"), null=True, blank=True)
    first_submitted_at = models.DateTimeField(_("gửi lần đầu lúc"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    decided_at = models.DateTimeField(_("duyệt hoặc trả lại lúc"), null=True, blank=True)
    return_comment = models.TextField(_("ý kiến khi trả lại"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("báo cáo năm")
        verbose_name_plural = _("báo cáo năm")
        ordering = ["-year", "unit__code"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="annualreport_one_per_unit_year"),
            models.CheckConstraint(
                condition=Q(status__in=["draft"]) | Q(first_submitted_at__isnull=False),
                name="annualreport_submitted_has_time",
            ),
        ]
        indexes = [models.Index(fields=["year", "status"], name="annualreport_year_status_idx")]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def recipient_lines(self) -> list[str]:
        return [line.strip() for line in self.recipients.splitlines() if line.strip()]

    @property
    def signer_title_lines(self) -> list[str]:
        return [line.strip() for line in self.signer_title.replace("/", "\n").splitlines() if line.strip()]


class ReportAction(models.TextChoices):
    CREATED = "created", _("Tạo báo cáo")
    EDITED = "edited", _("Sửa nội dung")
    REFRESHED = "refreshed", _("Cập nhật số liệu")
    SUBMITTED = "submitted", _("Gửi cấp trên")
    RETURNED = "returned", _("Trả lại")
    APPROVED = "approved", _("Duyệt")


class ReportEvent(models.Model):
    """One step in a report's history: who did what, when, with which comment."""

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("thao tác"), max_length=12, choices=ReportAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    comment = models.TextField(_("ý kiến"), blank=True)
    at = models.DateTimeField(_("thời điểm"), auto_now_add=True)

    class Meta:
        verbose_name = _("lịch sử báo cáo")
        verbose_name_plural = _("lịch sử báo cáo")
        ordering = ["at", "id"]


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", _("Sắp đến hạn gửi báo cáo năm")
    OVERDUE = "overdue", _("Quá hạn gửi báo cáo năm")


class ReportReminder(models.Model):
    """A reminder about a unit's annual report, as an in-app notice (and an e-mail when the person has an address).

    The unique constraint is what makes `send-report-reminders` send each kind once per unit, year and person."""

    unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("đơn vị"), on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("năm báo cáo"))
    kind = models.CharField(_("loại nhắc"), max_length=12, choices=ReminderKind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người nhận"), on_delete=models.CASCADE, related_name="+"
    )
    subject = models.CharField(_("tiêu đề"), max_length=255)
    body = models.TextField(_("nội dung"))
    emailed = models.BooleanField(_("đã gửi thư điện tử"), default=False)
    sent_at = models.DateTimeField(_("gửi lúc"), auto_now_add=True)
    read_at = models.DateTimeField(_("đã xem lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("nhắc gửi báo cáo năm")
        verbose_name_plural = _("nhắc gửi báo cáo năm")
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "kind", "recipient"], name="reportreminder_once"),
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="reportreminder_inbox_idx")]

    def __str__(self) -> str:
        return self.subject
