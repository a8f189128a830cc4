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

DAY = datetime.date(2026, 3, 2)


@pytest.fixture
def standard(courses):
    return assessment.save_standard({
        "code": "ND-THU", "name": "Chuẩn người dân (thử)", "target_group": "resident", "framework": "TT02-2025",
        "time_limit_minutes": 20, "pass_percent": 60, "domain_pass_percent": None,
        "blueprint": [{"competence": "4.1", "level": 1, "items": 1}, {"competence": "2.3", "level": 2, "items": 1},
                      {"competence": "4.2", "level": 2, "items": 1}],
    }, actor=SYSTEM)


def submitted_profile(person, standard, met: dict[str, bool], number=1):
    now = timezone.now() + datetime.timedelta(minutes=number)
    return Attempt.objects.create(
        person=person, standard=standard, number=number, status=AttemptStatus.SUBMITTED, started_at=now,
        deadline=now, submitted_at=now, passed=all(met.values()),
        profile={"competences": [{"code": code, "met": ok} for code, ok in met.items()]})


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
