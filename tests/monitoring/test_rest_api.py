"""The indicator API (/api/v1/monitoring/): the catalogue, values and the analytics table, targets and manual values,
scoped like the pages: inside scope 200, a unit or value outside 404, no capability 403, nobody logged in 401."""

import pytest

from kynangso.accounts.models import Role
from kynangso.monitoring import api as monitoring
from tests.factories import make_user
from tests.reports.conftest import YEAR, followed, writer_b  # noqa: F401  (the shared scenario)
from tests.support.indicator_api import BASE, bearer, elsewhere, get, post  # noqa: F401  (the caller, another province)

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner(province):
    return make_user("hoc_vien", Role.LEARNER, province.a)


def a_value(followed, unit, code="chien-dich"):  # noqa: F811
    return monitoring.ManualValue.objects.get(indicator__code=code, unit=unit, year=YEAR)


# Who may ask at all -----------------------------------------------------------------------------------------------


def every_endpoint(province, followed):  # noqa: F811
    value = a_value(followed, province.a)
    return [
        ("get", "/indicators", None),
        ("get", "/indicators/chien-dich", None),
        ("get", "/values", {"unit": province.a.pk}),
        ("get", "/analytics", {"dimension": f"ou:{province.a.pk}"}),
        ("get", "/targets", None),
        ("get", "/manual-values", {"unit": province.a.pk}),
        ("get", "/manual-values/pending", None),
        ("get", f"/manual-values/{value.pk}", None),
        ("post", "/manual-values", {"indicator": "chien-dich", "unit_id": province.a.pk, "year": YEAR, "value": 7}),
        ("post", f"/manual-values/{value.pk}/approve", None),
        ("post", f"/manual-values/{value.pk}/return", {"comment": "Bổ sung nguồn số liệu."}),
    ]


def call(client, user, method, path, params):
    return get(client, user, path, params) if method == "get" else post(client, user, path, params)


def test_nobody_logged_in_gets_401_everywhere(client, province, followed):  # noqa: F811
    for method, path, params in every_endpoint(province, followed):
        response = call(client, None, method, path, params)
        assert response.status_code == 401, (method, path, response.content)
        assert response.json()["code"] == "not_authenticated"


def test_a_learner_without_any_monitoring_right_gets_403_everywhere(client, province, followed, learner):  # noqa: F811
    for method, path, params in every_endpoint(province, followed):
        response = call(client, learner, method, path, params)
        assert response.status_code == 403, (method, path, response.content)
        assert response.json()["code"] == "forbidden"


# The catalogue -------------------------------------------------------------------------------------------------


def test_the_catalogue_lists_indicators_with_their_definitions(client, followed, commune_admin):  # noqa: F811
    monitoring.Indicator.objects.create(
        code="dat-chuan",
        name="Tỷ lệ người dân đạt chuẩn",
        measure="percent",
        kind="computed",
        source="passed_standard",
        target_group="resident",
        denominator="people",
        order=0,
    )

    body = get(client, commune_admin, "/indicators").json()

    assert [item["code"] for item in body] == ["dat-chuan", "chien-dich", "truong-stem"]
    computed = body[0]
    assert (computed["measure"], computed["kind"]) == ("percent", "computed")
    assert computed["numerator"]["source"] == "passed_standard"
    assert computed["numerator"]["target_group"] == "resident"
    assert computed["denominator"]["source"] == "people"
    assert body[1]["kind"] == "manual" and body[1]["numerator"] is None


def test_an_unknown_indicator_is_not_found(client, followed, commune_admin):  # noqa: F811
    assert get(client, commune_admin, "/indicators/khong-co").status_code == 404
    assert (
        get(client, commune_admin, "/indicators/chien-dich").json()["name"]
        == "Số chiến dịch truyền thông về kỹ năng số"
    )


# Values ---------------------------------------------------------------------------------------------------------


def test_a_commune_admin_reads_the_values_of_their_commune(client, province, followed, commune_admin):  # noqa: F811
    response = get(
        client,
        commune_admin,
        "/values",
        {"unit": province.a.pk, "indicator": "chien-dich", "period_from": YEAR - 1, "period_to": YEAR},
    )

    assert response.status_code == 200, response.content
    items = response.json()["items"]
    assert [(item["period"], item["value"]) for item in items] == [
        (str(YEAR - 1), "3"),
        (str(YEAR), "6"),
    ]  # a count, rounded once (ADR 0039)
    assert items[1]["unit"]["code"] == "X001" and items[1]["as_of"] is not None


def test_a_unit_outside_the_callers_scope_is_not_found_and_not_named(
    client,
    province,
    followed,
    commune_admin,  # noqa: F811
    elsewhere,
):
    for unit in (province.root, province.b, elsewhere.commune):
        response = get(client, commune_admin, "/values", {"unit": unit.pk})
        assert response.status_code == 404
        assert unit.name not in response.content.decode()


def test_the_province_reads_itself_and_its_children(client, province, followed, provincial_admin):  # noqa: F811
    response = get(
        client,
        provincial_admin,
        "/values",
        {"unit": province.root.pk, "include": "children", "indicator": "chien-dich", "period_from": YEAR},
    )

    values = {item["unit"]["code"]: item["value"] for item in response.json()["items"]}
    assert values["T01"] == "15" and values["X001"] == "6" and values["X002"] == "9"


def test_an_unknown_indicator_or_a_reversed_period_is_refused_with_its_field(
    client,
    province,
    followed,  # noqa: F811
    commune_admin,
):
    unknown = get(client, commune_admin, "/values", {"unit": province.a.pk, "indicator": "khong-co"})
    assert (unknown.status_code, unknown.json()["field"]) == (400, "indicator")
    reversed_period = get(
        client, commune_admin, "/values", {"unit": province.a.pk, "period_from": 2026, "period_to": 2025}
    )
    assert (reversed_period.status_code, reversed_period.json()["field"]) == (400, "period_to")


# The analytics table --------------------------------------------------------------------------------------------


def test_the_analytics_table_is_shaped_like_dhis2(client, province, followed, provincial_admin):  # noqa: F811
    response = client.get(
        f"{BASE}/analytics?dimension=dx:chien-dich;truong-stem&dimension=ou:{province.root.pk};"
        f"CHILDREN&dimension=pe:{YEAR - 1};{YEAR}",
        **bearer(provincial_admin),
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert [header["name"] for header in body["headers"]] == [
        "dx",
        "ou",
        "pe",
        "value",
        "numerator",
        "denominator",
        "as_of",
    ]
    cells = {(row[0], row[1], row[2]): row[3] for row in body["rows"]}
    assert cells[("chien-dich", str(province.a.pk), str(YEAR))] == "6"
    assert cells[("truong-stem", str(province.a.pk), str(YEAR))] == "40.0"  # a percentage, one decimal (ADR 0039)
    assert cells[("chien-dich", str(province.a.pk), str(YEAR - 1))] == "3"
    assert body["height"] == len(body["rows"]) == 2 * 4 * 2  # two indicators, the province and its three children
    assert body["metaData"]["items"][str(province.a.pk)]["name"] == "Xã An Bình"
    assert body["metaData"]["dimensions"]["pe"] == [str(YEAR - 1), str(YEAR)]
    assert body["rows"][0][6].endswith("Z")  # as of: ISO 8601 in UTC, as everywhere in the API


def test_the_analytics_table_refuses_a_unit_outside_scope(
    client,
    province,
    followed,
    commune_admin,  # noqa: F811
    elsewhere,
):
    inside = get(client, commune_admin, "/analytics", {"dimension": f"ou:{province.a.pk}"})
    assert inside.status_code == 200
    for unit in (province.root, elsewhere.commune):
        response = get(client, commune_admin, "/analytics", {"dimension": f"ou:{province.a.pk};{unit.pk}"})
        assert response.status_code == 404 and unit.name not in response.content.decode()


def test_a_malformed_dimension_is_refused_in_vietnamese(client, province, followed, commune_admin):  # noqa: F811
    for dimension in ("xx:1", "ou:abc", "pe:1999", f"ou:{province.a.pk};CHILDREN;DESCENDANTS"):
        params = (
            {"dimension": [f"ou:{province.a.pk}", dimension]}
            if dimension.startswith(("xx", "pe"))
            else {"dimension": dimension}
        )
        response = get(client, commune_admin, "/analytics", params)
        assert response.status_code == 400, (dimension, response.content)
        assert response.json()["field"] == "dimension"


# Targets --------------------------------------------------------------------------------------------------------


def test_targets_are_listed_within_scope(
    client,
    province,
    followed,
    commune_admin,
    provincial_admin,  # noqa: F811
    elsewhere,
):
    mine = get(client, commune_admin, "/targets").json()["items"]
    assert [(item["indicator"], item["unit"]["code"], item["value"]) for item in mine] == [
        ("chien-dich", "X001", "8.00")
    ]
    everything = get(
        client, provincial_admin, "/targets", {"unit": province.root.pk, "descendants": True, "year": YEAR}
    ).json()["items"]
    assert {(item["indicator"], item["unit"]["code"]) for item in everything} == {
        ("chien-dich", "T01"),
        ("chien-dich", "X001"),
        ("truong-stem", "T01"),
    }
    assert get(client, commune_admin, "/targets", {"unit": province.root.pk}).status_code == 404
    assert get(client, elsewhere.admin, "/targets").json()["items"] == []


# Manual values --------------------------------------------------------------------------------------------------


def test_a_commune_submits_a_value_and_the_province_approves_it(
    client,
    province,
    followed,
    commune_admin,  # noqa: F811
    provincial_admin,
):
    submitted = post(
        client,
        commune_admin,
        "/manual-values",
        {"indicator": "chien-dich", "unit_id": province.a.pk, "year": YEAR + 1, "value": 4, "note": "Sổ theo dõi"},
    )
    assert submitted.status_code == 201, submitted.content
    value_id = submitted.json()["id"]
    assert submitted.json()["status"] == "submitted"

    pending = get(client, provincial_admin, "/manual-values/pending").json()["items"]
    assert value_id in [item["id"] for item in pending]
    # The commune cannot approve its own value: that is the parent's decision.
    assert post(client, commune_admin, f"/manual-values/{value_id}/approve").status_code == 403

    approved = post(client, provincial_admin, f"/manual-values/{value_id}/approve")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert [step["action"] for step in approved.json()["history"]] == ["submitted", "approved"]
    again = post(
        client,
        commune_admin,
        "/manual-values",
        {"indicator": "chien-dich", "unit_id": province.a.pk, "year": YEAR + 1, "value": 5},
    )
    assert (again.status_code, again.json()["code"]) == (400, "locked")


def test_the_province_returns_a_value_with_a_comment(
    client,
    province,
    followed,
    commune_admin,  # noqa: F811
    provincial_admin,
):
    entered = monitoring.submit_manual_value(
        indicator_code="chien-dich", unit_id=province.a.pk, year=YEAR + 1, value=2, actor=commune_admin
    )

    returned = post(client, provincial_admin, f"/manual-values/{entered.pk}/return", {"comment": "Thiếu nguồn."})

    assert returned.status_code == 200 and returned.json()["comment"] == "Thiếu nguồn."
    listed = get(client, commune_admin, "/manual-values", {"unit": province.a.pk, "year": YEAR + 1}).json()
    assert [(item["status"], item["comment"]) for item in listed["items"]] == [("returned", "Thiếu nguồn.")]


def test_manual_values_outside_scope_are_not_found(client, province, followed, commune_admin, elsewhere):  # noqa: F811
    theirs = monitoring.submit_manual_value(
        indicator_code="chien-dich",
        unit_id=elsewhere.commune.pk,
        year=YEAR,
        value=1,
        note="Ghi chú ngoài phạm vi",
        actor=elsewhere.admin,
    )
    b_value = a_value(followed, province.b)
    for value in (theirs, b_value):
        assert get(client, commune_admin, f"/manual-values/{value.pk}").status_code == 404
        assert post(client, commune_admin, f"/manual-values/{value.pk}/approve").status_code == 404
        response = post(client, commune_admin, f"/manual-values/{value.pk}/return", {"comment": "x"})
        assert response.status_code == 404 and value.unit.name not in response.content.decode()
    assert get(client, commune_admin, "/manual-values", {"unit": elsewhere.commune.pk}).status_code == 404
    refused = post(
        client,
        commune_admin,
        "/manual-values",
        {"indicator": "chien-dich", "unit_id": elsewhere.commune.pk, "year": YEAR, "value": 1},
    )
    assert refused.status_code == 404 and "Xã Ngoài Phạm Vi" not in refused.content.decode()
    assert "Ghi chú ngoài phạm vi" not in get(client, commune_admin, "/manual-values/pending").content.decode()


def test_a_value_that_is_not_a_number_in_range_is_refused_by_the_schema(
    client,
    province,
    followed,  # noqa: F811
    commune_admin,
):
    for value in (-1, 10**15, "", "12", True):
        response = post(
            client,
            commune_admin,
            "/manual-values",
            {"indicator": "chien-dich", "unit_id": province.a.pk, "year": YEAR, "value": value},
        )
        assert response.status_code == 422, response.content


def test_the_openapi_schema_lists_the_indicator_api(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/indicators",
        "/values",
        "/analytics",
        "/targets",
        "/manual-values",
        "/manual-values/{value_id}/approve",
    ):
        assert f"{BASE}{path}" in paths
