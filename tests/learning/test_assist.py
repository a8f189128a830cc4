"""Assisted learning: a community helper learns with a resident who consents, on the helper's phone; the lessons and
practice count for the resident, marked with the helper, and every page says whose learning it is."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from kynangso.accounts.models import Role
from kynangso.assessment import api as assessment
from kynangso.learning import assist
from kynangso.learning.models import AssistedLearning, Enrolment, EnrolmentSource, LessonProgress
from tests.factories import make_person, make_user
from tests.learning.conftest import lesson_ids, right_answer


@pytest.fixture
def helper(province):
    return make_user("hotro_a", Role.HELPER, province.a)


@pytest.fixture
def helper_client(client, helper):
    client.force_login(helper)
    return client


def start(client, person, course_code="ky-nang-so-co-ban", consent=True):
    data = {"q": "Hoa", "person_id": person.pk, "course_code": course_code}
    if consent:
        data["consent"] = "on"
    return client.post(reverse("learning:assist"), data)


def test_lessons_opened_with_a_helper_count_for_the_resident_marked_with_the_helper(
    helper_client, helper, basic, resident
):
    response = start(helper_client, resident)
    first = lesson_ids(basic)[0]
    assert response.status_code == 302 and response.url == reverse("learning:lesson", args=[basic.code, first])
    page = helper_client.get(response.url).content.decode()
    assert "Đang học cùng Lê Thị Hoa" in page
    enrolment = Enrolment.objects.get(person=resident, course=basic)
    assert enrolment.source == EnrolmentSource.ASSISTED and enrolment.enrolled_by == helper
    progress = LessonProgress.objects.get(enrolment=enrolment, lesson_id=first)
    assert progress.assisted_by == helper and progress.assisted_at is not None
    consent = AssistedLearning.objects.get()
    assert consent.person == resident and consent.helper == helper and consent.ended_at is None


def test_practice_answered_with_a_helper_is_the_residents(helper_client, basic, resident):
    start(helper_client, resident)
    lesson = basic.published_version.lessons()[0]
    question = assessment.practice_questions(item_codes=lesson["practice"][:1])[0]
    helper_client.post(
        reverse("learning:practice", args=[basic.code, lesson["id"], question.version_id]),
        right_answer(question.version_id),
        HTTP_HX_REQUEST="true",
    )
    progress = LessonProgress.objects.get(enrolment__person=resident, lesson_id=lesson["id"])
    assert progress.practice_results == {question.code: True}


def test_nothing_starts_without_the_residents_consent(helper_client, basic, resident):
    response = start(helper_client, resident, consent=False)
    assert response.status_code == 200 and "Cần người học đồng ý" in response.content.decode()
    assert not Enrolment.objects.exists() and not AssistedLearning.objects.exists()


def test_a_resident_outside_the_helpers_scope_cannot_be_helped(helper_client, basic, province):
    elsewhere = make_person(province.b, full_name="Trần Văn Xa", birth_date=datetime.date(1950, 1, 1))
    assert start(helper_client, elsewhere).status_code == 404
    assert not Enrolment.objects.exists()


def test_after_the_helper_ends_the_session_lessons_are_no_longer_the_residents(helper_client, helper, basic, resident):
    start(helper_client, resident)
    helper_client.post(reverse("learning:assist_end"))
    second = lesson_ids(basic)[1]
    page = helper_client.get(reverse("learning:lesson", args=[basic.code, second])).content.decode()
    assert "Đang học cùng" not in page
    assert not LessonProgress.objects.filter(lesson_id=second).exists()
    assert AssistedLearning.objects.get().ended_at is not None


def test_a_session_left_open_stops_counting_after_four_hours(helper, basic, resident):
    session, _enrolment = assist.start(helper=helper, person=resident, course=basic, consent=True)
    later = timezone.now() + assist.MAX_LENGTH + datetime.timedelta(minutes=1)
    assert assist.current(helper, session.pk) == session
    assert assist.current(helper, session.pk, now=later) is None


def test_a_learner_cannot_open_the_helpers_page(client, resident, basic):
    client.force_login(resident.user)
    assert client.get(reverse("learning:assist")).status_code == 404


def test_a_national_id_is_never_searched_from_the_address_bar(helper_client, basic, resident):
    page = helper_client.get(reverse("learning:assist") + "?q=001160012345").content.decode()
    assert "chỉ được tìm bằng nút «Tìm»" in page
