"""What the dashboards read: statuses with targets (inherited from above), gap, progress, trend, projection and risk;
drill-down, ranking, plans with targets and the public headline figures."""

import datetime
from decimal import Decimal

import pytest

from kynangso.errors import DomainError, ErrorCode
from kynangso.monitoring import api as monitoring
from kynangso.monitoring.targets import set_target
from kynangso.plans import api as plans
from tests.monitoring.conftest import at

D = datetime.date
CODE = "nguoi-dan-dat-chuan"


@pytest.fixture
def plan(db):
    return plans.create_plan(
        key="ke-hoach-thu",
        title="Kế hoạch thử nghiệm",
        issuing_body="UBND tỉnh Thử nghiệm",
        issued_year=2024,
        period_start=D(2024, 1, 1),
        period_end=D(2030, 12, 31),
        number_symbol="12/KH-UBND",
    )


@pytest.fixture
def rolled_up(scene, resident_pass_rate, plan):
    """The scene rolled up on 20 June 2025, with a 50% target for the province and 40% for commune A in 2025."""
    set_target(plan=plan, indicator=resident_pass_rate, unit=scene.province.root, year=2025, value=50)
    set_target(plan=plan, indicator=resident_pass_rate, unit=scene.province.a, year=2025, value=40)
    monitoring.run_full_rollup(years=[2025], today=D(2025, 6, 20), now=at(2025, 6, 20, 12))
    return scene


def status_at(plan, unit, year=2025):
    (status,) = monitoring.indicator_statuses(plan_id=plan.pk, unit_id=unit.pk, year=year)
    return status


def test_province_status_has_value_target_gap_and_progress(rolled_up, plan):
    status = status_at(plan, rolled_up.province.root)
    assert (status.indicator_code, status.measure) == (CODE, "percent")
    assert (status.value, status.numerator, status.denominator) == (Decimal("4.00"), 4, 100)
    assert (status.target, status.target_year, status.target_inherited_from) == (Decimal("50"), 2025, None)
    assert status.gap == Decimal("46.00")
    assert status.progress == pytest.approx(0.08)
    assert status.computed_at == at(2025, 6, 20, 12)


def test_trend_has_one_point_per_month_end(rolled_up, plan):
    trend = status_at(plan, rolled_up.province.root).trend
    # Passed by each month end, per 100 working-age residents: Jan p3 p6 · Feb +p1 · Mar +p4 +p7 · Jun p6 turns 61.
    assert trend == [
        (D(2025, 1, 31), Decimal("2.00")),
        (D(2025, 2, 28), Decimal("3.00")),
        (D(2025, 3, 31), Decimal("5.00")),
        (D(2025, 4, 30), Decimal("5.00")),
        (D(2025, 5, 31), Decimal("5.00")),
        (D(2025, 6, 30), Decimal("4.00")),
    ]


def test_projection_is_the_linear_trend_at_the_end_of_the_target_year_and_flags_risk(rolled_up, plan):
    status = status_at(plan, rolled_up.province.root)
    # June was counted on 20 June only (partial), so it is not fitted: x = days after 31 Jan (0, 28, 59, 89, 120),
    # y = 2, 3, 5, 5, 5: slope 240.2 / 9062.8 = 0.026504 per day, mean (59.2, 4.0); 31 Dec is day 334:
    # 4.0 + 0.026504 × 274.8 = 11.283 → 11,3, below 50.
    assert status.projection == Decimal("11.3")
    assert status.partial_until == D(2025, 6, 20)
    assert status.at_risk is True


def test_commune_with_its_own_target_uses_it(rolled_up, plan):
    status = status_at(plan, rolled_up.province.a)
    assert (status.value, status.target, status.target_inherited_from) == (Decimal("30.00"), Decimal("40"), None)
    assert status.progress == pytest.approx(0.75)


def test_commune_without_a_target_inherits_the_provinces(rolled_up, plan):
    status = status_at(plan, rolled_up.province.b)
    assert (status.value, status.target) == (Decimal("20.00"), Decimal("50"))
    assert status.target_inherited_from == "Tỉnh Thử nghiệm"


def test_a_later_years_target_is_used_when_the_year_has_none(rolled_up, plan, resident_pass_rate):
    set_target(plan=plan, indicator=resident_pass_rate, unit=rolled_up.province.root, year=2030, value=90)
    status = status_at(plan, rolled_up.province.b, year=2026)
    assert (status.target, status.target_year) == (Decimal("90"), 2030)


def test_drill_down_lists_the_active_children_without_the_merged_commune(rolled_up, plan):
    rows = monitoring.child_unit_statuses(
        plan_id=plan.pk, unit_id=rolled_up.province.root.pk, year=2025, indicator_code=CODE
    )
    # The department has no residents: a residence indicator leaves it out.
    assert [(name, status.value) for _id, name, status in rows] == [
        ("Xã An Bình", Decimal("30.0")),
        ("Phường Bình Minh", Decimal("20.0")),
    ]


def test_ranking_orders_children_by_progress_towards_their_target(rolled_up, plan):
    ranking = monitoring.unit_ranking(
        plan_id=plan.pk, parent_unit_id=rolled_up.province.root.pk, year=2025, indicator_code=CODE
    )
    assert [(row.rank, row.unit_name) for row in ranking] == [(1, "Xã An Bình"), (2, "Phường Bình Minh")]
    assert ranking[0].progress == pytest.approx(0.75) and ranking[1].target == Decimal("50")


def test_monitoring_plans_lists_plans_with_targets(rolled_up, plan):
    assert monitoring.monitoring_plans() == [(plan.pk, "12/KH-UBND", "Kế hoạch thử nghiệm")]


def test_followed_plan_is_the_one_asked_for_or_the_newest_and_never_another_in_its_place(rolled_up, plan):
    assert monitoring.followed_plan() == (plan.pk, "12/KH-UBND", "Kế hoạch thử nghiệm")
    assert monitoring.followed_plan(plan.pk) == (plan.pk, "12/KH-UBND", "Kế hoạch thử nghiệm")
    with pytest.raises(DomainError) as refused:
        monitoring.followed_plan(plan.pk + 1000)
    assert refused.value.code == ErrorCode.NOT_FOUND


def test_no_plan_is_followed_before_any_has_a_target(db):
    assert monitoring.followed_plan() is None


def test_headline_figures_show_the_provinces_plan_indicators(rolled_up, plan):
    figures = monitoring.headline_figures(province_unit_id=rolled_up.province.root.pk, year=2025)
    assert [(f.indicator_code, f.value, f.target) for f in figures] == [(CODE, Decimal("4.00"), Decimal("50"))]


def test_headline_figures_without_a_plan_show_every_computed_indicator(scene, resident_pass_rate, officials_assessed):
    monitoring.run_full_rollup(years=[2025], today=D(2025, 6, 20), now=at(2025, 6, 20, 12))
    figures = monitoring.headline_figures(province_unit_id=scene.province.root.pk, year=2025)
    assert {(f.indicator_code, f.value) for f in figures} == {
        (CODE, Decimal("4.00")),
        ("cbccvc-danh-gia-trong-nam", Decimal("33.3")),
    }


def test_before_any_roll_up_the_value_is_unknown(scene, resident_pass_rate, plan):
    set_target(plan=plan, indicator=resident_pass_rate, unit=scene.province.root, year=2025, value=50)
    status = status_at(plan, scene.province.root)
    assert (status.value, status.computed_at, status.trend) == (None, None, [])
    assert status.at_risk is True


def test_target_attainment_is_the_mean_progress_towards_the_plans_targets(rolled_up, plan):
    units = rolled_up.province
    attainment = monitoring.target_attainment(
        plan_id=plan.pk, unit_ids=[units.a.pk, units.b.pk, units.department.pk], year=2025
    )
    # A: 30% of a 40% target; B: 20% of the inherited 50%; the department has no figure and is left out.
    assert attainment == {units.a.pk: pytest.approx(0.75), units.b.pk: pytest.approx(0.4)}


def test_the_plans_emulation_ranking_weighs_in_progress_towards_targets(rolled_up, plan):
    from tests.plans.helpers import make_task

    units = rolled_up.province
    make_task(plan=plan, code="III.1.a", lead_unit=units.b)
    make_task(plan=plan, code="III.1.b", lead_unit=units.a)
    # No quarter reported by either commune: only the indicator part (weight 30 of 100) separates them.
    ranking = plans.weighted_ranking(plan, year=2025, today=D(2026, 1, 2))
    assert [(row.unit_id, row.rank) for row in ranking] == [(units.a.pk, 1), (units.b.pk, 2)]
    assert ranking[0].score == pytest.approx(0.75 * 30 / 100) and ranking[0].extra == {"indicators": 0.75}
    plan.ranking_weight_indicators = 0
    plan.save()
    unweighted = plans.weighted_ranking(plan, year=2025, today=D(2026, 1, 2))
    assert {row.rank for row in unweighted} == {1} and all(row.extra == {} for row in unweighted)


def test_a_count_target_is_not_inherited_by_the_communes(scene, plan):
    """The province's count target (people confirmed) is the province's: a commune without its own has no target,
    so it is neither measured against it nor flagged at risk; a percentage target still passes down."""
    from tests.monitoring.conftest import make_indicator

    confirmed = make_indicator(
        "xac-nhan-vneid",
        name="Số người được xác nhận",
        measure="count",
        source="passed_standard",
        standard_code="CHUAN-NGUOI-DAN",
        target_group="resident",
        attribution="residence",
        period_mode="cumulative",
    )
    set_target(plan=plan, indicator=confirmed, unit=scene.province.root, year=2025, value=1_020_000)
    set_target(plan=plan, indicator=confirmed, unit=scene.province.a, year=2025, value=3)
    monitoring.run_full_rollup(years=[2025], today=D(2025, 6, 20), now=at(2025, 6, 20, 12))
    by_unit = {unit: status_at(plan, unit) for unit in (scene.province.root, scene.province.a, scene.province.b)}
    assert by_unit[scene.province.root].target == Decimal("1020000")
    assert (by_unit[scene.province.a].target, by_unit[scene.province.a].target_inherited_from) == (Decimal("3"), None)
    assert by_unit[scene.province.b].target is None and not by_unit[scene.province.b].at_risk


def test_units_an_indicator_does_not_apply_to_are_left_out_of_drill_downs_and_dashboards(
    rolled_up, plan, officials_assessed
):
    """Residents are counted where they live: the department (a child of the province) and the school (under commune
    A) have none, so they are not ranked or flagged on a resident indicator; an officials' indicator counted at
    workplaces still lists the department."""
    province = rolled_up.province
    children = [
        name
        for _id, name, _status in monitoring.child_unit_statuses(
            plan_id=plan.pk, unit_id=province.root.pk, year=2025, indicator_code="nguoi-dan-dat-chuan"
        )
    ]
    assert province.department.name not in children and province.a.name in children
    assert [
        row.unit_name
        for row in monitoring.unit_ranking(
            plan_id=plan.pk, parent_unit_id=province.root.pk, year=2025, indicator_code="nguoi-dan-dat-chuan"
        )
    ] == children
    assert monitoring.indicator_statuses(plan_id=plan.pk, unit_id=province.school.pk, year=2025) == []
    officials = [
        name
        for _id, name, _status in monitoring.child_unit_statuses(
            plan_id=plan.pk, unit_id=province.root.pk, year=2025, indicator_code=officials_assessed.code
        )
    ]
    assert province.department.name in officials
