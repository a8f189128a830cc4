"""The provincial administrator follows the indicators from the province down to a commune and downloads the
commune's annual report and the province's consolidated report as XLSX and PDF; the test reads both files."""

import datetime
import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect
from pypdf import PdfReader

from kynangso.reports import api as reports
from tests.browser.accessibility import violations_of
from tests.browser.helpers import login, screenshot
from tests.reports.conftest import PASSWORD, YEAR, fill_sections, followed, writer_b  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def commune_report(followed, province, commune_admin):  # noqa: F811
    report = fill_sections(
        reports.start_report(unit=province.a, year=YEAR, actor=commune_admin),
        commune_admin,
        issued_on=datetime.date(YEAR, 12, 5),
    )
    return reports.submit_report(
        report=report, actor=commune_admin, now=datetime.datetime(YEAR, 12, 5, 2, tzinfo=datetime.UTC)
    )


def download(page, test_id, target):
    with page.expect_download() as info:
        page.get_by_test_id(test_id).click()
    info.value.save_as(target)
    return target


def pdf_text(path) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(path.read_bytes())).pages)


def test_provincial_admin_drills_down_and_downloads_the_reports(page_for, commune_report, province, tmp_path):
    page = page_for(1280)
    login(page, "admin_tinh", PASSWORD)
    page.get_by_role("link", name="Theo dõi chỉ tiêu").first.click()
    page.get_by_role("heading", name="Theo dõi chỉ tiêu: Tỉnh Thử nghiệm").wait_for()
    page.get_by_label("Năm", exact=True).select_option(str(YEAR))
    page.get_by_role("button", name="Xem").first.click()
    page.wait_for_url(lambda url: f"nam={YEAR}" in url)  # the figures read below are the chosen year's
    campaigns = page.locator('[data-indicator="chien-dich"]')
    assert campaigns.get_by_test_id("value").inner_text() == "15"
    assert "Có nguy cơ không đạt" in campaigns.inner_text()
    campaigns.get_by_text("Xem biểu đồ dạng bảng").click()
    assert "31/12/2026" in campaigns.locator("table").inner_text()
    screenshot(page, "monitoring-province-desktop")

    page.locator("#don-vi-truc-thuoc").get_by_role("link", name="Xã An Bình").click()
    page.get_by_role("heading", name="Theo dõi chỉ tiêu: Xã An Bình").wait_for()
    assert page.locator('[data-indicator="chien-dich"]').get_by_test_id("value").inner_text() == "6"
    screenshot(page, "monitoring-commune-desktop")

    page.get_by_role("link", name="Báo cáo năm").last.click()
    page.get_by_role("link", name="Xã An Bình").first.click()
    page.get_by_test_id("status").wait_for()
    workbook = load_workbook(download(page, "unit-xlsx", tmp_path / "xa.xlsx"))
    row = next(
        r
        for r in workbook.active.iter_rows(values_only=True)
        if isinstance(r[0], int) and r[1] == "Số chiến dịch truyền thông về kỹ năng số"
    )  # STT, then the name
    assert row[3:6] == (6, 8, 2)
    text = pdf_text(download(page, "unit-pdf", tmp_path / "xa.pdf"))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Số: 15/BC-UBND" in text
    assert "6 8 2" in text

    page.get_by_role("link", name="Báo cáo năm").first.click()
    page.get_by_role("link", name="Tình hình gửi báo cáo").click()
    expect(page.locator("main")).to_contain_text("1/3 đơn vị đã gửi")  # waits for the page the link opens
    screenshot(page, "reports-completeness-desktop")
    province_book = load_workbook(download(page, "province-xlsx", tmp_path / "tinh.xlsx"))
    units = {r[1]: r[2] for r in province_book["Theo đơn vị"].iter_rows(min_row=3, values_only=True)}  # after STT
    assert units["Xã An Bình"] == 6 and units["Phường Bình Minh"] == 9
    province_text = pdf_text(download(page, "province-pdf", tmp_path / "tinh.pdf"))
    assert "BÁO CÁO TỔNG HỢP" in province_text and "15 20 5" in province_text


def test_the_dashboard_and_the_report_fit_a_360px_phone(page_for, commune_report, province):
    page = page_for(360, 740)
    login(page, "admin_tinh", PASSWORD)
    page.goto(f"{page.base_url}/theo-doi/don-vi/{province.a.pk}/?nam={YEAR}")
    page.get_by_role("heading", name="Theo dõi chỉ tiêu: Xã An Bình").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "monitoring-commune-phone")
    page.goto(f"{page.base_url}/theo-doi/don-vi/{province.root.pk}/?nam={YEAR}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "monitoring-province-phone")
    page.goto(f"{page.base_url}/bao-cao/{commune_report.pk}/")
    page.get_by_test_id("status").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "reports-detail-phone")


def test_the_public_figures_need_no_login(page_for, followed):  # noqa: F811
    page = page_for(360, 740)
    page.goto(page.base_url + "/")
    page.get_by_role("link", name="Số liệu chuyển đổi số").click()
    page.get_by_role("heading", name="Số liệu chuyển đổi số: Tỉnh Thử nghiệm").wait_for()
    page.wait_for_load_state("load")  # the width is measured once the stylesheet has been applied
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "monitoring-public-phone")


def test_the_scrolling_tables_of_the_ranking_and_the_annual_reports_take_the_keyboard(
    page_for, commune_report, province
):
    """On a phone the wide tables scroll sideways: each is a named region a keyboard can reach (axe's
    scrollable-region-focusable), on the ranking, the unit's annual report and the province's report status."""
    page = page_for(360, 740)
    login(page, "admin_tinh", PASSWORD)
    for path in (
        f"/theo-doi/don-vi/{province.root.pk}/thi-dua/?nam={YEAR}&chi-so=chien-dich",
        f"/bao-cao/{commune_report.pk}/",
        f"/bao-cao/tong-hop/{province.root.pk}/{YEAR}/",
    ):
        page.goto(page.base_url + path)
        page.wait_for_load_state("load")
        regions = page.locator(".table-scroll")
        assert regions.count() >= 1, path
        for index in range(regions.count()):
            region = regions.nth(index)
            assert region.get_attribute("tabindex") == "0" and region.get_attribute("role") == "region", path
            assert region.get_attribute("aria-label"), path
        regions.first.focus()
        assert page.evaluate("document.activeElement.classList.contains('table-scroll')"), path
        assert violations_of(page, "scrollable-region-focusable") == [], path
