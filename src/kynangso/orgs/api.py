"""Public interface of the organisations app: the only names other apps may use."""

import datetime
from typing import TypedDict

from kynangso.orgs.denominators import import_denominators
from kynangso.orgs.events import UnitsChanged, on_units_changed
from kynangso.orgs.importers import UnitImportReport, import_units
from kynangso.orgs.letterheads import (
    LetterheadInfo,
    agency_lines,
    certificate_letterhead,
    date_line,
    derived_letterhead,
    letterhead_for,
    save_letterhead,
)
from kynangso.orgs.models import (
    ADMINISTRATIVE_KINDS,
    COMMUNE_LEVEL_KINDS,
    RESIDENCE_KINDS,
    DenominatorKind,
    OrgUnit,
    SchoolLevel,
    UnitKind,
)
from kynangso.orgs.selectors import ancestors, communes_of, current_successor, is_within, subtree_unit_ids, units
from kynangso.orgs.services import (
    UNIT_CODE_PATTERN,
    create_unit,
    dissolve_unit,
    merge_units,
    move_unit,
    rebuild_closure,
    set_denominator,
    update_unit,
)

__all__ = [
    "ClosureRow",
    "UnitRow",
    "DenominatorRow",
    "LetterheadInfo",
    "UnitsChanged",
    "on_units_changed",
    "agency_lines",
    "certificate_letterhead",
    "date_line",
    "derived_letterhead",
    "letterhead_for",
    "save_letterhead",
    "ADMINISTRATIVE_KINDS",
    "COMMUNE_LEVEL_KINDS",
    "RESIDENCE_KINDS",
    "DenominatorKind",
    "OrgUnit",
    "SchoolLevel",
    "UNIT_CODE_PATTERN",
    "UnitImportReport",
    "UnitKind",
    "ancestors",
    "communes_of",
    "create_unit",
    "current_successor",
    "dissolve_unit",
    "import_denominators",
    "import_units",
    "is_within",
    "merge_units",
    "move_unit",
    "rebuild_closure",
    "set_denominator",
    "subtree_unit_ids",
    "units",
    "unit_by_code",
    "update_unit",
    "units_by_code",
    "unit_by_id",
    "unit_names",
    "active_children",
]


def unit_by_code(code: str) -> OrgUnit | None:
    """The unit with this official code, or None."""
    return OrgUnit.objects.filter(code=code.strip()).first()


def unit_by_id(unit_id: int) -> OrgUnit | None:
    """The unit with this id, or None."""
    return OrgUnit.objects.filter(pk=unit_id).first()


def unit_names(unit_ids) -> dict[int, str]:
    """{id: name} of the given units, in one query."""
    return dict(OrgUnit.objects.filter(id__in=unit_ids).values_list("id", "name"))


def active_children(unit_id: int) -> list[OrgUnit]:
    """The unit's direct children in the effective tree that still exist (merged units are inside their
    successors), by code."""
    child_ids = closure_rows().filter(ancestor_id=unit_id, depth=1).values("descendant_id")
    return list(
        OrgUnit.objects.filter(id__in=child_ids, successor__isnull=True, valid_to__isnull=True).order_by("code")
    )


def units_by_code(codes) -> dict[str, OrgUnit]:
    """Map each known code among `codes` to its unit, in one query."""
    return {unit.code: unit for unit in OrgUnit.objects.filter(code__in=set(codes))}


class ClosureRow(TypedDict):
    """A row of `closure_rows()`: one (ancestor, descendant) pair of the effective tree, `depth` steps apart (0 for
    a unit and itself). Read by monitoring (roll-up, statuses, manual values), survey and integration."""

    ancestor_id: int
    descendant_id: int
    depth: int


class UnitRow(TypedDict):
    """A row of `unit_rows()`. Read by monitoring's roll-up (its units table)."""

    id: int
    kind: str
    parent_id: int | None
    successor_id: int | None
    valid_from: datetime.date
    valid_to: datetime.date | None


class DenominatorRow(TypedDict):
    """A row of `denominator_rows()`: one yearly count of a unit. Read by monitoring (roll-up, target allocation)
    and survey (the sampling frame)."""

    unit_id: int
    year: int
    kind: str
    value: int


def closure_rows():
    """Every (ancestor_id, descendant_id, depth) pair of the effective tree (merged units under their successors),
    as values: a set-based source for monitoring's roll-up."""
    from kynangso.orgs.models import OrgUnitClosure

    return OrgUnitClosure.objects.order_by().values("ancestor_id", "descendant_id", "depth")


def unit_rows():
    """Every unit as values (id, kind, parent_id, successor_id): a set-based source for monitoring."""
    return OrgUnit.objects.order_by().values("id", "kind", "parent_id", "successor_id", "valid_from", "valid_to")


def denominator_rows():
    """Every yearly denominator as values (unit_id, year, kind, value): a set-based source for monitoring."""
    from kynangso.orgs.models import UnitDenominator

    return UnitDenominator.objects.order_by().values("unit_id", "year", "kind", "value")
