"""Personal learning paths: gaps from the latest profile (or a self-assessment) become lessons in order, and the
path changes as the profile changes and as lessons are learnt."""

import datetime

import pytest
from django.utils import timezone

from kynangso.accounts.api import SYSTEM
from kynangso.assessment import api as assessment
from kynangso.assessment.models import Attempt, AttemptStatus
from kynangso.learning import api as learning
from kynangso.learning import paths
from kynangso.learning.courses import parse_competences
from kynangso.learning.models import Lesson
from tests.factories import make_person
from tests.learning.conftest import COURSES, FIXTURE_COURSE

DAY = datetime.date(2026, 3, 2)


@pytest.fixture
def standard(courses):
    return assessment.save_standard(
        {
            "code": "ND-THU",
            "name": "Chuẩn người dân (thử)",
            "target_group": "resident",
            "framework": "TT02-2025",
            "time_limit_minutes": 20,
            "pass_percent": 60,
            "domain_pass_percent": None,
            "blueprint": [
                {"competence": "4.1", "level": 1, "items": 1},
                {"competence": "2.3", "level": 2, "items": 1},
                {"competence": "4.2", "level": 2, "items": 1},
            ],
        },
        actor=SYSTEM,
    )


def submitted_profile(person, standard, met: dict[str, bool], number=1):
    now = timezone.now() + datetime.timedelta(minutes=number)
    return Attempt.objects.create(
        person=person,
        standard=standard,
        number=number,
        status=AttemptStatus.SUBMITTED,
        started_at=now,
        deadline=now,
        submitted_at=now,
        passed=all(met.values()),
        profile={"competences": [{"code": code, "met": ok} for code, ok in met.items()]},
    )


def lesson_keys(path):
    return [step.lesson_title for step in path.steps]


def test_without_a_profile_or_self_assessment_the_path_asks_for_a_self_assessment(standard, resident):
    path = learning.learning_path(resident)
    assert path.source == "" and path.steps == []
    assert [q["code"] for q in paths.self_assessment_questions(resident)] == ["2.3", "4.1", "4.2"]


def test_a_self_assessment_gives_lessons_for_the_competences_the_person_cannot_yet_do(standard, resident):
    paths.save_self_assessment(person=resident, answers={"2.3": True, "4.1": False, "4.2": True})
    path = learning.learning_path(resident)
    assert path.source == "self" and path.gaps == ["4.1"]
    assert path.steps and all("4.1" in step.competences for step in path.steps)
    assert path.steps[0].lesson_title == "Dùng điện thoại thông minh an toàn"


def test_the_path_follows_the_latest_profile_and_changes_with_it(standard, resident):
    submitted_profile(resident, standard, {"2.3": False, "4.1": True, "4.2": True})
    first = learning.learning_path(resident)
    assert first.source == "profile" and first.gaps == ["2.3"]
    assert first.steps and all("2.3" in step.competences for step in first.steps)
    submitted_profile(resident, standard, {"2.3": True, "4.1": True, "4.2": False}, number=2)
    second = learning.learning_path(resident)
    assert second.gaps == ["4.2"]
    assert lesson_keys(first) != lesson_keys(second)
    assert all("4.2" in step.competences for step in second.steps)


def test_a_profile_that_meets_everything_leaves_nothing_to_learn(standard, resident):
    submitted_profile(resident, standard, {"2.3": True, "4.1": True, "4.2": True})
    path = learning.learning_path(resident)
    assert path.gaps == [] and path.steps == []


def test_lessons_learnt_are_marked_and_the_next_step_moves_on(standard, resident, basic):
    paths.save_self_assessment(person=resident, answers={"2.3": True, "4.1": True, "4.2": False})
    before = learning.learning_path(resident)
    assert len(before.steps) >= 2
    enrolment = learning.enrol(person=resident, course=basic, today=DAY)
    learning.record_lesson_seen(enrolment=enrolment, lesson_id=before.steps[0].lesson_id, today=DAY)
    after = learning.learning_path(resident)
    assert after.steps[0].seen and after.done_count == 1
    assert after.next_step.lesson_id == before.steps[1].lesson_id


@pytest.fixture
def resident_standard(courses):
    """The shipped residents' standard asks 5.2 at level 1; the only lesson on it is tagged level 2."""
    return assessment.save_standard(
        {
            "code": "ND-52",
            "name": "Chuẩn người dân (thử 5.2)",
            "target_group": "resident",
            "framework": "TT02-2025",
            "time_limit_minutes": 20,
            "pass_percent": 60,
            "domain_pass_percent": None,
            "blueprint": [{"competence": "5.1", "level": 1, "items": 1}, {"competence": "5.2", "level": 1, "items": 1}],
        },
        actor=SYSTEM,
    )


def test_a_gap_in_a_competence_taught_only_above_the_needed_level_still_gets_a_step(resident_standard, resident):
    submitted_profile(resident, resident_standard, {"5.1": True, "5.2": False})
    path = learning.learning_path(resident)
    assert path.gaps == ["5.2"]
    assert "Thanh toán không dùng tiền mặt và VietQR" in [step.lesson_title for step in path.steps]  # tagged 5.2:2
    assert all(step.competences == ["5.2"] for step in path.steps)
    levels = [_level_of(step, "5.2") for step in path.steps]
    assert levels == sorted(levels, key=lambda level: paths._level_distance(level, 1))


def test_lessons_at_or_below_the_needed_level_come_before_those_above_nearest_first(standard, resident):
    # 4.2 is needed at level 2: the 4.2:2 lessons of the residents' courses, then their 4.2:1 lesson; the officials'
    # 4.2:3 stays out, as the residents' courses cover the gap.
    submitted_profile(resident, standard, {"2.3": True, "4.1": True, "4.2": False})
    steps = learning.learning_path(resident).steps
    levels = [_level_of(step, "4.2") for step in steps]
    assert levels == sorted(levels, key=lambda level: (level > 2, abs(2 - level))) and levels[:1] == [2]
    assert 1 in levels and "cds-cho-can-bo" not in {step.course_code for step in steps}


def test_the_nearest_level_above_comes_first_when_nothing_is_at_or_below(db):
    assert sorted([5, 3, 4, 1], key=lambda level: paths._level_distance(level, 2)) == [1, 3, 4, 5]
    assert sorted([1, 2, 3], key=lambda level: paths._level_distance(level, 3)) == [3, 2, 1]


def _level_of(step, code):
    return dict(parse_competences(Lesson.objects.get(pk=step.lesson_id).competences))[code]


@pytest.fixture
def pupil(province):
    return make_person(
        province.a, full_name="Phạm Minh Khoa", birth_date=datetime.date(2011, 9, 5), groups=("student",)
    )


@pytest.fixture
def pupils_standard(framework):
    """A world of two courses only: the officials' course and a pupils' course (tests/learning/fixtures)."""
    learning.load_course_dir(COURSES / "cds-cho-can-bo", actor=SYSTEM)
    learning.load_course_dir(FIXTURE_COURSE, actor=SYSTEM)
    return assessment.save_standard(
        {
            "code": "HS-THU",
            "name": "Chuẩn học sinh (thử)",
            "target_group": "student",
            "framework": "TT02-2025",
            "time_limit_minutes": 20,
            "pass_percent": 60,
            "domain_pass_percent": None,
            "blueprint": [{"competence": "2.2", "level": 1, "items": 1}, {"competence": "2.4", "level": 1, "items": 1}],
        },
        actor=SYSTEM,
    )


def test_a_pupil_is_not_sent_to_an_officials_course_when_a_pupils_course_teaches_the_competence(pupils_standard, pupil):
    submitted_profile(pupil, pupils_standard, {"2.2": True, "2.4": False})
    steps = learning.learning_path(pupil).steps
    assert [(step.course_code, step.lesson_title) for step in steps] == [
        ("hoc-sinh-thu", "Làm bài nhóm trên mạng")
    ]  # not «Phần mềm quản lý văn bản, điều hành và chữ ký số»


def test_a_pupil_falls_back_to_other_courses_only_for_a_gap_no_pupils_course_covers(pupils_standard, pupil):
    submitted_profile(pupil, pupils_standard, {"2.2": False, "2.4": False})
    steps = learning.learning_path(pupil).steps
    by_gap = {code: [step.course_code for step in steps if code in step.competences] for code in ("2.2", "2.4")}
    assert by_gap["2.4"] == ["hoc-sinh-thu"]
    assert by_gap["2.2"] and "hoc-sinh-thu" not in by_gap["2.2"]


def test_result_page_suggestions_prefer_the_courses_of_the_takers_group(pupils_standard):
    links = learning.lessons_for_competences(["2.4", "2.2"], groups=["student"])
    assert [link.course_code for link in links["2.4"]] == ["hoc-sinh-thu"]
    assert links["2.2"] and all(link.course_code != "hoc-sinh-thu" for link in links["2.2"])
