"""The monitoring part of the demo: the Đồng Tháp targets on the demo province and a roll-up, idempotent."""

import datetime
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
    ((plan_id, _number, _title),) = monitoring.monitoring_plans()
    statuses = monitoring.indicator_statuses(plan_id=plan_id, unit_id=province.pk, year=2025)
    assert len(statuses) == 14 and all(s.target is not None for s in statuses)
