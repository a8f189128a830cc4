"""What happens after an attempt is passed: other apps subscribe here (e.g. credentials issues a certificate)."""

import logging

logger = logging.getLogger(__name__)
_subscribers: list = []


def on_standard_passed(callback) -> None:
    """Register `callback(attempt)` to run after a passing attempt is committed."""
    if callback not in _subscribers:
        _subscribers.append(callback)


def standard_passed(attempt) -> None:
    """Tell every subscriber. The attempt is committed by now: a subscriber that fails (Redis down, so no job can be
    queued) is logged and does not turn the submit into an error; the hourly `kynangso issue-credentials` issues the
    certificate still owed (found by the exam-day fault run with Redis stopped, benchmarks/exam_faults.py)."""
    for callback in list(_subscribers):
        try:
            callback(attempt)
        except Exception:
            logger.exception("A subscriber of passed attempt %s failed; the hourly batch catches up", attempt.pk)
