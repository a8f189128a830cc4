"""Tables of the organisation tree: units, the closure table that makes subtree queries one indexed join, merger history, denominators."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kynangso.text import normalize_text, search_key


class UnitKind(models.TextChoices):
    PROVINCE = "province", _("Tỉnh, thành phố")
    DISTRICT = "district", _("Huyện, quận, thị xã")
    COMMUNE = "commune", _("Xã")
    WARD = "ward", _("Phường")
    TOWNSHIP = "township", _("Thị trấn")
    SPECIAL_ZONE = "special_zone", _("Đặc khu")
    DEPARTMENT = "department", _("Sở, ban, ngành")
    AGENCY = "agency", _("Cơ quan, đơn vị sự nghiệp")
    SCHOOL = "school", _("Cơ sở giáo dục")
    ENTERPRISE = "enterprise", _("Doanh nghiệp")
    COOPERATIVE = "cooperative", _("Hợp tác xã")
    COOPERATIVE_GROUP = "cooperative_group", _("Tổ hợp tác")
    FARMERS_CLUB = "farmers_club", _("Hội quán, câu lạc bộ nông dân")
    UNION = "union", _("Đoàn thể")
    ASSOCIATION = "association", _("Hội, hiệp hội")
    HAMLET = "hamlet", _("Thôn, ấp, khóm, bản, tổ dân phố")
    COMMUNITY_TEAM = "community_team", _("Tổ công nghệ số cộng đồng")


ADMINISTRATIVE_KINDS = (
    UnitKind.PROVINCE,
    UnitKind.DISTRICT,
    UnitKind.COMMUNE,
    UnitKind.WARD,
    UnitKind.TOWNSHIP,
    UnitKind.SPECIAL_ZONE,
)
COMMUNE_LEVEL_KINDS = (UnitKind.COMMUNE, UnitKind.WARD, UnitKind.TOWNSHIP, UnitKind.SPECIAL_ZONE)
# Where people may be recorded as living: a commune-level unit or, where the province keeps them, one of its hamlets
# (thôn, ấp, khóm, bản, tổ dân phố), which the seed plans reach «đến tận khóm, ấp».
RESIDENCE_KINDS = (*COMMUNE_LEVEL_KINDS, UnitKind.HAMLET)


class SchoolLevel(models.TextChoices):
    PRIMARY = "primary", _("Tiểu học")
    LOWER_SECONDARY = "lower_secondary", _("Trung học cơ sở")
    UPPER_SECONDARY = "upper_secondary", _("Trung học phổ thông")
    VOCATIONAL = "vocational", _("Giáo dục nghề nghiệp")
    HIGHER = "higher", _("Cao đẳng, đại học")


class OrgUnit(models.Model):
    code = models.CharField(_("mã đơn vị"), max_length=32, unique=True)
    name = models.CharField(_("tên đơn vị"), max_length=255)
    search_name = models.CharField(max_length=255, editable=False, db_index=True)
    kind = models.CharField(_("loại đơn vị"), max_length=32, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    school_level = models.CharField(_("cấp học"), max_length=32, choices=SchoolLevel.choices, blank=True)
    state_owned = models.BooleanField(_("doanh nghiệp nhà nước"), default=False)
    valid_from = models.DateField(_("hiệu lực từ ngày"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến ngày"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị kế thừa"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
        help_text=_("Đơn vị tiếp nhận sau khi sáp nhập; mọi dữ liệu của đơn vị này được tính cho đơn vị kế thừa."),
    )

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["code"]
        indexes = [models.Index(fields=["kind", "parent"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="orgunit_valid_period_ordered",
            ),
            models.CheckConstraint(condition=~Q(successor=models.F("id")), name="orgunit_not_own_successor"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name = normalize_text(self.name)
        self.code = normalize_text(self.code)
        self.search_name = search_key(self.name)
        super().save(*args, **kwargs)

    @property
    def is_active(self) -> bool:
        return self.successor_id is None and self.valid_to is None


class OrgUnitClosure(models.Model):
    """One row per (ancestor, descendant) pair of the current effective tree, including each unit with itself.

    The effective parent of a merged unit is its successor, so everything recorded under a merged unit
    falls inside its successor's subtree.
    """

    ancestor = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    descendant = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    depth = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ancestor", "descendant"], name="orgunitclosure_unique_pair")]
        indexes = [models.Index(fields=["descendant", "ancestor"])]


class UnitEventKind(models.TextChoices):
    MERGED = "merged", _("Sáp nhập vào đơn vị khác")
    MOVED = "moved", _("Chuyển đơn vị cấp trên")
    DISSOLVED = "dissolved", _("Giải thể")


class OrgUnitEvent(models.Model):
    """History of structural changes, so that the tree as it stood before a merger stays queryable."""

    unit = models.ForeignKey(OrgUnit, verbose_name=_("đơn vị"), on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("loại thay đổi"), max_length=16, choices=UnitEventKind.choices)
    effective_date = models.DateField(_("ngày hiệu lực"))
    previous_parent = models.ForeignKey(OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    new_parent = models.ForeignKey(OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    successor = models.ForeignKey(OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    legal_basis = models.CharField(_("căn cứ"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("thay đổi đơn vị")
        verbose_name_plural = _("lịch sử thay đổi đơn vị")
        ordering = ["-effective_date", "-id"]


class DenominatorKind(models.TextChoices):
    RESIDENTS = "residents", _("Dân số")
    WORKING_AGE_RESIDENTS = "working_age_residents", _("Người dân trong độ tuổi lao động")
    ADULTS = "adults", _("Người dân trong độ tuổi trưởng thành")
    HOUSEHOLDS = "households", _("Hộ gia đình")
    OFFICIALS = "officials", _("Cán bộ, công chức, viên chức")
    EMPLOYEES = "employees", _("Người lao động")
    LEADERS = "leaders", _("Lãnh đạo, quản lý")
    DX_SPECIALISTS = "dx_specialists", _("Cán bộ chuyên trách CĐS, CNTT")
    YOUTH = "youth", _("Thanh niên")
    PUPILS_STUDENTS = "pupils_students", _("Học sinh, sinh viên")
    TEACHERS = "teachers", _("Giáo viên")
    SCHOOLS = "schools", _("Cơ sở giáo dục")
    ENTERPRISES = "enterprises", _("Doanh nghiệp")
    COOPERATIVES = "cooperatives", _("Hợp tác xã, tổ hợp tác")
    FARMERS = "farmers", _("Nông dân")
    # Adults by sex and by age group: the margins the survey's weights are calibrated to (docs/survey.md)
    ADULTS_MALE = "adults_male", _("Người trưởng thành: nam")
    ADULTS_FEMALE = "adults_female", _("Người trưởng thành: nữ")
    ADULTS_18_29 = "adults_18_29", _("Người trưởng thành: 18–29 tuổi")
    ADULTS_30_44 = "adults_30_44", _("Người trưởng thành: 30–44 tuổi")
    ADULTS_45_59 = "adults_45_59", _("Người trưởng thành: 45–59 tuổi")
    ADULTS_60_PLUS = "adults_60_plus", _("Người trưởng thành: từ 60 tuổi")


class UnitDenominator(models.Model):
    """A yearly count for a unit (e.g. its working-age residents), the denominator of indicators."""

    unit = models.ForeignKey(OrgUnit, verbose_name=_("đơn vị"), on_delete=models.CASCADE, related_name="denominators")
    year = models.PositiveSmallIntegerField(_("năm"))
    kind = models.CharField(_("chỉ tiêu mẫu số"), max_length=32, choices=DenominatorKind.choices)
    value = models.PositiveIntegerField(_("số lượng"))
    source = models.CharField(_("nguồn số liệu"), max_length=255, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("mẫu số theo năm")
        verbose_name_plural = _("mẫu số theo năm")
        constraints = [models.UniqueConstraint(fields=["unit", "year", "kind"], name="unitdenominator_unique")]
        ordering = ["unit__code", "-year", "kind"]


class Letterhead(models.Model):
    """How a unit signs what it issues (Nghị định 30/2020/NĐ-CP): the agency's name as printed under its superior
    body, the place name of the date line, the signer's title lines (with «TM.», «KT.», «Q.») and name, and the
    seal. Certificates, annual reports and the national export print these instead of the unit's register name."""

    unit = models.OneToOneField(OrgUnit, verbose_name=_("đơn vị"), on_delete=models.CASCADE, related_name="letterhead")
    superior_body = models.CharField(
        _("cơ quan chủ quản"),
        max_length=255,
        blank=True,
        help_text=_("Ví dụ: ỦY BAN NHÂN DÂN TỈNH PHÚ HÒA. Để trống với Ủy ban nhân dân."),
    )
    agency_name = models.CharField(
        _("tên cơ quan ban hành"), max_length=255, help_text=_("Như in trên văn bản, ví dụ: SỞ KHOA HỌC VÀ CÔNG NGHỆ.")
    )
    place_name = models.CharField(
        _("địa danh"), max_length=128, help_text=_("Địa danh ghi trước ngày tháng, ví dụ: Phú Hòa.")
    )
    signer_title = models.TextField(
        _("quyền hạn, chức vụ người ký"),
        help_text=_(
            "Mỗi dòng một dòng in, ví dụ «KT. GIÁM ĐỐC» rồi «PHÓ GIÁM ĐỐC», hoặc «TM. ỦY BAN NHÂN DÂN» rồi «CHỦ TỊCH»."
        ),
    )
    signer_name = models.CharField(_("họ tên người ký"), max_length=255, blank=True)
    seal_image = models.ImageField(
        _("hình con dấu"),
        upload_to="con-dau/",
        blank=True,
        help_text=_("Tùy chọn: ảnh PNG nền trong suốt, in chồng lên chữ ký."),
    )
    issues_certificates = models.BooleanField(
        _("cấp giấy chứng nhận"),
        default=False,
        help_text=_("Đơn vị đứng tên cấp giấy chứng nhận kỹ năng số của tỉnh (chỉ một đơn vị)."),
    )
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("thể thức văn bản của đơn vị")
        verbose_name_plural = _("thể thức văn bản của đơn vị")
        constraints = [
            models.UniqueConstraint(
                fields=["issues_certificates"],
                condition=Q(issues_certificates=True),
                name="letterhead_one_certificate_issuer",
            ),
        ]

    def __str__(self) -> str:
        return self.agency_name
