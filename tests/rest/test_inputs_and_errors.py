"""Bounded, strict inputs (422, never an overflow 500), the one error body of the API, authorization before
validation, and the error statuses, examples and links that the published schema declares."""

import pytest

from kynangso.accounts.models import Role
from kynangso.people.models import Person
from tests.factories import make_user
from tests.rest.conftest import new_person_body

HUGE = "99999999999999999999999"


@pytest.fixture
def learner(province):
    return make_user("hoc_vien", Role.LEARNER, province.a)


def assert_error_body(response, status: int, code: str):
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == code
    assert body["message"] and body["detail"] == body["message"]


def test_people_unit_filter_beyond_64_bits_is_a_422_not_an_overflow(client, auth_for, commune_admin):
    response = client.get(f"/api/v1/people?unit={HUGE}", **auth_for(commune_admin))

    assert_error_body(response, 422, "validation_error")
    assert response.json()["field"] == "unit"


def test_people_offset_beyond_the_limit_is_a_422(client, auth_for, commune_admin):
    response = client.get("/api/v1/people?offset=9223372036854775808", **auth_for(commune_admin))

    assert_error_body(response, 422, "validation_error")
    assert response.json()["errors"][0]["field"] == "offset"


def test_people_search_unit_beyond_64_bits_is_a_422(send_json, auth_for, commune_admin):
    response = send_json("post", "/api/v1/people/search", {"unit": int(HUGE)}, **auth_for(commune_admin))

    assert_error_body(response, 422, "validation_error")


def test_saving_an_answer_of_an_attempt_id_beyond_64_bits_is_a_422(send_json, auth_for, learner):
    response = send_json(
        "put",
        "/api/v1/assessment/attempts/99999999999999999999/answers/1",
        {"answer": {"choice": "a"}},
        **auth_for(learner),
    )

    assert_error_body(response, 422, "validation_error")


def test_saving_an_answer_at_a_position_beyond_the_column_is_a_422(send_json, auth_for, learner):
    response = send_json(
        "put", "/api/v1/assessment/attempts/1/answers/40000", {"answer": {"choice": "a"}}, **auth_for(learner)
    )

    assert_error_body(response, 422, "validation_error")


@pytest.mark.parametrize(
    "url",
    [
        f"/api/v1/assessment/attempts/{HUGE}",
        f"/api/v1/assessment/attempts/{HUGE}/result",
        f"/api/v1/people/{HUGE}",
    ],
)
def test_path_ids_beyond_64_bits_are_a_422(client, auth_for, learner, url):
    assert_error_body(client.get(url, **auth_for(learner)), 422, "validation_error")


def test_revoking_a_token_id_beyond_64_bits_is_a_422(client, auth_for, learner):
    assert_error_body(client.delete(f"/api/v1/auth/tokens/{HUGE}", **auth_for(learner)), 422, "validation_error")


def test_unknown_field_when_starting_an_attempt_is_refused(send_json, auth_for, learner):
    response = send_json(
        "post", "/api/v1/assessment/attempts", {"standard_code": "THU", "mode": "practice"}, **auth_for(learner)
    )

    assert_error_body(response, 422, "validation_error")
    assert response.json()["errors"][0] == {
        "field": "mode",
        "message": "Trường này không có trong API.",
        "type": "extra_forbidden",
    }


def test_unknown_field_in_an_answer_is_refused(send_json, auth_for, learner):
    response = send_json(
        "put",
        "/api/v1/assessment/attempts/1/answers/1",
        {"answer": {"choice": "a"}, "final": True},
        **auth_for(learner),
    )

    assert_error_body(response, 422, "validation_error")


def test_a_unit_id_sent_as_true_is_not_read_as_unit_1(send_json, auth_for, commune_admin, province):
    response = send_json(
        "post", "/api/v1/people", new_person_body(province.a, residence_unit_id=True), **auth_for(commune_admin)
    )

    assert_error_body(response, 422, "validation_error")
    assert not Person.objects.exists()


def test_a_blank_full_name_is_refused_by_the_schema(send_json, auth_for, commune_admin, province):
    response = send_json(
        "post", "/api/v1/people", new_person_body(province.a, full_name="   "), **auth_for(commune_admin)
    )

    assert_error_body(response, 422, "validation_error")


def test_renaming_a_unit_to_an_empty_name_is_refused_by_the_schema(send_json, auth_for, provincial_admin, province):
    response = send_json("patch", f"/api/v1/units/{province.a.id}", {"name": ""}, **auth_for(provincial_admin))

    assert_error_body(response, 422, "validation_error")
    assert response.json()["field"] == "name"


def test_a_unit_field_sent_as_null_is_refused_not_ignored(send_json, auth_for, provincial_admin, province):
    response = send_json("patch", f"/api/v1/units/{province.a.id}", {"kind": None}, **auth_for(provincial_admin))

    assert_error_body(response, 422, "validation_error")


def test_state_owned_sent_as_a_number_is_refused(send_json, auth_for, provincial_admin, province):
    response = send_json("patch", f"/api/v1/units/{province.a.id}", {"state_owned": 1}, **auth_for(provincial_admin))

    assert_error_body(response, 422, "validation_error")


def test_a_whole_number_written_with_a_zero_fraction_is_an_integer(send_json, auth_for, commune_admin, province):
    response = send_json(
        "post",
        "/api/v1/people",
        new_person_body(province.a, residence_unit_id=float(province.a.id)),
        **auth_for(commune_admin),
    )

    assert response.status_code == 201


def test_learner_registering_a_person_in_an_unreadable_unit_learns_nothing_about_it(
    send_json, auth_for, learner, province
):
    response = send_json("post", "/api/v1/people", new_person_body(province.root), **auth_for(learner))

    assert_error_body(response, 403, "forbidden")
    assert province.root.name not in response.json()["message"]
    assert not Person.objects.exists()


def test_learner_naming_a_missing_unit_gets_the_same_answer_as_an_existing_one(send_json, auth_for, learner, province):
    existing = send_json("post", "/api/v1/people", new_person_body(province.b), **auth_for(learner))
    missing = send_json(
        "post", "/api/v1/people", new_person_body(province.b, residence_unit_id=987654), **auth_for(learner)
    )

    assert existing.status_code == missing.status_code == 403
    assert existing.json() == missing.json()


def test_commune_admin_naming_a_workplace_outside_scope_gets_a_neutral_404(
    send_json, auth_for, commune_admin, province
):
    response = send_json(
        "post",
        "/api/v1/people",
        new_person_body(province.a, workplace_unit_id=province.b.id),
        **auth_for(commune_admin),
    )

    assert_error_body(response, 404, "not_found")
    assert response.json()["field"] == "workplace_unit_id"
    assert province.b.name not in response.json()["message"]


def test_missing_token_answers_the_common_error_body(client, db):
    response = client.get("/api/v1/people")

    assert_error_body(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_domain_error_keeps_its_own_code_and_field(send_json, auth_for, commune_admin, province):
    response = send_json(
        "post", "/api/v1/people", new_person_body(province.a, national_id="123"), **auth_for(commune_admin)
    )

    assert_error_body(response, 400, "bad_request")
    assert response.json()["field"] == "national_id"


def test_unknown_api_path_answers_the_common_error_body(client, db):
    assert_error_body(client.get("/api/v1/khong-co/"), 404, "not_found")


# The published schema.


@pytest.fixture
def schema(client, db):
    return client.get("/api/v1/openapi.json").json()


def test_schema_declares_the_error_body_as_a_component(schema):
    error = schema["components"]["schemas"]["ErrorOut"]

    assert set(error["required"]) == {"code", "message", "detail"}
    assert error["properties"]["detail"]["deprecated"] is True
    assert "FieldErrorOut" in schema["components"]["schemas"]


def test_every_authenticated_operation_documents_401_403_and_404_with_the_error_body(schema):
    reference = {"$ref": "#/components/schemas/ErrorOut"}
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if not operation.get("security"):
                continue
            for status in ("401", "403", "404"):
                content = operation["responses"][status]["content"]["application/json"]
                assert content["schema"] == reference, (method, path, status)


def test_operations_with_inputs_document_422(schema):
    operation = schema["paths"]["/api/v1/assessment/attempts/{attempt_id}/answers/{position}"]["put"]

    assert {"400", "401", "403", "404", "409", "422"} <= set(operation["responses"])


def test_token_endpoint_documents_401_and_429_but_not_403(schema):
    responses = schema["paths"]["/api/v1/auth/token"]["post"]["responses"]

    assert {"201", "401", "422", "429"} <= set(responses)
    assert "403" not in responses


def test_id_parameters_state_their_bounds(schema):
    parameters = schema["paths"]["/api/v1/assessment/attempts/{attempt_id}/answers/{position}"]["put"]["parameters"]
    by_name = {parameter["name"]: parameter["schema"] for parameter in parameters}

    assert (by_name["attempt_id"]["minimum"], by_name["attempt_id"]["maximum"]) == (1, 2**63 - 1)
    assert by_name["position"]["maximum"] == 32767


def test_residence_unit_is_not_nullable_when_editing_a_person(schema):
    residence = schema["components"]["schemas"]["PersonUpdate"]["properties"]["residence_unit_id"]

    assert residence["type"] == "integer" and "anyOf" not in residence


def test_exam_flow_is_linked_from_start_to_result(schema):
    paths = schema["paths"]
    started = paths["/api/v1/assessment/attempts"]["post"]["responses"]["201"]["links"]
    submitted = paths["/api/v1/assessment/attempts/{attempt_id}/submit"]["post"]["responses"]["200"]["links"]
    save_id = paths["/api/v1/assessment/attempts/{attempt_id}/answers/{position}"]["put"]["operationId"]
    result_id = paths["/api/v1/assessment/attempts/{attempt_id}/result"]["get"]["operationId"]

    assert started["SaveAnswer"]["operationId"] == save_id
    assert started["SaveAnswer"]["parameters"]["attempt_id"] == "$response.body#/id"
    assert submitted["Result"]["operationId"] == result_id


def test_main_request_bodies_carry_an_example(schema):
    components = schema["components"]["schemas"]
    for name in ("StartIn", "AnswerIn", "ReportIn", "PersonCreate", "UnitCreate", "TokenRequest"):
        assert components[name].get("examples"), name
