"""State changes of accounts: creating logins, granting and revoking scoped roles, issuing and revoking API tokens."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kynangso.accounts.capabilities import ROLES_MANAGE, STAFF_ROLES
from kynangso.accounts.models import ApiToken, Role, RoleAssignment, User
from kynangso.accounts.scope import has_capability
from kynangso.accounts.selectors import tokens_in_scope
from kynangso.errors import DomainError

TOKEN_PREFIX = "kns_"


def create_user(
    *,
    username: str,
    password: str | None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    check_password: bool = True,
) -> User:
    """Create a login. The password must pass the configured validators unless `check_password` is False (demo);
    None gives a login without a usable password (one made at a sign-in with an identity provider, ADR 0041)."""
    username = username.strip()
    if not username:
        raise DomainError(_("Tên đăng nhập không được để trống."), field="username")
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(_("Tên đăng nhập «%(name)s» đã có người dùng.") % {"name": username}, field="username")
    user = User(username=username, first_name=first_name, last_name=last_name, email=email)
    if password is None:
        user.set_unusable_password()
        user.save()
        return user
    if check_password:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise DomainError(" ".join(exc.messages), field="password") from exc
    user.set_password(password)
    user.save()
    return user


def _sync_staff_flag(user: User) -> None:
    is_staff = user.is_superuser or user.role_assignments.filter(role__in=STAFF_ROLES).exists()
    if user.is_staff != is_staff:
        user.is_staff = is_staff
        user.save(update_fields=["is_staff"])


@transaction.atomic
def assign_role(*, user: User, role: str, unit, granted_by: User | None = None) -> RoleAssignment:
    """Give `user` the `role` within `unit`'s subtree. `granted_by`, when given, must manage roles there."""
    if role not in Role.values:
        raise DomainError(_("Vai trò không hợp lệ: %(role)s.") % {"role": role}, field="role")
    if granted_by is not None and not has_capability(granted_by, ROLES_MANAGE, unit.pk):
        raise DomainError(_("Bạn không có quyền phân quyền tại đơn vị «%(unit)s».") % {"unit": unit.name})
    assignment, _created = RoleAssignment.objects.get_or_create(
        user=user, role=role, unit=unit, defaults={"granted_by": granted_by}
    )
    _sync_staff_flag(user)
    return assignment


@transaction.atomic
def revoke_role(*, assignment: RoleAssignment, revoked_by: User | None = None) -> None:
    if revoked_by is not None and not has_capability(revoked_by, ROLES_MANAGE, assignment.unit_id):
        raise DomainError(_("Bạn không có quyền thu hồi phân quyền này."))
    user = assignment.user
    assignment.delete()
    _sync_staff_flag(user)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_api_token(*, user: User, name: str = "") -> tuple[ApiToken, str]:
    """Create a bearer token valid for KYNANGSO_API_TOKEN_DAYS; returns the stored record and the token itself,
    which is never shown again."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    expires_at = timezone.now() + timedelta(days=settings.API_TOKEN_DAYS)
    record = ApiToken.objects.create(
        user=user, name=name[:100], digest=_digest(token), prefix=token[:8], expires_at=expires_at
    )
    return record, token


def user_for_api_token(token: str) -> User | None:
    """The active user a valid (unexpired, unrevoked) token belongs to; records its use."""
    if not token or not token.startswith(TOKEN_PREFIX):
        return None
    now = timezone.now()
    record = (
        ApiToken.objects.select_related("user")
        .filter(digest=_digest(token), revoked_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if record is None or not record.user.is_active:
        return None
    if record.last_used_at is None or (now - record.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=record.pk).update(last_used_at=now)
    return record.user


def revoke_api_tokens(*, actor: User, token_ids) -> int:
    """Revoke any tokens among `token_ids` that belong to accounts `actor` manages; returns how many were revoked.

    Tokens outside the actor's scope are left alone silently, as if they did not exist.
    """
    return tokens_in_scope(actor).filter(pk__in=token_ids, revoked_at__isnull=True).update(revoked_at=timezone.now())


def revoke_api_token(*, user: User, token_id: int) -> ApiToken:
    """Revoke one of `user`'s tokens; revoking twice is harmless."""
    record = ApiToken.objects.filter(user=user, pk=token_id).first()
    if record is None:
        raise DomainError(_("Không tìm thấy mã truy cập này."), code="not_found")
    if record.revoked_at is None:
        record.revoked_at = timezone.now()
        record.save(update_fields=["revoked_at"])
    return record
