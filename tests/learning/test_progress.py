"""Enrolment rules, progress per lesson, resuming, practice, completion, and versions that keep progress."""

import datetime

import pytest

from kynangso.accounts.api import SYSTEM
from kynangso.assessment import api as assessment
from kynangso.errors import DomainError
from kynangso.learning import api as learning
from kynangso.learning import progress
from kynangso.learning.models import Course, Enrolment, Lesson
from tests.learning.conftest import lesson_ids, right_answer, wrong_answer

DAY = datetime.date(2026, 3, 2)


def see_all(enrolment, ids):
    for lesson_id in ids:
        learning.record_lesson_seen(enrolment=enrolment, lesson_id=lesson_id, today=DAY)


def answer_practice(enrolment, course, *, right=True):
    for lesson in course.published_version.lessons():
        for question in assessment.practice_questions(item_codes=lesson["practice"]):
            answer = (right_answer if right else wrong_answer)(question.version_id)
            learning.record_practice_answer(
                enrolment=enrolment, lesson_id=lesson["id"], version_id=question.version_id, answer=answer, today=DAY
            )


def test_enrolling_twice_keeps_one_enrolment(basic, resident):
    first = learning.enrol(person=resident, course=basic, today=DAY)
    second = learning.enrol(person=resident, course=basic, today=DAY)
    assert first.pk == second.pk and Enrolment.objects.count() == 1


def test_a_course_that_was_never_published_cannot_be_enrolled_in(framework, resident):
    draft = Course.objects.create(code="nhap", title="Bản nháp")
    with pytest.raises(DomainError):
        learning.enrol(person=resident, course=draft, today=DAY)


def test_opening_a_lesson_records_it_and_makes_it_the_place_to_resume(basic, resident):
    enrolment = learning.enrol(person=resident, course=basic, today=DAY)
    ids = lesson_ids(basic)
    learning.record_lesson_seen(enrolment=enrolment, lesson_id=ids[0], today=DAY)
    learning.record_lesson_seen(enrolment=enrolment, lesson_id=ids[3], today=DAY)
    assert progress.resume_lesson_id(enrolment, basic.published_version) == ids[3]
    assert progress.percent_done(enrolment, basic.published_version) == 20


def test_a_lesson_of_another_course_is_refused(courses, resident):
    enrolment = learning.enrol(person=resident, course=courses["ky-nang-so-co-ban"], today=DAY)
    other = lesson_ids(courses["cds-cho-can-bo"])[0]
    with pytest.raises(DomainError):
        learning.record_lesson_seen(enrolment=enrolment, lesson_id=other, today=DAY)


def test_seeing_every_lesson_is_not_enough_when_practice_must_be_passed(basic, resident):
    enrolment = learning.enrol(person=resident, course=basic, today=DAY)
    see_all(enrolment, lesson_ids(basic))
    enrolment.refresh_from_db()
    assert enrolment.completed_on is None


def test_wrong_practice_answers_do_not_complete_the_course(basic, resident):
    enrolment = learning.enrol(person=resident, course=basic, today=DAY)
    see_all(enrolment, lesson_ids(basic))
    answer_practice(enrolment, basic, right=False)
    enrolment.refresh_from_db()
    assert enrolment.completed_on is None


def test_every_lesson_seen_and_practice_passed_completes_the_course_with_its_date(basic, resident):
    enrolment = learning.enrol(person=resident, course=basic, today=DAY)
    see_all(enrolment, lesson_ids(basic))
    answer_practice(enrolment, basic)
    enrolment.refresh_from_db()
    assert enrolment.completed_on == DAY
    assert enrolment.completed_version_id == basic.published_version_id


def test_a_practice_question_of_another_lesson_is_refused(basic, resident):
    enrolment = learning.enrol(person=resident, course=basic, today=DAY)
    first, second = basic.published_version.lessons()[:2]
    question = assessment.practice_questions(item_codes=second["practice"])[0]
    with pytest.raises(DomainError):
        learning.record_practice_answer(
            enrolment=enrolment,
            lesson_id=first["id"],
            version_id=question.version_id,
            answer=right_answer(question.version_id),
        )


def test_publishing_an_edited_course_keeps_progress_and_the_place_to_resume(basic, resident):
    enrolment = learning.enrol(person=resident, course=basic, today=DAY)
    ids = lesson_ids(basic)
    see_all(enrolment, ids[:4])
    lesson = Lesson.objects.get(pk=ids[1])
    lesson.body += "\n\nĐoạn bổ sung sau khi xuất bản."
    lesson.save()
    Lesson.objects.create(
        course=basic, section=lesson.section, key="11-bai-moi", order=11, title="Bài mới", body="Nội dung mới."
    )
    old_version = basic.published_version
    new_version = learning.publish_course(course=basic, actor=SYSTEM)
    assert new_version.number == old_version.number + 1
    states = progress.lesson_states(enrolment, new_version)
    assert [states[i]["seen"] for i in ids[:4]] == [True, True, True, True]
    assert progress.resume_lesson_id(enrolment, new_version) == ids[3]
    assert progress.percent_done(enrolment, new_version) == 36  # 4 of 11
    assert "Đoạn bổ sung" in new_version.lessons()[1]["html"]
    assert "Đoạn bổ sung" not in old_version.lessons()[1]["html"]


def test_a_completion_stays_when_a_later_version_adds_a_lesson(basic, resident):
    basic.completion_rule = "all_lessons_seen"
    basic.save()
    learning.publish_course(course=basic, actor=SYSTEM)
    enrolment = learning.enrol(person=resident, course=basic, today=DAY)
    see_all(enrolment, lesson_ids(basic))
    section = basic.sections.first()
    Lesson.objects.create(course=basic, section=section, key="11-bai-moi", order=11, title="Bài mới", body="Mới.")
    learning.publish_course(course=basic, actor=SYSTEM)
    enrolment.refresh_from_db()
    assert enrolment.completed_on == DAY


def test_a_retired_lesson_leaves_the_next_version_and_resume_moves_on(basic, resident):
    enrolment = learning.enrol(person=resident, course=basic, today=DAY)
    ids = lesson_ids(basic)
    see_all(enrolment, ids[:2])
    Lesson.objects.filter(pk=ids[1]).update(retired=True)
    version = learning.publish_course(course=basic, actor=SYSTEM)
    assert ids[1] not in [lesson["id"] for lesson in version.lessons()]
    assert progress.resume_lesson_id(enrolment, version) == ids[2]


def test_only_a_reviewer_may_publish(basic, province):
    from tests.factories import make_user

    author = make_user("tac_gia", None)
    with pytest.raises(DomainError):
        learning.publish_course(course=basic, actor=author)


def test_publishing_without_an_actor_fails_instead_of_skipping_the_check(basic):
    with pytest.raises(TypeError, match="actor is required"):
        learning.publish_course(course=basic, actor=None)
    with pytest.raises(TypeError):
        learning.publish_course(course=basic)  # the actor forgotten


def test_a_course_published_by_the_content_loader_is_recorded_as_published_by_no_user(basic):
    version = learning.publish_course(course=basic, actor=SYSTEM)

    assert basic.published_version == version
    assert version.published_by is None
