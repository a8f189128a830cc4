"""Public interface of the assessment app: standards, the item bank, attempts and their results."""

import datetime
from typing import TypedDict

from django.db.models import BooleanField, ExpressionWrapper, F, Q, QuerySet

from kynangso.assessment import ports
from kynangso.assessment.answering import save_answer, save_answer_as
from kynangso.assessment.bank import (
    data_from_version,
    edit_item,
    load_item_files,
    publish_version,
    retire_item,
    review_version,
    save_items,
)
from kynangso.assessment.cat import advance as advance_adaptive
from kynangso.assessment.cat import readiness as adaptive_readiness
from kynangso.assessment.drawing import blueprint_shortages
from kynangso.assessment.engine import (
    close_expired_attempts,
    open_attempt,
    refresh_if_expired,
    start_attempt,
    submit_attempt,
)
from kynangso.assessment.events import on_standard_passed
from kynangso.assessment.models import Attempt, AttemptStatus, Item, ItemVersion, ReviewStatus, Standard
from kynangso.assessment.practice import (
    PracticeChoice,
    PracticeFeedback,
    PracticeQuestion,
    check_practice_answer,
    practice_answer_from_form,
    practice_answer_texts,
    practice_questions,
)
from kynangso.assessment.presentation import taker_view
from kynangso.assessment.selectors import (
    attempt_for_user,
    attempts_of,
    has_passed,
    is_eligible,
    latest_profile,
    may_take,
    passed_attempts_of_members,
    standards_for_person,
)
from kynangso.assessment.standards import load_standard_file, save_standard, standard_for_group

__all__ = [
    "PassedAttemptRow",
    "SubmittedAttemptRow",
    "AttemptFact",
    "AttemptChange",
    "attempt_facts",
    "attempts_submitted_between",
    "ports",
    "PracticeChoice",
    "PracticeFeedback",
    "PracticeQuestion",
    "check_practice_answer",
    "practice_answer_from_form",
    "practice_answer_texts",
    "practice_questions",
    "submitted_attempts",
    "advance_adaptive",
    "adaptive_readiness",
    "save_answer_as",
    "Attempt",
    "AttemptStatus",
    "Item",
    "ItemVersion",
    "ReviewStatus",
    "Standard",
    "attempt_for_user",
    "attempts_of",
    "blueprint_shortages",
    "close_expired_attempts",
    "data_from_version",
    "edit_item",
    "eligible_passed_attempts",
    "has_passed",
    "is_eligible",
    "latest_profile",
    "load_item_files",
    "load_standard_file",
    "may_take",
    "on_standard_passed",
    "open_attempt",
    "passed_attempts",
    "publish_version",
    "refresh_if_expired",
    "retire_item",
    "review_version",
    "save_answer",
    "save_items",
    "save_standard",
    "standard_by_code",
    "standard_for_group",
    "standards_for_person",
    "start_attempt",
    "submit_attempt",
    "taker_view",
]


def standard_by_code(code: str) -> Standard | None:
    return Standard.objects.filter(code=code).first()


class PassedAttemptRow(TypedDict):
    """A row of `passed_attempts()` and `eligible_passed_attempts()`. Read by credentials
    (which attempts are owed a certificate, and for which standard)."""

    id: int
    person_id: int
    standard__code: str
    standard__target_group: str
    submitted_at: datetime.datetime


class SubmittedAttemptRow(PassedAttemptRow):
    """A row of `submitted_attempts()`: a passed attempt's keys, with whether it passed and whether a community
    helper sat beside the taker."""

    passed: bool
    assisted: bool


class AttemptFact(TypedDict):
    """A row of `attempt_facts()`: the taker's person id and when the attempt was submitted. Read by monitoring
    (the roll-up's fact sources and the explained figures)."""

    f_person: int
    f_at: datetime.datetime


class AttemptChange(TypedDict):
    """A row of `attempts_submitted_between()`: the taker's person id and the standard's code. Read by monitoring's
    incremental roll-up."""

    f_person: int
    f_code: str


def passed_attempts():
    """Every passing attempt (for monitoring and credentials): person_id, standard code, target group, submitted_at."""
    return Attempt.objects.filter(passed=True).values(
        "id", "person_id", "standard__code", "standard__target_group", "submitted_at"
    )


def eligible_passed_attempts():
    """The passing attempts of `passed_attempts` whose person belonged to the standard's target group on the day
    they sat it (same values): what credentials may issue certificates for."""
    return passed_attempts_of_members().values(
        "id", "person_id", "standard__code", "standard__target_group", "submitted_at"
    )


def submitted_attempts():
    """Every submitted attempt as values (a set-based source for monitoring): id, person_id, standard code, target
    group, submitted_at, passed, assisted (a community helper sat beside the taker)."""
    return (
        Attempt.objects.filter(status=AttemptStatus.SUBMITTED)
        .annotate(
            assisted=ExpressionWrapper(Q(assisted_by__isnull=False), output_field=BooleanField()),
        )
        .values("id", "person_id", "standard__code", "standard__target_group", "submitted_at", "passed", "assisted")
    )


# Facts for the roll-up (monitoring): querysets of values with these stable names, whatever the models become.


def attempt_facts(*, passed_only: bool, standard_code: str = "") -> QuerySet:
    """One row per submitted attempt (passed ones only if `passed_only`), of the standard `standard_code` if given:
    values(f_person = the taker's person id, f_at = when it was submitted)."""
    qs = Attempt.objects.filter(passed=True) if passed_only else Attempt.objects.filter(status=AttemptStatus.SUBMITTED)
    if standard_code:
        qs = qs.filter(standard__code=standard_code)
    return qs.values(f_person=F("person_id"), f_at=F("submitted_at"))


def attempts_submitted_between(since, until) -> QuerySet:
    """Attempts submitted in [since, until): values(f_person = person id, f_code = the standard's code)."""
    return Attempt.objects.filter(
        status=AttemptStatus.SUBMITTED, submitted_at__gte=since, submitted_at__lt=until
    ).values(f_person=F("person_id"), f_code=F("standard__code"))
