"""Reads for the dashboards: an indicator's value at a unit with its target (inherited from above when the unit has
none), gap, progress, trend, projection and risk; drill-down to the children; ranking; the public headline figures.
Figures are rounded once, for people, by kynangso.numbers.round_figure (ADR 0039)."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.utils import timezone

from kynangso.monitoring.manual import approved_manual_figures
from kynangso.monitoring.models import (
    Indicator,
    IndicatorKind,
    IndicatorValue,
    Measure,
    PeriodMode,
    RollupState,
    Target,
)
from kynangso.numbers import percentage, round_figure
from kynangso.orgs import api as orgs
from kynangso.survey import api as survey

# The projection fits a straight line through at most this many of the latest complete periods of the trend.
PROJECTION_POINTS = 6


@dataclass(frozen=True)
class IndicatorStatus:
    indicator_code: str
    indicator_name: str
    measure: str  # "percent" or "count"
    value: Decimal | None  # as people read it: rounded once from numerator/denominator (round_figure)
    numerator: int | None
    denominator: int | None
    target: Decimal | None
    target_year: int | None
    target_inherited_from: str | None  # the ancestor unit's name when the target is inherited
    gap: Decimal | None  # target − value
    progress: float | None  # value / target, clamped to 0..1
    projection: Decimal | None  # projected value at the end of the target year (docs/monitoring.md)
    at_risk: bool  # projection (or, without one, the value) below the target
    trend: list  # [(period end date, value)], oldest first
    computed_at: datetime.datetime | None
    partial_until: datetime.date | None = None  # the value's period is not over: counted up to this day only
    partial_days: dict = field(default_factory=dict)  # trend period end → the day it was counted up to, when not over
    target_allocated_from: str | None = None  # the unit whose count target was shared out to give this one
    # A survey estimate («ước lượng từ khảo sát») carries its 95% interval, and the target is judged against it:
    # "met" (the whole interval at or above), "not_met" (the whole interval below) or "cannot_tell" (it straddles).
    ci_low: Decimal | None = None
    ci_high: Decimal | None = None
    standard_error: Decimal | None = None  # percentage points
    respondents: int | None = None
    suppressed_reason: str = ""  # why the survey gives no figure (too few respondents or communes)
    verdict: str = ""
    kind: str = ""  # the indicator's IndicatorKind

    @property
    def is_survey(self) -> bool:
        return self.kind == IndicatorKind.SURVEY

    @property
    def progress_percent(self) -> Decimal | None:
        """Progress towards the target in whole percents, rounded like every figure (half up, once)."""
        if self.value is None or self.target is None:
            return None
        if self.target <= 0:
            return Decimal(100)
        return round_figure(
            min(max(Fraction(self.value) / Fraction(self.target), Fraction(0)), Fraction(1)) * 100, Measure.COUNT
        )


@dataclass(frozen=True)
class RankRow:
    rank: int
    unit_id: int
    unit_name: str
    value: Decimal | None
    target: Decimal | None
    progress: float | None
    progress_percent: Decimal | None = None  # progress in whole percents, rounded half up once


def exact_figure(measure: str, numerator, denominator) -> Fraction | None:
    """The exact value of an indicator: the rate numerator/denominator × 100, or the count; never rounded."""
    if numerator is None:
        return None
    if measure == Measure.COUNT:
        return Fraction(int(numerator))
    return percentage(numerator, denominator)


def figure(measure: str, numerator, denominator) -> Decimal | None:
    """The value an indicator shows: the exact figure rounded once (one decimal for a rate, whole for a count)."""
    return round_figure(exact_figure(measure, numerator, denominator), measure)


def project(trend, target_year: int, measure: str, cumulative: bool) -> Decimal | None:
    """Least-squares line through the latest points (x = days), read at 31 December of the target year, computed
    exactly (fractions) from exact values and rounded once at the end.

    One point or none: no projection. Percentages stay within 0..100; a cumulative indicator never falls. The
    caller leaves out periods that are not over (a partial December is not year-end data)."""
    points = [(day, value) for day, value in trend if value is not None][-PROJECTION_POINTS:]
    if len(points) < 2:
        return None
    origin = points[0][0]
    xs = [Fraction((day - origin).days) for day, _value in points]
    ys = [Fraction(value) for _day, value in points]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread if spread else Fraction(0)
    at = Fraction((datetime.date(target_year, 12, 31) - origin).days)
    projected = mean_y + slope * (at - mean_x)
    if cumulative:
        projected = max(projected, ys[-1])
    projected = max(projected, Fraction(0))
    if measure == Measure.PERCENT:
        projected = min(projected, Fraction(100))
    return round_figure(projected, measure)


def _partial_until(period_end: datetime.date, computed_at, watermark=None) -> datetime.date | None:
    """The day a value was counted up to when that was before its period ended (the current month or year).

    Every stored value holds as of the roll-up's watermark (an incremental run leaves a unit nothing changed in as
    it was), so the later of its computation and the watermark says how far it is counted."""
    moments = [moment for moment in (computed_at, watermark) if moment is not None]
    if not moments:
        return None
    counted_until = timezone.localdate(max(moments))
    return counted_until if counted_until < period_end else None


def _targets(plan_id: int, indicators, unit_ids, year: int) -> dict:
    """(indicator id, unit id) → (value, year, inherited-from name or None, allocated-from name or None).

    The nearest unit up the effective tree with a target wins; among a unit's targets the one for `year`, else the
    next later year. Only percentage targets pass down: a count target (1.020.000 VNeID confirmations for the
    province) is the unit's own and would be absurd for a commune of 80 adults, so a unit without its own count
    target has none (the province sets one per unit where it wants them)."""
    closure = list(orgs.closure_rows().filter(descendant_id__in=list(unit_ids)))
    ancestor_ids = {row["ancestor_id"] for row in closure}
    rows = Target.objects.filter(
        plan_id=plan_id, indicator__in=list(indicators), unit_id__in=ancestor_ids, year__gte=year
    ).values("indicator_id", "unit_id", "year", "value", "allocated_from__unit_id")
    by_unit: dict[tuple[int, int], tuple[int, Decimal, int | None]] = {}
    for row in rows:
        key = (row["indicator_id"], row["unit_id"])
        if key not in by_unit or row["year"] < by_unit[key][0]:
            by_unit[key] = (row["year"], row["value"], row["allocated_from__unit_id"])
    ancestor_ids |= {found[2] for found in by_unit.values() if found[2]}
    names = orgs.unit_names(ancestor_ids)
    result = {}
    for unit_id in unit_ids:
        chain = sorted((row for row in closure if row["descendant_id"] == unit_id), key=lambda r: r["depth"])
        for indicator in indicators:
            for row in chain:
                if row["depth"] and indicator.measure == Measure.COUNT:
                    break  # counts are not inherited
                found = by_unit.get((indicator.id, row["ancestor_id"]))
                if found:
                    inherited = names.get(row["ancestor_id"]) if row["depth"] else None
                    result[(indicator.id, unit_id)] = (
                        found[1],
                        found[0],
                        inherited,
                        names.get(found[2]) if found[2] else None,
                    )
                    break
    return result


def _computed_rows(indicators, unit_ids, year: int) -> dict:
    """(indicator id, unit id) → [(period_end, numerator, denominator, computed_at)] up to the end of `year`."""
    rows = (
        IndicatorValue.objects.filter(
            indicator__in=[i for i in indicators if i.kind == IndicatorKind.COMPUTED],
            unit_id__in=list(unit_ids),
            period_end__lte=datetime.date(year, 12, 31),
        )
        .order_by("period_end")
        .values_list("indicator_id", "unit_id", "period_end", "numerator", "denominator", "computed_at")
    )
    result: dict[tuple[int, int], list] = {}
    for indicator_id, unit_id, end, numerator, denominator, computed_at in rows:
        result.setdefault((indicator_id, unit_id), []).append((end, numerator, denominator, computed_at))
    return result


def verdict(target: Decimal | None, low: Decimal | None, high: Decimal | None) -> str:
    """A target judged against a 95% interval: met, not met, or cannot tell (the interval straddles the target)."""
    if target is None or low is None or high is None:
        return ""
    if low >= target:
        return "met"
    if high < target:
        return "not_met"
    return "cannot_tell"


def _survey_statuses(indicators, unit_ids, year: int, targets: dict) -> dict:
    """IndicatorStatus of each survey indicator at each unit: the estimate of the year with its interval and the
    verdict on the target; the earlier years' estimates as the trend. No projection: one figure a year."""
    result = {}
    for indicator in indicators:
        figures = survey.survey_figures(
            unit_ids=unit_ids, years=range(year - 4, year + 1), questionnaire_code=indicator.survey_code
        )
        for unit_id in unit_ids:
            found = figures.get((unit_id, year))
            target = target_year = inherited = allocated = None
            if (indicator.id, unit_id) in targets:
                target, target_year, inherited, allocated = targets[(indicator.id, unit_id)]
            value = found.value if found else None
            low, high = (found.ci_low, found.ci_high) if found else (None, None)
            judged = verdict(target, low, high)
            trend = [
                (datetime.date(y, 12, 31), figures[(unit_id, y)].value)
                for y in range(year - 4, year + 1)
                if (unit_id, y) in figures and figures[(unit_id, y)].value is not None
            ]
            gap = progress = None
            if target is not None and value is not None:
                gap = round_figure(target - value, indicator.measure)
                progress = 1.0 if target <= 0 else max(0.0, min(1.0, float(value / target)))
            result[(indicator.id, unit_id)] = IndicatorStatus(
                indicator_code=indicator.code,
                indicator_name=indicator.name,
                measure=indicator.measure,
                value=value,
                numerator=None,
                denominator=None,
                target=target,
                target_year=target_year,
                target_inherited_from=inherited,
                gap=gap,
                progress=progress,
                projection=None,
                at_risk=target is not None and judged != "met",
                trend=trend,
                computed_at=found.computed_at if found else None,
                ci_low=low,
                ci_high=high,
                standard_error=found.standard_error if found else None,
                respondents=found.respondents if found else None,
                suppressed_reason=found.suppressed_reason if found else "",
                verdict=judged,
                kind=indicator.kind,
                target_allocated_from=allocated,
            )
    return result


def statuses(*, indicators, unit_ids, year: int, plan_id: int | None) -> dict[tuple[int, int], IndicatorStatus]:
    """(indicator id, unit id) → IndicatorStatus, for every pair, in a handful of queries."""
    indicators = list(indicators)
    unit_ids = list(unit_ids)
    targets = _targets(plan_id, indicators, unit_ids, year) if plan_id else {}
    surveyed = [indicator for indicator in indicators if indicator.kind == IndicatorKind.SURVEY]
    result = _survey_statuses(surveyed, unit_ids, year, targets)
    indicators = [indicator for indicator in indicators if indicator.kind != IndicatorKind.SURVEY]
    computed = _computed_rows(indicators, unit_ids, year)
    state = RollupState.objects.order_by("id").first()
    rolled_up = state is not None and state.full_computed_at is not None
    watermark = state.watermark if state is not None else None
    for indicator in indicators:
        manual = None
        if indicator.kind == IndicatorKind.MANUAL:
            manual = approved_manual_figures(indicator=indicator, unit_ids=unit_ids, years=range(year - 4, year + 1))
        for unit_id in unit_ids:
            numerator = denominator = computed_at = partial_until = None
            partial_days: dict = {}
            if manual is not None:
                exact = [
                    (datetime.date(y, 12, 31), manual[(unit_id, y)][0])
                    for y in range(year - 4, year + 1)
                    if (unit_id, y) in manual
                ]
                if (unit_id, year) in manual:
                    value, computed_at = manual[(unit_id, year)]
                else:
                    value = None
                value = round_figure(value, indicator.measure)
                complete = exact
            else:
                rows = computed.get((indicator.id, unit_id), [])
                exact = [(end, exact_figure(indicator.measure, n, d)) for end, n, d, _at in rows]
                partial_days = {
                    end: until for end, _n, _d, at in rows if (until := _partial_until(end, at, watermark)) is not None
                }
                complete = [(end, v) for end, v in exact if end not in partial_days]
                this_year = [row for row in rows if row[0].year == year]
                if this_year:
                    end, numerator, denominator, computed_at = this_year[-1]
                    partial_until = partial_days.get(end)
                elif rolled_up:  # nothing counted in the subtree: zero, as of the last roll-up
                    numerator, computed_at = 0, state.full_computed_at
                value = figure(indicator.measure, numerator, denominator)
            trend = [(end, round_figure(v, indicator.measure)) for end, v in exact]
            target = target_year = inherited = allocated = None
            if (indicator.id, unit_id) in targets:
                target, target_year, inherited, allocated = targets[(indicator.id, unit_id)]
            cumulative = indicator.kind == IndicatorKind.MANUAL or indicator.period_mode == PeriodMode.CUMULATIVE
            if indicator.kind == IndicatorKind.COMPUTED and indicator.period_mode == PeriodMode.IN_YEAR:
                fit = [(end, v) for end, v in complete if end.year == year]
            else:
                fit = complete
            projection = project(fit, target_year or year, indicator.measure, cumulative)
            gap = progress = None
            at_risk = False
            # Gap, progress and risk compare the figures as shown, so that the page's own arithmetic holds.
            if target is not None and value is not None:
                gap = round_figure(target - value, indicator.measure)
                progress = 1.0 if target <= 0 else max(0.0, min(1.0, float(value / target)))
            if target is not None:
                reference = projection if projection is not None else value
                at_risk = reference is None or reference < target
            result[(indicator.id, unit_id)] = IndicatorStatus(
                indicator_code=indicator.code,
                indicator_name=indicator.name,
                measure=indicator.measure,
                value=value,
                numerator=numerator,
                denominator=denominator,
                target=target,
                target_year=target_year,
                target_inherited_from=inherited,
                gap=gap,
                progress=progress,
                projection=projection,
                at_risk=at_risk,
                trend=trend,
                computed_at=computed_at,
                partial_until=partial_until,
                partial_days=partial_days,
                target_allocated_from=allocated,
                kind=indicator.kind,
            )
    return result


def plan_indicators(plan_id: int) -> list[Indicator]:
    """The active indicators the plan has targets for, in catalogue order."""
    return list(Indicator.objects.filter(is_active=True, targets__plan_id=plan_id).distinct().order_by("order", "code"))


def active_children(unit_id: int) -> list:
    """The unit's direct children in the effective tree that still exist (merged units are inside successors)."""
    return orgs.active_children(unit_id)


@dataclass(frozen=True)
class ValueRow:
    """One cell of the indicator table: an indicator at a unit (its whole subtree) in a year, or in one month of it."""

    indicator_code: str
    unit_id: int
    year: int
    measure: str
    value: Decimal | None
    numerator: int | None
    denominator: int | None
    computed_at: datetime.datetime | None
    ci_low: Decimal | None = None  # a survey estimate's 95% interval
    ci_high: Decimal | None = None
    standard_error: Decimal | None = None
    month: int | None = None  # 1–12 for a monthly period (the value at that month's end)

    @property
    def period(self) -> str:
        """The period as DHIS2 writes it: 2025 for a year, 202603 for March 2026."""
        return f"{self.year}{self.month:02d}" if self.month else str(self.year)


def value_rows(*, indicators, unit_ids, years) -> list[ValueRow]:
    """Indicator × unit × year, each year's figure as the dashboards show it (the last month end of the year for a
    computed indicator, the approved value for a manual one); a handful of queries per year."""
    indicators, unit_ids = list(indicators), list(unit_ids)
    found = {year: statuses(indicators=indicators, unit_ids=unit_ids, year=year, plan_id=None) for year in years}
    rows = []
    for indicator in indicators:
        for unit_id in unit_ids:
            for year in years:
                status = found[year][(indicator.id, unit_id)]
                rows.append(
                    ValueRow(
                        indicator_code=indicator.code,
                        unit_id=unit_id,
                        year=year,
                        measure=indicator.measure,
                        value=status.value,
                        numerator=status.numerator,
                        denominator=status.denominator,
                        computed_at=status.computed_at,
                        ci_low=status.ci_low,
                        ci_high=status.ci_high,
                        standard_error=status.standard_error,
                    )
                )
    return rows
