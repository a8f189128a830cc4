"""What the lockout records about failed logins, and the throttle of an address that fails too often (ADR 0020)."""

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib.auth import authenticate, user_logged_in
from django.test import RequestFactory

from kynangso.accounts.lockout import client_ip_address
from tests.factories import make_user

PASSWORD = "Mat-khau-an-toan-2025"
OFFICE = "203.0.113.7"  # the commune office's one public address
ELSEWHERE = "198.51.100.20"


def log_in(identifier, password=PASSWORD, address=OFFICE):
    request = RequestFactory().post("/dang-nhap/", REMOTE_ADDR=address)
    return authenticate(request, username=identifier, password=password), request


def stored_identifiers() -> list[str]:
    return list(AccessAttempt.objects.values_list("username", flat=True)) + list(
        AccessFailureLog.objects.values_list("username", flat=True)
    )


@pytest.fixture
def small_address_limit(settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 3
    return settings


def test_a_mistyped_phone_or_national_id_is_stored_only_as_a_keyed_digest(db, settings):
    settings.AXES_ENABLE_ACCESS_FAILURE_LOG = True

    log_in("0912 999 888", password="sai-mat-khau")
    log_in("001202999888", password="sai-mat-khau")

    stored = stored_identifiers()
    assert len(stored) == 4
    assert all(value.startswith("#") and len(value) == 65 for value in stored)
    assert not any("999888" in value for value in stored)


def test_repeated_tries_of_one_unknown_identifier_share_one_counter(db):
    log_in("0912999888", password="sai-mat-khau")
    log_in(" 0912 999 888 ", password="sai-mat-khau")

    assert list(AccessAttempt.objects.values_list("failures_since_start", flat=True)) == [2]


def test_a_known_account_is_recorded_under_its_username_whatever_was_typed(commune_admin):
    log_in("ADMIN_XA_A", password="sai-mat-khau")

    assert stored_identifiers() == ["admin_xa_a"]


def test_a_failed_login_keeps_nothing_the_caller_sent(db, client):
    client.post(
        "/dang-nhap/?next=/nguoi/%3Fq%3D0912999888",
        {"username": "0912999888", "password": "sai-mat-khau", "ghi_chu": "0912999888"},
    )

    attempt = AccessAttempt.objects.get()
    assert attempt.post_data == "" and attempt.get_data == ""


def test_an_address_with_many_failures_is_throttled_for_accounts_never_seen_there(province, small_address_limit):
    newcomer = make_user("nguoi_moi")
    for name in ("khong_co_1", "khong_co_2", "khong_co_3"):
        log_in(name, password="sai-mat-khau")

    user, request = log_in("nguoi_moi")

    assert user is None
    assert request.axes_locked_out and request.login_address_throttled
    assert log_in("nguoi_moi", address=ELSEWHERE)[0] == newcomer


def test_an_account_that_logged_in_from_the_address_before_is_not_throttled(commune_admin, small_address_limit):
    user, request = log_in("admin_xa_a")
    user_logged_in.send(sender=type(user), request=request, user=user)  # what login() does after authenticate()
    for name in ("khong_co_1", "khong_co_2", "khong_co_3"):
        log_in(name, password="sai-mat-khau")

    assert log_in("admin_xa_a")[0] == commune_admin


def test_fewer_address_failures_than_the_limit_throttle_nobody(province, small_address_limit):
    newcomer = make_user("nguoi_moi")
    for name in ("khong_co_1", "khong_co_2"):
        log_in(name, password="sai-mat-khau")

    assert log_in("nguoi_moi")[0] == newcomer


def test_tries_refused_by_the_address_throttle_do_not_count_against_the_account(province, small_address_limit):
    newcomer = make_user("nguoi_moi")
    for name in ("khong_co_1", "khong_co_2", "khong_co_3"):
        log_in(name, password="sai-mat-khau")
    for _attempt in range(small_address_limit.AXES_FAILURE_LIMIT):
        log_in("nguoi_moi", password="sai-mat-khau")

    assert not AccessAttempt.objects.filter(username="nguoi_moi").exists()
    assert log_in("nguoi_moi", address=ELSEWHERE)[0] == newcomer


def test_the_login_page_answers_a_throttled_address_with_the_lockout_page(province, small_address_limit, client):
    make_user("nguoi_moi")
    for name in ("khong_co_1", "khong_co_2", "khong_co_3"):
        log_in(name, password="sai-mat-khau", address="127.0.0.1")

    response = client.post("/dang-nhap/", {"username": "nguoi_moi", "password": PASSWORD})

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "Tạm dừng đăng nhập từ mạng này" in response.content.decode()  # not «tài khoản bị khóa»: it is not


def test_the_address_is_the_one_the_trusted_proxy_saw_not_what_the_client_claims(settings):
    settings.LOGIN_TRUSTED_PROXY_COUNT = 1
    behind_proxy = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.7")

    assert client_ip_address(behind_proxy) == "203.0.113.7"
    settings.LOGIN_TRUSTED_PROXY_COUNT = 0
    assert client_ip_address(behind_proxy) == "127.0.0.1"


def test_a_forwarded_value_that_is_no_address_falls_back_to_the_connection(settings):
    settings.LOGIN_TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="khong-phai-dia-chi")

    assert client_ip_address(request) == "127.0.0.1"
