"""What the organisation tree announces after commit: units whose counts may differ because the tree or a recorded
denominator changed (a merger, a move, a dissolution, a corrected figure), so that monitoring recounts them and their
ancestors, old and new (issue 17, ADR 0045)."""

from dataclasses import dataclass

from kynangso.events import Event


@dataclass(frozen=True)
class UnitsChanged:
    """Committed changes to the tree or its figures: the units to recount, and why."""

    unit_ids: frozenset[int]
    reason: str  # "merged", "moved", "dissolved", "denominator"


units_changed: Event[UnitsChanged] = Event(
    "orgs.units_changed", UnitsChanged.__doc__ or "", catch_up="the nightly roll-up catches up"
)


def on_units_changed(callback) -> None:
    """Register `callback(change)` to run after a change to units is committed."""
    units_changed.subscribe(callback)


def announce(unit_ids, reason: str) -> None:
    """Announce, once the surrounding transaction commits, that `unit_ids` (None entries ignored) changed."""
    units = frozenset(unit_id for unit_id in unit_ids if unit_id is not None)
    if units:
        units_changed.announce(UnitsChanged(units, reason))
