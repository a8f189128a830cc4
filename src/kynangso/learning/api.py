"""Public interface of the learning app: courses and their versions, enrolment and progress, learning paths,
training classes and attendance, and the facts other apps count (completions, attendances, competences)."""

from dataclasses import dataclass
from datetime import date
from typing import TypedDict

from django.db.models import F, QuerySet

from kynangso.learning import selectors
from kynangso.learning.classes import (
    AttendanceReport,
    attendance_candidates,
    classes_in_scope,
    import_attendance,
    mark_present,
    register,
    save_class,
    unmark_present,
    write_attendance_template,
)
from kynangso.learning.courses import load_course_dir, load_courses, publish_course
from kynangso.learning.events import AttendanceChanged, CourseCompletion, on_attendance_changed, on_course_completed
from kynangso.learning.models import ClassCompetence, Course, TrainingClass, VersionCompetence
from kynangso.learning.paths import LessonLink, learning_path, lessons_for_competences
from kynangso.learning.progress import (
    enrol,
    enrol_group,
    record_lesson_seen,
    record_practice_answer,
)
from kynangso.learning.rendering import render_lesson_markdown

__all__ = [
    "CompletionRow",
    "AttendanceRow",
    "DatedFact",
    "CompletionChange",
    "AttendanceChange",
    "attendance_facts",
    "attendances_between",
    "completion_facts",
    "completions_between",
    "AttendanceReport",
    "ClassAchievement",
    "CourseAchievement",
    "CourseCompletion",
    "attendance_candidates",
    "LessonLink",
    "certified_attendances",
    "class_achievement",
    "class_attendances",
    "class_competences",
    "classes_in_scope",
    "course_achievement",
    "course_competences",
    "course_completions",
    "enrol",
    "enrol_group",
    "import_attendance",
    "learning_path",
    "lessons_for_competences",
    "load_course_dir",
    "load_courses",
    "mark_present",
    "on_course_completed",
    "AttendanceChanged",
    "on_attendance_changed",
    "publish_course",
    "record_lesson_seen",
    "record_practice_answer",
    "register",
    "render_lesson_markdown",
    "save_class",
    "unmark_present",
    "write_attendance_template",
]


class CompletionRow(TypedDict):
    """A row of `course_completions()`. Read by credentials (the course certificates owed)."""

    person_id: int
    completed_on: date
    course__code: str


class AttendanceRow(TypedDict):
    """A row of `class_attendances()` and `certified_attendances()`. Read by credentials (the certificates of
    attendance owed) and monitoring."""

    person_id: int
    attended_on: date
    training_class_id: int


class DatedFact(TypedDict):
    """A row of `completion_facts()` and `attendance_facts()`: a person and the day. Read by monitoring (the
    roll-up's fact sources and the explained figures)."""

    f_person: int
    f_on: date


class CompletionChange(TypedDict):
    """A row of `completions_between()`: a person and the course's code. Read by monitoring's incremental roll-up."""

    f_person: int
    f_code: str


class AttendanceChange(TypedDict):
    """A row of `attendances_between()`: a person who attended. Read by monitoring's incremental roll-up."""

    f_person: int


def course_completions() -> QuerySet:
    """One row per completed course: values(person_id, completed_on (a date), course__code). A queryset, so it can
    be filtered by period, joined in subqueries and aggregated in the database."""
    return selectors.course_completions()


def class_attendances() -> QuerySet:
    """One row per person per training class they attended: values(person_id, attended_on, training_class_id)."""
    return selectors.class_attendances()


def course_competences() -> QuerySet:
    """What each course teaches, from its published version: values(course__code, framework_code,
    competence_code, level). Join with `course_completions()` on course__code."""
    from django.db.models import F

    return VersionCompetence.objects.filter(version__course__published_version=F("version")).values(
        "framework_code", "competence_code", "level", course__code=F("version__course__code")
    )


def class_competences() -> QuerySet:
    """What each training class teaches: values(training_class_id, framework_code, competence_code, level)."""
    return ClassCompetence.objects.values("training_class_id", "framework_code", "competence_code", "level")


def training_classes() -> QuerySet:
    """Every class: values(id, organising_unit_id, target_group, starts_on, ends_on, mode)."""
    return TrainingClass.objects.values("id", "organising_unit_id", "target_group", "starts_on", "ends_on", "mode")


@dataclass(frozen=True)
class CourseAchievement:
    """What a course certificate attests, in terms credentials can use without knowing our tables."""

    code: str
    title: str
    description: str
    competences: list  # (framework_code, competence_code, level) triples
    issues_certificate: bool = False


def course_achievement(course_code: str) -> CourseAchievement | None:
    """The published course `course_code` as an achievement, or None if there is no such published course."""
    course = (
        Course.objects.select_related("published_version")
        .filter(code=course_code, published_version__isnull=False)
        .first()
    )
    if course is None:
        return None
    version = course.published_version
    assert version is not None  # filtered above
    competences = [
        (c.framework_code, c.competence_code, c.level) for c in version.competences.order_by("competence_code")
    ]
    return CourseAchievement(
        code=course.code,
        title=version.title,
        description=version.summary,
        competences=competences,
        issues_certificate=version.issues_certificate,
    )


def certified_attendances(*, ended_before) -> QuerySet:
    """Attendances that earn a certificate of attendance: of classes that issue one and ended before the date
    `ended_before` (attendance can still be corrected while a class runs): values(person_id, attended_on,
    training_class_id)."""
    return selectors.class_attendances().filter(
        training_class__issues_attendance_certificate=True, training_class__ends_on__lt=ended_before
    )


@dataclass(frozen=True)
class ClassAchievement:
    """What a certificate of attendance attests, in terms credentials can use without knowing our tables."""

    class_id: int
    title: str
    organising_unit: str
    starts_on: date
    ends_on: date
    mode_label: str
    competences: list  # (framework_code, competence_code, level) triples
    issues_certificate: bool = False


def class_achievement(class_id: int) -> ClassAchievement | None:
    """The training class `class_id` as an achievement, or None if there is no such class."""
    training_class = TrainingClass.objects.select_related("organising_unit").filter(pk=class_id).first()
    if training_class is None:
        return None
    competences = [
        (row.framework_code, row.competence_code, row.level)
        for row in training_class.competence_rows.order_by("competence_code")
    ]
    return ClassAchievement(
        class_id=training_class.pk,
        title=training_class.title,
        organising_unit=training_class.organising_unit.name,
        starts_on=training_class.starts_on,
        ends_on=training_class.ends_on,
        mode_label=str(training_class.get_mode_display()),
        competences=competences,
        issues_certificate=training_class.issues_attendance_certificate,
    )


# Facts for the roll-up (monitoring): querysets of values with these stable names, whatever the models become.


def completion_facts(*, course_code: str = "") -> QuerySet:
    """One row per completed enrolment (of the course `course_code` if given): values(f_person = person id,
    f_on = the day it was completed)."""
    qs = selectors.course_completions()
    if course_code:
        qs = qs.filter(course__code=course_code)
    return qs.values(f_person=F("person_id"), f_on=F("completed_on"))


def completions_between(since_day: date, until_day: date) -> QuerySet:
    """Courses completed on days in [since_day, until_day): values(f_person = person id, f_code = course code)."""
    return (
        selectors.course_completions()
        .filter(completed_on__gte=since_day, completed_on__lt=until_day)
        .values(f_person=F("person_id"), f_code=F("course__code"))
    )


def attendance_facts() -> QuerySet:
    """One row per person per class attended: values(f_person = person id, f_on = the day attended)."""
    return selectors.class_attendances().values(f_person=F("person_id"), f_on=F("attended_on"))


def attendances_between(since_day: date, until_day: date) -> QuerySet:
    """Attendances on days in [since_day, until_day): values(f_person = person id)."""
    return (
        selectors.class_attendances()
        .filter(attended_on__gte=since_day, attended_on__lt=until_day)
        .values(f_person=F("person_id"))
    )
