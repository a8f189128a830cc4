"""What happens after an attempt is passed: other apps subscribe here (e.g. credentials issues a certificate)."""

from kynangso.events import Event

# The attempt is committed when subscribers hear of it: a subscriber that fails (Redis down, so no job can be queued)
# is logged and does not turn the submit into an error; the hourly `kynangso issue-credentials` issues the
# certificate still owed (found by the exam-day fault run with Redis stopped, benchmarks/exam_faults.py).
standard_passed: Event = Event(
    "assessment.standard_passed",
    "A passing attempt, committed (the payload is the Attempt).",
    catch_up="the hourly batch catches up",
)


def on_standard_passed(callback) -> None:
    """Register `callback(attempt)` to run after a passing attempt is committed."""
    standard_passed.subscribe(callback)
