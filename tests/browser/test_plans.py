"""A department reports a quarterly campaign with an evidence file on a phone; the department in charge sees it on
the plan board and exports the board to Excel in the plan's layout."""

import pytest
from openpyxl import load_workbook

from tests.browser.helpers import login, screenshot
from tests.plans.conftest import PASSWORD, campaign  # noqa: F401 (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def fits(page, width=360):
    return page.evaluate("document.documentElement.scrollWidth") <= width


def test_department_reports_a_campaign_and_the_department_in_charge_sees_and_exports_it(page_for, campaign, tmp_path):  # noqa: F811
    evidence = tmp_path / "Ảnh chiến dịch quý I.pdf"
    evidence.write_bytes(PDF)

    phone = page_for(360, 780)
    login(phone, "so_noi_vu", PASSWORD)
    phone.get_by_role("link", name="Kế hoạch", exact=True).click()
    phone.get_by_role("link", name="Nhiệm vụ của tôi").click()
    phone.get_by_role("heading", name="Nhiệm vụ của tôi").wait_for()
    assert fits(phone)
    screenshot(phone, "plans-my-tasks-360")
    phone.locator(".task-list a.task-title").first.click()
    phone.get_by_role("heading", name="Báo cáo của đơn vị chủ trì").wait_for()
    assert "Kỳ thực hiện" in phone.inner_text("main") and f"01/01/{campaign.year}" in phone.inner_text("main")
    phone.get_by_label("Tình trạng").select_option(label="Hoàn thành")
    phone.get_by_label("Kết quả thực hiện").fill("Chiến dịch «Chuyển đổi số cho mọi người» trên cổng tin điện tử.")
    phone.get_by_label("Chiến dịch truyền thông").fill("1")
    phone.get_by_label("Tin, bài").fill("14")
    phone.get_by_label("Tệp minh chứng").set_input_files(str(evidence))
    assert fits(phone)
    screenshot(phone, "plans-report-form-360")
    phone.get_by_role("button", name="Lưu báo cáo").click()
    phone.get_by_text("Đã lưu báo cáo nhiệm vụ III.1.a.").wait_for()
    assert phone.get_by_test_id("state").inner_text().strip() == "Hoàn thành"
    assert phone.get_by_role("link", name="Ảnh chiến dịch quý I.pdf").is_visible()
    screenshot(phone, "plans-report-saved-360")

    desk = page_for(1280, 900)
    login(desk, "so_tttt", PASSWORD)
    desk.goto(desk.base_url + "/ke-hoach/")
    desk.get_by_role("link", name="Kế hoạch số 154/KH-UBND").click()
    row = desk.locator('tr[data-task="III.1.a"]')
    row.wait_for()
    first_quarter = row.locator("td.cell").first
    assert first_quarter.get_attribute("data-label") == "Quý I"
    assert first_quarter.inner_text().strip() == "Hoàn thành"
    assert desk.locator('tr[data-task="III.2.a"]').count() == 1
    screenshot(desk, "plans-board-desktop")

    with desk.expect_download() as download_info:
        desk.get_by_test_id("export").click()
    target = tmp_path / "tien-do.xlsx"
    download_info.value.save_as(target)
    assert download_info.value.suggested_filename == f"tien-do-ke-hoach-154-kh-ubnd-{campaign.year}.xlsx"
    sheet = load_workbook(target).active
    header_row = next(r for r in range(1, 20) if sheet.cell(row=r, column=1).value == "Mục")
    assert sheet.cell(row=header_row, column=7).value == f"Quý I/{campaign.year}"
    task_row = next(r for r in range(header_row, sheet.max_row + 1) if sheet.cell(row=r, column=1).value == "III.1.a")
    assert sheet.cell(row=task_row, column=7).value == "Hoàn thành"
    assert sheet.cell(row=task_row, column=12).value == 1  # one evidence file
    assert sheet["A2"].value == "Số: 154/KH-UBND"

    board_phone = page_for(360, 780)
    login(board_phone, "so_tttt", PASSWORD)
    board_phone.goto(board_phone.base_url + f"/ke-hoach/{campaign.plan.pk}/")
    board_phone.locator('tr[data-task="III.1.a"]').wait_for()
    assert fits(board_phone)
    screenshot(board_phone, "plans-board-360")
    board_phone.goto(board_phone.base_url + f"/ke-hoach/{campaign.plan.pk}/dong-thoi-gian/")
    assert fits(board_phone)
    screenshot(board_phone, "plans-timeline-360")
