"""Reads of the organisation tree: subtrees, ancestors, successors and search, done in the database."""

from django.db.models import QuerySet

from kynangso.orgs.models import COMMUNE_LEVEL_KINDS, OrgUnit, OrgUnitClosure
from kynangso.text import search_key


def subtree_unit_ids(root_ids) -> QuerySet:
    """Ids of every unit under the given roots (themselves included), as a subquery: one indexed join."""
    return OrgUnitClosure.objects.filter(ancestor_id__in=root_ids).values("descendant_id")


def ancestors(unit: OrgUnit) -> list[OrgUnit]:
    """The unit's effective ancestors from the root down to the unit itself."""
    ids = OrgUnitClosure.objects.filter(descendant=unit).order_by("-depth").values_list("ancestor_id", flat=True)
    by_id = OrgUnit.objects.in_bulk(list(ids))
    return [by_id[i] for i in ids]


def communes_of(unit_ids) -> dict[int, int]:
    """For each unit, the commune-level unit it lies in (itself if it is one): the nearest such ancestor in the
    effective tree; a unit above communes is left out. One query."""
    found: dict[int, tuple[int, int]] = {}
    rows = OrgUnitClosure.objects.filter(descendant_id__in=list(unit_ids), ancestor__kind__in=COMMUNE_LEVEL_KINDS)
    for descendant, ancestor, depth in rows.values_list("descendant_id", "ancestor_id", "depth"):
        if descendant not in found or depth < found[descendant][1]:
            found[descendant] = (ancestor, depth)
    return {unit: commune for unit, (commune, _depth) in found.items()}


def is_within(unit_id: int, root_ids) -> bool:
    return OrgUnitClosure.objects.filter(ancestor_id__in=root_ids, descendant_id=unit_id).exists()


def units(*, within=None, query: str = "", kind: str = "", active_only: bool = False) -> QuerySet:
    qs = OrgUnit.objects.select_related("parent")
    if within is not None:
        qs = qs.filter(id__in=subtree_unit_ids(within))
    if query:
        key = search_key(query)
        qs = qs.filter(search_name__contains=key) | qs.filter(code=query.strip())
    if kind:
        qs = qs.filter(kind=kind)
    if active_only:
        qs = qs.filter(successor__isnull=True, valid_to__isnull=True)
    return qs.order_by("code")


def current_successor(unit: OrgUnit) -> OrgUnit:
    """Follow the chain of mergers to the unit that stands for `unit` today."""
    seen = set()
    while unit.successor_id and unit.pk not in seen:
        seen.add(unit.pk)
        unit = unit.successor
    return unit
