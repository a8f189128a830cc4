"""People through the REST API: masked lists and records within scope, audited personal data, registering, editing."""

import datetime

from kynangso.accounts.models import Role
from kynangso.people.models import AccessChannel, Person, PersonalDataAccess
from tests.factories import make_national_id, make_person, make_user
from tests.rest.conftest import new_person_body

BIRTH_DATE = datetime.date(1985, 3, 15)


def names(response) -> list[str]:
    return [item["full_name"] for item in response.json()["items"]]


def test_list_never_contains_full_national_id(client, auth_for, commune_admin, province):
    national_id = make_national_id(BIRTH_DATE, "male")
    make_person(province.a, national_id=national_id, phone="0912345678")

    response = client.get("/api/v1/people", **auth_for(commune_admin))

    assert response.status_code == 200
    content = response.content.decode()
    assert national_id not in content
    assert "0912345678" not in content
    assert response.json()["items"][0]["national_id_masked"] == "*********" + national_id[-3:]
    assert response.json()["items"][0]["phone_masked"] == "09******78"


def test_list_shows_birth_year_only(client, auth_for, commune_admin, province):
    make_person(province.a, birth_date=BIRTH_DATE)

    item = client.get("/api/v1/people", **auth_for(commune_admin)).json()["items"][0]

    assert item["birth_year"] == 1985
    assert "1985-03-15" not in str(item)


def test_commune_admin_lists_only_people_of_own_commune(client, auth_for, commune_admin, province):
    make_person(province.a, full_name="Nguyễn Văn An")
    make_person(province.b, full_name="Phạm Văn Bình")
    make_person(province.b, full_name="Đỗ Thị Cúc", workplace=province.school)

    response = client.get("/api/v1/people", **auth_for(commune_admin))

    assert names(response) == ["Đỗ Thị Cúc", "Nguyễn Văn An"]
    assert response.json()["count"] == 2


def test_learner_sees_no_people(client, auth_for, province):
    learner = make_user("hoc_vien", Role.LEARNER, province.a)
    make_person(province.a)

    response = client.get("/api/v1/people", **auth_for(learner))

    assert response.json() == {"items": [], "count": 0}


def test_list_search_ignores_diacritics(client, auth_for, provincial_admin, province):
    make_person(province.a, full_name="Nguyễn Văn An")
    make_person(province.b, full_name="Trần Đức Bảo")

    response = client.get("/api/v1/people", {"q": "tran duc"}, **auth_for(provincial_admin))

    assert names(response) == ["Trần Đức Bảo"]


def test_search_finds_a_person_by_full_national_id(send_json, auth_for, provincial_admin, province):
    national_id = make_national_id(BIRTH_DATE, "male")
    make_person(province.a, full_name="Nguyễn Văn An", national_id=national_id)
    make_person(province.b, full_name="Trần Đức Bảo")

    response = send_json("post", "/api/v1/people/search", {"q": national_id}, **auth_for(provincial_admin))

    assert names(response) == ["Nguyễn Văn An"]


def test_list_filters_by_unit_subtree_and_group(client, auth_for, provincial_admin, province):
    make_person(province.a, full_name="Nguyễn Văn An", groups=("resident",))
    make_person(province.b, full_name="Trần Văn Bảo", groups=("farmer",))
    make_person(province.b, full_name="Lê Thị Cúc", groups=("teacher",), workplace=province.school)
    headers = auth_for(provincial_admin)

    by_unit = client.get("/api/v1/people", {"unit": province.a.id}, **headers)
    by_group = client.get("/api/v1/people", {"group": "farmer"}, **headers)

    assert names(by_unit) == ["Lê Thị Cúc", "Nguyễn Văn An"]
    assert names(by_group) == ["Trần Văn Bảo"]


def test_list_is_paged_with_limit_and_offset(client, auth_for, commune_admin, province):
    for name in ("Anh", "Bình", "Chi", "Dũng"):
        make_person(province.a, full_name=f"Nguyễn {name}")

    response = client.get("/api/v1/people", {"limit": 2, "offset": 1}, **auth_for(commune_admin))

    assert names(response) == ["Nguyễn Bình", "Nguyễn Chi"]
    assert response.json()["count"] == 4


def test_person_record_is_masked_and_shows_current_groups(client, auth_for, commune_admin, province):
    national_id = make_national_id(BIRTH_DATE, "male")
    person = make_person(province.a, national_id=national_id, phone="0912345678", groups=("resident", "farmer"))

    response = client.get(f"/api/v1/people/{person.id}", **auth_for(commune_admin))

    assert response.status_code == 200
    body = response.json()
    assert body["national_id_masked"] == "*********" + national_id[-3:]
    assert body["birth_year"] == 1985
    assert body["target_groups"] == ["farmer", "resident"]
    assert body["residence_unit"]["name"] == "Xã An Bình"
    assert national_id not in response.content.decode()
    assert "1985-03-15" not in response.content.decode()


def test_commune_admin_gets_404_for_person_of_other_commune(client, auth_for, commune_admin, province):
    person = make_person(province.b)

    response = client.get(f"/api/v1/people/{person.id}", **auth_for(commune_admin))

    assert response.status_code == 404
    message = "Không tìm thấy người này."
    assert response.json() == {"code": "not_found", "message": message, "detail": message}


def test_reading_personal_data_writes_audit_record(client, auth_for, commune_admin, province):
    national_id = make_national_id(BIRTH_DATE, "male")
    person = make_person(province.a, national_id=national_id, phone="0912345678", birth_date=BIRTH_DATE)

    response = client.get(f"/api/v1/people/{person.id}/personal-data", **auth_for(commune_admin))

    assert response.status_code == 200
    assert response.json() == {"national_id": national_id, "phone": "0912345678", "birth_date": "1985-03-15"}
    assert response["Cache-Control"] == "no-store"
    access = PersonalDataAccess.objects.get(person=person)
    assert access.accessed_by == commune_admin
    assert access.channel == AccessChannel.API


def test_helper_gets_403_for_personal_data_and_nothing_is_logged(client, auth_for, province):
    helper = make_user("to_cong_nghe", Role.HELPER, province.a)
    person = make_person(province.a)

    response = client.get(f"/api/v1/people/{person.id}/personal-data", **auth_for(helper))

    assert response.status_code == 403
    message = "Bạn không có quyền xem dữ liệu cá nhân của người này."
    assert response.json() == {"code": "forbidden", "message": message, "detail": message}
    assert not PersonalDataAccess.objects.exists()


def test_personal_data_of_other_commune_gets_404_and_nothing_is_logged(client, auth_for, commune_admin, province):
    person = make_person(province.b)

    response = client.get(f"/api/v1/people/{person.id}/personal-data", **auth_for(commune_admin))

    assert response.status_code == 404
    assert not PersonalDataAccess.objects.exists()


def test_registering_a_person_returns_the_masked_record(send_json, auth_for, commune_admin, province):
    body = new_person_body(province.a)

    response = send_json("post", "/api/v1/people", body, **auth_for(commune_admin))

    assert response.status_code == 201
    created = response.json()
    assert created["full_name"] == "Lê Thị Hoa"
    assert created["phone_masked"] == "09******21"
    assert created["target_groups"] == ["farmer"]
    assert body["national_id"] not in response.content.decode()
    person = Person.objects.get(pk=created["id"])
    assert person.phone == "0987654321"
    assert person.national_id_last_digits == body["national_id"][-3:]


def test_invalid_national_id_is_refused_with_vietnamese_message(send_json, auth_for, commune_admin, province):
    response = send_json(
        "post", "/api/v1/people", new_person_body(province.a, national_id="12345"), **auth_for(commune_admin)
    )

    assert response.status_code == 400
    message = "Số định danh cá nhân phải gồm đúng 12 chữ số."
    assert response.json() == {"code": "bad_request", "message": message, "detail": message, "field": "national_id"}
    assert not Person.objects.exists()


def test_national_id_that_contradicts_sex_is_refused(send_json, auth_for, commune_admin, province):
    male_id = make_national_id(datetime.date(1992, 7, 20), "male")

    response = send_json(
        "post", "/api/v1/people", new_person_body(province.a, national_id=male_id), **auth_for(commune_admin)
    )

    assert response.status_code == 400
    assert response.json()["detail"].startswith("Số định danh không khớp với giới tính")


def test_registering_same_national_id_twice_gets_409(send_json, auth_for, commune_admin, province):
    body = new_person_body(province.a)
    headers = auth_for(commune_admin)
    send_json("post", "/api/v1/people", body, **headers)

    response = send_json("post", "/api/v1/people", dict(body, full_name="Lê Thị Hoa Khác"), **headers)

    assert response.status_code == 409
    assert response.json()["detail"] == "Số định danh cá nhân này đã được đăng ký cho một người trong hệ thống."
    assert Person.objects.count() == 1


def test_registering_a_person_in_other_commune_is_answered_like_a_missing_unit(
    send_json, auth_for, commune_admin, province
):
    response = send_json("post", "/api/v1/people", new_person_body(province.b), **auth_for(commune_admin))

    assert response.status_code == 404
    assert response.json()["field"] == "residence_unit_id"
    assert province.b.name not in response.json()["message"]
    assert not Person.objects.exists()


def test_registering_in_a_unit_that_does_not_exist_is_refused(send_json, auth_for, commune_admin, province):
    response = send_json(
        "post", "/api/v1/people", new_person_body(province.a, residence_unit_id=999999), **auth_for(commune_admin)
    )

    assert response.status_code == 404
    message = "Không tìm thấy đơn vị này trong phạm vi bạn quản lý."
    assert response.json() == {"code": "not_found", "message": message, "detail": message, "field": "residence_unit_id"}


def test_invalid_birth_date_is_refused_with_vietnamese_validation_message(send_json, auth_for, commune_admin, province):
    response = send_json(
        "post", "/api/v1/people", new_person_body(province.a, birth_date="20/07/1992"), **auth_for(commune_admin)
    )

    assert response.status_code == 422
    body = response.json()
    assert body["detail"].startswith("Dữ liệu gửi lên không hợp lệ. birth_date: Ngày không hợp lệ")
    assert [error["field"] for error in body["errors"]] == ["birth_date"]


def test_missing_name_is_reported_in_vietnamese(send_json, auth_for, commune_admin, province):
    body = new_person_body(province.a)
    del body["full_name"]

    response = send_json("post", "/api/v1/people", body, **auth_for(commune_admin))

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "full_name", "message": "Thiếu giá trị bắt buộc.", "type": "missing"}
    ]


def test_body_that_is_not_json_is_refused_in_vietnamese(client, auth_for, commune_admin, province):
    response = client.post("/api/v1/people", data="{họ tên", content_type="application/json", **auth_for(commune_admin))

    assert response.status_code == 400
    message = "Không đọc được nội dung yêu cầu: hãy gửi JSON hợp lệ."
    assert response.json() == {"code": "bad_request", "message": message, "detail": message}


def test_patch_updates_name_and_phone(send_json, auth_for, commune_admin, province):
    person = make_person(province.a, full_name="Nguyễn Văn An", phone="0912345678")

    response = send_json(
        "patch",
        f"/api/v1/people/{person.id}",
        {"full_name": "Nguyễn Văn Ân", "phone": "+84 987 000 111"},
        **auth_for(commune_admin),
    )

    assert response.status_code == 200
    assert response.json()["full_name"] == "Nguyễn Văn Ân"
    person.refresh_from_db()
    assert person.phone == "0987000111"
    assert person.birth_date == BIRTH_DATE


def test_patch_with_null_workplace_clears_it(send_json, auth_for, commune_admin, province):
    person = make_person(province.a, workplace=province.school)

    response = send_json("patch", f"/api/v1/people/{person.id}", {"workplace_unit_id": None}, **auth_for(commune_admin))

    assert response.status_code == 200
    assert response.json()["workplace_unit"] is None
    person.refresh_from_db()
    assert person.workplace_unit is None


def test_patch_without_workplace_keeps_it(send_json, auth_for, commune_admin, province):
    person = make_person(province.a, workplace=province.school)

    send_json("patch", f"/api/v1/people/{person.id}", {"full_name": "Nguyễn Văn Ân"}, **auth_for(commune_admin))

    person.refresh_from_db()
    assert person.workplace_unit == province.school


def test_patch_moving_person_out_of_own_scope_is_refused_without_naming_the_unit(
    send_json, auth_for, commune_admin, province
):
    person = make_person(province.a)

    response = send_json(
        "patch", f"/api/v1/people/{person.id}", {"residence_unit_id": province.b.id}, **auth_for(commune_admin)
    )

    assert response.status_code == 404
    assert province.b.name not in response.json()["message"]
    person.refresh_from_db()
    assert person.residence_unit == province.a


def test_patch_with_invalid_phone_is_refused_in_vietnamese(send_json, auth_for, commune_admin, province):
    person = make_person(province.a)

    response = send_json("patch", f"/api/v1/people/{person.id}", {"phone": "12345"}, **auth_for(commune_admin))

    assert response.status_code == 400
    assert response.json()["field"] == "phone"
    assert response.json()["detail"].startswith("Số điện thoại phải gồm 10 chữ số")


def test_patch_person_of_other_commune_gets_404(send_json, auth_for, commune_admin, province):
    person = make_person(province.b, full_name="Phạm Văn Bình")

    response = send_json("patch", f"/api/v1/people/{person.id}", {"full_name": "Tên Mới"}, **auth_for(commune_admin))

    assert response.status_code == 404
    person.refresh_from_db()
    assert person.full_name == "Phạm Văn Bình"


def test_helper_cannot_edit_a_person(send_json, auth_for, province):
    helper = make_user("to_cong_nghe", Role.HELPER, province.a)
    person = make_person(province.a, full_name="Nguyễn Văn An")

    response = send_json("patch", f"/api/v1/people/{person.id}", {"full_name": "Tên Mới"}, **auth_for(helper))

    assert response.status_code == 403
    message = "Người này nằm ngoài phạm vi quản lý của bạn."
    assert response.json() == {"code": "forbidden", "message": message, "detail": message}


def test_patch_cannot_change_birth_date(send_json, auth_for, commune_admin, province):
    person = make_person(province.a)

    response = send_json(
        "patch", f"/api/v1/people/{person.id}", {"birth_date": "1990-01-01"}, **auth_for(commune_admin)
    )

    assert response.status_code == 422
    person.refresh_from_db()
    assert person.birth_date == BIRTH_DATE


def test_patch_with_null_residence_is_refused_in_vietnamese(send_json, auth_for, commune_admin, province):
    person = make_person(province.a)

    response = send_json("patch", f"/api/v1/people/{person.id}", {"residence_unit_id": None}, **auth_for(commune_admin))

    assert response.status_code == 422
    assert response.json()["field"] == "residence_unit_id"
    assert response.json()["errors"][0]["type"] == "int_type"


def test_patch_moves_person_to_a_unit_within_scope(send_json, auth_for, provincial_admin, province):
    person = make_person(province.a)

    response = send_json(
        "patch", f"/api/v1/people/{person.id}", {"residence_unit_id": province.b.id}, **auth_for(provincial_admin)
    )

    assert response.status_code == 200
    assert response.json()["residence_unit"]["code"] == "X002"


def test_personal_data_cannot_be_read_with_a_session_cookie_alone(client, province, commune_admin):
    """A cross-site <img> can carry the session cookie but not a token: it must not log a reading."""
    from kynangso.people.models import PersonalDataAccess
    from tests.factories import make_person

    person = make_person(province.a, "Nguyễn Văn An")
    client.force_login(commune_admin)
    response = client.get(f"/api/v1/people/{person.pk}/personal-data")
    assert response.status_code == 401
    assert not PersonalDataAccess.objects.exists()
