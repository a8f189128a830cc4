"""Reading attempts and standards: what a person may take, their results, and who may open an attempt."""

import datetime

from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import TruncDate

from kynangso.accounts import api as accounts
from kynangso.assessment.models import Attempt, AttemptStatus, Standard, StandardMode
from kynangso.people import api as people


def standards_for_person(person, on_date: datetime.date | None = None) -> list[Standard]:
    """The active standards of the person's target groups on `on_date` (today by default)."""
    groups = set(people.current_groups(person, on_date)) if person else set()
    return list(Standard.objects.filter(is_active=True, target_group__in=groups).order_by("code"))


def is_eligible(person, standard: Standard, on_date: datetime.date | None = None) -> bool:
    """Whether the person belongs to the standard's target group on `on_date` (today by default): who may sit a
    standard. `passed_attempts_of_members` applies the same rule, set-based, before a certificate is issued."""
    return person is not None and standard.target_group in people.current_groups(person, on_date)


def passed_attempts_of_members():
    """Passing attempts whose person belonged to the standard's target group on the (local) day the attempt was
    started: the attempts a certificate may be issued for. Set-based: one EXISTS over the dated memberships."""
    member = (
        people.membership_rows()
        .filter(
            person_id=OuterRef("person_id"),
            group=OuterRef("standard__target_group"),
            valid_from__lte=OuterRef("day"),
        )
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=OuterRef("day")))
    )
    return Attempt.objects.filter(passed=True).annotate(day=TruncDate("started_at")).filter(Exists(member))


def attempts_of(person):
    return Attempt.objects.select_related("standard").filter(person=person).order_by("-started_at")


def latest_profile(person) -> dict | None:
    """The competence profile of the person's latest submitted attempt, or None."""
    attempt = attempts_of(person).filter(status=AttemptStatus.SUBMITTED).first()
    return attempt.profile if attempt else None


def has_passed(person, standard_code: str) -> bool:
    return Attempt.objects.filter(person=person, standard__code=standard_code, passed=True).exists()


def attempt_for_user(attempt_id, user) -> Attempt | None:
    """The attempt if `user` may open it: the taker, the helper who started it, or staff who see results in scope."""
    attempt = Attempt.objects.select_related("standard", "person").filter(pk=attempt_id).first()
    if attempt is None or not user.is_authenticated:
        return None
    if attempt.person.user_id == user.pk or attempt.assisted_by_id == user.pk:
        return attempt
    scope = accounts.scope_unit_ids(user, accounts.capabilities.RESULTS_VIEW)
    units = {attempt.person.residence_unit_id, attempt.person.workplace_unit_id} - {None}
    if scope is None or scope.filter(descendant_id__in=units).exists():
        return attempt if attempt.status == AttemptStatus.SUBMITTED else None
    return None


def may_take(attempt: Attempt, user) -> bool:
    """Only the taker or their helper may answer or submit."""
    return attempt.person.user_id == user.pk or attempt.assisted_by_id == user.pk


def exam_facts(standard: Standard) -> dict:
    """What the start screen tells a taker: how many questions (a range for an adaptive test), the minutes, the
    pass mark."""
    if standard.mode == StandardMode.ADAPTIVE:
        low, high = standard.cat_min_items, standard.cat_max_items
    else:
        low = high = sum(row.item_count for row in standard.blueprint.all())
    return {
        "min_items": low,
        "max_items": high,
        "minutes": standard.time_limit_minutes,
        "pass_percent": standard.pass_percent,
    }
