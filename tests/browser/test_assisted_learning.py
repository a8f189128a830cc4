"""A community helper, on a 360-px phone, finds a resident, records their consent and opens the basic course with
them: every lesson says whose learning it is, and the progress is the resident's."""

import datetime

import pytest

from kynangso.accounts.models import Role
from kynangso.learning.models import LessonProgress
from tests.browser.courses import PASSWORD, basic_course, fits  # noqa: F401  (fixture)
from tests.browser.helpers import login, screenshot
from tests.factories import make_person, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_helper_learns_with_a_resident_on_a_phone(page_for, province, basic_course):  # noqa: F811
    resident = make_person(province.a, "Lò Thị Năm", sex="female", birth_date=datetime.date(1952, 8, 8))
    make_user("hotro_a", Role.HELPER, province.a, password=PASSWORD)
    page = page_for(360, 740)
    login(page, "hotro_a", PASSWORD)
    page.get_by_role("link", name="Hỗ trợ học").first.click()
    page.get_by_label("Tìm người dân").fill("Lò Thị Năm")
    page.get_by_role("button", name="Tìm").click()
    assert page.locator("input[type=search]").bounding_box()["height"] >= 44
    box = page.locator("label.consent input[type=checkbox]").first.bounding_box()
    assert box["width"] >= 24 and box["height"] >= 24
    screenshot(page, "assisted-learning-search-360")
    assert fits(page)
    page.get_by_role("button", name="Học cùng").first.click()  # consent not ticked: the browser stops it
    assert "/bai/" not in page.url
    page.locator("label.consent").first.click()
    page.get_by_role("button", name="Học cùng").first.click()
    page.wait_for_url("**/bai/*/")
    assert "Đang học cùng Lò Thị Năm" in page.inner_text("main")
    screenshot(page, "assisted-learning-lesson-360")
    assert fits(page)
    assert LessonProgress.objects.filter(enrolment__person=resident).exclude(assisted_by=None).count() == 1
    page.get_by_role("button", name="Kết thúc hỗ trợ").click()
    page.wait_for_url("**/hoc/ho-tro/")
    assert "Đã kết thúc buổi hỗ trợ học." in page.inner_text("main")
