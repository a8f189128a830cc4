"""People through the REST API, seen from the side channels: registering an ID held outside one's scope answers
neutrally, is audited and rate-limited, and personal data is never cached."""

import datetime
import json

import pytest

from kynangso.accounts import api as accounts
from kynangso.people import services
from kynangso.people.models import AccessChannel, Person, PersonalDataAccess
from tests.factories import make_national_id, make_person

BIRTH = datetime.date(1992, 7, 20)
NEUTRAL = "Số định danh cá nhân này đã được đăng ký ở đơn vị khác; đề nghị cấp tỉnh chuyển hồ sơ."


@pytest.fixture
def api(client, commune_admin):
    _record, token = accounts.issue_api_token(user=commune_admin, name="kiểm thử")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    def send(method, url, body=None):
        if body is None:
            return getattr(client, method)(url, **headers)
        return getattr(client, method)(url, data=json.dumps(body), content_type="application/json", **headers)

    return send


def body_for(unit, national_id: str) -> dict:
    return {
        "full_name": "Lê Thị Hoa",
        "birth_date": BIRTH.isoformat(),
        "sex": "female",
        "national_id": national_id,
        "residence_unit_id": unit.id,
    }


def test_an_id_registered_outside_scope_gets_one_neutral_answer_and_an_audit_record(api, province, commune_admin):
    national_id = make_national_id(BIRTH, "female")
    elsewhere = make_person(
        province.b, full_name="Trần Thị Hiền", birth_date=BIRTH, sex="female", national_id=national_id
    )

    response = api("post", "/api/v1/people", body_for(province.a, national_id))

    assert response.status_code == 409
    assert response.json()["detail"] == NEUTRAL
    assert "Trần Thị Hiền" not in response.content.decode() and "Bình Minh" not in response.content.decode()
    record = PersonalDataAccess.objects.get()
    assert (record.person, record.accessed_by, record.channel) == (elsewhere, commune_admin, AccessChannel.API)


def test_too_many_ids_registered_elsewhere_stop_every_registration_for_an_hour(api, province):
    for serial in range(services.FOREIGN_ID_LOOKUP_LIMIT):
        national_id = make_national_id(BIRTH, "female", serial=700 + serial)
        make_person(province.b, full_name="Người Xã Khác", birth_date=BIRTH, sex="female", national_id=national_id)
        assert api("post", "/api/v1/people", body_for(province.a, national_id)).status_code == 409

    fresh = api("post", "/api/v1/people", body_for(province.a, make_national_id(BIRTH, "female", serial=799)))

    assert fresh.status_code == 429
    assert "thử lại sau một giờ" in fresh.json()["detail"]
    assert not Person.objects.filter(residence_unit=province.a).exists()


def test_a_duplicate_within_scope_is_not_counted_against_the_limit(api, province):
    national_id = make_national_id(BIRTH, "female")
    make_person(province.a, full_name="Lê Thị Hoa", birth_date=BIRTH, sex="female", national_id=national_id)

    for _attempt in range(services.FOREIGN_ID_LOOKUP_LIMIT + 1):
        response = api("post", "/api/v1/people", body_for(province.a, national_id))

    assert response.status_code == 409
    assert not PersonalDataAccess.objects.exists()


def test_a_national_id_or_phone_in_the_list_url_is_refused(api, province):
    national_id = make_national_id(BIRTH, "female")
    make_person(
        province.a, full_name="Lê Thị Hoa", birth_date=BIRTH, sex="female", national_id=national_id, phone="0912345678"
    )

    for identifier in (national_id, "0912345678"):
        response = api("get", f"/api/v1/people?q={identifier}")
        assert response.status_code == 400
        assert "Lê Thị Hoa" not in response.content.decode()


def test_identifiers_are_searched_in_the_body_of_a_post(api, province):
    national_id = make_national_id(BIRTH, "female")
    make_person(
        province.a, full_name="Lê Thị Hoa", birth_date=BIRTH, sex="female", national_id=national_id, phone="0912345678"
    )

    for identifier in (national_id, "0912 345 678"):
        response = api("post", "/api/v1/people/search", {"q": identifier})
        assert [item["full_name"] for item in response.json()["items"]] == ["Lê Thị Hoa"]
    assert api("post", "/api/v1/people/search", {"q": "345678"}).json()["items"] == []


@pytest.mark.parametrize(
    "method, url",
    [
        ("get", "/api/v1/people"),
        ("post", "/api/v1/people/search"),
        ("get", "/api/v1/people/{id}"),
        ("get", "/api/v1/people/{id}/personal-data"),
        ("patch", "/api/v1/people/{id}"),
    ],
)
def test_people_answers_are_never_cached(api, province, method, url):
    person = make_person(province.a, phone="0912345678")
    body = {} if method != "get" else None

    response = api(method, url.format(id=person.pk), body)

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
