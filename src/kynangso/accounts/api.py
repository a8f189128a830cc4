"""Public interface of the accounts app: roles, capabilities, scope and tokens."""

from kynangso.accounts import capabilities, directory
from kynangso.accounts.admin_base import ScopedModelAdmin
from kynangso.accounts.backends import resolve_user
from kynangso.accounts.decorators import require_capability
from kynangso.accounts.models import Role
from kynangso.accounts.passwords import can_reset_password, flag_weak_password_at_login
from kynangso.accounts.rest_auth import BearerTokenAuth, SessionCookieAuth
from kynangso.accounts.scope import has_capability, scope_unit_ids
from kynangso.accounts.services import (
    assign_role,
    create_user,
    issue_api_token,
    revoke_api_token,
    revoke_api_tokens,
    revoke_role,
    user_for_api_token,
)
from kynangso.accounts.system import SYSTEM, is_system, recorded_user  # the system actor (ADR 0022)

__all__ = [
    "BearerTokenAuth",
    "SessionCookieAuth",
    "Role",
    "SYSTEM",
    "ScopedModelAdmin",
    "assign_role",
    "can_reset_password",
    "capabilities",
    "create_user",
    "directory",
    "flag_weak_password_at_login",
    "has_capability",
    "is_system",
    "issue_api_token",
    "resolve_user",
    "recorded_user",
    "revoke_api_token",
    "revoke_api_tokens",
    "require_capability",
    "revoke_role",
    "roles_of",
    "scope_unit_ids",
    "user_for_api_token",
]


def roles_of(user) -> list[tuple[str, str, int]]:
    """The user's (role, role label, unit id) triples."""
    from kynangso.accounts.models import RoleAssignment

    return [
        (assignment.role, assignment.get_role_display(), assignment.unit_id)
        for assignment in RoleAssignment.objects.filter(user_id=user.pk).order_by("role")
    ]
