"""Reads for the dashboards: an indicator's value at a unit with its target (inherited from above when the unit has
none), gap, progress, trend, projection and risk; drill-down to the children; ranking; the public headline figures."""
import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

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
from kynangso.orgs import api as orgs

# The projection fits a straight line through at most this many of the latest points of the trend.
PROJECTION_POINTS = 6
_CENT = Decimal("0.01")


@dataclass(frozen=True)
class IndicatorStatus:
    indicator_code: str
    indicator_name: str
    measure: str  # "percent" or "count"
    value: Decimal | None
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


@dataclass(frozen=True)
class RankRow:
    rank: int
    unit_id: int
    unit_name: str
    value: Decimal | None
    target: Decimal | None
    progress: float | None


def figure(measure: str, numerator, denominator) -> Decimal | None:
    """The value an indicator shows: a percentage to two decimals, or the count."""
    if numerator is None:
        return None
    if measure == Measure.COUNT:
        return Decimal(numerator)
    if not denominator:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(_CENT, rounding=ROUND_HALF_UP)


def project(trend, target_year: int, measure: str, cumulative: bool) -> Decimal | None:
    """Least-squares line through the latest points (x = days), read at 31 December of the target year.

    One point or none: no projection. Percentages stay within 0..100; a cumulative indicator never falls."""
    points = [(day, value) for day, value in trend if value is not None][-PROJECTION_POINTS:]
    if len(points) < 2:
        return None
    origin = points[0][0]
    xs = [float((day - origin).days) for day, _value in points]
    ys = [float(value) for _day, value in points]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys)) / spread if spread else 0.0
    at = float((datetime.date(target_year, 12, 31) - origin).days)
    projected = mean_y + slope * (at - mean_x)
    if cumulative:
        projected = max(projected, ys[-1])
    projected = max(projected, 0.0)
    if measure == Measure.PERCENT:
        projected = min(projected, 100.0)
    return Decimal(str(projected)).quantize(_CENT, rounding=ROUND_HALF_UP)


def _targets(plan_id: int, indicators, unit_ids, year: int) -> dict:
    """(indicator id, unit id) → (value, year, inherited-from name or None).

    The nearest unit up the effective tree with a target wins; among a unit's targets the one for `year`, else the
    next later year."""
    closure = list(orgs.closure_rows().filter(descendant_id__in=list(unit_ids)))
    ancestor_ids = {row["ancestor_id"] for row in closure}
    rows = Target.objects.filter(plan_id=plan_id, indicator__in=list(indicators), unit_id__in=ancestor_ids,
                                 year__gte=year).values("indicator_id", "unit_id", "year", "value")
    by_unit: dict[tuple[int, int], tuple[int, Decimal]] = {}
    for row in rows:
        key = (row["indicator_id"], row["unit_id"])
        if key not in by_unit or row["year"] < by_unit[key][0]:
            by_unit[key] = (row["year"], row["value"])
    names = orgs.unit_names(ancestor_ids)
    result = {}
    for unit_id in unit_ids:
        chain = sorted((row for row in closure if row["descendant_id"] == unit_id), key=lambda r: r["depth"])
        for indicator in indicators:
            for row in chain:
                found = by_unit.get((indicator.id, row["ancestor_id"]))
                if found:
                    inherited = names.get(row["ancestor_id"]) if row["depth"] else None
                    result[(indicator.id, unit_id)] = (found[1], found[0], inherited)
                    break
    return result


def _computed_rows(indicators, unit_ids, year: int) -> dict:
    """(indicator id, unit id) → [(period_end, numerator, denominator, computed_at)] up to the end of `year`."""
    rows = IndicatorValue.objects.filter(
        indicator__in=[i for i in indicators if i.kind == IndicatorKind.COMPUTED], unit_id__in=list(unit_ids),
        period_end__lte=datetime.date(year, 12, 31),
    ).order_by("period_end").values_list("indicator_id", "unit_id", "period_end", "numerator", "denominator",
                                         "computed_at")
    result: dict[tuple[int, int], list] = {}
    for indicator_id, unit_id, end, numerator, denominator, computed_at in rows:
        result.setdefault((indicator_id, unit_id), []).append((end, numerator, denominator, computed_at))
    return result


def statuses(*, indicators, unit_ids, year: int, plan_id: int | None) -> dict[tuple[int, int], IndicatorStatus]:
    """(indicator id, unit id) → IndicatorStatus, for every pair, in a handful of queries."""
    indicators = list(indicators)
    unit_ids = list(unit_ids)
    targets = _targets(plan_id, indicators, unit_ids, year) if plan_id else {}
    computed = _computed_rows(indicators, unit_ids, year)
    state = RollupState.objects.order_by("id").first()
    rolled_up = state is not None and state.full_computed_at is not None
    result = {}
    for indicator in indicators:
        manual = None
        if indicator.kind == IndicatorKind.MANUAL:
            manual = approved_manual_figures(indicator=indicator, unit_ids=unit_ids, years=range(year - 4, year + 1))
        for unit_id in unit_ids:
            numerator = denominator = computed_at = None
            if manual is not None:
                trend = [(datetime.date(y, 12, 31), manual[(unit_id, y)][0])
                         for y in range(year - 4, year + 1) if (unit_id, y) in manual]
                if (unit_id, year) in manual:
                    value, computed_at = manual[(unit_id, year)]
                else:
                    value = None
            else:
                rows = computed.get((indicator.id, unit_id), [])
                trend = [(end, figure(indicator.measure, n, d)) for end, n, d, _at in rows]
                this_year = [row for row in rows if row[0].year == year]
                if this_year:
                    _end, numerator, denominator, computed_at = this_year[-1]
                elif rolled_up:  # nothing counted in the subtree: zero, as of the last roll-up
                    numerator, computed_at = 0, state.full_computed_at
                value = figure(indicator.measure, numerator, denominator)
            target = target_year = inherited = None
            if (indicator.id, unit_id) in targets:
                target, target_year, inherited = targets[(indicator.id, unit_id)]
            cumulative = indicator.kind == IndicatorKind.MANUAL or indicator.period_mode == PeriodMode.CUMULATIVE
            if indicator.kind == IndicatorKind.COMPUTED and indicator.period_mode == PeriodMode.IN_YEAR:
                fit = [(end, v) for end, v in trend if end.year == year]
            else:
                fit = trend
            projection = project(fit, target_year or year, indicator.measure, cumulative)
            gap = progress = None
            at_risk = False
            if target is not None and value is not None:
                gap = (target - value).quantize(_CENT)
                progress = 1.0 if target <= 0 else max(0.0, min(1.0, float(value / target)))
            if target is not None:
                reference = projection if projection is not None else value
                at_risk = reference is None or reference < target
            result[(indicator.id, unit_id)] = IndicatorStatus(
                indicator_code=indicator.code, indicator_name=indicator.name, measure=indicator.measure,
                value=value, numerator=numerator, denominator=denominator, target=target, target_year=target_year,
                target_inherited_from=inherited, gap=gap, progress=progress, projection=projection,
                at_risk=at_risk, trend=trend, computed_at=computed_at,
            )
    return result


def plan_indicators(plan_id: int) -> list[Indicator]:
    """The active indicators the plan has targets for, in catalogue order."""
    return list(Indicator.objects.filter(is_active=True, targets__plan_id=plan_id).distinct()
                .order_by("order", "code"))


def active_children(unit_id: int) -> list:
    """The unit's direct children in the effective tree that still exist (merged units are inside successors)."""
    return orgs.active_children(unit_id)


@dataclass(frozen=True)
class ValueRow:
    """One cell of the indicator table: an indicator at a unit (its whole subtree) in a year."""

    indicator_code: str
    unit_id: int
    year: int
    measure: str
    value: Decimal | None
    numerator: int | None
    denominator: int | None
    computed_at: datetime.datetime | None


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
                rows.append(ValueRow(indicator_code=indicator.code, unit_id=unit_id, year=year,
                                     measure=indicator.measure, value=status.value, numerator=status.numerator,
                                     denominator=status.denominator, computed_at=status.computed_at))
    return rows
