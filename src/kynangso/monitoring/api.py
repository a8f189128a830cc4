"""Public interface of the monitoring app: indicator statuses for the dashboards and reports, manual values with
their approval, the roll-up."""

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from kynangso.errors import DomainError, ErrorCode
from kynangso.monitoring import charts  # SVG charts, also drawn in the annual reports
from kynangso.monitoring.manual import (
    approve_manual_value,
    approver_unit_id,
    manual_values,
    pending_approvals,
    return_manual_value,
    submit_manual_value,
)
from kynangso.monitoring.models import (
    Indicator,
    IndicatorKind,
    IndicatorValue,
    ManualStatus,
    ManualValue,
    Measure,
    RollupState,
    Target,
)
from kynangso.monitoring.rollup import (
    RollupResult,
    mark_units_dirty,
    run_full_rollup,
    run_incremental_rollup,
)
from kynangso.monitoring.status import (
    PROJECTION_POINTS,
    IndicatorStatus,
    RankRow,
    ValueRow,
    active_children,
    plan_indicators,
    statuses,
    value_rows,
)
from kynangso.monitoring.targets import TYPED as TYPED_SHARE
from kynangso.monitoring.targets import (
    AllocationShare,
    allocate_target,
    allocation_children,
    preview_allocation,
    set_target,
)
from kynangso.orgs import api as orgs
from kynangso.plans import api as plans

__all__ = [
    "allocate_target",
    "followed_plan",
    "preview_allocation",
    "allocation_children",
    "AllocationShare",
    "TYPED_SHARE",
    "allocatable_targets",
    "allocatable_target",
    "allocations_of",
    "set_target",
    "charts",
    "PROJECTION_POINTS",
    "Indicator",
    "IndicatorKind",
    "IndicatorStatus",
    "ManualStatus",
    "ManualValue",
    "Measure",
    "RankRow",
    "RollupResult",
    "Target",
    "ValueRow",
    "approve_manual_value",
    "approver_unit_id",
    "child_unit_statuses",
    "headline_figures",
    "indicator_statuses",
    "indicator_values",
    "indicators",
    "manual_indicators",
    "manual_value_by_id",
    "manual_values",
    "mark_units_dirty",
    "monitoring_plans",
    "pending_approvals",
    "return_manual_value",
    "rollup_health",
    "run_full_rollup",
    "run_incremental_rollup",
    "submit_manual_value",
    "target_attainment",
    "targets",
    "unit_ranking",
    "untargeted_counts",
    "outside_only_counts",
    "dashboard_years",
]


def allocatable_targets(*, unit_ids, plan_id: int | None = None):
    """The count targets set at the given units (None: everywhere) that may be shared out among the units below them:
    set by the plan, not themselves allocated; newest year first."""
    rows = Target.objects.filter(indicator__measure=Measure.COUNT, allocated_from__isnull=True).select_related(
        "indicator", "unit", "plan"
    )
    if unit_ids is not None:
        rows = rows.filter(unit_id__in=unit_ids)
    if plan_id is not None:
        rows = rows.filter(plan_id=plan_id)
    return rows.order_by("-year", "unit__code", "indicator__order", "indicator__code")


def allocatable_target(target_id: int, *, unit_ids) -> Target | None:
    """One of allocatable_targets, or None when it does not exist or lies outside `unit_ids`."""
    return allocatable_targets(unit_ids=unit_ids).filter(pk=target_id).first()


def allocations_of(target: Target) -> list[Target]:
    """The shares an earlier allocation of `target` recorded, in unit order."""
    return list(Target.objects.filter(allocated_from=target).select_related("unit").order_by("unit__code"))


def dashboard_years(today=None) -> list[int]:
    """The years a dashboard offers, newest first: from the last year any plan sets a target for (at least next
    year, e.g. 2030 for the plans that run to 2030) down to three years ago."""
    this_year = (today or timezone.localdate()).year
    last = Target.objects.aggregate(last=Max("year"))["last"] or 0
    return list(range(max(last, this_year + 1), this_year - 4, -1))


def monitoring_plans() -> list[tuple[int, str, str]]:
    """(plan id, number/symbol, title) of every plan that has targets, newest first."""
    plan_ids = Target.objects.values("plan_id")
    return plans.plan_titles(plan_ids)


def followed_plan(
    plan_id: int | None = None, *, followed: list[tuple[int, str, str]] | None = None
) -> tuple[int, str, str] | None:
    """The plan whose figures a page, an answer or a report shows: the one asked for, or the newest followed plan
    when none is asked for (None when no plan is followed). A plan asked for that is not followed raises NOT_FOUND,
    never another plan's figures in its place. `followed`: monitoring_plans() when the caller has it already."""
    followed = monitoring_plans() if followed is None else followed
    if plan_id is None:
        return followed[0] if followed else None
    for found in followed:
        if found[0] == plan_id:
            return found
    raise DomainError(_("Không tìm thấy kế hoạch này."), field="plan", code=ErrorCode.NOT_FOUND)


def indicator_statuses(*, plan_id: int, unit_id: int, year: int) -> list[IndicatorStatus]:
    """Every indicator the plan has targets for, at the unit (its whole subtree) in the year."""
    kind = orgs.units().filter(pk=unit_id).values_list("kind", flat=True).first() or ""
    indicators = [indicator for indicator in plan_indicators(plan_id) if indicator.applies_to_kind(kind)]
    found = statuses(indicators=indicators, unit_ids=[unit_id], year=year, plan_id=plan_id)
    return [found[(indicator.id, unit_id)] for indicator in indicators]


def untargeted_counts(*, plan_id: int | None, unit_id: int, year: int) -> list[IndicatorStatus]:
    """The computed counts the plan sets no target for (people who passed a standard, certificates issued…), at the
    unit (its whole subtree) in the year: figures worth showing even without a target to compare with."""
    targeted = Target.objects.filter(plan_id=plan_id).values_list("indicator_id", flat=True) if plan_id else []
    indicators = list(
        Indicator.objects.filter(is_active=True, kind=IndicatorKind.COMPUTED, measure=Measure.COUNT)
        .exclude(pk__in=targeted)
        .order_by("order", "code")
    )
    found = statuses(indicators=indicators, unit_ids=[unit_id], year=year, plan_id=None)
    return [found[(indicator.id, unit_id)] for indicator in indicators]


def _indicator(code: str) -> Indicator:
    indicator = Indicator.objects.filter(code=code).first()
    if indicator is None:
        raise DomainError(_("Không tìm thấy chỉ số %(code)s.") % {"code": code}, code="not_found")
    return indicator


def child_unit_statuses(
    *, plan_id: int, unit_id: int, year: int, indicator_code: str
) -> list[tuple[int, str, IndicatorStatus]]:
    """(unit id, unit name, status) of the indicator for each direct child of the unit (drill-down), by code; children
    of a kind the indicator does not apply to (a school, for a count of residents) are left out."""
    indicator = _indicator(indicator_code)
    children = [child for child in active_children(unit_id) if indicator.applies_to_kind(child.kind)]
    found = statuses(indicators=[indicator], unit_ids=[c.pk for c in children], year=year, plan_id=plan_id)
    return [(child.pk, child.name, found[(indicator.id, child.pk)]) for child in children]


def unit_ranking(*, plan_id: int, parent_unit_id: int, year: int, indicator_code: str) -> list[RankRow]:
    """The parent's direct children ranked for emulation («thi đua»): by progress towards their target, then by
    value; units without a value come last. Equal units share a rank (1, 2, 2, 4)."""
    rows = child_unit_statuses(plan_id=plan_id, unit_id=parent_unit_id, year=year, indicator_code=indicator_code)

    def key(row):
        status = row[2]
        return (
            status.value is None,
            -(status.progress if status.progress is not None else -1),
            -(status.value or 0),
            row[1],
        )

    ranked = []
    previous, rank = None, 0
    for position, (unit_id, name, status) in enumerate(sorted(rows, key=key), start=1):
        score = (status.value is None, status.progress, status.value)
        if score != previous:
            rank, previous = position, score
        ranked.append(
            RankRow(
                rank=rank,
                unit_id=unit_id,
                unit_name=name,
                value=status.value,
                target=status.target,
                progress=status.progress,
                progress_percent=status.progress_percent,
            )
        )
    return ranked


def target_attainment(*, plan_id: int, unit_ids, year: int) -> dict[int, float]:
    """For each unit (its whole subtree), the mean progress towards its targets of the plan's indicators in the
    year (each progress clamped to 0..1); units with no indicator that has both a value and a target are left out.
    The plans app combines it with task completion in its emulation ranking."""
    unit_ids = list(unit_ids)
    indicators = plan_indicators(plan_id)
    if not unit_ids or not indicators:
        return {}
    found = statuses(indicators=indicators, unit_ids=unit_ids, year=year, plan_id=plan_id)
    attainment = {}
    for unit_id in unit_ids:
        progress = [found[(indicator.id, unit_id)].progress for indicator in indicators]
        known = [value for value in progress if value is not None]
        if known:
            attainment[unit_id] = sum(known) / len(known)
    return attainment


def headline_figures(*, province_unit_id: int, year: int | None = None) -> list[IndicatorStatus]:
    """The province's figures for the public page (aggregates only, no personal data): the indicators of the
    newest plan with targets in the province, in `year` (default: this year); without such a plan, every active
    computed indicator."""
    year = year or timezone.localdate().year
    inside = orgs.subtree_unit_ids([province_unit_id])
    plan_id = (
        Target.objects.filter(unit_id__in=inside)
        .order_by("-plan__issued_year", "-plan_id")
        .values_list("plan_id", flat=True)
        .first()
    )
    if plan_id:
        return indicator_statuses(plan_id=plan_id, unit_id=province_unit_id, year=year)
    indicators = list(Indicator.objects.filter(is_active=True, kind=IndicatorKind.COMPUTED).order_by("order", "code"))
    found = statuses(indicators=indicators, unit_ids=[province_unit_id], year=year, plan_id=None)
    return [found[(indicator.id, province_unit_id)] for indicator in indicators]


def manual_indicators() -> list[Indicator]:
    """The active indicators units enter by hand, in catalogue order (for the entry form)."""
    return list(Indicator.objects.filter(is_active=True, kind=IndicatorKind.MANUAL).order_by("order", "code"))


def rollup_health() -> dict:
    """When the roll-up last ran, which kind, how long it took, and when the newest stored value was computed (the
    operator's metrics and alerts read it; no figures)."""
    from django.db.models import Max

    state = RollupState.objects.order_by("id").first()
    return {
        "last_run_at": state.last_run_at if state else None,
        "last_run_kind": state.last_run_kind if state else "",
        "last_run_seconds": state.last_run_seconds if state else None,
        "full_computed_at": state.full_computed_at if state else None,
        "newest_value_at": IndicatorValue.objects.aggregate(newest=Max("computed_at"))["newest"],
    }


def indicators(*, codes=None) -> list[Indicator]:
    """The active indicators in catalogue order; with `codes`, only those (an unknown or inactive code is refused,
    naming it: the catalogue is the same for every unit)."""
    found = list(Indicator.objects.filter(is_active=True).order_by("order", "code"))
    if codes is None:
        return found
    wanted = list(dict.fromkeys(codes))
    unknown = [code for code in wanted if code not in {indicator.code for indicator in found}]
    if unknown:
        raise DomainError(
            _("Không có chỉ số đang theo dõi với mã: %(codes)s.") % {"codes": ", ".join(unknown)},
            field="indicator",
            code="invalid",
        )
    return [indicator for indicator in found if indicator.code in wanted]


def indicator_values(*, indicator_codes, unit_ids, years, months=()) -> list[ValueRow]:
    """Rows of indicator × unit × year (value, numerator, denominator, as of), as the dashboards compute them, then
    of indicator × unit × (year, month) for the months asked (the values the roll-up stored at those month ends:
    monthly.month_value_rows); the caller has checked that the units are in the reader's scope."""
    from kynangso.monitoring.monthly import month_value_rows

    chosen = indicators(codes=indicator_codes)
    rows = value_rows(indicators=chosen, unit_ids=unit_ids, years=list(years)) if years else []
    if months:
        rows += month_value_rows(indicators=chosen, unit_ids=unit_ids, months=list(months))
    return rows


def targets(*, unit_ids=None, plan_id: int | None = None, indicator_codes=None, year: int | None = None):
    """The plans' targets, by plan, indicator order, unit and year; `unit_ids` (ids or a subquery) limits them to
    those units, None to none."""
    queryset = Target.objects.select_related("indicator", "unit").order_by(
        "plan_id", "indicator__order", "indicator__code", "unit__code", "year", "id"
    )
    if unit_ids is not None:
        queryset = queryset.filter(unit_id__in=unit_ids)
    if plan_id is not None:
        queryset = queryset.filter(plan_id=plan_id)
    if indicator_codes:
        queryset = queryset.filter(indicator__code__in=list(indicator_codes))
    if year is not None:
        queryset = queryset.filter(year=year)
    return queryset


def manual_value_by_id(value_id: int) -> ManualValue | None:
    """One manual value with its indicator, unit and history, or None."""
    return (
        ManualValue.objects.select_related("indicator", "unit").prefetch_related("events").filter(pk=value_id).first()
    )


def outside_only_counts(*, indicator_codes, unit_id: int, year: int) -> dict[str, int]:
    """Indicator code → the people in the unit's figure for the year counted only through learning on other
    platforms («học trên nền tảng khác», ADR 0042), for the indicators that count outside learning."""
    from kynangso.monitoring.outside import outside_only_count

    found = {}
    for indicator in Indicator.objects.filter(code__in=list(indicator_codes)):
        count = outside_only_count(indicator, unit_id=unit_id, year=year)
        if count is not None:
            found[indicator.code] = count
    return found
