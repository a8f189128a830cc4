"""Reads of accounts across scope: which logins an administrator manages, and their API tokens."""

from django.db.models import Q, QuerySet

from kynangso.accounts import directory
from kynangso.accounts.capabilities import TOKENS_MANAGE
from kynangso.accounts.models import ApiToken, RoleAssignment, User
from kynangso.accounts.scope import scope_unit_ids


def managed_users(actor, capability: str = TOKENS_MANAGE) -> QuerySet:
    """Logins placed within the subtrees where `actor` holds `capability`: by their person's residence or
    workplace, or by a role there; never a superuser, nor anyone who also holds a role outside those subtrees
    (a commune admin does not manage the provincial admin who happens to live in the commune).
    A superuser manages every login."""
    unit_ids = scope_unit_ids(actor, capability)
    if unit_ids is None:
        return User.objects.all()
    person_users = directory.person_user_ids_in_scope(actor, capability)
    role_users = RoleAssignment.objects.filter(unit_id__in=unit_ids).values("user_id")
    roles_elsewhere = RoleAssignment.objects.exclude(unit_id__in=unit_ids).values("user_id")
    return User.objects.filter(Q(pk__in=person_users) | Q(pk__in=role_users), is_superuser=False).exclude(
        pk__in=roles_elsewhere
    )


def tokens_in_scope(actor) -> QuerySet:
    """The API tokens of the logins `actor` manages (capability accounts.tokens), newest first."""
    return ApiToken.objects.filter(user__in=managed_users(actor, TOKENS_MANAGE)).order_by("-created_at", "-id")
