"""The survey's pages: the interviewer's list and the phone page (consent before questions, answers sent by the
page's script as JSON and resent safely), the resident's link, and the province's page that assigns and
estimates."""

import time

import pytest
from django.test import Client
from django.utils import timezone

from kynangso.accounts import api as accounts
from kynangso.accounts.models import Role
from kynangso.survey import api as survey
from kynangso.survey.models import Interview, InterviewStatus
from tests.factories import make_user
from tests.survey.world import all_yes, drawn_survey, helper_of, surveyed_province


@pytest.fixture
def assigned(db):
    root, (commune_a, commune_b) = surveyed_province(communes=2, adults=8)
    sample = drawn_survey(root, psus=2, per_psu=8)
    lan = helper_of(commune_a, "lan_to_cds")
    interview = Interview.objects.filter(survey=sample, sampled_unit__unit=commune_a).order_by("id").first()
    survey.assign_interviewer(actor=accounts.SYSTEM, interview_ids=[interview.pk], interviewer=lan)
    return type(
        "Assigned", (), {"root": root, "survey": sample, "lan": lan, "interview": interview, "commune_b": commune_b}
    )


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def answer_fields(sample, consent_at_ms=None) -> dict:
    fields = {f"a:{code}": "1" if done else "0" for code, done in all_yes(sample.questionnaire).items()}
    if consent_at_ms is not None:
        fields.update({"consent": "1", "consent_at": str(consent_at_ms)})
    return fields


def test_the_interview_page_asks_for_consent_before_the_questions_and_carries_the_offline_script(assigned):
    page = logged_in(assigned.lan).get(f"/khao-sat/phong-van/{assigned.interview.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert html.index('data-testid="consent"') < html.index('id="questions"')
    assert "survey/interview.js" in html and "data-server-now" in html
    assert assigned.interview.person.full_name in html


def test_answers_sent_by_the_script_are_saved_once_and_a_resend_is_answered_saved(assigned):
    client = logged_in(assigned.lan)
    url = f"/khao-sat/phong-van/{assigned.interview.pk}/"
    given = int(time.time() * 1000) - 3_600_000  # consent given an hour ago, offline
    first = client.post(url, answer_fields(assigned.survey, given), headers={"Accept": "application/json"})
    assert first.status_code == 200 and first.json()["status"] == "saved"
    again = client.post(url, answer_fields(assigned.survey, given), headers={"Accept": "application/json"})
    assert again.status_code == 200 and again.json()["status"] == "saved"
    stored = Interview.objects.get(pk=assigned.interview.pk)
    assert stored.status == InterviewStatus.COMPLETED and int(stored.consent_at.timestamp() * 1000) == given


def test_answers_without_consent_are_refused_in_words(assigned):
    reply = logged_in(assigned.lan).post(
        f"/khao-sat/phong-van/{assigned.interview.pk}/",
        answer_fields(assigned.survey),
        headers={"Accept": "application/json"},
    )
    assert reply.status_code == 400 and reply.json()["status"] == "no_consent"
    assert "chưa đồng ý" in reply.json()["message"]


def test_a_helper_of_another_commune_cannot_open_the_interview(assigned):
    other = helper_of(assigned.commune_b, "hoa_to_cds")
    assert logged_in(other).get(f"/khao-sat/phong-van/{assigned.interview.pk}/").status_code == 404
    assert (
        logged_in(other)
        .post(f"/khao-sat/phong-van/{assigned.interview.pk}/ket-qua/", {"status": "refused"})
        .status_code
        == 404
    )


def test_the_interviewer_records_a_refusal_from_the_list(assigned):
    client = logged_in(assigned.lan)
    assert assigned.interview.person.full_name in client.get("/khao-sat/phong-van/").content.decode()
    client.post(f"/khao-sat/phong-van/{assigned.interview.pk}/ket-qua/", {"status": "refused"})
    assert Interview.objects.get(pk=assigned.interview.pk).status == InterviewStatus.REFUSED


def test_a_resident_answers_through_the_link_without_logging_in(assigned):
    other = Interview.objects.filter(survey=assigned.survey).exclude(pk=assigned.interview.pk).first()
    url = f"/khao-sat/tra-loi/{survey.token_for(other.pk)}/"
    page = Client().get(url)
    assert page.status_code == 200 and other.person.full_name not in page.content.decode()
    Client().post(url, answer_fields(assigned.survey, int(time.time() * 1000)))
    assert Interview.objects.get(pk=other.pk).mode == "self"
    assert Client().get("/khao-sat/tra-loi/gia-mao/").status_code == 404


def test_the_province_assigns_and_estimates_from_its_page_and_another_province_sees_nothing(assigned):
    official = make_user("can_bo_tinh", Role.PROVINCIAL_ADMIN, assigned.root)
    client = logged_in(official)
    page = client.get(f"/khao-sat/{assigned.survey.pk}/")
    assert page.status_code == 200 and assigned.interview.person.full_name in page.content.decode()
    remaining = Interview.objects.filter(
        survey=assigned.survey, interviewer__isnull=True, sampled_unit=assigned.interview.sampled_unit
    )
    client.post(
        f"/khao-sat/{assigned.survey.pk}/phan-cong/",
        {"interviewer": "lan_to_cds", "interview": [str(pk) for pk in remaining.values_list("pk", flat=True)]},
    )
    assert not remaining.exists()
    survey.submit_interview(
        actor=assigned.lan,
        interview_id=assigned.interview.pk,
        answers=all_yes(assigned.survey.questionnaire),
        consent_at=timezone.now(),
    )
    client.post(f"/khao-sat/{assigned.survey.pk}/uoc-luong/")
    assert "Không công bố: dưới 30 người trả lời" in client.get(f"/khao-sat/{assigned.survey.pk}/").content.decode()
    from tests.factories import make_unit

    stranger = make_user("can_bo_tinh_khac", Role.PROVINCIAL_ADMIN, make_unit("T77", "Tỉnh Khác", kind="province"))
    assert logged_in(stranger).get(f"/khao-sat/{assigned.survey.pk}/").status_code == 404
