"""Two-factor login: enrolling an authenticator app, the 6-digit code at login (on the site and the back office),
and the rule that province and system administrators must have it when TWO_FACTOR_REQUIRED is on."""

import os
import subprocess
import sys

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from kynangso.accounts.models import Role, User
from tests.factories import make_user

PASSWORD = "Mat-khau-an-toan-2025"


def _code(device: TOTPDevice, offset: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


def _enrolled(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="điện thoại", confirmed=True)


def _log_in(client, username: str, password: str = PASSWORD):
    return client.post("/dang-nhap/", {"username": username, "password": password}, follow=True)


@pytest.fixture
def resident(province):
    return make_user("nguoi_dan", Role.LEARNER, province.a)


def test_a_user_enrols_an_authenticator_app_by_scanning_and_typing_one_code(client, resident):
    client.force_login(resident)

    page = client.get("/tai-khoan/xac-thuc-hai-lop/")
    assert "<svg" in page.content.decode()
    assert "no-store" in page["Cache-Control"]
    device = TOTPDevice.objects.get(user=resident)
    assert not device.confirmed
    response = client.post("/tai-khoan/xac-thuc-hai-lop/", {"token": _code(device)})

    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/trang-cua-toi/").status_code == 200  # the enrolling session counts as verified


def test_reloading_the_enrolment_page_keeps_the_same_secret(client, resident):
    client.force_login(resident)

    client.get("/tai-khoan/xac-thuc-hai-lop/")
    client.get("/tai-khoan/xac-thuc-hai-lop/")

    assert TOTPDevice.objects.filter(user=resident).count() == 1


def test_a_wrong_code_does_not_switch_two_factor_on(client, resident):
    client.force_login(resident)
    client.get("/tai-khoan/xac-thuc-hai-lop/")
    device = TOTPDevice.objects.get(user=resident)

    response = client.post("/tai-khoan/xac-thuc-hai-lop/", {"token": f"{(int(_code(device)) + 1) % 1000000:06d}"})

    assert "Mã chưa đúng" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=resident, confirmed=True).exists()


def test_login_asks_for_the_code_when_the_user_has_a_confirmed_device(client, resident):
    device = _enrolled(resident)

    response = _log_in(client, "nguoi_dan")

    assert response.redirect_chain[-1][0].startswith("/tai-khoan/ma-xac-thuc/")
    assert "Nhập mã xác thực" in response.content.decode()
    assert client.get("/trang-cua-toi/").url.startswith("/tai-khoan/ma-xac-thuc/")
    verified = client.post(
        "/tai-khoan/ma-xac-thuc/?next=/trang-cua-toi/", {"token": _code(device), "next": "/trang-cua-toi/"}
    )
    assert verified.url == "/trang-cua-toi/"
    assert client.get("/trang-cua-toi/").status_code == 200


def test_a_user_without_a_device_logs_in_with_the_password_alone(client, resident):
    response = _log_in(client, "nguoi_dan")

    assert response.redirect_chain[-1][0] == "/trang-cua-toi/"


def test_the_back_office_login_page_also_leads_to_the_code(client, province):
    admin = User.objects.create_superuser(username="he_thong", password=PASSWORD)
    _enrolled(admin)

    client.post("/quan-tri/login/", {"username": "he_thong", "password": PASSWORD})

    assert client.get("/quan-tri/").url.startswith("/tai-khoan/ma-xac-thuc/")
    assert client.get("/quan-tri/people/person/").url.startswith("/tai-khoan/ma-xac-thuc/")


def test_a_session_that_passed_only_the_password_cannot_enrol_a_new_device(client, resident):
    _enrolled(resident)
    _log_in(client, "nguoi_dan")

    response = client.get("/tai-khoan/xac-thuc-hai-lop/?thiet-bi-moi=1")

    assert response.url.startswith("/tai-khoan/ma-xac-thuc/")
    assert TOTPDevice.objects.filter(user=resident).count() == 1


def test_a_wrong_code_at_login_is_refused_and_the_next_try_must_wait(settings, client, resident):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60  # a minute's wait, so that a slow test machine cannot outlast it
    device = _enrolled(resident)
    _log_in(client, "nguoi_dan")

    wrong = client.post("/tai-khoan/ma-xac-thuc/", {"token": f"{(int(_code(device)) + 1) % 1000000:06d}"})
    assert "Mã chưa đúng" in wrong.content.decode()
    throttled = client.post("/tai-khoan/ma-xac-thuc/", {"token": _code(device)})

    assert "Hãy chờ ít phút" in throttled.content.decode()
    assert client.get("/trang-cua-toi/").status_code == 302


def test_a_code_cannot_be_used_twice(client, resident):
    device = _enrolled(resident)
    code = _code(device)
    _log_in(client, "nguoi_dan")
    client.post("/tai-khoan/ma-xac-thuc/", {"token": code})
    client.post("/dang-xuat/")

    _log_in(client, "nguoi_dan")
    again = client.post("/tai-khoan/ma-xac-thuc/", {"token": code})

    assert "đã được dùng" in again.content.decode()
    assert client.get("/trang-cua-toi/").status_code == 302


# Required for province and system administrators


@pytest.mark.parametrize("page", ["/trang-cua-toi/", "/nguoi/", "/quan-tri/", "/tai-khoan/mat-khau/"])
def test_when_required_a_provincial_admin_without_a_device_is_sent_to_enrolment_first(
    settings, client, provincial_admin, page
):
    settings.TWO_FACTOR_REQUIRED = True
    client.force_login(provincial_admin)

    response = client.get(page)

    assert response.status_code == 302
    assert response.url.startswith("/tai-khoan/xac-thuc-hai-lop/")


def test_when_required_a_system_administrator_without_a_device_is_sent_to_enrolment(settings, client, db):
    settings.TWO_FACTOR_REQUIRED = True
    client.force_login(User.objects.create_superuser(username="he_thong", password=PASSWORD))

    assert client.get("/quan-tri/").url.startswith("/tai-khoan/xac-thuc-hai-lop/")


def test_when_required_the_admin_may_enrol_and_then_work(settings, client, provincial_admin):
    settings.TWO_FACTOR_REQUIRED = True
    client.force_login(provincial_admin)
    assert client.get("/tai-khoan/xac-thuc-hai-lop/").status_code == 200

    client.post("/tai-khoan/xac-thuc-hai-lop/", {"token": _code(TOTPDevice.objects.get(user=provincial_admin))})

    assert client.get("/nguoi/").status_code == 200


def test_when_required_a_commune_admin_may_still_work_without_a_device(settings, client, commune_admin):
    settings.TWO_FACTOR_REQUIRED = True
    client.force_login(commune_admin)

    assert client.get("/nguoi/").status_code == 200


def test_when_not_required_a_provincial_admin_may_work_without_a_device(settings, client, provincial_admin):
    settings.TWO_FACTOR_REQUIRED = False
    client.force_login(provincial_admin)

    assert client.get("/nguoi/").status_code == 200


def test_when_required_a_provincial_admin_cannot_switch_two_factor_off(settings, client, provincial_admin):
    settings.TWO_FACTOR_REQUIRED = True
    device = _enrolled(provincial_admin)
    _log_in(client, "admin_tinh")
    client.post("/tai-khoan/ma-xac-thuc/", {"token": _code(device)})

    client.post("/tai-khoan/xac-thuc-hai-lop/tat/", {"password": PASSWORD})

    assert TOTPDevice.objects.filter(user=provincial_admin, confirmed=True).exists()


def test_a_user_who_may_switch_two_factor_off_must_give_the_password(client, resident):
    device = _enrolled(resident)
    _log_in(client, "nguoi_dan")
    client.post("/tai-khoan/ma-xac-thuc/", {"token": _code(device)})

    client.post("/tai-khoan/xac-thuc-hai-lop/tat/", {"password": "sai-mat-khau"})
    assert TOTPDevice.objects.filter(user=resident).exists()
    client.post("/tai-khoan/xac-thuc-hai-lop/tat/", {"password": PASSWORD})
    assert not TOTPDevice.objects.filter(user=resident).exists()


def _required_in(tmp_path, production: bool, **extra) -> str:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("KYNANGSO_") and k not in ("DATABASE_URL", "REDIS_URL")
    }
    env.update({"DJANGO_SETTINGS_MODULE": "kynangso.settings", "KYNANGSO_DATA_DIR": str(tmp_path)}, **extra)
    if production:
        env.update(
            {
                "KYNANGSO_PRODUCTION": "1",
                "KYNANGSO_SECRET_KEY": "x" * 64,
                "KYNANGSO_DATA_KEY": "y" * 40,
                "KYNANGSO_ALLOWED_HOSTS": "kynangso.example.gov.vn",
                "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/test",
                "REDIS_URL": "redis://127.0.0.1:6379/0",
            }
        )
    probe = "import django; django.setup(); from django.conf import settings; print(settings.TWO_FACTOR_REQUIRED)"
    result = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_two_factor_is_required_by_default_in_production_only(tmp_path):
    assert _required_in(tmp_path, production=True) == "True"
    assert _required_in(tmp_path, production=False) == "False"
    assert _required_in(tmp_path, production=False, KYNANGSO_REQUIRE_TWO_FACTOR="1") == "True"
