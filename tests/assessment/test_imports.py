"""Issue 13, finding 5 and «also seen»: an uploaded item file cannot hold the server (a zip bomb, a sheet of
endless bad rows) and its problems are reported in Vietnamese, the first ones listed and the rest counted."""

import io

import pytest
from openpyxl import Workbook

from kynangso.assessment import imports, interchange
from kynangso.errors import DomainError
from tests.support.files import xlsx_bomb

pytestmark = pytest.mark.django_db


def test_an_xlsx_bomb_item_file_is_refused_before_it_is_unpacked(tmp_path, settings):
    settings.UPLOAD_MAX_COMPRESSION_RATIO = 100
    data = xlsx_bomb(tmp_path / "bom.xlsx", unpacked_mib=20).read_bytes()
    assert len(data) < imports.MAX_BYTES
    with pytest.raises(DomainError) as error:
        imports.import_upload(filename="bom.xlsx", data=data, actor=None, dry_run=True)
    assert "giải nén ra quá lớn" in error.value.message


def _sheet_of_bad_rows(count: int) -> bytes:
    workbook = Workbook()
    workbook.active.title = interchange.xlsx.SHEET_ITEMS
    workbook.active.append(["Loại", "Nội dung câu hỏi"])
    for n in range(count):
        workbook.active.append(["Không có loại này", f"Câu {n}"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_an_item_sheet_over_the_row_limit_is_refused_as_a_whole(settings):
    settings.UPLOAD_MAX_ROWS = 50
    report = imports.import_upload(filename="a.xlsx", data=_sheet_of_bad_rows(200), actor=None, dry_run=True)
    assert report.problems[-1] == "Tệp: có hơn 50 dòng câu hỏi; hãy chia thành nhiều tệp"
    assert len(report.problems) <= 51


def test_only_the_first_problems_are_listed_and_the_others_counted(settings):
    settings.UPLOAD_MAX_PROBLEMS = 5
    report = imports.import_upload(filename="a.xlsx", data=_sheet_of_bad_rows(40), actor=None, dry_run=True)
    assert len(report.problems) == 6
    assert [problem.split(":")[0] for problem in report.problems[:5]] == [f"Dòng {n}" for n in range(2, 7)]
    assert report.problems[5] == "… và 35 lỗi khác."


def test_a_file_that_is_not_a_workbook_gets_a_vietnamese_message():
    with pytest.raises(DomainError) as error:
        imports.import_upload(filename="a.xlsx", data=b"this is not a zip", actor=None, dry_run=True)
    assert "Không đọc được tệp Excel" in error.value.message
    _items, problems = interchange.read_xlsx(b"this is not a zip")
    assert "zip" not in str(problems[0]) and "tệp bị hỏng" in str(problems[0])


def test_a_broken_moodle_xml_names_the_place_in_vietnamese():
    report = imports.import_upload(filename="a.xml", data=b"<quiz><question>", actor=None, dry_run=True)
    assert report.problems == ["Tệp: không đọc được XML: lỗi cú pháp ở dòng 1, cột 17"]
