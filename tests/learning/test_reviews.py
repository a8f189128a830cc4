"""Lesson reviews: who read each lesson as a teacher of older learners would, when, and what changed, kept with the
course version and shown on the course page."""

import shutil

import pytest

from kynangso.accounts.api import SYSTEM
from kynangso.errors import DomainError
from kynangso.learning import api as learning
from tests.learning.conftest import FIXTURE_COURSE


def test_the_reviews_of_course_yaml_are_kept_with_the_published_version(pupils_course):
    assert pupils_course.published_version.reviews == [
        {
            "lesson": "01-lam-bai-nhom-tren-mang.md",
            "lesson_title": "Làm bài nhóm trên mạng",
            "reviewer": "Nguyễn Thị Lan (giáo viên)",
            "date": "2026-11-20",
            "changes": "Viết lại câu mở đầu cho ngắn; thêm hình minh họa.",
        }
    ]


def test_a_new_review_publishes_a_new_version_and_the_old_one_keeps_its_own(pupils_course, tmp_path):
    folder = tmp_path / "hoc-sinh-thu"
    shutil.copytree(FIXTURE_COURSE, folder)
    meta = folder / "course.yaml"
    meta.write_text(
        meta.read_text(encoding="utf-8")
        + (
            '  - lesson: 01-lam-bai-nhom-tren-mang.md\n    reviewer: "Trần Văn Bình (cán bộ văn hóa xã)"\n'
            '    date: 2026-12-01\n    changes: "Sửa lỗi chính tả."\n'
        ),
        encoding="utf-8",
    )
    first = pupils_course.published_version
    course, published = learning.load_course_dir(folder, actor=SYSTEM)
    assert published and len(course.published_version.reviews) == 2
    first.refresh_from_db()
    assert len(first.reviews) == 1


@pytest.mark.parametrize(
    "entry, message",
    [
        (
            '  - lesson: 09-khong-co.md\n    reviewer: "A (giáo viên)"\n    date: 2026-12-01\n    changes: x\n',
            "không trỏ tới bài nào",
        ),
        (
            '  - lesson: 01-lam-bai-nhom-tren-mang.md\n    reviewer: "A (giáo viên)"\n    date: hôm qua\n    changes: x\n',
            "YYYY-MM-DD",
        ),
        ("  - lesson: 01-lam-bai-nhom-tren-mang.md\n    date: 2026-12-01\n    changes: x\n", "người duyệt"),
    ],
)
def test_a_review_without_its_lesson_day_or_reviewer_stops_the_loading(courses, tmp_path, entry, message):
    folder = tmp_path / "hoc-sinh-thu"
    shutil.copytree(FIXTURE_COURSE, folder)
    meta = folder / "course.yaml"
    meta.write_text(meta.read_text(encoding="utf-8") + entry, encoding="utf-8")
    with pytest.raises(DomainError, match=message):
        learning.load_course_dir(folder, actor=SYSTEM)
