"""Tables of the integration app. A `Platform` sends statements with its own HTTP Basic credentials (a SHA-256
digest of a random secret, never the secret); every `Statement` is stored once, by its id, as received. A statement
that says someone completed or passed an outside activity the province mapped (`ActivityMapping`) to one of our
courses or standards, about a person we can match (national ID or `ExternalAccount`), becomes an
`OutsideCompletion`: the fact the roll-up counts, also written by the spreadsheet import."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Platform(models.Model):
    """An outside learning platform (the national MOOC, OneTouch, an Open edX site) that sends statements.

    It belongs to the province (unit) whose admin registered it: its statements count only for people living or
    working in that unit's subtree."""

    unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name=_("đơn vị quản lý"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("tên nền tảng"), max_length=200)
    username = models.SlugField(_("tên đăng nhập xAPI"), max_length=64, unique=True)
    # SHA-256 of a 32-byte random secret: a slow password hash would cost every request and adds nothing to a
    # secret that cannot be guessed (the same reasoning as accounts.ApiToken).
    secret_digest = models.CharField(max_length=64, blank=True)
    secret_prefix = models.CharField(_("đầu mật khẩu"), max_length=12, blank=True)
    is_active = models.BooleanField(_("đang nhận dữ liệu"), default=True)
    issued_at = models.DateTimeField(_("cấp mật khẩu lúc"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_used_at = models.DateTimeField(_("dùng lần cuối"), null=True, blank=True)

    class Meta:
        verbose_name = _("nền tảng học tập khác")
        verbose_name_plural = _("nền tảng học tập khác")
        ordering = ["name"]
        indexes = [models.Index(fields=["secret_digest"])]

    def __str__(self) -> str:
        return self.name


class ActivityMapping(models.Model):
    """Which outside activity (an activity IRI, or every IRI under a prefix) counts as which of our courses or
    standards, as the province decided. Exactly one of course_code and standard_code is set."""

    unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name=_("đơn vị quyết định"), on_delete=models.PROTECT, related_name="+"
    )
    activity_id = models.CharField(_("mã hoạt động (IRI)"), max_length=500)
    is_prefix = models.BooleanField(_("tính mọi hoạt động bắt đầu bằng mã này"), default=False)
    course_code = models.CharField(_("tính là hoàn thành khóa học"), max_length=64, blank=True)
    standard_code = models.CharField(_("tính là đạt chuẩn"), max_length=64, blank=True)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ánh xạ hoạt động bên ngoài")
        verbose_name_plural = _("ánh xạ hoạt động bên ngoài")
        ordering = ["unit", "activity_id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "activity_id", "is_prefix"], name="activitymapping_unique"),
            models.CheckConstraint(
                condition=(Q(course_code="") & ~Q(standard_code="")) | (~Q(course_code="") & Q(standard_code="")),
                name="activitymapping_one_target",
            ),
        ]

    def __str__(self) -> str:
        target = self.course_code or self.standard_code
        return f"{self.activity_id}{'*' if self.is_prefix else ''} → {target}"


class ExternalAccount(models.Model):
    """A person's account on an outside platform (its xAPI identifier), linked by an admin: statements about that
    account are the person's."""

    platform = models.ForeignKey(
        Platform, verbose_name=_("nền tảng"), on_delete=models.CASCADE, related_name="accounts"
    )
    actor_key = models.CharField(_("định danh trên nền tảng"), max_length=600)
    person = models.ForeignKey("people.Person", verbose_name=_("người"), on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tài khoản trên nền tảng khác")
        verbose_name_plural = _("tài khoản trên nền tảng khác")
        constraints = [models.UniqueConstraint(fields=["platform", "actor_key"], name="externalaccount_unique")]


class StatementStatus(models.TextChoices):
    COUNTED = "counted", _("Đã tính (học trên nền tảng khác)")
    NOT_ACHIEVEMENT = "not_achievement", _("Không phải hoàn thành hay đạt")
    UNMAPPED = "unmapped", _("Hoạt động chưa được ánh xạ")
    UNMATCHED = "unmatched", _("Chưa xác định được người học")
    OUT_OF_SCOPE = "out_of_scope", _("Người học ngoài phạm vi của nền tảng")
    VOIDING = "voiding", _("Lệnh hủy một bản ghi khác")
    VOIDED = "voided", _("Đã bị hủy")


class Statement(models.Model):
    """One xAPI statement, stored once by its id with the document as received (plus `stored` and `authority`)."""

    statement_id = models.UUIDField(unique=True)
    platform = models.ForeignKey(Platform, on_delete=models.PROTECT, related_name="statements")
    document = models.JSONField()
    stored_at = models.DateTimeField(db_index=True)
    timestamp = models.DateTimeField()
    actor_key = models.CharField(max_length=600, db_index=True)
    verb_id = models.CharField(max_length=500, db_index=True)
    activity_id = models.CharField(max_length=500, blank=True, db_index=True)
    registration = models.UUIDField(null=True, blank=True, db_index=True)
    voids_statement_id = models.UUIDField(null=True, blank=True)
    voided = models.BooleanField(default=False)
    status = models.CharField(_("trạng thái"), max_length=16, choices=StatementStatus.choices, db_index=True)
    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("bản ghi học tập (xAPI)")
        verbose_name_plural = _("bản ghi học tập (xAPI)")
        ordering = ["-stored_at", "-id"]
        indexes = [models.Index(fields=["platform", "stored_at", "id"])]  # the statements resource's paging


class Origin(models.TextChoices):
    XAPI = "xapi", _("Bản ghi xAPI")
    SPREADSHEET = "spreadsheet", _("Danh sách nhập từ tệp")


class OutsideCompletion(models.Model):
    """A course completed or a standard passed on another platform, counted like our own when the indicator counts
    outside learning. `done_on`/`done_at` date it (clamped to when we learnt of it); `recorded_at` and
    `voided_at` tell the incremental roll-up what changed."""

    key = models.CharField(max_length=200, unique=True)  # xapi:<statement id> or sheet:<person>:<target>:<day>
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    course_code = models.CharField(max_length=64, blank=True, db_index=True)
    standard_code = models.CharField(max_length=64, blank=True, db_index=True)
    done_at = models.DateTimeField()
    done_on = models.DateField()
    origin = models.CharField(max_length=16, choices=Origin.choices)
    platform = models.ForeignKey(Platform, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    statement = models.OneToOneField(
        Statement, null=True, blank=True, on_delete=models.CASCADE, related_name="completion"
    )
    activity_id = models.CharField(max_length=500, blank=True)
    recorded_at = models.DateTimeField(db_index=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    voided_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("kết quả học trên nền tảng khác")
        verbose_name_plural = _("kết quả học trên nền tảng khác")
        indexes = [
            models.Index(fields=["person", "done_on"]),
            models.Index(fields=["done_on"]),
            models.Index(fields=["done_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(course_code="") & ~Q(standard_code="")) | (~Q(course_code="") & Q(standard_code="")),
                name="outsidecompletion_one_target",
            ),
        ]
