"""Authentication of the REST API: obtaining, using, listing and revoking tokens; lockout; session and CSRF."""
import datetime

from django.test import Client

from tests.factories import make_national_id, make_person, make_user

PASSWORD = "Mat-khau-an-toan-2025"
TOKEN_URL = "/api/v1/auth/token"


def test_correct_password_gets_a_token(send_json, commune_admin):
    response = send_json("post", TOKEN_URL,
                         {"username": "admin_xa_a", "password": PASSWORD, "name": "Phần mềm báo cáo"})

    assert response.status_code == 201
    body = response.json()
    assert body["token"].startswith("kns_")
    assert body["name"] == "Phần mềm báo cáo"
    assert set(body) == {"token", "id", "name", "created_at"}


def test_issued_token_authenticates_requests(client, send_json, commune_admin):
    token = send_json("post", TOKEN_URL, {"username": "admin_xa_a", "password": PASSWORD}).json()["token"]

    response = client.get("/api/v1/units", HTTP_AUTHORIZATION=f"Bearer {token}")

    assert response.status_code == 200


def test_national_id_can_be_used_as_username(client, send_json, province):
    birth_date = datetime.date(1990, 5, 1)
    national_id = make_national_id(birth_date, "female")
    user = make_user("nguoi_dan")
    make_person(province.a, full_name="Trần Thị Bình", birth_date=birth_date, sex="female", user=user,
                national_id=national_id)

    response = send_json("post", TOKEN_URL, {"username": national_id, "password": PASSWORD})

    assert response.status_code == 201


def test_wrong_password_is_refused_with_vietnamese_message(send_json, commune_admin):
    response = send_json("post", TOKEN_URL, {"username": "admin_xa_a", "password": "sai-mat-khau"})

    assert response.status_code == 401
    assert response.json() == {"detail": "Tên đăng nhập hoặc mật khẩu không đúng."}


def test_unknown_user_is_refused_like_a_wrong_password(send_json, db):
    response = send_json("post", TOKEN_URL, {"username": "khong_co_ai", "password": PASSWORD})

    assert response.status_code == 401
    assert response.json() == {"detail": "Tên đăng nhập hoặc mật khẩu không đúng."}


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
    make_person(province.a, birth_date=birth_date, sex="female", user=user, national_id=national_id,
                phone="0912345678")
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


def test_request_without_token_is_refused_in_vietnamese(client, db):
    response = client.get("/api/v1/units")

    assert response.status_code == 401
    assert response.json()["detail"].startswith("Chưa xác thực")
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_made_up_token_is_refused(client, db):
    response = client.get("/api/v1/units", HTTP_AUTHORIZATION="Bearer kns_khong-phai-ma-that")

    assert response.status_code == 401


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
    assert response.json() == {"detail": "Không tìm thấy mã truy cập này."}
    assert client.get("/api/v1/units", **other_headers).status_code == 200


def test_logged_in_session_may_read_without_token(client, commune_admin):
    client.force_login(commune_admin)

    assert client.get("/api/v1/units").status_code == 200


def test_session_write_without_csrf_token_is_refused(province, provincial_admin):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(provincial_admin)

    response = browser.post("/api/v1/units", {"code": "X003", "name": "Xã Mới", "kind": "commune",
                                              "parent_id": province.root.id}, content_type="application/json")

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert browser.get("/api/v1/units?q=X003").json()["count"] == 0


def test_session_write_with_csrf_token_is_accepted(province, provincial_admin):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(provincial_admin)
    secret = "a" * 32
    browser.cookies["csrftoken"] = secret

    response = browser.post("/api/v1/units", {"code": "X003", "name": "Xã Mới", "kind": "commune",
                                              "parent_id": province.root.id}, content_type="application/json",
                            HTTP_X_CSRFTOKEN=secret)

    assert response.status_code == 201


def test_token_write_needs_no_csrf_token(province, provincial_admin, auth_for):
    api_client = Client(enforce_csrf_checks=True)

    response = api_client.post("/api/v1/units", {"code": "X003", "name": "Xã Mới", "kind": "commune",
                                                 "parent_id": province.root.id}, content_type="application/json",
                               **auth_for(provincial_admin))

    assert response.status_code == 201


def test_revoked_token_does_not_fall_back_to_the_session(client, auth_for, commune_admin):
    headers = auth_for(commune_admin)
    token_id = client.get("/api/v1/auth/tokens", **headers).json()[0]["id"]
    client.delete(f"/api/v1/auth/tokens/{token_id}", **headers)
    client.force_login(commune_admin)

    assert client.get("/api/v1/units", **headers).status_code == 401

