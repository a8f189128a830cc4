"""Files of the reports: the unit report and the province's consolidated report as XLSX (openpyxl) and PDF
(WeasyPrint), both laid out as a Vietnamese administrative document."""

from django.template.loader import render_to_string
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from kynangso.numbers import round_figure
from kynangso.orgs import api as orgs
from kynangso.reports import documents, figures, selectors
from kynangso.reports.models import AnnualReport
from kynangso.tabular import set_cell, workbook_bytes

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOLD = Font(name="Times New Roman", bold=True, size=12)
PLAIN = Font(name="Times New Roman", size=12)
ITALIC = Font(name="Times New Roman", italic=True, size=12)
MOTTO_FONT = Font(name="Times New Roman", bold=True, size=12, underline="single")
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
WRAP = Alignment(vertical="top", wrap_text=True)
HEAD_FILL = PatternFill("solid", fgColor="DDE7F3")
PERCENT_FORMAT = '0.0"%"'
COUNT_FORMAT = "#,##0"


def _cell(sheet, row, column, value, font=PLAIN, alignment=None, number_format=None):
    cell = set_cell(sheet, row, column, value)
    cell.font = font
    if alignment:
        cell.alignment = alignment
    if number_format:
        cell.number_format = number_format
    return cell


def _header_block(sheet, *, superior, issuing, number_symbol, date_line, width):
    """Rows 1–4: the issuing body on the left, the national title and motto on the right, as on paper."""
    left = max(2, width // 2)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=left)
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=left)
    sheet.merge_cells(start_row=3, start_column=1, end_row=3, end_column=left)
    sheet.merge_cells(start_row=1, start_column=left + 1, end_row=1, end_column=width)
    sheet.merge_cells(start_row=2, start_column=left + 1, end_row=2, end_column=width)
    sheet.merge_cells(start_row=3, start_column=left + 1, end_row=3, end_column=width)
    _cell(sheet, 1, 1, superior.upper(), PLAIN, CENTRE)
    _cell(sheet, 2, 1, issuing.upper(), BOLD, CENTRE)
    _cell(sheet, 3, 1, f"Số: {number_symbol}" if number_symbol else "Số: …", PLAIN, CENTRE)
    _cell(sheet, 1, left + 1, documents.NATIONAL_TITLE, BOLD, CENTRE)
    _cell(sheet, 2, left + 1, documents.MOTTO, MOTTO_FONT, CENTRE)  # tiêu ngữ underlined, as on paper
    _cell(sheet, 3, left + 1, date_line, ITALIC, CENTRE)


def _title(sheet, row, width, text, font=BOLD):
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    _cell(sheet, row, 1, text, font, CENTRE)
    return row + 1


def _number_cell(sheet, row, column, value, measure):
    """The figure as people read it (numbers.round_figure), so the sheet says what the page and the PDF say."""
    return _cell(
        sheet,
        row,
        column,
        None if value is None else float(value),
        PLAIN,
        number_format=PERCENT_FORMAT if measure == "percent" else COUNT_FORMAT,
    )


INDICATOR_HEADERS = [
    "STT",
    "Chỉ tiêu",
    "Đơn vị tính",
    "Thực hiện",
    "Chỉ tiêu năm",
    "Còn thiếu",
    "Tử số",
    "Mẫu số",
    "Dự báo cuối năm",
    "Nguy cơ không đạt",
    "Trong đó chỉ từ nền tảng khác (người)",
]


def _indicator_table(sheet, row, rows):
    for column, header in enumerate(INDICATOR_HEADERS, start=1):
        _cell(sheet, row, column, header, BOLD, CENTRE).fill = HEAD_FILL
    for number, data in enumerate(rows, start=1):
        row += 1
        measure = data["measure"]
        _cell(sheet, row, 1, number, alignment=CENTRE)
        _cell(sheet, row, 2, data["name"], alignment=WRAP)
        _cell(sheet, row, 3, "%" if measure == "percent" else "số lượng")
        _number_cell(sheet, row, 4, figures.shown(data, "value"), measure)
        _number_cell(sheet, row, 5, figures.shown(data, "target"), measure)
        _number_cell(sheet, row, 6, figures.shown(data, "gap"), measure)
        _cell(sheet, row, 7, data.get("numerator"), number_format=COUNT_FORMAT)
        _cell(sheet, row, 8, data.get("denominator"), number_format=COUNT_FORMAT)
        _number_cell(sheet, row, 9, figures.shown(data, "projection"), measure)
        _cell(sheet, row, 10, "Có" if data.get("at_risk") else "Không")
        _cell(sheet, row, 11, data.get("outside"), number_format=COUNT_FORMAT)
    return row + 1


def _as_of_text(moment):
    return f"Số liệu tính đến {timezone.localtime(moment):%H:%M ngày %d/%m/%Y}" if moment else ""


def _print_setup(sheet, *, header_row: int) -> None:
    """A4, as wide as the page, the table's header row repeated on every printed page and frozen on screen."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if sheet.max_column > 6 else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as the rows need
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    sheet.print_options.horizontalCentered = True


def _widths(sheet, widths):
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width


def _text_block(sheet, row, width, heading, text) -> int:
    """A numbered section (its heading, then its text across the table's width); nothing when the text is empty."""
    if not (text or "").strip():
        return row
    if heading:
        _cell(sheet, row, 1, heading, BOLD)
        row += 1
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    _cell(sheet, row, 1, text, alignment=WRAP)
    return row + 2


def unit_report_xlsx(report: AnnualReport) -> bytes:
    """The unit's report: header, indicator table, task table and the text sections, one sheet each."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Báo cáo"
    width = len(INDICATOR_HEADERS)
    _header_block(
        sheet,
        superior=report.superior_body,
        issuing=report.issuing_body,
        number_symbol=report.number_symbol,
        date_line=documents.date_line(report.place_name, report.issued_on),
        width=width,
    )
    row = _title(sheet, 5, width, "BÁO CÁO")
    row = _title(sheet, row, width, report.title)
    row = _title(sheet, row, width, _as_of_text(report.figures_as_of), ITALIC) + 1
    # The PDF's sections in the PDF's order and numbering (reports/pdf/unit_report.html).
    row = _text_block(sheet, row, width, "I. ĐÁNH GIÁ CHUNG", report.general_assessment)
    _cell(sheet, row, 1, "II. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU", BOLD)
    table_header = row + 1
    row = _indicator_table(sheet, table_header, report.indicator_rows) + 1
    row = _text_block(sheet, row, width, "", report.results_narrative)
    if report.task_rows:
        _cell(sheet, row, 1, "III. THỰC HIỆN NHIỆM VỤ CỦA KẾ HOẠCH", BOLD)
        row += 1
        for column, header in enumerate(
            ["STT", "Nhiệm vụ", "Vai trò", "Số kỳ đến hạn", "Đã hoàn thành", "Quá hạn", "Tiến độ gần nhất"], start=1
        ):
            _cell(sheet, row, column, header, BOLD, CENTRE).fill = HEAD_FILL
        for number, task in enumerate(documents.task_lines(report.task_rows), start=1):
            row += 1
            title = f"{task.get('code')}. {task.get('title')}" if task.get("code") else task.get("title")
            for column, value in enumerate(
                [
                    number,
                    title,
                    task["role_label"],
                    task.get("due"),
                    task.get("done"),
                    task.get("overdue"),
                    task.get("progress"),
                ],
                start=1,
            ):
                _cell(sheet, row, column, value, alignment=WRAP)
        row += 2
    row = _text_block(sheet, row, width, "IV. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN", report.shortcomings)
    row = _text_block(sheet, row, width, "V. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM TỚI", report.next_year_tasks)
    row = _text_block(sheet, row, width, "VI. KIẾN NGHỊ, ĐỀ XUẤT", report.proposals)
    _cell(sheet, row, 1, "Nơi nhận:", Font(name="Times New Roman", bold=True, italic=True, size=12))
    for line in report.recipient_lines:
        row += 1
        _cell(sheet, row, 1, line)
    signer_row = row - len(report.recipient_lines)
    for offset, line in enumerate([*report.signer_title_lines, "", report.signer_name]):
        _cell(
            sheet,
            signer_row + offset,
            7,
            line.upper() if offset < len(report.signer_title_lines) else line,
            BOLD,
            CENTRE,
        )
    _widths(sheet, [6, 48, 12, 12, 12, 12, 11, 11, 14, 12])
    _print_setup(sheet, header_row=table_header)
    return _save(workbook)


def _save(workbook) -> bytes:
    return workbook_bytes(workbook)


def _issuing_body(consolidated: documents.ConsolidatedReport) -> str:
    """The province report's issuing body: as its header says, else the province's letterhead («ỦY BAN NHÂN DÂN
    TỈNH …»), never the register's bare name."""
    if consolidated.header and consolidated.header.issuing_body:
        return consolidated.header.issuing_body
    return orgs.letterhead_for(consolidated.province).agency_name


def province_report_xlsx(consolidated: documents.ConsolidatedReport) -> bytes:
    """The consolidated report: the province's indicators, a table of every unit, and who has reported."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Tổng hợp"
    header = consolidated.header
    width = len(INDICATOR_HEADERS)
    _header_block(
        sheet,
        superior=header.superior_body if header else "",
        issuing=_issuing_body(consolidated),
        number_symbol=header.number_symbol if header else "",
        date_line=documents.date_line(header.place_name if header else "", header.issued_on if header else None),
        width=width,
    )
    row = _title(sheet, 5, width, "BÁO CÁO TỔNG HỢP")
    row = _title(sheet, row, width, header.title if header else f"Kết quả năm {consolidated.year}")
    row = _title(sheet, row, width, _as_of_text(consolidated.as_of), ITALIC) + 1
    _cell(sheet, row, 1, f"I. KẾT QUẢ CHUNG CỦA {consolidated.province.name.upper()}", BOLD)
    _indicator_table(sheet, row + 1, [line.row for line in consolidated.indicators])
    _widths(sheet, [6, 48, 12, 12, 12, 12, 11, 11, 14, 12])
    _print_setup(sheet, header_row=row + 1)

    units = workbook.create_sheet("Theo đơn vị")
    _cell(units, 1, 1, "II. KẾT QUẢ THEO ĐƠN VỊ", BOLD)
    _cell(units, 2, 1, "STT", BOLD, CENTRE).fill = HEAD_FILL
    _cell(units, 2, 2, "Đơn vị", BOLD, CENTRE).fill = HEAD_FILL
    for column, line in enumerate(consolidated.indicators, start=3):
        _cell(units, 2, column, line.row["name"], BOLD, CENTRE).fill = HEAD_FILL
    for offset, (name, numbers) in enumerate(
        zip(consolidated.unit_names, consolidated.unit_numbers, strict=True), start=3
    ):
        _cell(units, offset, 1, offset - 2, alignment=CENTRE)
        _cell(units, offset, 2, name)
        for column, (number, line) in enumerate(zip(numbers, consolidated.indicators, strict=True), start=3):
            _number_cell(units, offset, column, round_figure(number, line.measure), line.measure)
    _widths(units, [6, 36] + [18] * len(consolidated.indicators))
    _print_setup(units, header_row=2)

    status = workbook.create_sheet("Tình hình gửi báo cáo")
    _cell(
        status,
        1,
        1,
        f"III. TÌNH HÌNH GỬI BÁO CÁO NĂM {consolidated.year} (hạn {selectors.due_date(consolidated.year):%d/%m/%Y})",
        BOLD,
    )
    for column, text in enumerate(["STT", "Đơn vị", "Trạng thái", "Ngày gửi", "Đúng hạn"], start=1):
        _cell(status, 2, column, text, BOLD, CENTRE).fill = HEAD_FILL
    for offset, line in enumerate(consolidated.completeness, start=3):
        _cell(status, offset, 1, offset - 2, alignment=CENTRE)
        _cell(status, offset, 2, line.unit.name)
        _cell(status, offset, 3, line.status_label)
        _cell(status, offset, 4, f"{line.submitted_on:%d/%m/%Y}" if line.submitted_on else "")
        _cell(status, offset, 5, "Trễ hạn" if line.late else ("Đúng hạn" if line.submitted_on else ""))
    _widths(status, [6, 40, 22, 14, 12])
    _print_setup(status, header_row=2)
    return _save(workbook)


def _pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML  # imported here: loading WeasyPrint takes a moment and only exports need it

    html = render_to_string(template, context)
    return HTML(string=html).write_pdf()


def unit_report_pdf(report: AnnualReport) -> bytes:
    return _pdf("reports/pdf/unit_report.html", documents.unit_document(report))


def province_report_pdf(consolidated: documents.ConsolidatedReport) -> bytes:
    return _pdf(
        "reports/pdf/province_report.html",
        {
            "c": consolidated,
            "national_title": documents.NATIONAL_TITLE,
            "motto": documents.MOTTO,
            "issuing_lines": orgs.agency_lines(_issuing_body(consolidated)),
            "date_line": documents.date_line(
                consolidated.header.place_name if consolidated.header else "",
                consolidated.header.issued_on if consolidated.header else None,
            ),
        },
    )
