"""Tables of the survey app: questionnaire versions (loaded from content/surveys/), a yearly survey of a province
with its drawn communes and people (each with their inclusion probability), the interviews with consent, outcome
and answers, and the estimates computed from them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Questionnaire(models.Model):
    """One version of a questionnaire, as loaded from its YAML file; a changed file becomes a new version, and a
    version already used by a survey never changes (the survey's answers refer to its activity codes)."""

    code = models.SlugField(_("mã bảng hỏi"), max_length=64)
    version = models.PositiveSmallIntegerField(_("phiên bản"))
    title = models.CharField(_("tên bảng hỏi"), max_length=255)
    definition = models.JSONField(_("nội dung"))
    digest = models.CharField(max_length=64, editable=False)  # SHA-256 of the definition: a new version on change
    loaded_at = models.DateTimeField(_("nạp lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("bảng hỏi")
        verbose_name_plural = _("bảng hỏi")
        ordering = ["code", "-version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="questionnaire_unique_version")]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"


class Survey(models.Model):
    """A province's survey of a year: its questionnaire version, the seed and the size of its sample."""

    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("bảng hỏi"), on_delete=models.PROTECT, related_name="surveys"
    )
    unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name=_("địa bàn khảo sát"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    reference_day = models.DateField(_("ngày tính tuổi"))
    seed = models.BigIntegerField(_("hạt giống ngẫu nhiên"))
    psu_count = models.PositiveSmallIntegerField(_("số xã, phường được chọn"))
    persons_per_psu = models.PositiveSmallIntegerField(_("số người được chọn mỗi xã, phường"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    drawn_at = models.DateTimeField(_("chọn mẫu lúc"), null=True, blank=True)
    estimated_at = models.DateTimeField(_("ước lượng lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("cuộc khảo sát")
        verbose_name_plural = _("cuộc khảo sát")
        ordering = ["-year", "unit__code"]
        constraints = [models.UniqueConstraint(fields=["unit", "year", "questionnaire"], name="survey_unique_year")]

    def __str__(self) -> str:
        return f"{self.questionnaire.title} {self.year}"


class SampledUnit(models.Model):
    """A commune (or ward) drawn in the first stage, with its size and first-stage inclusion probability."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="sampled_units")
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    size = models.PositiveIntegerField(_("số người trưởng thành"))
    probability = models.FloatField(_("xác suất chọn"))
    certain = models.BooleanField(_("chọn chắc chắn"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "unit"], name="sampledunit_unique"),
            models.CheckConstraint(
                condition=Q(probability__gt=0) & Q(probability__lte=1), name="sampledunit_probability_range"
            ),
        ]


class InterviewStatus(models.TextChoices):
    PENDING = "pending", _("Chưa phỏng vấn")
    COMPLETED = "completed", _("Đã trả lời")
    REFUSED = "refused", _("Từ chối")
    NON_CONTACT = "non_contact", _("Không gặp được")


class InterviewMode(models.TextChoices):
    INTERVIEWER = "interviewer", _("Phỏng vấn trực tiếp")
    SELF = "self", _("Tự trả lời qua đường liên kết")


class Interview(models.Model):
    """A person drawn in the second stage: their stratum and overall inclusion probability, who interviews them, the
    outcome (answered, refused, not contacted), the consent given before the questions, and the answers with their
    score."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="interviews")
    sampled_unit = models.ForeignKey(SampledUnit, on_delete=models.CASCADE, related_name="interviews")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    age_group = models.CharField(_("nhóm tuổi"), max_length=8)
    sex = models.CharField(_("giới tính"), max_length=8)
    probability = models.FloatField(_("xác suất được chọn"))
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người phỏng vấn"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("kết quả"), max_length=16, choices=InterviewStatus.choices, default=InterviewStatus.PENDING
    )
    mode = models.CharField(_("cách trả lời"), max_length=16, choices=InterviewMode.choices, blank=True)
    consent_at = models.DateTimeField(_("đồng ý lúc"), null=True, blank=True)
    answers = models.JSONField(_("câu trả lời"), default=dict, blank=True)
    area_levels = models.JSONField(_("mức theo lĩnh vực"), default=dict, blank=True)
    at_least_basic = models.BooleanField(_("có kỹ năng số từ cơ bản trở lên"), null=True, blank=True)
    outcome_at = models.DateTimeField(_("ghi kết quả lúc"), null=True, blank=True)
    outcome_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("phỏng vấn")
        verbose_name_plural = _("phỏng vấn")
        ordering = ["sampled_unit__unit__code", "id"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "person"], name="interview_unique_person"),
            # answers only with consent: nothing is asked before the respondent agrees
            models.CheckConstraint(
                condition=~Q(status="completed") | Q(consent_at__isnull=False), name="interview_completed_with_consent"
            ),
        ]
        indexes = [models.Index(fields=["interviewer", "status"]), models.Index(fields=["survey", "status"])]


class Estimate(models.Model):
    """The share «at least basic» in a domain of a survey (all adults, a sex, an age group) with its standard error
    and 95% interval, or the reason it is not reported."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="estimates")
    domain = models.CharField(_("nhóm"), max_length=32)
    respondents = models.PositiveIntegerField(_("số người trả lời"))
    psus = models.PositiveIntegerField(_("số xã, phường có người trả lời"))
    value = models.FloatField(_("tỷ lệ"), null=True)
    standard_error = models.FloatField(_("sai số chuẩn"), null=True)
    ci_low = models.FloatField(_("cận dưới khoảng tin cậy 95%"), null=True)
    ci_high = models.FloatField(_("cận trên khoảng tin cậy 95%"), null=True)
    suppressed_reason = models.CharField(_("lý do không công bố"), max_length=32, blank=True)
    calibrated = models.BooleanField(_("đã hiệu chỉnh theo mẫu số"), default=False)
    computed_at = models.DateTimeField(_("tính lúc"))

    class Meta:
        verbose_name = _("ước lượng")
        verbose_name_plural = _("ước lượng")
        ordering = ["survey", "domain"]
        constraints = [models.UniqueConstraint(fields=["survey", "domain"], name="estimate_unique_domain")]
