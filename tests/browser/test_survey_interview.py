"""A survey interview on a 360-px phone (issue 22): the community digital-team member opens the interview while
online, the network drops in the village, the respondent consents and answers; the page keeps everything on the
device, says so, and sends it when the network is back."""

import pytest
from playwright.sync_api import expect

from kynangso.accounts import api as accounts
from kynangso.accounts.models import Role
from kynangso.survey import api as survey
from kynangso.survey.models import Interview, InterviewStatus
from tests.browser.helpers import login, screenshot
from tests.factories import make_user
from tests.survey.world import drawn_survey, surveyed_province

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Mat-khau-an-toan-2025"


@pytest.fixture
def assigned(db):
    root, (commune, _other) = surveyed_province(communes=2, adults=8)
    sample = drawn_survey(root, psus=2, per_psu=8)
    helper = make_user("lan_to_cds", Role.HELPER, commune, password=PASSWORD)
    interview = Interview.objects.filter(survey=sample, sampled_unit__unit=commune).order_by("id").first()
    survey.assign_interviewer(actor=accounts.SYSTEM, interview_ids=[interview.pk], interviewer=helper)
    return interview


def test_an_interview_taken_offline_at_360_px_is_kept_and_sent_when_the_network_is_back(page_for, assigned):
    page = page_for(360, 740)
    login(page, "lan_to_cds", PASSWORD)
    page.goto(f"{page.base_url}/khao-sat/phong-van/")
    page.get_by_role("link", name="Phỏng vấn", exact=True).first.click()
    page.wait_for_url(f"**/khao-sat/phong-van/{assigned.pk}/")
    expect(page.locator("#questions")).to_be_hidden()  # no question before consent

    page.context.set_offline(True)
    page.get_by_label("Người được hỏi đã nghe và đồng ý tham gia.").check()
    assert page.locator("#offline-banner").is_visible()
    questions = page.locator(".question")
    for index in range(questions.count()):
        questions.nth(index).get_by_label("Có" if index % 3 else "Không").check()
    screenshot(page, "survey-interview-offline-360")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_role("button", name="Gửi câu trả lời").click()
    page.get_by_text("Chưa gửi được").wait_for()
    assert Interview.objects.get(pk=assigned.pk).status == InterviewStatus.PENDING

    page.context.set_offline(False)
    page.get_by_test_id("done").wait_for()
    screenshot(page, "survey-interview-saved-360")
    stored = Interview.objects.get(pk=assigned.pk)
    assert stored.status == InterviewStatus.COMPLETED and stored.consent_at is not None
    assert sum(stored.answers.values()) == sum(1 for index in range(questions.count()) if index % 3)
    assert page.evaluate("window.localStorage.length") == 0
