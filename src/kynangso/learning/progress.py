"""Enrolment (self and by a unit administrator for a group), progress per lesson, practice results, resuming, and
course completion with its date."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kynangso.accounts import api as accounts
from kynangso.assessment import api as assessment
from kynangso.errors import DomainError
from kynangso.learning import events
from kynangso.learning.models import CompletionRule, Course, CourseVersion, Enrolment, EnrolmentSource, LessonProgress
from kynangso.people import api as people


def _published(course: Course) -> CourseVersion:
    if course.published_version_id is None:
        raise DomainError(_("Khóa học này chưa được xuất bản nên chưa ghi danh được."))
    return course.published_version


def enrol(*, person, course: Course, today: datetime.date | None = None, helper=None) -> Enrolment:
    """Enrol `person` in a published course by their own choice (with a community helper beside them when `helper`
    is given); enrolling again returns the same enrolment."""
    _published(course)
    enrolment, _created = Enrolment.objects.get_or_create(
        person=person,
        course=course,
        defaults={
            "enrolled_on": today or timezone.localdate(),
            "source": EnrolmentSource.ASSISTED if helper is not None else EnrolmentSource.SELF,
            "enrolled_by": helper,
        },
    )
    return enrolment


def enrol_group(
    *, actor, course: Course, unit_id: int, target_group: str = "", today: datetime.date | None = None
) -> int:
    """Enrol everyone who lives or works in the subtree of `unit_id` (optionally only members of `target_group`),
    e.g. «all officials of this department». `actor` must hold ENROL_GROUPS at that unit. Returns how many people
    were newly enrolled; people already enrolled are left as they are."""
    _published(course)
    if not accounts.has_capability(actor, accounts.capabilities.ENROL_GROUPS, unit_id):
        raise DomainError(_("Đơn vị này nằm ngoài phạm vi ghi danh của bạn."))
    if target_group and target_group not in people.TargetGroup.values:
        raise DomainError(_("Nhóm đối tượng không có trong danh mục."))
    today = today or timezone.localdate()
    chosen = people.search_people(
        people.people_in_scope(actor, accounts.capabilities.ENROL_GROUPS),
        unit_id=unit_id,
        group=target_group,
        on_date=today,
    )
    person_ids = list(chosen.exclude(enrolments__course=course).values_list("id", flat=True))
    Enrolment.objects.bulk_create(
        [
            Enrolment(person_id=pid, course=course, enrolled_on=today, source=EnrolmentSource.GROUP, enrolled_by=actor)
            for pid in person_ids
        ],
        batch_size=1000,
        ignore_conflicts=True,
    )
    return len(person_ids)


def enrolment_of(person, course: Course) -> Enrolment | None:
    if person is None:
        return None
    return Enrolment.objects.filter(person=person, course=course).select_related("course").first()


def _lesson_in_version(version: CourseVersion, lesson_id: int) -> dict:
    for lesson in version.lessons():
        if lesson["id"] == lesson_id:
            return lesson
    raise DomainError(_("Bài học không thuộc khóa học này."), code="not_found")


def _assisted(helper) -> dict:
    return {"assisted_by": helper, "assisted_at": timezone.now()} if helper is not None else {}


@transaction.atomic
def record_lesson_seen(
    *, enrolment: Enrolment, lesson_id: int, today: datetime.date | None = None, helper=None
) -> Enrolment:
    """The learner opened the lesson: it counts as seen and becomes the place to resume. `helper`: a community
    helper was with them (assisted learning), recorded on the lesson's progress."""
    version = _published(enrolment.course)
    _lesson_in_version(version, lesson_id)
    LessonProgress.objects.get_or_create(enrolment=enrolment, lesson_id=lesson_id)
    LessonProgress.objects.filter(enrolment=enrolment, lesson_id=lesson_id).update(
        last_seen_at=timezone.now(), **_assisted(helper)
    )
    enrolment.last_lesson_id = lesson_id
    enrolment.save(update_fields=["last_lesson"])
    complete_if_done(enrolment=enrolment, today=today)
    return enrolment


@transaction.atomic
def record_practice_answer(
    *, enrolment: Enrolment, lesson_id: int, version_id: int, answer, today: datetime.date | None = None, helper=None
):
    """Check one practice answer (assessment's scoring) and keep whether it was right for the lesson's practice.
    Returns the feedback to show."""
    version = _published(enrolment.course)
    lesson = _lesson_in_version(version, lesson_id)
    question = next(
        (q for q in assessment.practice_questions(item_codes=lesson["practice"]) if q.version_id == version_id), None
    )
    if question is None:
        raise DomainError(_("Câu hỏi luyện tập này không thuộc bài học."), code="not_found")
    feedback = assessment.check_practice_answer(version_id=version_id, answer=answer)
    progress, _created = LessonProgress.objects.select_for_update().get_or_create(
        enrolment=enrolment, lesson_id=lesson_id
    )
    progress.practice_results = {**progress.practice_results, question.code: feedback.correct}
    for field, value in _assisted(helper).items():
        setattr(progress, field, value)
    progress.save(update_fields=["practice_results", "last_seen_at", *_assisted(helper)])
    complete_if_done(enrolment=enrolment, today=today)
    return feedback


def lesson_states(enrolment: Enrolment | None, version: CourseVersion) -> dict[int, dict]:
    """For each lesson id of the version: seen, practice_passed (None when the lesson has no live practice)."""
    progress = {}
    if enrolment is not None:
        progress = {p.lesson_id: p for p in LessonProgress.objects.filter(enrolment=enrolment)}
    live = _live_practice_codes(version)
    states = {}
    for lesson in version.lessons():
        codes = [code for code in lesson["practice"] if code in live]
        row = progress.get(lesson["id"])
        results = row.practice_results if row else {}
        passed = None
        if codes:
            right = sum(1 for code in codes if results.get(code))
            passed = right >= version.practice_pass_ratio * len(codes) - 1e-9
        states[lesson["id"]] = {
            "seen": row is not None,
            "practice_passed": passed,
            "practice_right": sum(1 for code in codes if results.get(code)),
            "practice_total": len(codes),
        }
    return states


def _live_practice_codes(version: CourseVersion) -> set[str]:
    """Practice codes of the version that are live practice items (a code missing from the bank cannot block)."""
    codes = [code for lesson in version.lessons() for code in lesson["practice"]]
    if not codes:
        return set()
    return {question.code for question in assessment.practice_questions(item_codes=codes)}


def is_done(enrolment: Enrolment, version: CourseVersion) -> bool:
    states = lesson_states(enrolment, version)
    if not all(state["seen"] for state in states.values()):
        return False
    if version.completion_rule == CompletionRule.PRACTICE_PASSED:
        return all(state["practice_passed"] is not False for state in states.values())
    return True


def complete_if_done(*, enrolment: Enrolment, today: datetime.date | None = None) -> bool:
    """Record the completion (once, with its date) when the learner meets the rule of the published version, and
    tell subscribers after commit. A completion once recorded stays, whatever later versions add."""
    if enrolment.completed_on is not None:
        return False
    version = _published(enrolment.course)
    if not is_done(enrolment, version):
        return False
    today = today or timezone.localdate()
    updated = Enrolment.objects.filter(pk=enrolment.pk, completed_on__isnull=True).update(
        completed_on=max(today, enrolment.enrolled_on), completed_version=version
    )
    if not updated:
        return False
    enrolment.refresh_from_db(fields=["completed_on", "completed_version"])
    completion = events.CourseCompletion(
        enrolment_id=enrolment.pk,
        person_id=enrolment.person_id,
        course_code=enrolment.course.code,
        completed_on=enrolment.completed_on,
        issues_certificate=version.issues_certificate,
    )
    events.course_completed.announce(completion)
    return True


def resume_lesson_id(enrolment: Enrolment | None, version: CourseVersion) -> int | None:
    """Where the learner should go on: the lesson they last opened if it is still in the course, otherwise the first
    lesson they have not seen, otherwise the first lesson."""
    ids = [lesson["id"] for lesson in version.lessons()]
    if not ids:
        return None
    if enrolment is None:
        return ids[0]
    if enrolment.last_lesson_id in ids:
        return enrolment.last_lesson_id
    seen = set(LessonProgress.objects.filter(enrolment=enrolment).values_list("lesson_id", flat=True))
    return next((lesson_id for lesson_id in ids if lesson_id not in seen), ids[0])


def percent_done(enrolment: Enrolment, version: CourseVersion) -> int:
    ids = [lesson["id"] for lesson in version.lessons()]
    if not ids:
        return 0
    seen = LessonProgress.objects.filter(enrolment=enrolment, lesson_id__in=ids).count()
    return round(100 * seen / len(ids))
