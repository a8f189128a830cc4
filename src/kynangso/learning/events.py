"""What the learning app announces after commit: a course completed (credentials issues a certificate), and
attendance the roll-up must recount because it was back-dated or taken back (monitoring, ADR 0045)."""

import logging
from dataclasses import dataclass
from datetime import date

from django.db import transaction

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
            logger.exception(
                "A subscriber of course completion %s failed; the hourly batch catches up", completion.enrolment_id
            )


# --- attendance the roll-up cannot see by time -------------------------------------------------------------------

_attendance_subscribers: list = []


@dataclass(frozen=True)
class AttendanceChanged:
    """Committed attendance that a roll-up may already have counted around: dated before the day it was recorded
    (ticked late, imported from a past class) or taken back. The people concerned must be recounted."""

    person_ids: frozenset[int]
    reason: str  # "backdated" or "removed"


def on_attendance_changed(callback) -> None:
    """Register `callback(change)` to run after such an attendance change is committed."""
    if callback not in _attendance_subscribers:
        _attendance_subscribers.append(callback)


def attendance_changed(change: AttendanceChanged) -> None:
    """Tell every subscriber; a subscriber that fails is logged (the nightly full roll-up catches up)."""
    for callback in list(_attendance_subscribers):
        try:
            callback(change)
        except Exception:
            logger.exception(
                "A subscriber of an attendance change (%s) failed; the nightly roll-up catches up", change.reason
            )


def announce_attendance(person_ids, reason: str) -> None:
    """Announce `person_ids`' attendance change once the surrounding transaction commits."""
    people = frozenset(person_ids)
    if people:
        transaction.on_commit(lambda: attendance_changed(AttendanceChanged(people, reason)))
