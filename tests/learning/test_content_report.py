"""`kynangso content-report`: competences × standards × levels with the lessons and exam items that cover them, the
uncovered cells and the target groups without a course; --check fails while anything is uncovered."""
import io

import pytest
from django.core.management import CommandError, call_command

from kynangso.accounts.api import SYSTEM
from kynangso.assessment import api as assessment
from kynangso.learning.courses import publish_course
from kynangso.learning.coverage import content_coverage
from kynangso.people import api as people


@pytest.fixture
def standard(courses):
    return assessment.save_standard({
        "code": "ND-PHU", "name": "Chuẩn thử độ phủ", "target_group": "resident", "framework": "TT02-2025",
        "time_limit_minutes": 20, "pass_percent": 60, "domain_pass_percent": None,
        "blueprint": [{"competence": "5.2", "level": 1, "items": 1}, {"competence": "5.2", "level": 2, "items": 1},
                      {"competence": "4.1", "level": 1, "items": 1}, {"competence": "3.4", "level": 1, "items": 1}],
    }, actor=SYSTEM)


def cell(report, code):
    return next(c for c in report.cells if c.standard_code == "ND-PHU" and c.competence_code == code)


def test_a_lesson_covers_a_competence_at_or_below_the_lowest_level_the_standard_asks(standard):
    report = content_coverage()
    assert cell(report, "5.2").level == 1 and cell(report, "5.2").lessons == []  # VietQR is tagged 5.2:2
    assert [str(lesson) for lesson in cell(report, "4.1").lessons] == [
        "ky-nang-so-co-ban/01-dung-dien-thoai-an-toan (bậc 1)"]
    assert cell(report, "3.4").competence_name == "Lập trình" and not cell(report, "3.4").covered


def test_exam_items_are_counted_at_the_blueprints_levels(standard, settings):
    assessment.load_item_files([settings.CONTENT_DIR / "items" / "domain-5.yaml"], actor=SYSTEM)
    report = content_coverage()
    live = assessment.Item.objects.filter(use="assessment", live_version__isnull=False, competence_code="5.2")
    at_levels = [groups for groups in live.filter(level__in=[1, 2]).values_list("groups", flat=True)
                 if not groups or "resident" in groups]
    assert live.filter(level__gt=2).exists() and at_levels  # items above the blueprint's levels exist, not counted
    assert cell(report, "5.2").items == len(at_levels) > 0


def test_groups_without_a_course_are_listed(standard, pupils_course):
    groups = [code for code, _label in content_coverage().groups_without_course]
    assert "student" not in groups and "resident" not in groups
    assert "teacher" in groups and "community_team" in groups


def test_the_text_report_lists_the_uncovered_cells_and_check_fails(standard):
    out = io.StringIO()
    call_command("content-report", stdout=out)
    text = out.getvalue()
    assert "ND-PHU" in text and "- ND-PHU: 3.4 Lập trình (bậc 1)" in text
    assert "Nhóm đối tượng chưa có khóa học:" in text and "- Giáo viên (teacher)" in text
    with pytest.raises(CommandError, match="chưa phủ hết"):
        call_command("content-report", "--check", stdout=io.StringIO())


def test_the_markdown_report_is_a_table_for_the_docs(standard):
    out = io.StringIO()
    call_command("content-report", "--format", "markdown", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("| Chuẩn | Năng lực | Bậc cần |") and lines[1].startswith("|---|")
    assert "| ND-PHU | 4.1 " in out.getvalue()


def test_check_passes_when_every_cell_and_every_group_is_covered(pupils_course):
    assessment.Standard.objects.all().delete()
    assessment.save_standard({
        "code": "DU", "name": "Đủ", "target_group": "resident", "framework": "TT02-2025",
        "time_limit_minutes": 20, "pass_percent": 60, "domain_pass_percent": None,
        "blueprint": [{"competence": "4.1", "level": 1, "items": 1}]}, actor=SYSTEM)
    pupils_course.target_groups = list(people.TargetGroup.values)  # one course now written for every group
    pupils_course.save()
    publish_course(course=pupils_course, actor=SYSTEM)
    assert content_coverage().complete
    out = io.StringIO()
    call_command("content-report", "--check", stdout=out)
    assert "Ô chưa có bài học: 0 trên 1." in out.getvalue()


def test_without_standards_the_report_says_to_load_the_content_first(db):
    with pytest.raises(CommandError, match="load-content"):
        call_command("content-report", stdout=io.StringIO())
