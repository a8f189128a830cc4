"""A commune official imports a roster kept their own way: the page lists the unit codes in their scope, says which
sheet and header row it read, which rows were hidden, and which unit it matched to a name, then imports on
confirmation."""

import pytest

from kynangso.accounts.models import Role
from kynangso.people.models import Person
from tests.browser.helpers import login, screenshot
from tests.factories import make_user
from tests.people.roster_files import HEADER, person, write_xlsx

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Mat-khau-an-toan-2025"


def test_commune_official_confirms_a_unit_given_by_name_and_sees_how_the_file_was_read(page_for, province, tmp_path):
    make_user("quantri_xa", Role.UNIT_ADMIN, province.a, password=PASSWORD)
    path = write_xlsx(
        tmp_path / "danh-sach.xlsx",
        {
            "Hướng dẫn": [["Điền ở trang sau"]],
            "DS": [
                ["DANH SÁCH NGƯỜI DÂN"],
                [],
                ["STT", *HEADER],
                ["1", *person(unit="xã an bình")],
                ["2", *person(serial=2, name="Người Bị Lọc", unit="X002")],
            ],
        },
        hidden_rows=[("DS", 5)],
    )
    page = page_for(1280)
    login(page, "quantri_xa", PASSWORD)
    page.goto(page.base_url + "/nguoi/nhap/")
    codes = page.locator("table.unit-codes")
    assert "X001" in codes.inner_text() and "Xã An Bình" in codes.inner_text()
    assert "X002" not in codes.inner_text() and "Bình Minh" not in page.content()

    page.get_by_label("Tệp danh sách (.xlsx hoặc .csv)").set_input_files(str(path))
    page.get_by_role("button", name="Kiểm tra").click()
    page.get_by_role("button", name="Xác nhận nhập, dùng các đơn vị được gợi ý").wait_for()
    reading = page.locator(".roster-reading").inner_text()
    assert "Đã đọc trang «DS», dòng tiêu đề là dòng 3." in reading
    assert "Bỏ qua 1 dòng đang bị ẩn hoặc bị lọc trong Excel: 5." in reading
    suggestions = page.locator("table.unit-suggestions").inner_text()
    assert "xã an bình" in suggestions and "X001" in suggestions and "tên đơn vị, không phải mã" in suggestions
    screenshot(page, "roster-import-suggestions")

    page.get_by_role("button", name="Xác nhận nhập, dùng các đơn vị được gợi ý").click()
    page.get_by_text("Đã nhập xong: 1 người mới").wait_for()
    stored = Person.objects.get()
    assert (stored.full_name, stored.residence_unit.code) == ("Trần Thị Bình", "X001")
