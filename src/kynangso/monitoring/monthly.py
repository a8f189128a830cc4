"""Indicator values at month ends, for the API's monthly periods (DHIS2's `202603`): what the roll-up stored for a
computed indicator at the end of each month. Manual values and survey estimates are yearly, and a month the roll-up
did not compute (it ran with yearly periods, or the month is still to come) has no value."""

import calendar
import datetime

from kynangso.monitoring.models import IndicatorKind, IndicatorValue, RollupState
from kynangso.monitoring.status import ValueRow, figure


def month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def month_value_rows(*, indicators, unit_ids, months) -> list[ValueRow]:
    """Indicator × unit × (year, month): the value at the month's end, as the roll-up stored it. A unit without a
    stored value in a month the roll-up computed counted nobody (0, as the yearly figures read it)."""
    indicators, unit_ids = list(indicators), list(unit_ids)
    ends = {(year, month): month_end(year, month) for year, month in months}
    computed = [indicator for indicator in indicators if indicator.kind == IndicatorKind.COMPUTED]
    stored = {
        (indicator_id, unit_id, end): (numerator, denominator, at)
        for indicator_id, unit_id, end, numerator, denominator, at in IndicatorValue.objects.filter(
            indicator__in=computed, unit_id__in=unit_ids, period_end__in=list(ends.values())
        ).values_list("indicator_id", "unit_id", "period_end", "numerator", "denominator", "computed_at")
    }
    # Which (indicator, month end) the roll-up computed at all, whatever unit it found people in.
    rolled_up = set(
        IndicatorValue.objects.filter(indicator__in=computed, period_end__in=list(ends.values()))
        .values_list("indicator_id", "period_end")
        .distinct()
    )
    state = RollupState.objects.order_by("id").first()
    rows = []
    for indicator in indicators:
        for unit_id in unit_ids:
            for (year, month), end in ends.items():
                numerator = denominator = computed_at = None
                if (indicator.id, end) in rolled_up:
                    numerator, denominator, computed_at = stored.get(
                        (indicator.id, unit_id, end), (0, None, state.full_computed_at if state else None)
                    )
                rows.append(
                    ValueRow(
                        indicator_code=indicator.code,
                        unit_id=unit_id,
                        year=year,
                        month=month,
                        measure=indicator.measure,
                        value=figure(indicator.measure, numerator, denominator),
                        numerator=numerator,
                        denominator=denominator,
                        computed_at=computed_at,
                    )
                )
    return rows
