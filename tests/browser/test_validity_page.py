"""An author opens «Độ tin cậy của đề thi» on a phone and reads, for a standard, each goal with its measure."""

import pytest

from kynangso.accounts.models import Role
from tests.browser.exams import PASSWORD, resident_standard  # noqa: F401  (fixture)
from tests.browser.helpers import login, screenshot
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_author_reads_the_validity_report_of_a_standard_on_a_phone(page_for, province, resident_standard):
    make_user("bien_tap", Role.CONTENT_AUTHOR, province.a, password=PASSWORD)
    page = page_for(360, 740)
    login(page, "bien_tap", PASSWORD)
    page.get_by_role("link", name="Độ tin cậy của đề thi").first.click()
    page.wait_for_url("**/ngan-hang/do-tin-cay/")
    page.get_by_role("link", name=resident_standard.name).click()
    page.wait_for_url(f"**/ngan-hang/do-tin-cay/{resident_standard.code}/")
    text = page.inner_text("main")
    for label in (
        "Xác suất đạt khi đoán ngẫu nhiên",
        "Xác suất đạt khi đoán theo mẹo",
        "Điểm tăng nhờ đáp án đã giữ, ở đề mới",
        "Ngân hàng theo ô ma trận",
    ):
        assert label in text
    assert page.locator("table.cells tbody tr").count() == resident_standard.blueprint.count()
    screenshot(page, "validity-report-360")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_learner_cannot_open_the_validity_report(page_for, province, resident_standard):
    make_user("hoc_vien", Role.LEARNER, province.a, password=PASSWORD)
    page = page_for(360, 740)
    login(page, "hoc_vien", PASSWORD)
    response = page.goto(page.base_url + "/sat-hach/ngan-hang/do-tin-cay/")
    assert response.status == 404
