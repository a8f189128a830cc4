"""Tables of persons, their target-group memberships, and the log of who read whose personal data."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from kynangso.people.identity import FEMALE, MALE


class Sex(models.TextChoices):
    MALE = MALE, _("Nam")
    FEMALE = FEMALE, _("Nữ")


class TargetGroup(models.TextChoices):
    RESIDENT = "resident", _("Người dân")
    OFFICIAL = "official", _("Cán bộ, công chức, viên chức")
    LEADER = "leader", _("Lãnh đạo, quản lý")
    DX_SPECIALIST = "dx_specialist", _("Cán bộ chuyên trách CĐS, CNTT")
    YOUTH_UNION = "youth_union", _("Đoàn viên, thanh niên")
    STUDENT = "student", _("Học sinh, sinh viên")
    TEACHER = "teacher", _("Giáo viên")
    EMPLOYEE = "employee", _("Người lao động")
    FARMER = "farmer", _("Nông dân")
    COMMUNITY_TEAM = "community_team", _("Thành viên tổ công nghệ số cộng đồng")
    DX_EXPERT = "dx_expert", _("Chuyên gia chuyển đổi số")


class Person(models.Model):
    full_name = models.CharField(_("họ và tên"), max_length=150)
    search_name = models.CharField(max_length=150, editable=False, db_index=True)
    birth_date = models.DateField(_("ngày sinh"))
    sex = models.CharField(_("giới tính"), max_length=8, choices=Sex.choices)
    national_id_ciphertext = models.TextField(editable=False)
    national_id_digest = models.CharField(max_length=64, unique=True, editable=False)
    national_id_last_digits = models.CharField(max_length=3, editable=False)
    phone = models.CharField(_("số điện thoại"), max_length=15, blank=True, db_index=True)
    residence_unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name=_("nơi cư trú"), on_delete=models.PROTECT, related_name="residents"
    )
    workplace_unit = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name=_("nơi công tác, học tập"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật"), auto_now=True)

    # Protected personal data: shown only masked or through an audited reveal, and never filtered, searched or
    # ordered by from a query string (the back office reads this list, see accounts.admin_base).
    personal_data_fields = ("phone", "birth_date", "national_id_ciphertext", "national_id_digest")

    class Meta:
        verbose_name = _("người")
        verbose_name_plural = _("người dân, cán bộ")
        ordering = ["search_name", "id"]
        indexes = [
            models.Index(fields=["residence_unit", "search_name"]),
            models.Index(fields=["workplace_unit", "search_name"]),
            models.Index(fields=["birth_date"]),
            models.Index(fields=["updated_at"]),  # the incremental roll-up finds the people changed since its last run
        ]

    def __str__(self) -> str:
        return self.full_name


class TargetGroupMembership(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    group = models.CharField(_("nhóm đối tượng"), max_length=32, choices=TargetGroup.choices)
    valid_from = models.DateField(_("từ ngày"))
    valid_to = models.DateField(_("đến ngày"), null=True, blank=True)
    # Membership of one community digital team (group community_team only): a volunteer keeps their own workplace,
    # and may serve in two teams. Without it the person is a member of «a» team, as a roster may say.
    team = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name=_("tổ công nghệ số cộng đồng"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="team_memberships",
    )

    class Meta:
        verbose_name = _("nhóm đối tượng")
        verbose_name_plural = _("nhóm đối tượng")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "group", "valid_from"],
                condition=Q(team__isnull=True),
                name="membership_unique_start",
            ),
            models.UniqueConstraint(
                fields=["person", "team", "valid_from"],
                condition=Q(team__isnull=False),
                name="membership_team_unique_start",
            ),
            models.CheckConstraint(
                condition=Q(team__isnull=True) | Q(group="community_team"), name="membership_team_only_for_teams"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")), name="membership_period_ordered"
            ),
        ]
        indexes = [models.Index(fields=["group", "person"])]

    def __str__(self) -> str:
        return self.get_group_display()


class AccessChannel(models.TextChoices):
    WEB = "web", _("Trang web")
    API = "api", _("API")
    ADMIN = "admin", _("Trang quản trị")
    EXPORT = "export", _("Xuất tệp")


class PersonalDataAccess(models.Model):
    """One reading of a person's protected data (national ID, phone, birth date) by someone else: who, when, how."""

    person = models.ForeignKey(Person, verbose_name=_("người được xem"), on_delete=models.CASCADE, related_name="+")
    accessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người xem"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    channel = models.CharField(_("kênh"), max_length=8, choices=AccessChannel.choices)
    fields = models.CharField(_("dữ liệu đã xem"), max_length=100)
    ip_address = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    accessed_at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("nhật ký truy cập dữ liệu cá nhân")
        verbose_name_plural = _("nhật ký truy cập dữ liệu cá nhân")
        ordering = ["-accessed_at"]
        indexes = [models.Index(fields=["person", "accessed_at"])]


class ChangeField(models.TextChoices):
    REGISTERED = "registered", _("Đăng ký hồ sơ")
    FULL_NAME = "full_name", _("Họ và tên")
    PHONE = "phone", _("Số điện thoại")
    BIRTH_DATE = "birth_date", _("Ngày sinh")
    RESIDENCE_UNIT = "residence_unit", _("Nơi cư trú")
    WORKPLACE_UNIT = "workplace_unit", _("Nơi công tác, học tập")


class PersonChange(models.Model):
    """One change of one field of a person's record: who, when, old → new. Protected values (phone, birth date)
    are stored masked, so the history never becomes a second copy of the personal data."""

    person = models.ForeignKey(Person, verbose_name=_("người"), on_delete=models.CASCADE, related_name="changes")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người sửa"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("thời điểm"), auto_now_add=True)
    field = models.CharField(_("nội dung"), max_length=32, choices=ChangeField.choices)
    old_value = models.CharField(_("giá trị cũ"), max_length=200, blank=True)
    new_value = models.CharField(_("giá trị mới"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("lịch sử thay đổi hồ sơ")
        verbose_name_plural = _("lịch sử thay đổi hồ sơ")
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["person", "changed_at"])]  # the person page reads its history newest first

    def __str__(self) -> str:
        return f"{self.get_field_display()}: {self.old_value} → {self.new_value}"
