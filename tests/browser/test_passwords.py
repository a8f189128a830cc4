"""On a 360 px phone, a resident opens «Tài khoản» from the menu, changes their password in Vietnamese, and logs in
with the new one; a helper gives a neighbour a reset code that the neighbour uses on their own phone."""

import datetime

import pytest
from playwright.sync_api import expect

from kynangso.accounts.models import Role
from tests.browser.helpers import login, screenshot
from tests.factories import make_person, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Mat-khau-an-toan-2025"
NEW_PASSWORD = "Trăng rằm sáng 2026"


def _fits(page, width: int) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= width


def test_a_resident_changes_their_password_on_a_phone(page_for, province):
    user = make_user("ba_mai", Role.LEARNER, province.a, password=PASSWORD)
    make_person(province.a, "Lê Thị Mai", user=user, sex="female", birth_date=datetime.date(1956, 5, 1))
    page = page_for(360, 740)
    login(page, "ba_mai", PASSWORD)

    page.get_by_role("link", name="Tài khoản").click()
    page.get_by_role("link", name="Đổi mật khẩu").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đổi mật khẩu")
    assert "ít nhất 8 ký tự" in page.inner_text("main")
    assert _fits(page, 360)
    page.get_by_label("Mật khẩu hiện tại").fill(PASSWORD)
    page.get_by_label("Mật khẩu mới", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Nhập lại mật khẩu mới").fill("Trăng rằm sáng 2025")
    page.get_by_role("button", name="Lưu mật khẩu mới").click()
    expect(page.locator("main")).to_contain_text("Hai lần nhập mật khẩu mới không giống nhau")
    screenshot(page, "password-change-error-360")
    page.get_by_label("Mật khẩu hiện tại").fill(PASSWORD)
    page.get_by_label("Mật khẩu mới", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Nhập lại mật khẩu mới").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Lưu mật khẩu mới").click()

    page.wait_for_url("**/tai-khoan/")
    assert "Đã đổi mật khẩu" in page.inner_text("main")
    assert _fits(page, 360)
    screenshot(page, "password-changed-360")
    page.get_by_role("button", name="Đăng xuất").click()
    login(page, "ba_mai", NEW_PASSWORD)
    assert "Xin chào, Lê Thị Mai" in page.inner_text("main")


def test_a_helper_gives_a_reset_code_that_the_resident_uses_on_a_phone(page_for, province):
    helper = make_user("hotro_xa", Role.HELPER, province.a, password=PASSWORD)
    resident = make_user("ong_tu", Role.LEARNER, province.a, password="Quen-mat-roi-1")
    person = make_person(province.a, "Nguyễn Văn Tư", user=resident, birth_date=datetime.date(1948, 2, 3))
    assert helper.pk
    page = page_for(360, 740)
    login(page, "hotro_xa", PASSWORD)
    page.goto(page.base_url + f"/nguoi/{person.pk}/")
    page.get_by_role("link", name="Cấp mã đặt lại mật khẩu").click()
    page.get_by_role("button", name="Tạo mã").click()
    code = page.get_by_test_id("reset-code").inner_text()
    assert _fits(page, 360)
    screenshot(page, "password-reset-code-360")
    page.get_by_role("button", name="Đăng xuất").click()

    page.goto(page.base_url + "/dang-nhap/")
    page.get_by_role("link", name="đặt mật khẩu mới bằng mã").click()
    page.get_by_label("Mã đặt lại mật khẩu").fill(code.replace("-", " ").lower())
    page.get_by_label("Mật khẩu mới", exact=True).fill("Cây đa đầu làng 1")
    page.get_by_label("Nhập lại mật khẩu mới").fill("Cây đa đầu làng 1")
    page.get_by_role("button", name="Đặt mật khẩu mới").click()
    page.wait_for_url("**/dang-nhap/")
    assert "Đã đặt mật khẩu mới" in page.inner_text("main")
    login(page, "ong_tu", "Cây đa đầu làng 1")
    assert "Xin chào, Nguyễn Văn Tư" in page.inner_text("main")


def test_a_provincial_admin_must_enrol_two_factor_then_logs_in_with_a_code(page_for, province, settings):
    import base64

    from django_otp.oath import totp

    settings.TWO_FACTOR_REQUIRED = True
    make_user("quantri_tinh", Role.PROVINCIAL_ADMIN, province.root, password=PASSWORD)
    page = page_for(360, 740)
    page.goto(page.base_url + "/dang-nhap/")
    page.get_by_label("Tên đăng nhập, số điện thoại hoặc số định danh").fill("quantri_tinh")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()

    page.wait_for_url("**/tai-khoan/xac-thuc-hai-lop/**")
    assert "bắt buộc dùng xác thực hai lớp" in page.inner_text("main")
    assert page.locator(".qr-code svg").is_visible()
    assert _fits(page, 360)
    screenshot(page, "two-factor-enrol-360")
    secret = page.get_by_test_id("totp-secret").inner_text().replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    page.get_by_label("Mã xác thực (6 chữ số)").fill(f"{totp(key):06d}")
    page.get_by_role("button", name="Xác nhận và bật").click()
    page.wait_for_url("**/trang-cua-toi/")
    page.get_by_role("button", name="Đăng xuất").click()

    page.goto(page.base_url + "/dang-nhap/")
    page.get_by_label("Tên đăng nhập, số điện thoại hoặc số định danh").fill("quantri_tinh")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/tai-khoan/ma-xac-thuc/**")
    # The code just used for enrolment is refused; the next 30-second window's code is accepted.
    page.get_by_label("Mã xác thực (6 chữ số)").fill(f"{totp(key, drift=1):06d}")
    page.get_by_role("button", name="Tiếp tục").click()
    page.wait_for_url("**/trang-cua-toi/")
