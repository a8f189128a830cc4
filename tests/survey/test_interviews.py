"""Interviews as stories: the province assigns them to community digital-team members of the commune, who take
them (consent first) or record a refusal or a non-contact; a resident may answer alone through a signed link; the
estimate counts everyone not interviewed as non-response."""

import datetime

import pytest
from django.utils import timezone

from kynangso.accounts import api as accounts
from kynangso.errors import DomainError
from kynangso.survey import api as survey
from kynangso.survey.models import Interview, InterviewStatus
from tests.survey.world import all_yes, drawn_survey, helper_of, record_margins, surveyed_province


@pytest.fixture
def drawn(db):
    root, communes = surveyed_province(communes=2, adults=8)
    sample = drawn_survey(root, psus=2, per_psu=8)
    return sample, communes


def interviews_in(sample, commune):
    return list(Interview.objects.filter(survey=sample, sampled_unit__unit=commune).order_by("id"))


def test_an_interview_is_assigned_only_to_a_helper_of_its_commune(drawn):
    sample, (commune_a, commune_b) = drawn
    lan = helper_of(commune_a, "lan_to_cds")
    first_a, first_b = interviews_in(sample, commune_a)[0], interviews_in(sample, commune_b)[0]
    assert survey.assign_interviewer(actor=accounts.SYSTEM, interview_ids=[first_a.pk], interviewer=lan) == 1
    with pytest.raises(DomainError) as refused:
        survey.assign_interviewer(actor=accounts.SYSTEM, interview_ids=[first_b.pk], interviewer=lan)
    assert refused.value.code == "forbidden"
    assert list(survey.interviews_of(lan)) == [first_a]


def test_a_helper_cannot_answer_an_interview_given_to_someone_else(drawn):
    sample, (commune_a, _b) = drawn
    lan, minh = helper_of(commune_a, "lan_to_cds"), helper_of(commune_a, "minh_to_cds")
    interview = interviews_in(sample, commune_a)[0]
    survey.assign_interviewer(actor=accounts.SYSTEM, interview_ids=[interview.pk], interviewer=lan)
    with pytest.raises(DomainError) as refused:
        survey.submit_interview(
            actor=minh, interview_id=interview.pk, answers=all_yes(sample.questionnaire), consent_at=timezone.now()
        )
    assert refused.value.code == "not_found"


def test_no_answer_is_kept_without_the_respondents_consent(drawn):
    sample, (commune_a, _b) = drawn
    lan = helper_of(commune_a, "lan_to_cds")
    interview = interviews_in(sample, commune_a)[0]
    survey.assign_interviewer(actor=accounts.SYSTEM, interview_ids=[interview.pk], interviewer=lan)
    with pytest.raises(DomainError) as refused:
        survey.submit_interview(
            actor=lan, interview_id=interview.pk, answers=all_yes(sample.questionnaire), consent_at=None
        )
    assert refused.value.code == "no_consent"
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.PENDING and interview.answers == {}


def test_an_interview_taken_offline_keeps_the_time_consent_was_given_and_its_score(drawn):
    sample, (commune_a, _b) = drawn
    lan = helper_of(commune_a, "lan_to_cds")
    interview = interviews_in(sample, commune_a)[0]
    survey.assign_interviewer(actor=accounts.SYSTEM, interview_ids=[interview.pk], interviewer=lan)
    consented = timezone.now() - datetime.timedelta(hours=3)  # in the village, without network
    done = survey.submit_interview(
        actor=lan, interview_id=interview.pk, answers=all_yes(sample.questionnaire), consent_at=consented
    )
    assert done.status == InterviewStatus.COMPLETED and done.consent_at == consented
    assert done.at_least_basic is True and set(done.area_levels.values()) == {"above_basic"}
    assert done.mode == "interviewer" and done.outcome_by == lan


def test_refusals_and_non_contacts_are_recorded_and_count_as_non_response(drawn):
    sample, (commune_a, commune_b) = drawn
    record_margins(sample.unit, total=10000)
    lan, hoa = helper_of(commune_a, "lan_to_cds"), helper_of(commune_b, "hoa_to_cds")
    in_a, in_b = interviews_in(sample, commune_a), interviews_in(sample, commune_b)
    survey.assign_interviewer(actor=accounts.SYSTEM, interview_ids=[i.pk for i in in_a], interviewer=lan)
    survey.assign_interviewer(actor=accounts.SYSTEM, interview_ids=[i.pk for i in in_b], interviewer=hoa)
    survey.record_outcome(actor=lan, interview_id=in_a[0].pk, status="refused", note="Bận")
    survey.record_outcome(actor=hoa, interview_id=in_b[0].pk, status="non_contact")
    for interview, helper in [(i, lan) for i in in_a[1:]] + [(i, hoa) for i in in_b[1:]]:
        survey.submit_interview(
            actor=helper, interview_id=interview.pk, answers=all_yes(sample.questionnaire), consent_at=timezone.now()
        )
    estimates = {e.domain: e for e in survey.compute_estimates(actor=accounts.SYSTEM, survey_id=sample.pk)}
    assert estimates["all"].respondents == 14  # 16 drawn, one refusal, one non-contact
    assert estimates["all"].suppressed_reason == "too_few_respondents"  # 14 is too few to publish
    with pytest.raises(DomainError) as closed:
        survey.record_outcome(actor=lan, interview_id=in_a[1].pk, status="refused")
    assert closed.value.code == "state"


def test_a_resident_answers_alone_through_a_signed_link_and_a_forged_one_is_refused(drawn):
    sample, (commune_a, _b) = drawn
    interview = interviews_in(sample, commune_a)[0]
    token = survey.token_for(interview.pk)
    done = survey.submit_self_interview(token=token, answers=all_yes(sample.questionnaire), consent_at=timezone.now())
    assert done.mode == "self" and done.status == InterviewStatus.COMPLETED
    with pytest.raises(DomainError) as forged:
        survey.submit_self_interview(token=token[:-2] + "xx", answers={}, consent_at=timezone.now())
    assert forged.value.code == "not_found"
