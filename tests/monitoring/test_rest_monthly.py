"""Monthly periods in the indicator API (DHIS2's `202603`): /values and /analytics read what the roll-up stored at
each month end, scoped like the yearly figures; a month the roll-up did not compute, or a manual indicator's month,
has no value (null), never a guess."""

import datetime

import pytest
from django.utils import timezone

from kynangso.monitoring import api as monitoring
from kynangso.monitoring.models import IndicatorValue
from tests.factories import make_person
from tests.monitoring.conftest import make_indicator
from tests.reports.conftest import followed, writer_b  # noqa: F401  (the shared scenario)
from tests.support.indicator_api import elsewhere, get  # noqa: F401  (another province, and the caller)

pytestmark = pytest.mark.django_db


@pytest.fixture
def residents(province):
    """A count of residents, two in commune A and one in ward B, rolled up by month for this year."""
    indicator = make_indicator("nguoi-dan", name="Người dân", source="people", target_group="resident")
    make_person(province.a, full_name="Trần Thị Bích")
    make_person(province.a, full_name="Lê Văn Cường")
    make_person(province.b, full_name="Phạm Minh Đức")
    monitoring.run_full_rollup()
    return indicator


def _month(day: datetime.date) -> str:
    return f"{day.year}{day.month:02d}"


def test_monthly_values_are_the_roll_ups_month_end_figures(client, province, residents, commune_admin):
    today = timezone.localdate()
    response = get(
        client,
        commune_admin,
        "/values",
        {"unit": province.a.pk, "indicator": "nguoi-dan", "period_from": f"{today.year}01", "period_to": _month(today)},
    )

    assert response.status_code == 200, response.content
    items = response.json()["items"]
    assert [item["period"] for item in items] == [f"{today.year}{month:02d}" for month in range(1, today.month + 1)]
    stored = {
        f"{end.year}{end.month:02d}": numerator
        for end, numerator in IndicatorValue.objects.filter(indicator=residents, unit_id=province.a.pk).values_list(
            "period_end", "numerator"
        )
    }
    assert {item["period"]: item["numerator"] for item in items} == {
        item["period"]: stored.get(item["period"], 0) for item in items
    }
    assert items[-1]["value"] == "2" and items[-1]["as_of"] is not None  # both residents, this month


def test_the_analytics_table_takes_months_and_years_together(client, province, residents, provincial_admin):
    today = timezone.localdate()
    response = get(
        client,
        provincial_admin,
        "/analytics",
        {"dimension": ["dx:nguoi-dan", f"ou:{province.root.pk};CHILDREN", f"pe:THIS_MONTH;{today.year}"]},
    )

    assert response.status_code == 200, response.content
    body = response.json()
    cells = {(row[1], row[2]): row[3] for row in body["rows"]}
    assert cells[(str(province.root.pk), _month(today))] == "3"
    assert cells[(str(province.b.pk), _month(today))] == "1"
    assert cells[(str(province.root.pk), str(today.year))] == "3"
    assert body["metaData"]["dimensions"]["pe"] == [str(today.year), _month(today)]
    assert body["metaData"]["items"][_month(today)]["name"] == f"Tháng {today.month:02d}/{today.year}"


def test_a_month_outside_the_callers_scope_is_not_found_and_not_named(
    client,
    province,
    residents,
    commune_admin,
    elsewhere,  # noqa: F811
):
    month = _month(timezone.localdate())
    for unit in (province.root, province.b, elsewhere.commune):
        response = get(client, commune_admin, "/values", {"unit": unit.pk, "period_from": month})
        assert response.status_code == 404 and unit.name not in response.content.decode()
        response = get(client, commune_admin, "/analytics", {"dimension": [f"ou:{unit.pk}", f"pe:{month}"]})
        assert response.status_code == 404 and unit.name not in response.content.decode()


def test_a_month_with_no_values_answers_null(client, province, residents, followed, commune_admin):  # noqa: F811
    never = get(
        client, commune_admin, "/values", {"unit": province.a.pk, "indicator": "nguoi-dan", "period_from": "202001"}
    )
    assert never.status_code == 200
    assert [(i["period"], i["value"], i["numerator"], i["as_of"]) for i in never.json()["items"]] == [
        ("202001", None, None, None)
    ]
    manual = get(
        client,
        commune_admin,
        "/values",
        {"unit": province.a.pk, "indicator": "chien-dich", "period_from": _month(timezone.localdate())},
    )
    assert [item["value"] for item in manual.json()["items"]] == [None]  # manual values are yearly


def test_malformed_or_mixed_periods_are_refused_with_their_field(client, province, residents, commune_admin):
    for params, field in (
        ({"period_from": "202613"}, "period_from"),
        ({"period_from": "2026", "period_to": "202603"}, "period_to"),
        ({"period_from": "202603", "period_to": "202602"}, "period_to"),
        ({"period_from": "202401", "period_to": "202601"}, "period_to"),  # 25 months
        ({"period_from": "1999"}, "period_from"),
    ):
        response = get(client, commune_admin, "/values", {"unit": province.a.pk, **params})
        assert (response.status_code, response.json().get("field")) == (400, field), (params, response.content)
    response = get(client, commune_admin, "/analytics", {"dimension": [f"ou:{province.a.pk}", "pe:202600"]})
    assert (response.status_code, response.json()["field"]) == (400, "dimension")
