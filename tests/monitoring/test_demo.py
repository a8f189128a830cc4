"""The monitoring part of the demo: the Đồng Tháp targets on the demo province and a roll-up, idempotent."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest

from kynangso.demo import province as demo_province
from kynangso.monitoring import api as monitoring
from kynangso.monitoring import demo
from kynangso.monitoring.models import IndicatorValue, Target
from kynangso.orgs import api as orgs


@pytest.mark.django_db
def test_demo_puts_a_seed_plans_targets_on_the_demo_province_and_rolls_up_twice_the_same():
    demo_province.load_demo_province()
    today = datetime.date(2026, 3, 10)
    demo.populate(today=today, stdout=StringIO())
    province = orgs.unit_by_code("99")
    first = sorted(
        IndicatorValue.objects.values_list("indicator_id", "unit_id", "period_end", "numerator", "denominator")
    )
    assert Target.objects.filter(unit=province).count() == 24
    assert first
    demo.populate(today=today, stdout=StringIO())
    assert Target.objects.filter(unit=province).count() == 24
    assert (
        sorted(IndicatorValue.objects.values_list("indicator_id", "unit_id", "period_end", "numerator", "denominator"))
        == first
    )
    ((plan_id, _number, _title),) = monitoring.monitoring_plans()  # without the plans app's demo step: one plan
    statuses = monitoring.indicator_statuses(plan_id=plan_id, unit_id=province.pk, year=2025)
    assert len(statuses) == 14 and all(s.target is not None for s in statuses)


@pytest.mark.django_db
def test_the_demo_plan_has_its_own_targets_every_year_to_2030_agreeing_with_the_seed_plan():
    from kynangso.monitoring import targets
    from kynangso.plans import demo as plans_demo

    demo_province.load_demo_province()
    today = datetime.date(2026, 3, 10)
    plans_demo.populate(today=today, stdout=StringIO())
    demo.populate(today=today, stdout=StringIO())
    province = orgs.unit_by_code("99")
    own = Target.objects.filter(plan__key=plans_demo.KEY, unit=province)
    by_indicator: dict[str, dict[int, Decimal]] = {}
    for code, year, value in own.values_list("indicator__code", "year", "value"):
        by_indicator.setdefault(code, {})[year] = value
    assert by_indicator and all(set(years) == set(range(2025, 2031)) for years in by_indicator.values())
    assert "thon-co-to-cong-nghe-so" in by_indicator
    # Where the source plan (Hậu Giang, Decision 146) sets a 2025 or 2030 target, the demo plan sets the same.
    seed = targets.target_entries(targets.DATA_DIR / "targets" / "hau-giang.yaml")
    for entry in seed["targets"]:
        for year, value in entry["values"].items():
            assert by_indicator[entry["indicator"]][int(year)] == Decimal(value), entry
    # The demo's own plan is the one the dashboards open on, and their year list reaches 2030.
    plan_id = monitoring.monitoring_plans()[0][0]
    assert own.filter(plan_id=plan_id).exists()
    assert monitoring.dashboard_years(today)[0] == 2030
    statuses = monitoring.indicator_statuses(plan_id=plan_id, unit_id=province.pk, year=2030)
    assert statuses and all(s.target is not None for s in statuses)
    # The demo's hamlets give the community-team indicator a real figure: 7 of 12 hamlets have a team with members.
    this_year = monitoring.indicator_statuses(plan_id=plan_id, unit_id=province.pk, year=today.year)
    hamlets = next(s for s in this_year if s.indicator_code == "thon-co-to-cong-nghe-so")
    assert (hamlets.numerator, hamlets.denominator) == (7, 12)
