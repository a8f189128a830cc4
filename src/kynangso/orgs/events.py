"""What the organisation tree announces after commit: units whose counts may differ because the tree or a recorded
denominator changed (a merger, a move, a dissolution, a corrected figure), so that monitoring recounts them and their
ancestors, old and new (issue 17, ADR 0045)."""

import logging
from dataclasses import dataclass

from django.db import transaction

logger = logging.getLogger(__name__)
_subscribers: list = []


@dataclass(frozen=True)
class UnitsChanged:
    """Committed changes to the tree or its figures: the units to recount, and why."""

    unit_ids: frozenset[int]
    reason: str  # "merged", "moved", "dissolved", "denominator"


def on_units_changed(callback) -> None:
    """Register `callback(change)` to run after a change to units is committed."""
    if callback not in _subscribers:
        _subscribers.append(callback)


def units_changed(change: UnitsChanged) -> None:
    """Tell every subscriber; a subscriber that fails is logged (the nightly full roll-up catches up)."""
    for callback in list(_subscribers):
        try:
            callback(change)
        except Exception:
            logger.exception(
                "A subscriber of a change to units (%s) failed; the nightly roll-up catches up", change.reason
            )


def announce(unit_ids, reason: str) -> None:
    """Announce, once the surrounding transaction commits, that `unit_ids` (None entries ignored) changed."""
    units = frozenset(unit_id for unit_id in unit_ids if unit_id is not None)
    if units:
        transaction.on_commit(lambda: units_changed(UnitsChanged(units, reason)))
