"""Background issuing: the subscribers that react to a passed standard or a completed course, and the jobs they
start. Each job is idempotent, so a retried or duplicated job does no harm."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from kynangso.credentials import achievements, issuing
from kynangso.credentials.models import AchievementKind
from kynangso.jobs import api as jobs


def issue_for_attempt_job(context, *, attempt_id: int) -> dict:
    credential = issuing.issue_for_attempt(attempt_id)
    return {"credential": str(credential.public_id) if credential else None}


def issue_for_course_job(context, *, person_id: int, course_code: str, completed_on: str) -> dict:
    achievement = achievements.course_achievement(course_code)
    if achievement is None:
        return {"credential": None}
    # Completion is recorded as a day; the certificate says the course was completed that day (local midnight).
    achieved_at = datetime.datetime.combine(
        datetime.date.fromisoformat(completed_on), datetime.time.min, tzinfo=timezone.get_current_timezone()
    )
    credential = issuing.issue_credential(
        person_id=person_id,
        kind=AchievementKind.COURSE,
        code=course_code,
        achieved_at=achieved_at,
        achievement=achievement,
    )
    return {"credential": str(credential.public_id)}


def standard_passed(attempt) -> None:
    """Subscriber of assessment.api.on_standard_passed: issue the certificate in a background job."""
    jobs.enqueue(
        issue_for_attempt_job, kind="credentials.issue", label=_("Cấp chứng nhận đạt chuẩn"), attempt_id=attempt.pk
    )


def course_completed(completion) -> None:
    """Subscriber of learning.api.on_course_completed: a `CourseCompletion` of a course that leads to a certificate
    starts the issuing job (the job checks the published course again)."""
    if not completion.issues_certificate:
        return
    jobs.enqueue(
        issue_for_course_job,
        kind="credentials.issue",
        label=_("Cấp chứng nhận hoàn thành khóa học"),
        person_id=completion.person_id,
        course_code=completion.course_code,
        completed_on=completion.completed_on.isoformat(),
    )
