"""REST endpoints of the learning app, mounted by kynangso.rest: the public catalogue, my enrolments with progress,
enrolling and recording a lesson as seen (the same services as the pages)."""

from typing import Literal

from django.http import Http404
from ninja import Field, Query, Router, Schema, Status

from kynangso.learning import progress, selectors
from kynangso.people import api as people
from kynangso.rest_inputs import ObjectId

router = Router(tags=["learning"])
TargetGroupFilter = Literal[tuple(["", *people.TargetGroup.values])]


class CourseOut(Schema):
    code: str
    title: str
    summary: str
    target_groups: list[str]
    estimated_minutes: int
    lesson_count: int
    version: int = Field(..., description="Số phiên bản đang dùng.")


class EnrolmentOut(Schema):
    course: str
    enrolled_on: str
    percent: int = Field(..., description="Phần trăm số bài đã xem của phiên bản đang dùng.")
    resume_lesson_id: int | None
    completed_on: str | None


def _course_out(version) -> dict:
    return {
        "code": version.course.code,
        "title": version.title,
        "summary": version.summary,
        "target_groups": [g for g in version.target_groups.split(",") if g],
        "estimated_minutes": version.estimated_minutes,
        "lesson_count": version.lesson_count,
        "version": version.number,
    }


def _enrolment_out(enrolment) -> dict:
    version = enrolment.course.published_version
    return {
        "course": enrolment.course.code,
        "enrolled_on": enrolment.enrolled_on.isoformat(),
        "percent": progress.percent_done(enrolment, version),
        "resume_lesson_id": progress.resume_lesson_id(enrolment, version),
        "completed_on": enrolment.completed_on.isoformat() if enrolment.completed_on else None,
    }


def _person(request):
    person = people.person_for_user(request.auth)
    if person is None:
        raise Http404
    return person


@router.get("/courses", response=list[CourseOut], auth=None, summary="Danh mục khóa học (công khai)")
def courses(
    request,
    q: str = Query("", max_length=200, description="Tên khóa học (không cần dấu)."),
    target_group: TargetGroupFilter = Query("", description="Mã nhóm đối tượng."),
    competence: str = Query("", max_length=50, description="Mã năng lực của khung."),
    level: int | None = Query(None, ge=1, le=8, description="Mức thành thạo (1–8)."),
):
    versions = selectors.catalogue(query=q, target_group=target_group, competence=competence, level=level)
    return [_course_out(version) for version in versions[:200]]


@router.get("/enrolments", response=list[EnrolmentOut], summary="Các khóa tôi đã ghi danh và tiến độ")
def my_enrolments(request):
    return [_enrolment_out(e) for e in selectors.enrolments_of(_person(request)) if e.course.published_version_id]


@router.post("/courses/{code}/enrolment", response={201: EnrolmentOut}, summary="Ghi danh khóa học")
def enrol(request, code: str):
    course = selectors.published_course(code)
    if course is None:
        raise Http404
    return Status(201, _enrolment_out(progress.enrol(person=_person(request), course=course)))


@router.put("/courses/{code}/lessons/{lesson_id}/seen", response=EnrolmentOut, summary="Ghi nhận đã xem bài học")
def lesson_seen(request, code: str, lesson_id: ObjectId):
    course = selectors.published_course(code)
    enrolment = progress.enrolment_of(_person(request), course) if course else None
    if enrolment is None:
        raise Http404
    progress.record_lesson_seen(enrolment=enrolment, lesson_id=lesson_id)
    enrolment.refresh_from_db()
    return _enrolment_out(enrolment)
