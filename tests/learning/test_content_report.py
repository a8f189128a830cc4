"""`kynangso content-report`: competences × standards × levels with the lessons and exam items that cover them, the
uncovered cells, the target groups without a course and the lessons nobody reviewed; --check fails while a cell or
a group is uncovered. The world here is one small course made for the tests, so new shipped content changes
nothing."""

import io

import pytest
from django.core.management import CommandError, call_command

from kynangso.accounts.api import SYSTEM
from kynangso.assessment import api as assessment
from kynangso.learning import api as learning
from kynangso.learning.courses import publish_course
from kynangso.learning.coverage import content_coverage
from kynangso.people import api as people
from tests.learning.conftest import FIXTURE_COURSE


@pytest.fixture
def pupils_only(framework):
    course, _published = learning.load_course_dir(FIXTURE_COURSE, actor=SYSTEM)  # teaches 2.4 at level 1
    return course


@pytest.fixture
def standard(pupils_only):
    return assessment.save_standard(
        {
            "code": "HS-PHU",
            "name": "Chuẩn thử độ phủ",
            "target_group": "student",
            "framework": "TT02-2025",
            "time_limit_minutes": 20,
            "pass_percent": 60,
            "domain_pass_percent": None,
            "blueprint": [
                {"competence": "2.4", "level": 1, "items": 1},
                {"competence": "2.4", "level": 2, "items": 1},
                {"competence": "5.2", "level": 1, "items": 1},
                {"competence": "5.2", "level": 2, "items": 1},
            ],
        },
        actor=SYSTEM,
    )


def cell(report, code):
    return next(c for c in report.cells if c.standard_code == "HS-PHU" and c.competence_code == code)


def test_a_lesson_covers_a_competence_at_or_below_the_lowest_level_the_standard_asks(standard):
    report = content_coverage()
    assert cell(report, "2.4").level == 1
    assert [str(lesson) for lesson in cell(report, "2.4").lessons] == ["hoc-sinh-thu/01-lam-bai-nhom-tren-mang (bậc 1)"]
    assert cell(report, "5.2").competence_name == "Xác định nhu cầu và giải pháp công nghệ"
    assert not cell(report, "5.2").covered and cell(report, "5.2") in report.uncovered


def test_a_lesson_above_the_level_needed_does_not_cover_it(pupils_only, framework):
    assessment.save_standard(
        {
            "code": "HS-CAO",
            "name": "Chuẩn thử",
            "target_group": "student",
            "framework": "TT02-2025",
            "time_limit_minutes": 20,
            "pass_percent": 60,
            "domain_pass_percent": None,
            "blueprint": [{"competence": "2.4", "level": 1, "items": 1}],
        },
        actor=SYSTEM,
    )
    lesson = pupils_only.lessons.get()
    lesson.competences = "2.4:2"
    lesson.save()
    publish_course(course=pupils_only, actor=SYSTEM)
    assert content_coverage().cells[0].lessons == []


def test_exam_items_are_counted_at_the_blueprints_levels(standard, settings):
    assessment.load_item_files([settings.CONTENT_DIR / "items" / "domain-5.yaml"], actor=SYSTEM)
    report = content_coverage()
    live = assessment.Item.objects.filter(use="assessment", live_version__isnull=False, competence_code="5.2")
    at_levels = [
        groups
        for groups in live.filter(level__in=[1, 2]).values_list("groups", flat=True)
        if not groups or "student" in groups
    ]
    assert live.filter(level__gt=2).exists() and at_levels  # items above the blueprint's levels exist, not counted
    assert cell(report, "5.2").items == len(at_levels) > 0


def test_groups_without_a_course_and_lessons_without_a_review_are_listed(standard, pupils_only):
    report = content_coverage()
    assert [code for code, _label in report.groups_without_course] == [
        code for code in people.TargetGroup.values if code != "student"
    ]
    assert report.unreviewed == []
    pupils_only.reviews = []
    pupils_only.save()
    publish_course(course=pupils_only, actor=SYSTEM)
    assert content_coverage().unreviewed == ["hoc-sinh-thu/01-lam-bai-nhom-tren-mang"]


def test_the_text_report_lists_the_uncovered_cells_and_check_fails(standard):
    out = io.StringIO()
    call_command("content-report", stdout=out)
    text = out.getvalue()
    assert "HS-PHU" in text and "- HS-PHU: 5.2 Xác định nhu cầu và giải pháp công nghệ (bậc 1)" in text
    assert "Ô chưa có bài học: 1 trên 2." in text
    assert "Nhóm đối tượng chưa có khóa học: 10." in text and "- Giáo viên (teacher)" in text
    assert "Bài học chưa có lượt duyệt: 0." in text
    with pytest.raises(CommandError, match="chưa phủ hết"):
        call_command("content-report", "--check", stdout=io.StringIO())


def test_the_markdown_report_is_a_table_for_the_docs(standard):
    out = io.StringIO()
    call_command("content-report", "--format", "markdown", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("| Chuẩn | Năng lực | Bậc cần |") and lines[1].startswith("|---|")
    assert "| HS-PHU | 2.4 Hợp tác thông qua công nghệ số | 1 | hoc-sinh-thu/01-lam-bai-nhom-tren-mang (bậc 1) |" in (
        out.getvalue()
    )
    uncovered = lines.index("Ô chưa có bài học: 1 trên 2.")
    assert lines[uncovered + 1] == "" and lines[uncovered + 2].startswith("- HS-PHU: 5.2")


def test_check_passes_when_every_cell_and_every_group_is_covered(standard, pupils_only):
    assessment.Standard.objects.exclude(pk=standard.pk).delete()
    standard.blueprint.exclude(competence_code="2.4").delete()
    pupils_only.target_groups = list(people.TargetGroup.values)  # one course now written for every group
    pupils_only.save()
    publish_course(course=pupils_only, actor=SYSTEM)
    assert content_coverage().complete
    out = io.StringIO()
    call_command("content-report", "--check", stdout=out)
    assert "Ô chưa có bài học: 0 trên 1." in out.getvalue()


def test_without_standards_the_report_says_to_load_the_content_first(db):
    with pytest.raises(CommandError, match="load-content"):
        call_command("content-report", stdout=io.StringIO())
