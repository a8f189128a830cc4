"""The shipped courses load idempotently, every lesson has live practice questions, and files are phone-sized."""

import io

import pytest
from django.core.management import call_command

from kynangso.accounts.api import SYSTEM
from kynangso.assessment import api as assessment
from kynangso.errors import DomainError
from kynangso.learning import api as learning
from kynangso.learning.courses import attach_file, parse_competences
from kynangso.learning.models import Course, CourseVersion, FileKind, Lesson
from tests.learning.conftest import COURSES

SHIPPED = {
    "ky-nang-so-co-ban": 10,
    "cds-cho-can-bo": 6,
    "lanh-dao-quan-ly-cds": 4,
    "ky-nang-so-cho-nguoi-lao-dong": 4,
    "tin-hoc-van-phong-cho-can-bo": 4,
    "sang-tao-noi-dung-ban-quyen": 3,
    "su-dung-thiet-bi-co-ban": 4,
    "to-cong-nghe-so-cong-dong": 4,
    "nong-dan-hop-tac-xa-hoi-quan": 4,
    "hoc-sinh-tieu-hoc-thcs": 4,
    "hoc-sinh-thpt-sinh-vien": 4,
    "ky-nang-so-cho-giao-vien": 4,
}


def test_the_shipped_courses_load_with_their_lessons(courses):
    counts = {code: course.published_version.lesson_count for code, course in courses.items()}
    assert counts == SHIPPED


def test_loading_the_courses_again_publishes_nothing_new(courses):
    results = learning.load_courses(COURSES, actor=SYSTEM)
    assert [published for _course, published in results] == [False] * len(SHIPPED)
    assert CourseVersion.objects.count() == len(SHIPPED)


def test_every_shipped_lesson_has_live_practice_questions(courses):
    for course in courses.values():
        for lesson in course.published_version.lessons():
            questions = assessment.practice_questions(item_codes=lesson["practice"])
            assert len(questions) == len(lesson["practice"]) >= 1, lesson["title"]


def test_a_changed_lesson_file_publishes_a_new_version_on_the_next_load(courses, tmp_path):
    import shutil

    folder = tmp_path / "ky-nang-so-co-ban"
    shutil.copytree(COURSES / "ky-nang-so-co-ban", folder)
    lesson = folder / "01-dung-dien-thoai-an-toan.md"
    lesson.write_text(lesson.read_text(encoding="utf-8") + "\nMột câu mới.\n", encoding="utf-8")
    course, published = learning.load_course_dir(folder, actor=SYSTEM)
    assert published and course.published_version.number == 2


def test_load_content_also_loads_the_courses(framework, settings):
    out = io.StringIO()
    call_command("load-content", stdout=out)
    assert "Khóa học: ky-nang-so-co-ban" in out.getvalue()
    assert Course.objects.filter(published_version__isnull=False).count() == len(SHIPPED)


def test_a_competence_must_be_written_as_code_and_level():
    assert parse_competences("2.3:3, 4.1:1") == [("2.3", 3), ("4.1", 1)]
    with pytest.raises(DomainError):
        parse_competences("2.3")


def test_an_uploaded_image_is_made_phone_sized(basic):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (3000, 1500), "white").save(buffer, "PNG")
    lesson = Lesson.objects.filter(course=basic).first()
    record = attach_file(lesson=lesson, kind=FileKind.IMAGE, name="man-hinh.png", data=buffer.getvalue())
    assert (record.width, record.height) == (960, 480)
    assert record.size_bytes < len(buffer.getvalue())
    lesson.body += "\n\n![Màn hình khóa](man-hinh.png)"
    lesson.save()
    version = learning.publish_course(course=basic, actor=SYSTEM)
    html = version.lessons()[0]["html"]
    assert record.file.url in html and 'width="960"' in html
