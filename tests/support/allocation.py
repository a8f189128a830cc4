"""The allocation scenario shared by the service, page and browser tests: a province's count target to share out."""

import datetime

import pytest

from kynangso.monitoring import api as monitoring
from kynangso.orgs import api as orgs
from kynangso.plans import api as plans
from tests.monitoring.conftest import make_indicator

D = datetime.date


@pytest.fixture
def confirmed(province):
    """A count indicator with the province's target of 1.000 confirmations in 2025, and the working-age residents of
    the units directly below it: A 700, B 290, the department 10."""
    plan = plans.create_plan(
        key="ke-hoach-phan-bo",
        title="Kế hoạch thử nghiệm",
        issuing_body="UBND tỉnh",
        issued_year=2025,
        period_start=D(2025, 1, 1),
        period_end=D(2030, 12, 31),
    )
    indicator = make_indicator(
        "xac-nhan-vneid",
        name="Số người được xác nhận",
        measure="count",
        source="people",
        target_group="resident",
        attribution="residence",
    )
    target = monitoring.set_target(plan=plan, indicator=indicator, unit=province.root, year=2025, value=1000)
    for unit, value in ((province.a, 700), (province.b, 290), (province.department, 10)):
        orgs.set_denominator(unit=unit, year=2025, kind="working_age_residents", value=value)
    return type("Confirmed", (), {"plan": plan, "indicator": indicator, "target": target})
