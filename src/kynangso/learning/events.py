"""What the learning app announces after commit: a course completed (credentials issues a certificate), and
attendance the roll-up must recount because it was back-dated or taken back (monitoring, ADR 0045)."""

from dataclasses import dataclass
from datetime import date

from kynangso.events import Event


@dataclass(frozen=True)
class CourseCompletion:
    """A committed course completion, as subscribers receive it."""

    enrolment_id: int
    person_id: int
    course_code: str
    completed_on: date
    issues_certificate: bool


# The completion is committed when subscribers hear of it: a subscriber that fails (Redis down, so no job can be
# queued) is logged and does not fail the lesson; the hourly `kynangso issue-credentials` catches up.
course_completed: Event[CourseCompletion] = Event(
    "learning.course_completed", CourseCompletion.__doc__ or "", catch_up="the hourly batch catches up"
)


def on_course_completed(callback) -> None:
    """Register `callback(completion)` to run after a course completion is committed."""
    course_completed.subscribe(callback)


# --- attendance the roll-up cannot see by time -------------------------------------------------------------------


@dataclass(frozen=True)
class AttendanceChanged:
    """Committed attendance that a roll-up may already have counted around: dated before the day it was recorded
    (ticked late, imported from a past class) or taken back. The people concerned must be recounted."""

    person_ids: frozenset[int]
    reason: str  # "backdated" or "removed"


attendance_changed: Event[AttendanceChanged] = Event(
    "learning.attendance_changed", AttendanceChanged.__doc__ or "", catch_up="the nightly roll-up catches up"
)


def on_attendance_changed(callback) -> None:
    """Register `callback(change)` to run after such an attendance change is committed."""
    attendance_changed.subscribe(callback)


def announce_attendance(person_ids, reason: str) -> None:
    """Announce `person_ids`' attendance change once the surrounding transaction commits."""
    people = frozenset(person_ids)
    if people:
        attendance_changed.announce(AttendanceChanged(people, reason))
