"""Authentication of the REST API: obtaining, using, listing and revoking tokens; lockout; session and CSRF."""

import datetime
import json

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.utils import timezone

from kynangso.accounts.models import ApiToken
from tests.factories import make_national_id, make_person, make_user

PASSWORD = "Mat-khau-an-toan-2025"
TOKEN_URL = "/api/v1/auth/token"


def test_correct_password_gets_a_token(send_json, commune_admin):
    response = send_json(
        "post", TOKEN_URL, {"username": "admin_xa_a", "password": PASSWORD, "name": "Phần mềm báo cáo"}
    )

    assert response.status_code == 201
    body = response.json()
    assert body["token"].startswith("kns_")
    assert body["name"] == "Phần mềm báo cáo"
    assert set(body) == {"token", "id", "name", "created_at", "expires_at"}


def test_issued_token_authenticates_requests(client, send_json, commune_admin):
    token = send_json("post", TOKEN_URL, {"username": "admin_xa_a", "password": PASSWORD}).json()["token"]

    response = client.get("/api/v1/units", HTTP_AUTHORIZATION=f"Bearer {token}")

    assert response.status_code == 200


def test_national_id_can_be_used_as_username(client, send_json, province):
    birth_date = datetime.date(1990, 5, 1)
    national_id = make_national_id(birth_date, "female")
    user = make_user("nguoi_dan")
    make_person(
        province.a, full_name="Trần Thị Bình", birth_date=birth_date, sex="female", user=user, national_id=national_id
    )

    response = send_json("post", TOKEN_URL, {"username": national_id, "password": PASSWORD})

    assert response.status_code == 201


def test_wrong_password_is_refused_with_vietnamese_message(send_json, commune_admin):
    response = send_json("post", TOKEN_URL, {"username": "admin_xa_a", "password": "sai-mat-khau"})

    assert response.status_code == 401
    message = "Tên đăng nhập hoặc mật khẩu không đúng."
    assert response.json() == {"code": "invalid_credentials", "message": message, "detail": message}


def test_unknown_user_is_refused_like_a_wrong_password(send_json, db):
    response = send_json("post", TOKEN_URL, {"username": "khong_co_ai", "password": PASSWORD})

    assert response.status_code == 401
    message = "Tên đăng nhập hoặc mật khẩu không đúng."
    assert response.json() == {"code": "invalid_credentials", "message": message, "detail": message}


def test_locked_out_after_repeated_failures(send_json, commune_admin, settings):
    wrong = {"username": "admin_xa_a", "password": "sai-mat-khau"}
    statuses = [send_json("post", TOKEN_URL, wrong).status_code for _ in range(settings.AXES_FAILURE_LIMIT)]

    response = send_json("post", TOKEN_URL, {"username": "admin_xa_a", "password": PASSWORD})

    assert statuses == [401] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    assert response.status_code == 429
    assert "token" not in response.json()
    assert "tạm thời bị khóa" in response.json()["detail"]


def test_lockout_counts_the_account_whichever_identifier_is_typed(send_json, province, settings):
    birth_date = datetime.date(1990, 5, 1)
    national_id = make_national_id(birth_date, "female")
    user = make_user("nguoi_dan")
    make_person(province.a, birth_date=birth_date, sex="female", user=user, national_id=national_id, phone="0912345678")
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        identifier = "nguoi_dan" if attempt % 2 else national_id
        send_json("post", TOKEN_URL, {"username": identifier, "password": "sai-mat-khau"})

    response = send_json("post", TOKEN_URL, {"username": "0912345678", "password": PASSWORD})

    assert response.status_code == 429


def test_token_login_resets_the_failure_count(send_json, commune_admin, settings):
    wrong = {"username": "admin_xa_a", "password": "sai-mat-khau"}
    right = {"username": "admin_xa_a", "password": PASSWORD}
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        send_json("post", TOKEN_URL, wrong)
    assert send_json("post", TOKEN_URL, right).status_code == 201
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        send_json("post", TOKEN_URL, wrong)

    assert send_json("post", TOKEN_URL, right).status_code == 201


# A JSON body is read whatever the declared type; before, axes then parsed the body again as a form to log it,
# which raised on a multipart type without a boundary: 500, and the failure was never counted (issue 25).
CONTENT_TYPES = [
    "application/json",
    "application/x-www-form-urlencoded",
    "multipart/form-data",
    "multipart/form-data; boundary=abc",
    "text/plain",
    "application/json; charset=khong-ro",
]


@pytest.mark.parametrize("content_type", CONTENT_TYPES)
def test_lockout_counts_failures_whatever_the_content_type(client, commune_admin, settings, content_type):
    settings.AXES_FAILURE_LIMIT = 3
    wrong = json.dumps({"username": "admin_xa_a", "password": "sai-mat-khau"})
    right = json.dumps({"username": "admin_xa_a", "password": PASSWORD})

    statuses = [client.generic("POST", TOKEN_URL, wrong, content_type=content_type).status_code for _ in range(3)]
    response = client.generic("POST", TOKEN_URL, right, content_type=content_type)

    assert statuses == [401, 401, 429]
    assert response.status_code == 429
    assert "token" not in response.json()


def test_a_body_that_cannot_be_read_is_a_json_400_in_vietnamese_and_checks_no_password(client, commune_admin):
    unreadable = [
        ("application/x-www-form-urlencoded", f"username=admin_xa_a&password={PASSWORD}"),
        ("multipart/form-data", f"username=admin_xa_a&password={PASSWORD}"),
        (
            "multipart/form-data; boundary=abc",
            '--abc\r\nContent-Disposition: form-data; name="username"\r\n\r\nadmin_xa_a\r\n--abc--\r\n',
        ),
        ("application/json", b"\xff\xfe{\x00"),
    ]
    for content_type, body in unreadable:
        response = client.generic("POST", TOKEN_URL, body, content_type=content_type)

        assert response.status_code == 400, content_type
        assert response["Content-Type"].startswith("application/json")
        assert "Không đọc được nội dung yêu cầu" in json.dumps(response.json(), ensure_ascii=False)
    assert not AccessAttempt.objects.exists()


def test_a_throttled_address_is_told_so_in_vietnamese(send_json, province, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 2
    make_user("nguoi_moi")
    for name in ("khong_co_1", "khong_co_2"):
        send_json("post", TOKEN_URL, {"username": name, "password": "sai-mat-khau"})

    response = send_json("post", TOKEN_URL, {"username": "nguoi_moi", "password": PASSWORD})

    assert response.status_code == 429
    assert response.json()["detail"].startswith("Có quá nhiều lần đăng nhập sai từ địa chỉ mạng này")


def test_request_without_token_is_refused_in_vietnamese(client, db):
    response = client.get("/api/v1/units")

    assert response.status_code == 401
    assert response.json()["detail"].startswith("Chưa xác thực")
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_made_up_token_is_refused(client, db):
    response = client.get("/api/v1/units", HTTP_AUTHORIZATION="Bearer kns_khong-phai-ma-that")

    assert response.status_code == 401


def test_expired_token_is_refused(client, auth_for, commune_admin):
    headers = auth_for(commune_admin)
    ApiToken.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))

    assert client.get("/api/v1/units", **headers).status_code == 401


def test_token_list_shows_when_each_token_expires(client, auth_for, commune_admin, settings):
    settings.API_TOKEN_DAYS = 7
    headers = auth_for(commune_admin)

    info = client.get("/api/v1/auth/tokens", **headers).json()[0]

    lifetime = datetime.datetime.fromisoformat(info["expires_at"]) - datetime.datetime.fromisoformat(info["created_at"])
    assert datetime.timedelta(days=7) - datetime.timedelta(seconds=5) < lifetime <= datetime.timedelta(days=7)


def test_revoked_token_is_refused(client, auth_for, commune_admin):
    headers = auth_for(commune_admin)
    token_id = client.get("/api/v1/auth/tokens", **headers).json()[0]["id"]

    revoked = client.delete(f"/api/v1/auth/tokens/{token_id}", **headers)
    response = client.get("/api/v1/units", **headers)

    assert revoked.status_code == 204
    assert response.status_code == 401


def test_token_of_deactivated_user_is_refused(client, auth_for, commune_admin):
    headers = auth_for(commune_admin)
    commune_admin.is_active = False
    commune_admin.save()

    assert client.get("/api/v1/units", **headers).status_code == 401


def test_token_list_shows_own_tokens_without_secrets(client, send_json, commune_admin, provincial_admin, auth_for):
    credentials = {"username": "admin_xa_a", "password": PASSWORD, "name": "Máy tính xã"}
    token = send_json("post", TOKEN_URL, credentials).json()["token"]
    auth_for(provincial_admin)

    response = client.get("/api/v1/auth/tokens", HTTP_AUTHORIZATION=f"Bearer {token}")

    assert response.status_code == 200
    assert [item["name"] for item in response.json()] == ["Máy tính xã"]
    assert response.json()[0]["prefix"] == token[:8]
    assert token not in response.content.decode()


def test_revoking_token_of_another_user_gets_404(client, auth_for, commune_admin, provincial_admin):
    other_headers = auth_for(provincial_admin)
    other_token_id = client.get("/api/v1/auth/tokens", **other_headers).json()[0]["id"]

    response = client.delete(f"/api/v1/auth/tokens/{other_token_id}", **auth_for(commune_admin))

    assert response.status_code == 404
    message = "Không tìm thấy mã truy cập này."
    assert response.json() == {"code": "not_found", "message": message, "detail": message}
    assert client.get("/api/v1/units", **other_headers).status_code == 200


def test_logged_in_session_may_read_without_token(client, commune_admin):
    client.force_login(commune_admin)

    assert client.get("/api/v1/units").status_code == 200


def test_session_write_without_csrf_token_is_refused(province, provincial_admin):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(provincial_admin)

    response = browser.post(
        "/api/v1/units",
        {"code": "X003", "name": "Xã Mới", "kind": "commune", "parent_id": province.root.id},
        content_type="application/json",
    )

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert browser.get("/api/v1/units?q=X003").json()["count"] == 0


def test_session_write_with_csrf_token_is_accepted(province, provincial_admin):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(provincial_admin)
    secret = "a" * 32
    browser.cookies["csrftoken"] = secret

    response = browser.post(
        "/api/v1/units",
        {"code": "X003", "name": "Xã Mới", "kind": "commune", "parent_id": province.root.id},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=secret,
    )

    assert response.status_code == 201


def test_token_write_needs_no_csrf_token(province, provincial_admin, auth_for):
    api_client = Client(enforce_csrf_checks=True)

    response = api_client.post(
        "/api/v1/units",
        {"code": "X003", "name": "Xã Mới", "kind": "commune", "parent_id": province.root.id},
        content_type="application/json",
        **auth_for(provincial_admin),
    )

    assert response.status_code == 201


def test_revoked_token_does_not_fall_back_to_the_session(client, auth_for, commune_admin):
    headers = auth_for(commune_admin)
    token_id = client.get("/api/v1/auth/tokens", **headers).json()[0]["id"]
    client.delete(f"/api/v1/auth/tokens/{token_id}", **headers)
    client.force_login(commune_admin)

    assert client.get("/api/v1/units", **headers).status_code == 401
