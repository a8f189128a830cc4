"""The demo's annual reports: one approved, one awaiting the province, the province's draft; idempotent."""

import datetime
import io

import pytest

from kynangso.accounts.models import Role
from kynangso.reports import demo
from kynangso.reports.models import AnnualReport
from tests.factories import make_unit, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_units(db):
    root = make_unit("99", "Tỉnh Phú Hòa (dữ liệu mô phỏng)", kind="province")
    tan_phu = make_unit("99007", "Xã Tân Phú", parent=root)
    make_unit("99002", "Phường Hòa Bình", kind="ward", parent=root)
    make_user("quantri_xa", Role.UNIT_ADMIN, tan_phu)
    make_user("quantri_tinh", Role.PROVINCIAL_ADMIN, root)


def test_the_demo_reports_are_created_once(demo_units):
    for _run in range(2):
        demo.populate(today=datetime.date(2026, 12, 1), stdout=io.StringIO())
    statuses = dict(AnnualReport.objects.filter(year=2026).values_list("unit__code", "status"))
    assert statuses == {"99007": "approved", "99002": "submitted", "99": "draft"}


def test_the_demo_does_nothing_without_the_demo_province(db):
    demo.populate(today=datetime.date(2026, 12, 1), stdout=io.StringIO())
    assert not AnnualReport.objects.exists()
