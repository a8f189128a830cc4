"""What happens after a course is completed: other apps subscribe here (credentials issues a certificate)."""
import logging
from dataclasses import dataclass
from datetime import date

logger = logging.getLogger(__name__)
_subscribers: list = []


@dataclass(frozen=True)
class CourseCompletion:
    """A committed course completion, as subscribers receive it."""

    enrolment_id: int
    person_id: int
    course_code: str
    completed_on: date
    issues_certificate: bool


def on_course_completed(callback) -> None:
    """Register `callback(completion)` to run after a course completion is committed."""
    if callback not in _subscribers:
        _subscribers.append(callback)


def course_completed(completion: CourseCompletion) -> None:
    """Tell every subscriber. The completion is committed by now: a subscriber that fails (Redis down, so no job can
    be queued) is logged and does not fail the lesson; the hourly `kynangso issue-credentials` catches up."""
    for callback in list(_subscribers):
        try:
            callback(completion)
        except Exception:
            logger.exception("A subscriber of course completion %s failed; the hourly batch catches up",
                             completion.enrolment_id)
