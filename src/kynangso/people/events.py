"""What the people app announces after commit: a change that may move people between counts (registered, moved,
another workplace, a target group opened or closed), with the units on both sides of it, so that monitoring recounts
them (issue 17, ADR 0045). The roll-up's incremental run cannot see such changes by time alone: closing a target
group touches no person row, and a move leaves no trace of the unit the person left."""

from dataclasses import dataclass

from kynangso.events import Event


@dataclass(frozen=True)
class PeopleChanged:
    """Committed changes to people: every unit whose counts may differ (old and new sides), and why."""

    unit_ids: frozenset[int]
    reason: str  # "registered", "updated", "target_group", "roster"


# A subscriber that fails is logged and does not turn the committed change into an error; the nightly full roll-up
# takes the change in anyway.
people_changed: Event[PeopleChanged] = Event(
    "people.people_changed", PeopleChanged.__doc__ or "", catch_up="the nightly roll-up catches up"
)


def on_people_changed(callback) -> None:
    """Register `callback(change)` to run after a change to people is committed."""
    people_changed.subscribe(callback)


def announce(unit_ids, reason: str) -> None:
    """Announce, once the surrounding transaction commits, that people of `unit_ids` (None entries ignored) changed."""
    units = frozenset(unit_id for unit_id in unit_ids if unit_id is not None)
    if units:
        people_changed.announce(PeopleChanged(units, reason))
