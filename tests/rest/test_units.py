"""Units through the REST API: search and paging within scope; reading, creating and editing with the capability."""

import pytest

from kynangso.accounts.models import Role
from kynangso.errors import DomainError
from kynangso.orgs import api as orgs
from tests.factories import make_user


def codes(response) -> list[str]:
    return [item["code"] for item in response.json()["items"]]


def test_commune_admin_lists_only_units_of_own_commune(client, auth_for, commune_admin):
    response = client.get("/api/v1/units", **auth_for(commune_admin))

    assert response.status_code == 200
    assert codes(response) == ["TH01", "X001"]
    assert response.json()["count"] == 2


def test_provincial_admin_lists_the_whole_province(client, auth_for, provincial_admin):
    response = client.get("/api/v1/units", **auth_for(provincial_admin))

    assert codes(response) == ["S01", "T01", "TH01", "X001", "X002"]


def test_search_ignores_diacritics_and_case(client, auth_for, provincial_admin):
    response = client.get("/api/v1/units", {"q": "phuong binh MINH"}, **auth_for(provincial_admin))

    assert codes(response) == ["X002"]


def test_a_nul_character_in_a_search_or_a_json_body_is_refused_not_a_server_error(client, auth_for, provincial_admin):
    """PostgreSQL text cannot hold NUL: the API refuses it up front (found by tests/rest/test_schemathesis.py)."""
    search = client.get("/api/v1/units", {"q": "binh\x00 minh"}, **auth_for(provincial_admin))
    sign_in = client.post(
        "/api/v1/auth/token",
        data='{"username": "admin\\u0000", "password": "x", "name": "may"}',
        content_type="application/json",
    )

    in_the_path = client.get("/api/v1/units/1%00", **auth_for(provincial_admin))

    for response in (search, sign_in, in_the_path):
        assert response.status_code == 400 and response.json()["code"] == "invalid"
        assert "NUL" in response.json()["message"]
    assert client.get("/api/v1/units", {"q": "binh minh"}, **auth_for(provincial_admin)).status_code == 200


def test_search_does_not_reach_outside_scope(client, auth_for, commune_admin):
    response = client.get("/api/v1/units", {"q": "Bình Minh"}, **auth_for(commune_admin))

    assert response.json() == {"items": [], "count": 0}


def test_list_filters_by_kind(client, auth_for, provincial_admin):
    response = client.get("/api/v1/units", {"kind": "school"}, **auth_for(provincial_admin))

    assert codes(response) == ["TH01"]


def test_list_is_paged_with_limit_and_offset(client, auth_for, provincial_admin):
    response = client.get("/api/v1/units", {"limit": 2, "offset": 2}, **auth_for(provincial_admin))

    assert codes(response) == ["TH01", "X001"]
    assert response.json()["count"] == 5


def test_unknown_kind_is_refused_with_vietnamese_validation_message(client, auth_for, provincial_admin):
    response = client.get("/api/v1/units", {"kind": "lang"}, **auth_for(provincial_admin))

    assert response.status_code == 422
    assert response.json()["detail"].startswith("Dữ liệu gửi lên không hợp lệ.")
    assert response.json()["errors"][0]["field"] == "kind"


def test_unit_record_shows_its_place_and_kind(client, auth_for, commune_admin, province):
    response = client.get(f"/api/v1/units/{province.school.id}", **auth_for(commune_admin))

    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Trường Tiểu học An Bình"
    assert body["kind_label"] == "Cơ sở giáo dục"
    assert body["parent_id"] == province.a.id
    assert body["school_level"] == "primary"
    assert body["is_active"] is True


def test_commune_admin_gets_404_for_unit_of_other_commune(client, auth_for, commune_admin, province):
    response = client.get(f"/api/v1/units/{province.b.id}", **auth_for(commune_admin))

    assert response.status_code == 404
    message = "Không tìm thấy đơn vị này."
    assert response.json() == {"code": "not_found", "message": message, "detail": message}


def test_missing_unit_and_unit_out_of_scope_look_the_same(client, auth_for, commune_admin, province):
    headers = auth_for(commune_admin)

    out_of_scope = client.get(f"/api/v1/units/{province.b.id}", **headers)
    missing = client.get("/api/v1/units/999999", **headers)

    assert (out_of_scope.status_code, out_of_scope.json()) == (missing.status_code, missing.json())


def test_provincial_admin_creates_unit_under_own_province(client, send_json, auth_for, provincial_admin, province):
    headers = auth_for(provincial_admin)

    response = send_json(
        "post",
        "/api/v1/units",
        {"code": "X003", "name": "Xã  Tân   Lập", "kind": "commune", "parent_id": province.root.id},
        **headers,
    )

    assert response.status_code == 201
    assert response.json()["name"] == "Xã Tân Lập"
    assert codes(client.get("/api/v1/units", {"q": "tan lap"}, **headers)) == ["X003"]
    assert orgs.is_within(response.json()["id"], [province.root.id])


def test_commune_admin_cannot_create_unit(send_json, auth_for, commune_admin, province):
    response = send_json(
        "post",
        "/api/v1/units",
        {"code": "TH02", "name": "Trường Mầm non An Bình", "kind": "school", "parent_id": province.a.id},
        **auth_for(commune_admin),
    )

    assert response.status_code == 403
    assert response.json()["detail"] == "Bạn không có quyền sửa đổi đơn vị tại «Xã An Bình»."
    assert orgs.unit_by_code("TH02") is None


def test_creating_unit_under_parent_out_of_scope_gets_404(send_json, auth_for, province):
    other_province = orgs.create_unit(code="T02", name="Tỉnh Khác", kind="province")
    admin = make_user("admin_tinh_khac", Role.PROVINCIAL_ADMIN, other_province)

    response = send_json(
        "post",
        "/api/v1/units",
        {"code": "X009", "name": "Xã Lạ", "kind": "commune", "parent_id": province.root.id},
        **auth_for(admin),
    )

    assert response.status_code == 404
    assert response.json()["detail"] == "Không tìm thấy đơn vị cấp trên."


def test_provincial_admin_cannot_create_unit_without_parent(send_json, auth_for, provincial_admin):
    response = send_json(
        "post", "/api/v1/units", {"code": "T09", "name": "Tỉnh Mới", "kind": "province"}, **auth_for(provincial_admin)
    )

    assert response.status_code == 403
    assert orgs.unit_by_code("T09") is None


def test_duplicate_unit_code_is_refused_with_vietnamese_message(send_json, auth_for, provincial_admin, province):
    response = send_json(
        "post",
        "/api/v1/units",
        {"code": "X001", "name": "Xã Trùng Mã", "kind": "commune", "parent_id": province.root.id},
        **auth_for(provincial_admin),
    )

    assert response.status_code == 409
    message = "Mã đơn vị X001 đã tồn tại."
    assert response.json() == {"code": "duplicate", "message": message, "detail": message, "field": "code"}


def test_patch_changes_only_the_fields_sent(send_json, auth_for, provincial_admin, province):
    response = send_json(
        "patch",
        f"/api/v1/units/{province.school.id}",
        {"name": "Trường Tiểu học An Bình 2"},
        **auth_for(provincial_admin),
    )

    assert response.status_code == 200
    assert response.json()["name"] == "Trường Tiểu học An Bình 2"
    assert response.json()["school_level"] == "primary"
    assert response.json()["kind"] == "school"


def test_patch_can_mark_enterprise_state_owned(send_json, auth_for, provincial_admin, province):
    enterprise = orgs.create_unit(code="DN01", name="Công ty Cấp nước", kind="enterprise", parent=province.root)

    response = send_json("patch", f"/api/v1/units/{enterprise.id}", {"state_owned": True}, **auth_for(provincial_admin))

    assert response.json()["state_owned"] is True
    enterprise.refresh_from_db()
    assert enterprise.state_owned is True


def test_school_level_on_a_commune_is_refused_in_vietnamese(send_json, auth_for, provincial_admin, province):
    response = send_json(
        "patch", f"/api/v1/units/{province.a.id}", {"school_level": "primary"}, **auth_for(provincial_admin)
    )

    assert response.status_code == 400
    message = "Chỉ cơ sở giáo dục mới có cấp học."
    assert response.json() == {"code": "bad_request", "message": message, "detail": message, "field": "school_level"}


def test_commune_admin_cannot_edit_own_commune(send_json, auth_for, commune_admin, province):
    response = send_json("patch", f"/api/v1/units/{province.a.id}", {"name": "Xã Đổi Tên"}, **auth_for(commune_admin))

    assert response.status_code == 403
    province.a.refresh_from_db()
    assert province.a.name == "Xã An Bình"


def test_commune_admin_gets_404_when_editing_unit_of_other_commune(send_json, auth_for, commune_admin, province):
    response = send_json(
        "patch", f"/api/v1/units/{province.b.id}", {"name": "Phường Đổi Tên"}, **auth_for(commune_admin)
    )

    assert response.status_code == 404


def test_patch_with_unknown_field_is_refused(send_json, auth_for, provincial_admin, province):
    response = send_json(
        "patch", f"/api/v1/units/{province.a.id}", {"parent_id": province.b.id}, **auth_for(provincial_admin)
    )

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "parent_id", "message": "Trường này không có trong API.", "type": "extra_forbidden"}
    ]


def test_an_offset_beyond_any_database_integer_is_refused_with_422_not_a_crash(client, auth_for, provincial_admin):
    response = client.get("/api/v1/units", {"offset": "9223372036854775808"}, **auth_for(provincial_admin))

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "offset"


def test_a_unit_id_beyond_any_database_integer_is_refused_with_422(client, auth_for, provincial_admin):
    response = client.get("/api/v1/units/99999999999999999999999", **auth_for(provincial_admin))

    assert response.status_code == 422


def test_paging_limits_are_stated_in_the_schema(client, db):
    parameters = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/units"]["get"]["parameters"]
    by_name = {parameter["name"]: parameter["schema"] for parameter in parameters}

    assert by_name["limit"]["maximum"] == 500
    assert by_name["offset"]["maximum"] == 10_000_000


def test_unit_code_with_control_characters_is_refused_and_nothing_is_stored(
    send_json, auth_for, provincial_admin, province
):
    response = send_json(
        "post",
        "/api/v1/units",
        {"code": "FZ\u0001\u0007", "name": "Xã Lạ", "kind": "commune", "parent_id": province.root.pk},
        **auth_for(provincial_admin),
    )

    assert response.status_code == 422
    assert not orgs.units(query="Xã Lạ").exists()


def test_the_service_refuses_invisible_characters_whatever_the_caller(province):
    with pytest.raises(DomainError):
        orgs.create_unit(code="X9\u200b", name="Xã Chín", kind="commune", parent=province.root)
    with pytest.raises(DomainError):
        orgs.create_unit(code="X9", name="Xã\u0007 Chín", kind="commune", parent=province.root)
