"""Short ways to build a plan with one task for the plans tests."""

import datetime
from pathlib import Path

import kynangso.plans
from kynangso.plans import services

DATA = Path(kynangso.plans.__file__).parent / "data"  # the shipped plans


def make_plan(*, key="ke-hoach-thu", number_symbol="", annual_report_due=None, owner_unit=None):
    return services.create_plan(
        key=key,
        number_symbol=number_symbol,
        title="Kế hoạch thử nghiệm",
        issuing_body="UBND tỉnh Thử nghiệm",
        issued_year=2025,
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2030, 12, 31),
        owner_unit=owner_unit,
        annual_report_due=annual_report_due,
    )


def make_task(
    *,
    plan=None,
    code="III.1.a",
    lead_unit=None,
    recurrence="quarterly",
    starts_on=datetime.date(2025, 1, 1),
    ends_on=datetime.date(2025, 12, 31),
    cooperating_units=(),
    today=datetime.date(2025, 1, 1),
    **extra,
):
    plan = plan or make_plan()
    group = services.save_task_group(plan=plan, code=code.rsplit(".", 1)[0], title="Nhóm nhiệm vụ")
    return services.add_task(
        group=group,
        code=code,
        title=f"Nhiệm vụ {code}",
        lead_unit=lead_unit,
        lead_unit_label=lead_unit.name if lead_unit else "UBND các huyện, thị xã, thành phố",
        recurrence=recurrence,
        starts_on=starts_on,
        ends_on=ends_on,
        cooperating_units=cooperating_units,
        today=today,
        **extra,
    )
