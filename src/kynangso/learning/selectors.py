"""Reads of the learning app: the catalogue of published courses (filters and diacritic-insensitive search in the
database), a learner's courses, and the set-based facts monitoring counts."""

from django.db.models import Exists, F, OuterRef, QuerySet

from kynangso.learning.models import Attendance, Course, CourseVersion, Enrolment, VersionCompetence
from kynangso.text import search_key


def catalogue(*, query: str = "", target_group: str = "", competence: str = "", level: int | None = None) -> QuerySet:
    """The current published version of every listed course, narrowed by a free-text query (no diacritics or case
    needed), a target group, a competence and a level it teaches."""
    versions = CourseVersion.objects.filter(course__published_version=F("pk")).select_related("course")
    key = search_key(query)
    for word in key.split():
        versions = versions.filter(search_text__contains=word)
    if target_group:
        versions = versions.filter(target_groups__contains=f",{target_group},")
    if competence or level:
        taught = VersionCompetence.objects.filter(version=OuterRef("pk"))
        if competence:
            taught = taught.filter(competence_code=competence)
        if level:
            taught = taught.filter(level=level)
        versions = versions.filter(Exists(taught))
    return versions.order_by("title", "id")


def published_course(code: str) -> Course | None:
    return Course.objects.select_related("published_version").filter(code=code, published_version__isnull=False).first()


def enrolments_of(person) -> QuerySet:
    return (
        Enrolment.objects.filter(person=person)
        .select_related("course__published_version")
        .order_by("completed_on", "-enrolled_on", "id")
    )


def course_completions() -> QuerySet:
    return Enrolment.objects.filter(completed_on__isnull=False).values("person_id", "completed_on", "course__code")


def class_attendances() -> QuerySet:
    return Attendance.objects.values("person_id", "attended_on", "training_class_id")
