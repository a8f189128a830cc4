"""The assessment part of the demo (real engine, idempotent, most pass) and the menu link and dashboard panel."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import RequestFactory
from django.utils import timezone

from kynangso.accounts.models import Role
from kynangso.assessment import api as assessment
from kynangso.assessment import demo, panels
from kynangso.assessment.models import Attempt, AttemptItem, AttemptStatus
from kynangso.demo import province as demo_province
from tests.assessment.answers import answer_all
from tests.factories import make_user


@pytest.fixture(scope="module")
def demo_attempts(django_db_setup, django_db_blocker):
    """The demo province with content, and the assessment demo run twice; rolled back after the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load-content", stdout=io.StringIO())
        demo_province.load_demo_province(today=datetime.date(2026, 11, 30))
        first, second = io.StringIO(), io.StringIO()
        demo.populate(today=datetime.date(2026, 11, 30), stdout=first)
        counts = Attempt.objects.count()
        demo.populate(today=datetime.date(2026, 11, 30), stdout=second)
        yield {"first": first.getvalue(), "second": second.getvalue(), "after_first": counts}
        transaction.set_rollback(True)


@pytest.mark.django_db
class TestDemo:
    def test_several_hundred_residents_and_officials_have_submitted_attempts(self, demo_attempts):
        rows = list(assessment.submitted_attempts())
        groups = {r["standard__target_group"] for r in rows}
        assert {"resident", "official"} <= groups
        assert len({r["person_id"] for r in rows}) >= 300
        assert not Attempt.objects.filter(status=AttemptStatus.OPEN).exists()

    def test_most_demo_takers_pass(self, demo_attempts):
        people = {r["person_id"] for r in assessment.submitted_attempts()}
        passed = {r["person_id"] for r in assessment.passed_attempts()}
        assert 0.6 <= len(passed) / len(people) < 1.0

    def test_demo_scores_come_from_the_answers_by_the_real_scoring(self, demo_attempts):
        for attempt in Attempt.objects.filter(status=AttemptStatus.SUBMITTED)[:50]:
            flags = list(AttemptItem.objects.filter(attempt=attempt).values_list("correct", flat=True))
            assert None not in flags
            assert attempt.score_percent == round(100 * sum(flags) / len(flags), 1)

    def test_running_the_demo_again_adds_nothing(self, demo_attempts):
        assert Attempt.objects.count() == demo_attempts["after_first"]
        assert "bài đã nộp" in demo_attempts["first"] and demo_attempts["second"] == ""

    def test_demo_attempts_lie_in_the_past_and_retakes_wait(self, demo_attempts):
        now = timezone.now()
        assert not Attempt.objects.filter(submitted_at__gt=now).exists()
        for attempt in Attempt.objects.filter(number=2).select_related("standard")[:20]:
            first = Attempt.objects.get(person=attempt.person, standard=attempt.standard, number=1)
            assert not first.passed
            assert attempt.started_at >= first.submitted_at + datetime.timedelta(hours=attempt.standard.wait_hours)


def request_for(user):
    request = RequestFactory().get("/trang-cua-toi/")
    request.user = user
    return request


def test_the_menu_shows_sat_hach_to_a_person_with_a_record(resident):
    assert panels.nav_links(request_for(resident.user)) == [("Sát hạch", "/sat-hach/")]


def test_the_menu_shows_sat_hach_to_a_community_helper(helper_user):
    assert [label for label, _url in panels.nav_links(request_for(helper_user))] == ["Sát hạch"]


def test_the_menu_hides_sat_hach_from_staff_without_a_record(province):
    author = make_user("bientap_x", Role.CONTENT_AUTHOR, province.a)
    assert "Sát hạch" not in [label for label, _url in panels.nav_links(request_for(author))]


def test_the_dashboard_panel_lists_my_standard_and_latest_result(standard, resident):
    attempt = assessment.start_attempt(person=resident, standard=standard, started_by=resident.user)
    html = panels.dashboard_panel(request_for(resident.user))
    assert "Chuẩn thử" in html and "tiếp tục làm bài" in html
    answer_all(attempt)
    assessment.submit_attempt(attempt=attempt)
    html = panels.dashboard_panel(request_for(resident.user))
    assert "đã đạt ngày" in html and f"/sat-hach/bai-thi/{attempt.pk}/ket-qua/" in html


def test_no_dashboard_panel_without_a_person_record(province):
    assert panels.dashboard_panel(request_for(make_user("khong_ho_so", Role.LEARNER, province.a))) is None
