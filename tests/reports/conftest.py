"""A small province with a followed plan, two manual indicators with approved values, and report writers."""

import datetime
from decimal import Decimal

import pytest

from kynangso.accounts.models import Role
from kynangso.monitoring import api as monitoring
from kynangso.plans import api as plans
from tests.factories import make_user

YEAR = 2026
PASSWORD = "Mat-khau-an-toan-2025"


def make_manual_indicator(code, name, measure, order):
    indicator = monitoring.Indicator(code=code, name=name, measure=measure, kind="manual", order=order)
    indicator.full_clean()
    indicator.save()
    return indicator


@pytest.fixture
def followed(province, provincial_admin, commune_admin):
    """Campaigns (count): commune A 6 (own target 8; 3 the year before), ward B 9; the province 15 against 20.
    Schools with STEM (percent): commune A 40%, target 50% inherited from the province."""
    plan = plans.create_plan(
        key="ke-hoach-thu",
        number_symbol="99/KH-UBND",
        title="Kế hoạch thử nghiệm",
        issuing_body="UBND tỉnh Thử nghiệm",
        issued_year=2025,
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2030, 12, 31),
    )
    campaigns = make_manual_indicator("chien-dich", "Số chiến dịch truyền thông về kỹ năng số", "count", 1)
    stem = make_manual_indicator("truong-stem", "Tỷ lệ trường tổ chức hoạt động STEM/STEAM", "percent", 2)
    for indicator, unit, value in (
        (campaigns, province.root, 20),
        (campaigns, province.a, 8),
        (stem, province.root, 50),
    ):
        monitoring.Target.objects.create(
            plan_id=plan.pk, indicator=indicator, unit=unit, year=YEAR, value=Decimal(value)
        )
    writer_b = make_user("admin_xa_b", Role.UNIT_ADMIN, province.b)
    for code, unit, year, value, actor in (
        ("chien-dich", province.a, YEAR - 1, 3, commune_admin),
        ("chien-dich", province.a, YEAR, 6, commune_admin),
        ("chien-dich", province.b, YEAR, 9, writer_b),
        ("truong-stem", province.a, YEAR, 40, commune_admin),
    ):
        entered = monitoring.submit_manual_value(
            indicator_code=code, unit_id=unit.pk, year=year, value=value, note="", actor=actor
        )
        monitoring.approve_manual_value(value_id=entered.pk, actor=provincial_admin)
    return type("Followed", (), {"plan": plan, "campaigns": campaigns, "stem": stem, "writer_b": writer_b})


@pytest.fixture
def writer_b(followed):
    return followed.writer_b


def fill_sections(report, actor, **extra):
    from kynangso.reports import api as reports

    fields = {
        "general_assessment": "Đơn vị đã triển khai đầy đủ các nhiệm vụ.",
        "number_symbol": "15/BC-UBND",
        "place_name": "An Bình",
        "signer_title": "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
        "signer_name": "Trần Văn Bình",
        **extra,
    }
    return reports.update_report(report=report, actor=actor, **fields)
