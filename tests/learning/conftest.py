"""Learning fixtures: the TT02-2025 framework, the practice items and the shipped courses, and learners."""

import datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings

from kynangso.accounts.api import SYSTEM
from kynangso.accounts.models import Role
from kynangso.assessment import api as assessment
from kynangso.frameworks import api as frameworks
from kynangso.learning import api as learning
from kynangso.learning.models import Course
from tests.assessment import answers
from tests.factories import make_person, make_user

COURSES = settings.CONTENT_DIR / "courses"
#: A small course made for the tests (a pupils' course with an illustration and a review), not shipped content.
FIXTURE_COURSE = Path(__file__).parent / "fixtures" / "courses" / "hoc-sinh-thu"


@pytest.fixture
def framework(db):
    return frameworks.load_framework_file(settings.CONTENT_DIR / "frameworks" / "tt02-2025.yaml")


@pytest.fixture
def practice_bank(framework):
    assessment.load_item_files(sorted((settings.CONTENT_DIR / "items").glob("practice-*.yaml")), actor=SYSTEM)


@pytest.fixture
def courses(practice_bank):
    learning.load_courses(COURSES, actor=SYSTEM)
    return {course.code: course for course in Course.objects.select_related("published_version")}


@pytest.fixture
def basic(courses):
    return courses["ky-nang-so-co-ban"]


@pytest.fixture
def resident(province):
    user = make_user("hoa", Role.LEARNER, province.a)
    return make_person(
        province.a, full_name="Lê Thị Hoa", birth_date=datetime.date(1960, 5, 1), sex="female", user=user
    )


def lesson_ids(course) -> list[int]:
    course.refresh_from_db()
    return [lesson["id"] for lesson in course.published_version.lessons()]


def right_answer(version_id: int) -> dict:
    """The correct answer of a practice item version, read from its key (tests only)."""
    return answers.right_answer(_slot(version_id), in_item_ids=True)  # practice shows the item's own ids


def wrong_answer(version_id: int) -> dict:
    return answers.wrong_answer(_slot(version_id), in_item_ids=True)


def _slot(version_id: int):
    from kynangso.assessment.models import ItemVersion

    return SimpleNamespace(item_version=ItemVersion.objects.get(pk=version_id))


DAY = datetime.date(2026, 3, 2)


def complete(course, person):
    enrolment = learning.enrol(person=person, course=course, today=DAY)
    for lesson_id in lesson_ids(course):
        learning.record_lesson_seen(enrolment=enrolment, lesson_id=lesson_id, today=DAY)
    return enrolment


@pytest.fixture
def pupils_course(courses):
    course, _published = learning.load_course_dir(FIXTURE_COURSE, actor=SYSTEM)
    return course
