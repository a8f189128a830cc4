"""Public interface of the survey app: the yearly digital-skills survey (questionnaire versions, the two-stage
sample, interviews with consent, the weighted estimate with its interval) and the figures monitoring shows."""

from kynangso.survey.estimation import MIN_PSUS, MIN_RESPONDENTS
from kynangso.survey.links import token_for
from kynangso.survey.models import InterviewStatus
from kynangso.survey.selectors import SurveyFigure, interviews_of, survey_figures, surveys_in_scope
from kynangso.survey.services import (
    assign_interviewer,
    compute_estimates,
    create_survey,
    draw_sample,
    load_questionnaire,
    load_questionnaire_file,
    record_outcome,
    submit_interview,
    submit_self_interview,
)

__all__ = [
    "MIN_PSUS",
    "MIN_RESPONDENTS",
    "InterviewStatus",
    "SurveyFigure",
    "assign_interviewer",
    "compute_estimates",
    "create_survey",
    "draw_sample",
    "interviews_of",
    "load_questionnaire",
    "load_questionnaire_file",
    "record_outcome",
    "submit_interview",
    "submit_self_interview",
    "survey_figures",
    "surveys_in_scope",
    "token_for",
]
