"""Fixtures of the plans tests: a plan followed up by a department, with a quarterly campaign led by another."""

import datetime

import pytest

from kynangso.accounts.models import Role
from kynangso.plans import services
from tests.factories import make_unit, make_user
from tests.plans.helpers import make_plan

PASSWORD = "Mat-khau-an-toan-2025"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Each plans test creates several users; a fast hasher keeps the suite quick (never in production)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def campaign(province):
    """Plan 154/KH-UBND followed up by Sở Thông tin và Truyền thông; task III.1.a (quarterly, this year) led by
    Sở Nội vụ with commune A cooperating; task III.2.a (yearly) led by commune B. Users: `lead_user` (Sở Nội vụ),
    `owner_user` (the department in charge), `commune_user` (commune A), `other_user` (commune B)."""
    owner = make_unit("S02", "Sở Thông tin và Truyền thông", kind="department", parent=province.root)
    lead = make_unit("S03", "Sở Nội vụ", kind="department", parent=province.root)
    year = datetime.date.today().year
    plan = make_plan(number_symbol="154/KH-UBND", owner_unit=owner)
    plan.period_start, plan.period_end = datetime.date(year - 1, 1, 1), datetime.date(year + 1, 12, 31)
    plan.save()
    group = services.save_task_group(plan=plan, code="III.1", title="Nhóm các nhiệm vụ nâng cao nhận thức", order=1)
    task = services.add_task(
        group=group,
        code="III.1.a",
        title="Xây dựng chiến dịch truyền thông về chuyển đổi số",
        lead_unit=lead,
        lead_unit_label="Sở Nội vụ",
        recurrence="quarterly",
        starts_on=datetime.date(year, 1, 1),
        ends_on=datetime.date(year, 12, 31),
        cooperating_units=[province.a],
        cooperating_label="Xã An Bình",
        schedule_label="mỗi quý/01 chiến dịch",
        expected_outputs="Các chương trình, chiến dịch truyền thông.",
    )
    group2 = services.save_task_group(plan=plan, code="III.2", title="Nhóm phổ cập kỹ năng", order=2)
    other = services.add_task(
        group=group2,
        code="III.2.a",
        title="Tổ chức tập huấn kỹ năng số",
        lead_unit=province.b,
        lead_unit_label="Phường Bình Minh",
        recurrence="yearly",
        starts_on=datetime.date(year, 1, 1),
        ends_on=datetime.date(year, 12, 31),
    )
    return type(
        "Campaign",
        (),
        {
            "plan": plan,
            "task": task,
            "other_task": other,
            "owner": owner,
            "lead": lead,
            "year": year,
            "province": province,
            "lead_user": make_user("so_noi_vu", Role.UNIT_ADMIN, lead, password=PASSWORD),
            "owner_user": make_user("so_tttt", Role.UNIT_ADMIN, owner, password=PASSWORD),
            "commune_user": make_user("xa_an_binh", Role.UNIT_ADMIN, province.a, password=PASSWORD),
            "other_user": make_user("phuong_binh_minh", Role.UNIT_ADMIN, province.b, password=PASSWORD),
        },
    )
