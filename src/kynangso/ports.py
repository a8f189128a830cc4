"""Ports: how a lower app asks a higher one a question without importing it (ADR 0037).

The apps are layered (docs/architecture.md); an app may import only the `api` of apps below it. When a lower app
needs an answer only a higher app has (accounts: which login a phone number names, which people a helper may
reset; plans: how far the lead units are from the plan's targets), it declares a `Port` with the signature it
expects, and the higher app plugs its function in from its `AppConfig.ready()`, the way event subscriptions
(`on_standard_passed`, `on_course_completed`) are made. The dependency stays visible in the import graph (the
higher app imports the lower one's `api` to plug in), and a port nobody plugged fails loudly, naming itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, ParamSpec, TypeVar

from django.core.exceptions import ImproperlyConfigured

P = ParamSpec("P")
R = TypeVar("R")


class Port(Generic[P, R]):
    """A function slot declared by the app that calls it and filled by the app that answers."""

    def __init__(self, name: str, doc: str) -> None:
        self.name = name
        self.__doc__ = doc
        self._provider: Callable[P, R] | None = None

    def provide(self, function: Callable[P, R]) -> None:
        """Plug in the answering function (from the providing app's `ready()`); the last one plugged wins."""
        self._provider = function

    @property
    def provided(self) -> bool:
        return self._provider is not None

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        if self._provider is None:
            raise ImproperlyConfigured(f"Port {self.name!r} has no provider: is the providing app installed?")
        return self._provider(*args, **kwargs)

    def __repr__(self) -> str:
        return f"<Port {self.name}{'' if self.provided else ' (not provided)'}>"
