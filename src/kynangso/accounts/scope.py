"""Where a user may exercise a capability: the union of the subtrees of the units their roles are assigned at."""

from django.db.models import QuerySet

from kynangso.accounts import directory
from kynangso.accounts.capabilities import roles_with
from kynangso.accounts.models import RoleAssignment


def scope_root_ids(user, capability: str) -> QuerySet:
    """Ids of the units at which `user` holds a role granting `capability` (a subquery)."""
    return RoleAssignment.objects.filter(user_id=user.pk, role__in=roles_with(capability)).values("unit_id")


def scope_unit_ids(user, capability: str) -> QuerySet | None:
    """Ids of every unit where `user` may exercise `capability`, as a subquery; None means everywhere (superuser)."""
    if not user.is_authenticated or not user.is_active:
        return directory.unit_subtree_ids([])  # empty, but shaped like every other scope (a descendant_id column)
    if user.is_superuser:
        return None
    return directory.unit_subtree_ids(scope_root_ids(user, capability))


def has_capability(user, capability: str, unit_id: int | None = None) -> bool:
    """Whether `user` may exercise `capability` at all (unit_id None) or at the given unit."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    roots = scope_root_ids(user, capability)
    if unit_id is None:
        return roots.exists()
    return directory.unit_is_within(unit_id, roots)
