"""Passwords: a longer minimum for staff and helpers, common passwords refused, a self-service change for everyone,
and one-time reset codes that a helper or unit admin gives a learner in scope, every reset on record."""

import datetime
import re

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone

from kynangso.accounts import passwords
from kynangso.accounts.models import PasswordReset, Role, User
from kynangso.errors import DomainError
from tests.factories import make_person, make_user

RESIDENT_PASSWORD = "Mat-khau-an-toan-2025"


def _without_csrf(content: bytes) -> str:
    """A page's text without its per-response CSRF token (masked differently on every response)."""
    return re.sub(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+', "", content.decode())


def _codes(error: ValidationError) -> set[str]:
    return {item.code for item in error.error_list}


@pytest.mark.parametrize(
    "role", [Role.UNIT_ADMIN, Role.PROVINCIAL_ADMIN, Role.AUDITOR, Role.CONTENT_AUTHOR, Role.HELPER]
)
def test_an_account_that_sees_other_peoples_data_needs_twelve_characters(province, role):
    user = make_user("can_bo", role, province.a)

    with pytest.raises(ValidationError) as error:
        validate_password("Lua-chin-7x", user)  # 11 characters
    assert "password_too_short" in _codes(error.value)
    assert "12" in " ".join(error.value.messages)
    validate_password("Lua-chin-7x!", user)  # 12 characters


def test_a_superuser_needs_twelve_characters(db):
    user = User.objects.create_superuser(username="he_thong", password=None)

    with pytest.raises(ValidationError):
        validate_password("Lua-chin-7x", user)


def test_a_resident_may_keep_an_eight_character_password(province):
    user = make_user("nguoi_dan", Role.LEARNER, province.a)

    validate_password("Lua-ch7x", user)
    with pytest.raises(ValidationError) as error:
        validate_password("Lua-c7x", user)
    assert "password_too_short" in _codes(error.value)


@pytest.mark.parametrize("common", ["password1234", "qwertyuiop123", "1qaz2wsx3edc"])
def test_a_common_password_is_refused_even_when_long_enough_for_staff(province, common):
    user = make_user("can_bo", Role.UNIT_ADMIN, province.a)

    with pytest.raises(ValidationError) as error:
        validate_password(common, user)
    assert "password_too_common" in _codes(error.value)


def test_a_common_vietnamese_password_is_refused_for_a_resident(province):
    user = make_user("nguoi_dan", Role.LEARNER, province.a)

    with pytest.raises(ValidationError) as error:
        validate_password("anhyeuem", user)
    assert "password_too_common" in _codes(error.value)


def test_creating_a_staff_login_through_the_service_applies_the_rules(db):
    with pytest.raises(DomainError) as error:
        passwords.check_password_rules(user=User(username="moi", is_staff=True), password="Mua-xuan-25")
    assert error.value.field == "password"


# Self-service change


def test_the_account_page_is_in_the_menu_and_offers_the_password_change(client, province):
    user = make_user("nguoi_dan", Role.LEARNER, province.a)
    client.force_login(user)

    page = client.get("/trang-cua-toi/").content.decode()
    assert 'href="/tai-khoan/"' in page
    assert 'href="/tai-khoan/mat-khau/"' in client.get("/tai-khoan/").content.decode()


def test_a_resident_changes_their_own_password_and_stays_logged_in(client, province):
    user = make_user("nguoi_dan", Role.LEARNER, province.a, password=RESIDENT_PASSWORD)
    client.force_login(user)

    response = client.post(
        "/tai-khoan/mat-khau/",
        {"old_password": RESIDENT_PASSWORD, "new_password1": "Hoa-sen-nở-2026", "new_password2": "Hoa-sen-nở-2026"},
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Hoa-sen-nở-2026")
    assert client.get("/tai-khoan/").status_code == 200


def test_a_password_change_needs_the_current_password(client, province):
    user = make_user("nguoi_dan", Role.LEARNER, province.a, password=RESIDENT_PASSWORD)
    client.force_login(user)

    response = client.post(
        "/tai-khoan/mat-khau/",
        {"old_password": "khong-phai-toi", "new_password1": "Hoa-sen-no-2026", "new_password2": "Hoa-sen-no-2026"},
    )

    assert response.status_code == 200
    assert "Mật khẩu hiện tại chưa đúng" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(RESIDENT_PASSWORD)


def test_a_staff_member_cannot_change_to_a_short_password(client, commune_admin):
    client.force_login(commune_admin)

    response = client.post(
        "/tai-khoan/mat-khau/",
        {"old_password": RESIDENT_PASSWORD, "new_password1": "Ngan-qua-25", "new_password2": "Ngan-qua-25"},
    )

    assert "ít nhất 12 ký tự" in response.content.decode()
    commune_admin.refresh_from_db()
    assert commune_admin.check_password(RESIDENT_PASSWORD)


def test_a_login_with_a_password_below_the_staff_rule_asks_for_a_new_one_before_anything_else(client, province):
    user = make_user("moi_len_can_bo", Role.UNIT_ADMIN, province.a, password="Ngan-qua-25")

    response = client.post("/dang-nhap/", {"username": "moi_len_can_bo", "password": "Ngan-qua-25"}, follow=True)

    assert response.redirect_chain[-1][0].startswith("/tai-khoan/mat-khau/")
    assert client.get("/nguoi/").url.startswith("/tai-khoan/mat-khau/")
    client.post(
        "/tai-khoan/mat-khau/",
        {
            "old_password": "Ngan-qua-25",
            "new_password1": "Mot-cau-dai-hon-2026",
            "new_password2": "Mot-cau-dai-hon-2026",
        },
    )
    assert client.get("/nguoi/").status_code == 200
    user.refresh_from_db()
    assert user.check_password("Mot-cau-dai-hon-2026")


def test_a_login_with_a_good_password_goes_straight_on(client, province):
    make_user("nguoi_dan", Role.LEARNER, province.a, password="Lua-ch7x")

    response = client.post("/dang-nhap/", {"username": "nguoi_dan", "password": "Lua-ch7x"})

    assert response.url == "/trang-cua-toi/"
    assert client.get("/trang-cua-toi/").status_code == 200


# Resets by a helper or unit admin


@pytest.fixture
def resident(province):
    user = make_user("ba_lan", Role.LEARNER, province.a, password=RESIDENT_PASSWORD)
    return make_person(province.a, "Trần Thị Lan", user=user, birth_date=datetime.date(1950, 4, 2), sex="female")


@pytest.fixture
def helper(province):
    return make_user("hotro_xa_a", Role.HELPER, province.a)


def _issue_code(client, actor, person) -> str:
    client.force_login(actor)
    response = client.post(f"/tai-khoan/cap-ma-dat-lai/{person.pk}/")
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0") or "no-store" in response["Cache-Control"]
    return re.search(r'data-testid="reset-code">([A-Z0-9-]+)<', response.content.decode()).group(1)


def test_a_helper_gives_a_resident_in_scope_a_code_and_the_resident_sets_a_new_password(client, helper, resident):
    code = _issue_code(client, helper, resident)
    client.logout()

    response = client.post(
        "/tai-khoan/dat-lai-mat-khau/",
        {"code": code.lower(), "new_password1": "Hoa-mai-vang-9", "new_password2": "Hoa-mai-vang-9"},
    )

    assert response.status_code == 302 and response.url == "/dang-nhap/"
    login = client.post("/dang-nhap/", {"username": "ba_lan", "password": "Hoa-mai-vang-9"})
    assert login.url == "/trang-cua-toi/"


def test_every_reset_is_recorded_with_who_whom_and_when(client, helper, resident):
    before = timezone.now()
    code = _issue_code(client, helper, resident)
    client.post(
        "/tai-khoan/dat-lai-mat-khau/",
        {"code": code, "new_password1": "Hoa-mai-vang-9", "new_password2": "Hoa-mai-vang-9"},
    )

    record = PasswordReset.objects.get()
    assert record.issued_by == helper
    assert record.user == resident.user
    assert before <= record.created_at <= timezone.now()
    assert record.used_at is not None


def test_a_code_is_stored_only_as_a_digest(client, helper, resident):
    code = passwords.normalise_code(_issue_code(client, helper, resident))

    record = PasswordReset.objects.get()
    stored = " ".join(str(value) for value in PasswordReset.objects.values_list().get())
    assert code not in stored
    assert len(record.digest) == 64


def test_a_unit_admin_may_reset_a_resident_of_a_school_in_its_commune(client, commune_admin, province):
    user = make_user("hoc_sinh", Role.LEARNER, province.school)
    person = make_person(province.school, "Lê Văn Tí", user=user, birth_date=datetime.date(2014, 1, 1))

    assert _issue_code(client, commune_admin, person)


def test_a_code_works_only_once(client, helper, resident):
    code = _issue_code(client, helper, resident)
    first = {"code": code, "new_password1": "Hoa-mai-vang-9", "new_password2": "Hoa-mai-vang-9"}
    client.post("/tai-khoan/dat-lai-mat-khau/", first)

    second = client.post(
        "/tai-khoan/dat-lai-mat-khau/",
        {"code": code, "new_password1": "Hoa-dao-hong-8", "new_password2": "Hoa-dao-hong-8"},
    )

    assert "không đúng hoặc đã hết hạn" in second.content.decode()
    resident.user.refresh_from_db()
    assert resident.user.check_password("Hoa-mai-vang-9")


def test_an_expired_code_is_refused(client, helper, resident):
    code = _issue_code(client, helper, resident)
    PasswordReset.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))

    response = client.post(
        "/tai-khoan/dat-lai-mat-khau/",
        {"code": code, "new_password1": "Hoa-mai-vang-9", "new_password2": "Hoa-mai-vang-9"},
    )

    assert "không đúng hoặc đã hết hạn" in response.content.decode()
    resident.user.refresh_from_db()
    assert resident.user.check_password(RESIDENT_PASSWORD)


def test_a_code_lives_as_long_as_the_setting_says(settings, helper, resident):
    settings.PASSWORD_RESET_MINUTES = 10

    record, _code = passwords.issue_password_reset(actor=helper, user_id=resident.user_id)

    assert datetime.timedelta(minutes=9) < record.expires_at - timezone.now() <= datetime.timedelta(minutes=10)


def test_a_new_code_cancels_the_earlier_one(client, helper, resident):
    first = _issue_code(client, helper, resident)
    second = _issue_code(client, helper, resident)

    refused = client.post(
        "/tai-khoan/dat-lai-mat-khau/",
        {"code": first, "new_password1": "Hoa-mai-vang-9", "new_password2": "Hoa-mai-vang-9"},
    )
    assert "không đúng hoặc đã hết hạn" in refused.content.decode()
    accepted = client.post(
        "/tai-khoan/dat-lai-mat-khau/",
        {"code": second, "new_password1": "Hoa-mai-vang-9", "new_password2": "Hoa-mai-vang-9"},
    )
    assert accepted.status_code == 302


def test_a_weak_new_password_does_not_use_up_the_code(client, helper, resident):
    code = _issue_code(client, helper, resident)

    weak = client.post(
        "/tai-khoan/dat-lai-mat-khau/", {"code": code, "new_password1": "12345678", "new_password2": "12345678"}
    )
    assert weak.status_code == 200
    good = client.post(
        "/tai-khoan/dat-lai-mat-khau/",
        {"code": code, "new_password1": "Hoa-mai-vang-9", "new_password2": "Hoa-mai-vang-9"},
    )
    assert good.status_code == 302


def test_a_helper_cannot_reset_a_resident_of_another_commune_and_learns_nothing(client, helper, province):
    user = make_user("ong_hieu", Role.LEARNER, province.b)
    outsider = make_person(province.b, "Trần Văn Hiếu", user=user)
    client.force_login(helper)

    for response in (
        client.get(f"/tai-khoan/cap-ma-dat-lai/{outsider.pk}/"),
        client.post(f"/tai-khoan/cap-ma-dat-lai/{outsider.pk}/"),
    ):
        assert response.status_code == 404
        assert "Hiếu" not in response.content.decode()
    assert not PasswordReset.objects.exists()


def test_an_out_of_scope_person_and_a_missing_one_get_the_same_answer(client, helper, province):
    user = make_user("ong_hieu", Role.LEARNER, province.b)
    outsider = make_person(province.b, "Trần Văn Hiếu", user=user)
    client.force_login(helper)

    outside = client.post(f"/tai-khoan/cap-ma-dat-lai/{outsider.pk}/")
    missing = client.post(f"/tai-khoan/cap-ma-dat-lai/{outsider.pk + 1000}/")

    assert outside.status_code == missing.status_code == 404
    missing_page = _without_csrf(missing.content).replace(f"/{outsider.pk + 1000}/", f"/{outsider.pk}/")
    assert _without_csrf(outside.content) == missing_page


def test_a_helper_cannot_reset_a_staff_account_even_in_scope(client, helper, province):
    admin = make_user("admin_xa_a", Role.UNIT_ADMIN, province.a)
    person = make_person(province.a, "Cán Bộ Xã", user=admin)
    client.force_login(helper)

    assert client.post(f"/tai-khoan/cap-ma-dat-lai/{person.pk}/").status_code == 404
    with pytest.raises(DomainError):
        passwords.issue_password_reset(actor=helper, user_id=admin.pk)


def test_a_helper_cannot_reset_another_helper(client, helper, province):
    other = make_user("hotro_2", Role.HELPER, province.a)
    person = make_person(province.a, "Tổ Viên Hai", user=other)
    client.force_login(helper)

    assert client.post(f"/tai-khoan/cap-ma-dat-lai/{person.pk}/").status_code == 404


def test_an_auditor_cannot_reset_passwords(client, province, resident):
    auditor = make_user("kiemtra", Role.AUDITOR, province.root)
    client.force_login(auditor)

    assert client.post(f"/tai-khoan/cap-ma-dat-lai/{resident.pk}/").status_code == 404
    assert not PasswordReset.objects.exists()


def test_the_person_page_offers_the_reset_only_to_whoever_may_reset(client, helper, province, resident):
    auditor = make_user("kiemtra", Role.AUDITOR, province.root)
    link = f'href="/tai-khoan/cap-ma-dat-lai/{resident.pk}/"'

    client.force_login(helper)
    assert link in client.get(f"/nguoi/{resident.pk}/").content.decode()
    client.force_login(auditor)
    assert link not in client.get(f"/nguoi/{resident.pk}/").content.decode()


def test_a_system_administrator_reads_the_reset_audit_in_the_back_office(client, helper, resident):
    passwords.issue_password_reset(actor=helper, user_id=resident.user_id)
    client.force_login(User.objects.create_superuser(username="he_thong", password=None))

    page = client.get("/quan-tri/accounts/passwordreset/").content.decode()

    assert "hotro_xa_a" in page and "ba_lan" in page
