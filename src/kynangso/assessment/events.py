"""What happens after an attempt is passed: other apps subscribe here (e.g. credentials issues a certificate)."""
import logging

logger = logging.getLogger(__name__)
_subscribers: list = []


def on_standard_passed(callback) -> None:
    """Register `callback(attempt)` to run after a passing attempt is committed."""
    if callback not in _subscribers:
        _subscribers.append(callback)


def standard_passed(attempt) -> None:
    for callback in list(_subscribers):
        callback(attempt)
