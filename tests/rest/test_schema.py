"""The published description of the REST API: the OpenAPI schema and the browsable docs."""

import pytest


@pytest.fixture
def schema(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_openapi_schema_lists_people_and_units_paths(schema):
    assert {
        "/api/v1/auth/token",
        "/api/v1/auth/tokens",
        "/api/v1/auth/tokens/{token_id}",
        "/api/v1/units",
        "/api/v1/units/{unit_id}",
        "/api/v1/people",
        "/api/v1/people/{person_id}",
        "/api/v1/people/{person_id}/personal-data",
    } <= set(schema["paths"])
    assert {"get", "post"} <= set(schema["paths"]["/api/v1/people"])
    assert {"get", "patch"} <= set(schema["paths"]["/api/v1/units/{unit_id}"])


def test_schema_declares_bearer_token_and_session_authentication(schema):
    schemes = schema["components"]["securitySchemes"]

    assert schemes["BearerTokenAuth"] == {"type": "http", "scheme": "bearer"}
    assert schemes["SessionCookieAuth"]["in"] == "cookie"


def test_token_endpoint_needs_no_authentication(schema):
    assert "security" not in schema["paths"]["/api/v1/auth/token"]["post"]
    assert schema["paths"]["/api/v1/people"]["get"]["security"]


def test_schema_describes_fields_in_vietnamese(schema):
    person = schema["components"]["schemas"]["PersonCreate"]["properties"]

    assert person["national_id"]["description"].startswith("Số định danh cá nhân")
    assert schema["info"]["title"] == "Kỹ Năng Số API"


def test_list_schema_offers_only_masked_identity_fields(schema):
    summary = schema["components"]["schemas"]["PersonSummary"]["properties"]

    assert {"national_id_masked", "phone_masked", "birth_year"} <= set(summary)
    assert not {"national_id", "phone", "birth_date"} & set(summary)


def test_docs_page_is_served(client, db):
    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    assert b"openapi.json" in response.content


def test_docs_page_sends_csrf_token_for_session_writes(client, commune_admin):
    client.force_login(commune_admin)

    response = client.get("/api/v1/docs")

    page = response.content.decode()
    assert 'data-api-csrf="true"' in page
    assert 'data-csrf-token="' in page and 'data-csrf-token=""' not in page


def test_docs_page_loads_swagger_from_our_own_static_files(client, db):
    page = client.get("/api/v1/docs").content.decode()
    assert "cdn.jsdelivr.net" not in page
    assert "/static/ninja/" in page


def test_every_operation_has_a_short_unique_id_named_after_its_app(schema):
    operations = [
        (path, method, operation) for path, methods in schema["paths"].items() for method, operation in methods.items()
    ]
    ids = [operation["operationId"] for _path, _method, operation in operations]
    assert len(ids) == len(set(ids))
    for path, _method, operation in operations:
        app, _sep, handler = operation["operationId"].partition("_")
        assert handler and operation["tags"] == [app], (path, operation["operationId"])
    assert schema["paths"]["/api/v1/assessment/attempts"]["post"]["operationId"] == "assessment_start"


def test_every_tag_is_described_in_vietnamese(schema):
    described = {tag["name"]: tag["description"] for tag in schema["tags"]}
    used = {operation["tags"][0] for methods in schema["paths"].values() for operation in methods.values()}
    assert used <= set(described)
    assert "Sát hạch" in described["assessment"]
