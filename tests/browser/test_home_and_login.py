"""A visitor reads the home page on a phone and a desktop, logs in by phone number, and is locked out after
repeated wrong passwords, all in Vietnamese."""

import datetime

import pytest

from kynangso.accounts.models import Role
from tests.browser.helpers import login, screenshot
from tests.factories import make_person, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Mat-khau-an-toan-2025"


@pytest.mark.parametrize("width", [360, 1280])
def test_home_page_reads_well_at_phone_and_desktop_width(page_for, width, db):
    page = page_for(width)
    page.goto(page.base_url + "/")
    assert page.get_by_role("heading", level=1).inner_text() == "Kỹ năng số cho mọi người, không ai bị bỏ lại phía sau"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.locator("html").get_attribute("lang") == "vi"
    screenshot(page, f"home-{width}")


def test_resident_logs_in_with_phone_number(page_for, province):
    user = make_user("nguoi_dan_01", Role.LEARNER, province.a, password=PASSWORD)
    make_person(
        province.a, "Lê Thị Mai", phone="0901234567", sex="female", user=user, birth_date=datetime.date(1958, 8, 20)
    )
    page = page_for(360, 740)
    login(page, "0901234567", PASSWORD)
    assert "Xin chào, Lê Thị Mai" in page.inner_text("main")
    screenshot(page, "dashboard-resident-360")


def test_wrong_password_shows_vietnamese_error_then_lockout(page_for, province):
    make_user("quantri_xa", Role.UNIT_ADMIN, province.a, password=PASSWORD)
    page = page_for(360, 740)
    page.goto(page.base_url + "/dang-nhap/")
    page.get_by_label("Tên đăng nhập, số điện thoại hoặc số định danh").fill("quantri_xa")
    page.get_by_label("Mật khẩu").fill("sai-mat-khau")
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("alert").wait_for()
    assert "Thông tin đăng nhập hoặc mật khẩu chưa đúng" in page.get_by_role("alert").inner_text()
    screenshot(page, "login-error-360")
    for _attempt in range(5):
        page.get_by_label("Tên đăng nhập, số điện thoại hoặc số định danh").fill("quantri_xa")
        page.get_by_label("Mật khẩu").fill("sai-mat-khau")
        with page.expect_navigation():  # the answer comes back to the same address: read it, not the page before
            page.get_by_role("button", name="Đăng nhập").click()
        if "Tài khoản tạm thời bị khóa" in page.inner_text("main"):
            break
    assert "Tài khoản tạm thời bị khóa" in page.inner_text("main")
    page.goto(page.base_url + "/dang-nhap/")
    page.get_by_label("Tên đăng nhập, số điện thoại hoặc số định danh").fill("quantri_xa")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Đăng nhập").click()
    assert "Tài khoản tạm thời bị khóa" in page.inner_text("main")
