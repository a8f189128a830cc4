"""Reads of the survey app: the surveys and interviews a user may see, and the estimates monitoring shows."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from kynangso.accounts import api as accounts
from kynangso.numbers import round_figure
from kynangso.survey.models import Estimate, Interview, InterviewStatus, Survey

caps = accounts.capabilities


def surveys_in_scope(user, capability: str = caps.SURVEY_MANAGE) -> QuerySet:
    """The surveys of units where the user holds the capability (the province's officials), newest first."""
    scope = accounts.scope_unit_ids(user, capability)
    found = Survey.objects.select_related("questionnaire", "unit")
    return found if scope is None else found.filter(unit_id__in=scope)


def interviews_of(user) -> QuerySet:
    """The interviews assigned to the user in communes where they may still interview, open ones first."""
    scope = accounts.scope_unit_ids(user, caps.SURVEY_INTERVIEW)
    found = Interview.objects.filter(interviewer_id=user.pk, survey__estimated_at__isnull=True).select_related(
        "person", "sampled_unit__unit", "survey__questionnaire"
    )
    if scope is not None:
        found = found.filter(sampled_unit__unit_id__in=scope)
    return found.order_by("status", "sampled_unit__unit__code", "person__full_name")


def pending(interviews: QuerySet) -> QuerySet:
    return interviews.filter(status=InterviewStatus.PENDING)


@dataclass(frozen=True)
class SurveyFigure:
    """A survey's estimate of the share «at least basic» at a unit, in percent, with its 95% interval."""

    unit_id: int
    year: int
    value: Decimal | None  # percent, one decimal
    ci_low: Decimal | None
    ci_high: Decimal | None
    standard_error: Decimal | None  # percentage points, two decimals
    respondents: int
    suppressed_reason: str
    computed_at: object


def _percent(share: float | None) -> Decimal | None:
    """A share (0..1, a float from the estimator) as a percentage rounded once, to one decimal (ADR 0039)."""
    return None if share is None else round_figure(Decimal(repr(share)) * 100, "percent")


def _points(share: float | None) -> Decimal | None:
    """A standard error as percentage points, two decimals."""
    return None if share is None else (Decimal(repr(share)) * 100).quantize(Decimal("0.01"))


def survey_figures(*, unit_ids, years, questionnaire_code: str, domain: str = "all") -> dict:
    """(unit id, year) → SurveyFigure of the latest estimate of each unit's own survey with this questionnaire."""
    rows = (
        Estimate.objects.filter(
            survey__unit_id__in=list(unit_ids),
            survey__year__in=list(years),
            survey__questionnaire__code=questionnaire_code,
            domain=domain,
        )
        .order_by("computed_at")
        .values_list(
            "survey__unit_id",
            "survey__year",
            "value",
            "ci_low",
            "ci_high",
            "standard_error",
            "respondents",
            "suppressed_reason",
            "computed_at",
        )
    )
    found = {}
    for unit_id, year, value, low, high, error, respondents, reason, at in rows:
        found[(unit_id, year)] = SurveyFigure(
            unit_id=unit_id,
            year=year,
            value=_percent(value),
            ci_low=_percent(low),
            ci_high=_percent(high),
            standard_error=_points(error),
            respondents=respondents,
            suppressed_reason=reason,
            computed_at=at,
        )
    return found


def survey_estimates(survey_id: int) -> list[Estimate]:
    return list(Estimate.objects.filter(survey_id=survey_id).order_by("domain"))
