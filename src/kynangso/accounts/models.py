"""Tables of logins, role assignments (each scoped to a unit's subtree), API tokens and password resets."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A login. The person it belongs to (if any) is in the people app."""

    class Meta:
        verbose_name = _("tài khoản")
        verbose_name_plural = _("tài khoản")


class Role(models.TextChoices):
    LEARNER = "learner", _("Người học")
    HELPER = "helper", _("Thành viên tổ công nghệ số cộng đồng")
    UNIT_ADMIN = "unit_admin", _("Quản trị đơn vị")
    CONTENT_AUTHOR = "content_author", _("Biên soạn nội dung")
    PROVINCIAL_ADMIN = "provincial_admin", _("Quản trị cấp tỉnh")
    AUDITOR = "auditor", _("Kiểm tra, giám sát (chỉ xem)")


class RoleAssignment(models.Model):
    user = models.ForeignKey(
        User, verbose_name=_("tài khoản"), on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("vai trò"), max_length=32, choices=Role.choices)
    unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name=_("phạm vi (đơn vị và cấp dưới)"), on_delete=models.PROTECT, related_name="+"
    )
    granted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    granted_at = models.DateTimeField(_("ngày cấp"), auto_now_add=True)

    class Meta:
        verbose_name = _("phân quyền")
        verbose_name_plural = _("phân quyền")
        constraints = [models.UniqueConstraint(fields=["user", "role", "unit"], name="roleassignment_unique")]
        indexes = [models.Index(fields=["user", "role"])]

    def __str__(self) -> str:
        return f"{self.get_role_display()} · {self.unit}"


class ApiToken(models.Model):
    """A bearer token for the REST API. Only its SHA-256 digest is stored; the token is shown once."""

    user = models.ForeignKey(User, verbose_name=_("tài khoản"), on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("tên gợi nhớ"), max_length=100, blank=True)
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(_("tiền tố"), max_length=8)
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("lần dùng gần nhất"), null=True, blank=True)
    expires_at = models.DateTimeField(_("hết hạn lúc"))  # KYNANGSO_API_TOKEN_DAYS after issue
    revoked_at = models.DateTimeField(_("ngày thu hồi"), null=True, blank=True)

    class Meta:
        verbose_name = _("mã truy cập API")
        verbose_name_plural = _("mã truy cập API")

    def __str__(self) -> str:
        return f"{self.prefix}… · {self.name}" if self.name else f"{self.prefix}…"


class PasswordReset(models.Model):
    """A one-time code, issued by a helper or unit admin, with which a person sets a new password.

    Only a keyed digest of the code is stored; the rows stay after use as the audit of who reset whose password
    and when (ADR 0021).
    """

    user = models.ForeignKey(
        User, verbose_name=_("tài khoản được đặt lại"), on_delete=models.CASCADE, related_name="password_resets"
    )
    # PROTECT: an account that issued resets is deactivated, never deleted, so the audit keeps its author.
    issued_by = models.ForeignKey(User, verbose_name=_("người cấp mã"), on_delete=models.PROTECT, related_name="+")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("thời điểm cấp"), auto_now_add=True)
    expires_at = models.DateTimeField(_("hết hạn lúc"))
    used_at = models.DateTimeField(_("đã dùng lúc"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("bị thay thế lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("lần đặt lại mật khẩu")
        verbose_name_plural = _("các lần đặt lại mật khẩu")
        indexes = [models.Index(fields=["user", "used_at"])]
