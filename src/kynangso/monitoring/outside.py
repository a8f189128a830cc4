"""How much of an indicator's figure came from learning on other platforms (ADR 0042): the people counted in a
unit's figure for a year only through outside completions, for the annual report to say so."""

import datetime

from django.db.models import Q
from django.utils import timezone

from kynangso.assessment import api as assessment
from kynangso.integration import api as integration
from kynangso.learning import api as learning
from kynangso.monitoring.models import Attribution, Indicator, PeriodMode, Source
from kynangso.monitoring.rollup.periods import _years_before
from kynangso.orgs import api as orgs
from kynangso.people import api as people

_OUTSIDE_SOURCES = {Source.PASSED_STANDARD, Source.TRAINED_ONLINE, Source.TRAINED}


def _facts_in(indicator: Indicator, year: int, *, outside: bool):
    """The people with facts of the indicator's source in the year's window (cumulative: up to its end), ours or
    the outside ones, as a values list of f_person."""
    end = datetime.date(year, 12, 31)
    start = datetime.date(year, 1, 1) if indicator.period_mode == PeriodMode.IN_YEAR else None
    end_at = timezone.make_aware(datetime.datetime(year + 1, 1, 1))
    start_at = timezone.make_aware(datetime.datetime(year, 1, 1)) if start else None
    parts = []
    if indicator.source == Source.PASSED_STANDARD:
        facts = (
            integration.outside_standard_facts(standard_code=indicator.standard_code)
            if outside
            else assessment.attempt_facts(passed_only=True, standard_code=indicator.standard_code)
        )
        facts = facts.filter(f_at__lt=end_at)
        parts.append(facts.filter(f_at__gte=start_at) if start_at else facts)
    else:
        dated = (
            [integration.outside_course_facts(course_code=indicator.course_code)]
            if outside
            else [learning.completion_facts(course_code=indicator.course_code)]
        )
        if not outside and indicator.source == Source.TRAINED:
            dated.append(learning.attendance_facts())
        for facts in dated:
            facts = facts.filter(f_on__lte=end)
            parts.append(facts.filter(f_on__gte=start) if start else facts)
    return [part.values("f_person") for part in parts]


def outside_only_count(indicator: Indicator, *, unit_id: int, year: int) -> int | None:
    """The people in the unit's (subtree's) figure for the year who count only through learning on other platforms;
    None when the indicator does not count outside learning. Follows the definition's unit attribution, target group
    and age band at the year's end (not the unit kind)."""
    if not indicator.counts_outside_learning or indicator.source not in _OUTSIDE_SOURCES:
        return None
    end = datetime.date(year, 12, 31)
    attach = "residence_unit_id" if indicator.attribution == Attribution.RESIDENCE else "workplace_unit_id"
    rows = people.everyone().filter(**{f"{attach}__in": orgs.subtree_unit_ids([unit_id])})
    (outside,) = _facts_in(indicator, year, outside=True)
    rows = rows.filter(pk__in=outside)
    for own in _facts_in(indicator, year, outside=False):
        rows = rows.exclude(pk__in=own)
    if indicator.target_group:
        rows = rows.filter(
            pk__in=people.membership_rows()
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=end), group=indicator.target_group, valid_from__lte=end)
            .values("person_id")
        )
    if indicator.age_min is not None:
        rows = rows.filter(birth_date__lte=_years_before(end, indicator.age_min))
    if indicator.age_max is not None:
        rows = rows.filter(birth_date__gt=_years_before(end, indicator.age_max + 1))
    return rows.count()
