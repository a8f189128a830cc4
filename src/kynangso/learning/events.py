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
    for callback in list(_subscribers):
        callback(completion)
