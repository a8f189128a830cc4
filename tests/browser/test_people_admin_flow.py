"""A unit administrator logs in, searches people without diacritics, and exports the list, on a desktop and a phone."""

import datetime

import pytest
from openpyxl import load_workbook

from kynangso.accounts.models import Role
from tests.browser.helpers import login, screenshot
from tests.factories import make_person, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Mat-khau-an-toan-2025"


@pytest.fixture
def commune_with_people(province):
    make_person(province.a, "Nguyễn Văn An", phone="0912345678")
    make_person(province.a, "Nguyễn Thị Ánh", datetime.date(1990, 5, 2), "female")
    make_person(province.a, "Trần Văn Bình", datetime.date(1970, 1, 9))
    make_person(province.b, "Nguyễn Văn Anh", datetime.date(1980, 7, 7))  # other commune: never shown
    make_user("quantri_xa", Role.UNIT_ADMIN, province.a, password=PASSWORD)
    return province


def test_unit_admin_searches_without_diacritics_and_exports(page_for, commune_with_people, tmp_path):
    page = page_for(1280)
    login(page, "quantri_xa", PASSWORD)
    page.get_by_role("link", name="Danh sách người dân, cán bộ").first.click()
    page.get_by_label("Tìm theo họ tên, số định danh hoặc số điện thoại").fill("nguyen van an")
    page.get_by_role("button", name="Tìm").click()
    results = page.locator("#results")
    results.get_by_text("Tìm thấy 1 người").wait_for()
    assert "Nguyễn Văn An" in results.inner_text()
    assert "Nguyễn Văn Anh" not in results.inner_text()
    assert "*********" in results.inner_text()
    screenshot(page, "people-search-desktop")

    with page.expect_download() as download_info:
        page.get_by_test_id("export").click()
    target = tmp_path / "export.xlsx"
    download_info.value.save_as(target)
    sheet = load_workbook(target).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Họ và tên"
    assert [row[0] for row in rows[1:]] == ["Nguyễn Văn An"]
    assert rows[1][3].startswith("*********")


def test_people_list_is_usable_on_a_360px_phone(page_for, commune_with_people):
    page = page_for(360, 740)
    login(page, "quantri_xa", PASSWORD)
    page.goto(page.base_url + "/nguoi/")
    page.get_by_text("Tìm thấy 3 người").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("button", name="Chữ to hơn").click()
    page.get_by_role("button", name="Cỡ chữ thường").wait_for()
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "22px"
    screenshot(page, "people-list-phone-large-text")


def test_a_volunteer_is_recorded_in_her_hamlets_team_on_a_phone(page_for, commune_with_people):
    """The commune's administrator opens a resident's page on a phone, picks the hamlet's team and the day she
    joined; the page says it in words, lists her as a member, and has no serious accessibility fault."""
    from tests.browser.accessibility import serious_violations
    from tests.factories import make_unit

    province = commune_with_people
    hamlet = make_unit("X001-T1", "Thôn Một", kind="hamlet", parent=province.a)
    make_unit("X001-T1-CNS", "Tổ công nghệ số cộng đồng Thôn Một", kind="community_team", parent=hamlet)
    volunteer = make_person(province.a, "Phạm Thị Lan", datetime.date(1995, 8, 8), "female")
    page = page_for(360, 740)
    login(page, "quantri_xa", PASSWORD)
    page.goto(page.base_url + f"/nguoi/{volunteer.pk}/")
    page.get_by_label("Tổ công nghệ số cộng đồng").select_option(label="Tổ công nghệ số cộng đồng Thôn Một")
    page.get_by_label("Tham gia từ ngày").fill("2026-03-01")
    page.get_by_role("button", name="Ghi nhận tham gia tổ").click()
    page.get_by_text(
        "Đã ghi nhận Phạm Thị Lan tham gia «Tổ công nghệ số cộng đồng Thôn Một» từ ngày 01/03/2026."
    ).wait_for()
    assert page.get_by_text("Thành viên «Tổ công nghệ số cộng đồng Thôn Một» từ 01/03/2026").is_visible()
    assert page.get_by_role("button", name="Ghi nhận rời tổ").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert serious_violations(page) == []
    screenshot(page, "person-community-team-phone")
