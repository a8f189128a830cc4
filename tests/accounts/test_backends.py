"""Logging in with a password by username, phone number or national ID, and the per-account lockout (django-axes)."""

import datetime

import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory

from kynangso.accounts import api as accounts
from tests.factories import make_national_id, make_person, make_user

PASSWORD = "Mat-khau-an-toan-2025"
BIRTH = datetime.date(2002, 4, 30)


@pytest.fixture
def resident(province):
    """A woman born in 2002 with a login, a phone and a national ID."""
    user = make_user("tran.binh")
    national_id = make_national_id(BIRTH, "female")
    make_person(
        province.a,
        full_name="Trần Thị Bình",
        birth_date=BIRTH,
        sex="female",
        user=user,
        national_id=national_id,
        phone="0912345678",
    )
    return type("Resident", (), {"user": user, "national_id": national_id, "phone": "0912345678"})


def log_in(identifier, password=PASSWORD, request=None):
    return authenticate(request or RequestFactory().post("/dang-nhap/"), username=identifier, password=password)


def test_login_by_username_ignores_case_and_spaces(resident):
    assert log_in(" TRAN.BINH ") == resident.user


def test_login_by_phone_in_any_usual_form(resident):
    assert log_in("0912345678") == resident.user
    assert log_in("+84 912 345 678") == resident.user


def test_login_by_national_id_with_or_without_spaces(resident):
    spaced = " ".join([resident.national_id[:4], resident.national_id[4:8], resident.national_id[8:]])

    assert log_in(resident.national_id) == resident.user
    assert log_in(spaced) == resident.user


def test_a_wrong_password_is_refused_whatever_the_identifier(resident):
    for identifier in ("tran.binh", resident.phone, resident.national_id):
        assert log_in(identifier, password="sai-mat-khau") is None


def test_an_unknown_identifier_is_refused(resident):
    assert log_in("khong_co_ai") is None
    assert log_in("0999999999") is None


def test_a_person_without_a_login_cannot_log_in_by_their_id(province):
    national_id = make_national_id(BIRTH, "male")
    make_person(province.a, birth_date=BIRTH, sex="male", national_id=national_id)

    assert log_in(national_id) is None


def test_a_phone_shared_by_two_accounts_is_refused_as_ambiguous(province, resident):
    make_person(province.b, full_name="Trần Văn Cường", user=make_user("tran.cuong"), phone=resident.phone)

    assert accounts.resolve_user(resident.phone) is None
    assert log_in(resident.phone) is None
    assert log_in("tran.binh") == resident.user


def test_a_deactivated_account_cannot_log_in(resident):
    resident.user.is_active = False
    resident.user.save()

    assert log_in("tran.binh") is None


def test_lockout_after_the_failure_limit_refuses_even_the_right_password(resident, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        assert log_in("tran.binh", password="sai-mat-khau") is None
    request = RequestFactory().post("/dang-nhap/")

    assert log_in("tran.binh", request=request) is None
    assert request.axes_locked_out


def test_one_failure_fewer_than_the_limit_still_lets_the_right_password_in(resident, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in("tran.binh", password="sai-mat-khau")

    assert log_in("tran.binh") == resident.user


def test_failures_count_for_the_account_whichever_identifier_was_typed(resident, settings):
    identifiers = ["tran.binh", resident.phone, resident.national_id]
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in(identifiers[attempt % 3], password="sai-mat-khau")

    assert log_in(resident.phone) is None
    assert log_in("TRAN.BINH") is None


def test_lockout_of_one_account_leaves_others_alone(resident, commune_admin, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in("tran.binh", password="sai-mat-khau")

    assert log_in("admin_xa_a") == commune_admin
