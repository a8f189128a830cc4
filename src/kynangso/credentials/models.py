"""Tables of the credentials app: issued certificates (signed JSON), status-list allocation and national exports."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class AchievementKind(models.TextChoices):
    STANDARD = "standard", _("Chuẩn kỹ năng số")
    COURSE = "course", _("Khóa học")
    TRAINING_CLASS = "class", _("Lớp tập huấn")


class NationalExport(models.Model):
    """One export of certifications for upload to the national identity platform: who, when, what."""

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        JSON = "json", "JSON"

    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị"))
    period_start = models.DateField(_("từ ngày"))
    period_end = models.DateField(_("đến ngày"))
    file_format = models.CharField(_("định dạng"), max_length=8, choices=Format.choices)
    created_at = models.DateTimeField(_("xuất lúc"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người xuất")
    )
    row_count = models.PositiveIntegerField(_("số chứng nhận"), default=0)

    class Meta:
        verbose_name = _("lần xuất dữ liệu xác nhận")
        verbose_name_plural = _("nhật ký xuất dữ liệu xác nhận")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="national_export_period_ordered"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.period_start:%d/%m/%Y}–{self.period_end:%d/%m/%Y}"


class Credential(models.Model):
    """A certificate: one per person and achievement, its signed OpenBadgeCredential stored as issued."""

    public_id = models.UUIDField(_("mã công khai"), default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("người được cấp")
    )
    achievement_kind = models.CharField(_("loại thành tích"), max_length=16, choices=AchievementKind.choices)
    achievement_code = models.CharField(_("mã thành tích"), max_length=64)
    achievement_name = models.CharField(_("tên thành tích"), max_length=255)
    achieved_at = models.DateTimeField(_("đạt lúc"))
    issued_at = models.DateTimeField(_("cấp lúc"))
    key_id = models.CharField(_("khóa ký"), max_length=64)
    status_index = models.PositiveBigIntegerField(_("vị trí trong danh sách trạng thái"), unique=True)
    document = models.JSONField(_("chứng nhận đã ký (JSON)"))
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người thu hồi"),
    )
    revocation_reason = models.TextField(_("lý do thu hồi"), blank=True)
    national_export = models.ForeignKey(
        NationalExport,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="credentials",
        verbose_name=_("đã xuất trong lần"),
    )

    class Meta:
        verbose_name = _("chứng nhận")
        verbose_name_plural = _("chứng nhận")
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "achievement_kind", "achievement_code"], name="credential_one_per_person_achievement"
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revocation_reason=""), name="credential_revocation_has_reason"
            ),
        ]
        indexes = [
            models.Index(fields=["achieved_at"]),
            models.Index(fields=["issued_at"]),
            models.Index(fields=["national_export", "achieved_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.achievement_name} ({self.public_id})"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class StatusListCounter(models.Model):
    """The one row counting status-list positions handed out; issuers lock it to take a block of positions."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    next_position = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("bộ đếm danh sách trạng thái")
        constraints = [models.CheckConstraint(condition=Q(id=1), name="status_list_counter_single_row")]
