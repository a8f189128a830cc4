"""After-commit events: how an app tells the apps above it that something happened, without importing them (ADR 0037,
ADR 0045).

The announcing app declares an `Event` in its own `events.py` and exposes `on_<event>` in its `api.py`; a higher app
subscribes from its `AppConfig.ready()`, the way ports are plugged in (`kynangso/ports.py`). `announce(payload)`
delivers the payload once the surrounding transaction commits (at once outside one), so a rolled-back change is never
announced. Delivery never fails the change that was committed already: a subscriber that raises is logged with what
catches up for it (the hourly certificate batch, the nightly roll-up), and the other subscribers still hear of it.

Tests do not touch the subscriber list: `recording()` adds a recorder for a block and gives back what it heard,
`isolated(*callbacks)` makes `callbacks` the only subscribers for a block (to see one failing subscriber leave the
others served); both restore the subscribers as they were.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Generic, TypeVar

from django.db import transaction

T = TypeVar("T")

logger = logging.getLogger(__name__)


class Event(Generic[T]):
    """Something an app announces after commit, with a payload of type T, to the callbacks subscribed to it."""

    def __init__(self, name: str, doc: str, *, catch_up: str) -> None:
        self.name = name
        self.__doc__ = doc
        self.catch_up = catch_up  # what makes good a subscriber's failure, said in the log
        self._subscribers: list[Callable[[T], object]] = []

    def subscribe(self, callback: Callable[[T], object]) -> None:
        """Register `callback(payload)` to run after each committed announcement; subscribing twice is once."""
        if callback not in self._subscribers:
            self._subscribers.append(callback)

    def announce(self, payload: T) -> None:
        """Deliver `payload` to every subscriber once the surrounding transaction commits."""
        transaction.on_commit(lambda: self.deliver(payload))

    def deliver(self, payload: T) -> None:
        """Tell every subscriber now. A subscriber that fails is logged and does not stop the others."""
        for callback in list(self._subscribers):
            try:
                callback(payload)
            except Exception:
                logger.exception("A subscriber of %s failed on %r; %s", self.name, payload, self.catch_up)

    @contextmanager
    def recording(self) -> Iterator[list[T]]:
        """For tests: the payloads delivered during the block, the other subscribers still called."""
        heard: list[T] = []
        self._subscribers.append(heard.append)
        try:
            yield heard
        finally:
            self._subscribers.remove(heard.append)

    @contextmanager
    def isolated(self, *callbacks: Callable[[T], object]) -> Iterator[None]:
        """For tests: `callbacks` are the only subscribers during the block; the others are back after it."""
        saved = self._subscribers
        self._subscribers = list(callbacks)
        try:
            yield
        finally:
            self._subscribers = saved

    def __repr__(self) -> str:
        return f"<Event {self.name} ({len(self._subscribers)} subscribers)>"
