"""The provincial administrator shares the province's count target out among its communes: types one commune's
value, previews the rest shared by working-age residents (htmx), confirms, and sees the allocation recorded; the
page fits a 360 px phone and a 1280 px desktop."""

import pytest

from kynangso.monitoring import api as monitoring
from tests.browser.accessibility import serious_violations
from tests.browser.helpers import login, screenshot
from tests.support.allocation import confirmed  # noqa: F401  (the shared scenario)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Mat-khau-an-toan-2025"


@pytest.mark.parametrize("width", [360, 1280])
def test_provincial_admin_previews_then_confirms_an_allocation(page_for, confirmed, province, provincial_admin, width):  # noqa: F811
    page = page_for(width, 740 if width == 360 else 900)
    login(page, "admin_tinh", PASSWORD)
    page.goto(page.base_url + "/theo-doi/phan-bo-chi-tieu/")
    page.get_by_role("link", name="Phân bổ Số người được xác nhận 2025").click()
    page.get_by_role("heading", name="Phân bổ chỉ tiêu năm 2025").wait_for()
    page.get_by_label("Xã An Bình").fill("500")
    page.get_by_role("button", name="Xem trước").click()
    preview = page.get_by_test_id("allocation-preview")
    preview.wait_for()
    assert "nhập riêng" in preview.inner_text() and "1.000" in preview.inner_text()
    assert not monitoring.Target.objects.filter(allocated_from=confirmed.target).exists()  # a preview writes nothing
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert serious_violations(page) == []
    screenshot(page, f"monitoring-allocation-preview-{width}")

    page.get_by_role("button", name="Xác nhận phân bổ").click()
    page.get_by_test_id("current").wait_for()
    assert "Đã phân bổ chỉ tiêu cho 2 đơn vị trực thuộc." in page.content()
    shares = {t.unit.code: int(t.value) for t in monitoring.Target.objects.filter(allocated_from=confirmed.target)}
    assert shares == {"X001": 500, "X002": 500}
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"monitoring-allocation-done-{width}")
