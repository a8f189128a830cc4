"""A province shares its count target out among the units below by their recorded figures (issue 17): the shares add
up exactly, typed targets are kept, and a commune's dashboard says its target was allocated and from where."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from kynangso.errors import DomainError
from kynangso.monitoring import api as monitoring
from kynangso.orgs import api as orgs
from tests.monitoring.conftest import at
from tests.support.allocation import confirmed  # noqa: F401  (the shared scenario)

D = datetime.date


def _targets(confirmed):
    return {row.unit.code: row.value for row in monitoring.Target.objects.filter(allocated_from=confirmed.target)}


def test_the_shares_follow_the_recorded_figures_and_add_up_to_the_target(confirmed):
    monitoring.allocate_target(target=confirmed.target, basis="working_age_residents")
    # The department has no residents to count: the indicator does not apply to it, so it gets no share.
    assert _targets(confirmed) == {"X001": Decimal(707), "X002": Decimal(293)}  # 707,07 · 292,93


def test_remainders_go_to_the_largest_fractions_so_the_sum_is_exact(confirmed, province):
    orgs.set_denominator(unit=province.b, year=2025, kind="working_age_residents", value=291)
    monitoring.allocate_target(target=confirmed.target, basis="working_age_residents")
    shares = _targets(confirmed)
    assert sum(shares.values()) == 1000
    assert shares == {"X001": Decimal(706), "X002": Decimal(294)}  # 706,36 · 293,64


def test_a_typed_target_is_kept_and_the_rest_is_shared_and_allocating_again_replaces(confirmed, province):
    monitoring.set_target(plan=confirmed.plan, indicator=confirmed.indicator, unit=province.a, year=2025, value=400)
    monitoring.allocate_target(target=confirmed.target, basis="working_age_residents")
    monitoring.allocate_target(target=confirmed.target, basis="working_age_residents")
    assert _targets(confirmed) == {"X002": Decimal(600)}
    assert monitoring.Target.objects.get(unit=province.a, indicator=confirmed.indicator).value == 400


def test_a_unit_without_its_figure_stops_the_allocation_and_nothing_is_written(confirmed, province):
    orgs.set_denominator(unit=province.b, year=2024, kind="working_age_residents", value=1)
    from kynangso.orgs.models import UnitDenominator

    UnitDenominator.objects.filter(unit=province.b, year=2025).delete()
    with pytest.raises(DomainError, match="Phường Bình Minh"):
        monitoring.allocate_target(target=confirmed.target, basis="working_age_residents")
    assert _targets(confirmed) == {}


def test_percentage_targets_are_not_allocated(confirmed, province, resident_pass_rate):
    share = monitoring.set_target(
        plan=confirmed.plan, indicator=resident_pass_rate, unit=province.root, year=2025, value=50
    )
    with pytest.raises(DomainError, match="chỉ phân bổ chỉ tiêu số lượng"):
        monitoring.allocate_target(target=share, basis="working_age_residents")


def test_the_communes_status_says_its_target_was_allocated_from_the_province(confirmed, province):
    monitoring.allocate_target(target=confirmed.target, basis="working_age_residents")
    monitoring.run_full_rollup(years=[2025], today=D(2025, 6, 20), now=at(2025, 6, 20, 12))
    (status,) = monitoring.indicator_statuses(plan_id=confirmed.plan.pk, unit_id=province.b.pk, year=2025)
    assert (status.target, status.target_inherited_from) == (Decimal(293), None)
    assert status.target_allocated_from == "Tỉnh Thử nghiệm"


def test_the_command_prints_each_share_in_vietnamese_numbers(confirmed, capsys):
    call_command("allocate-target", plan="ke-hoach-phan-bo", indicator="xac-nhan-vneid", unit="T01", year=2025)
    out = capsys.readouterr().out
    assert "Xã An Bình: 707" in out and "Đã phân bổ 1.000 cho 2 đơn vị." in out
    with pytest.raises(CommandError, match="Không tìm thấy chỉ tiêu"):
        call_command("allocate-target", plan="ke-hoach-phan-bo", indicator="xac-nhan-vneid", unit="T01", year=2026)
