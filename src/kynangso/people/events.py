"""What the people app announces after commit: a change that may move people between counts (registered, moved,
another workplace, a target group opened or closed), with the units on both sides of it, so that monitoring recounts
them (issue 17, ADR 0045). The roll-up's incremental run cannot see such changes by time alone: closing a target
group touches no person row, and a move leaves no trace of the unit the person left."""

import logging
from dataclasses import dataclass

from django.db import transaction

logger = logging.getLogger(__name__)
_subscribers: list = []


@dataclass(frozen=True)
class PeopleChanged:
    """Committed changes to people: every unit whose counts may differ (old and new sides), and why."""

    unit_ids: frozenset[int]
    reason: str  # "registered", "updated", "target_group", "roster"


def on_people_changed(callback) -> None:
    """Register `callback(change)` to run after a change to people is committed."""
    if callback not in _subscribers:
        _subscribers.append(callback)


def people_changed(change: PeopleChanged) -> None:
    """Tell every subscriber. The change is committed by now: a subscriber that fails is logged and does not turn the
    change into an error; the nightly full roll-up takes the change in anyway."""
    for callback in list(_subscribers):
        try:
            callback(change)
        except Exception:
            logger.exception(
                "A subscriber of a change to people (%s) failed; the nightly roll-up catches up", change.reason
            )


def announce(unit_ids, reason: str) -> None:
    """Announce, once the surrounding transaction commits, that people of `unit_ids` (None entries ignored) changed."""
    units = frozenset(unit_id for unit_id in unit_ids if unit_id is not None)
    if units:
        transaction.on_commit(lambda: people_changed(PeopleChanged(units, reason)))
