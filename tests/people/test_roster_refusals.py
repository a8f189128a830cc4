"""Refusals that teach (issue 24): the import finds the header and the sheet and says which it used, turns a
merged unit's code or a unit's name into a suggestion in the official's scope, reads Excel serial dates, and
names old ID cards and missing files; no message names a unit or person outside the official's scope."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from kynangso.accounts.api import SYSTEM
from kynangso.accounts.models import Role
from kynangso.errors import DomainError
from kynangso.orgs import api as orgs
from kynangso.people import api as people
from kynangso.people.models import Person
from tests.factories import make_unit, make_user
from tests.people import roster_files as files
from tests.people.roster_files import HEADER, person


def test_a_title_above_the_header_is_skipped_and_the_header_row_is_named(province, tmp_path):
    report = people.import_roster(files.title_rows_above_header(tmp_path), actor=SYSTEM, apply=True)
    assert report.errors == [] and report.created == 1
    assert (report.sheet, report.header_line) == ("DS", 4)
    assert report.notes()[0] == "Đã đọc trang «DS», dòng tiêu đề là dòng 4."


def test_a_two_level_header_is_read(province, tmp_path):
    report = people.import_roster(files.two_level_header(tmp_path), actor=SYSTEM, apply=True)
    assert report.errors == [] and report.header_line == 2
    assert Person.objects.get().full_name == "Trần Thị Bình"


def test_the_first_sheet_holding_the_template_columns_is_read_and_named(province, tmp_path):
    report = people.import_roster(files.data_on_second_sheet(tmp_path), actor=SYSTEM, apply=True)
    assert report.errors == [] and report.sheet == "Danh sách xã"


def test_a_file_without_the_columns_names_the_closest_header_row(province, tmp_path):
    path = files.write_xlsx(tmp_path / "ds.xlsx", {"Trang 1": [["Danh sách"], ["Họ và tên", "Ngày sinh", "Giới tính"]]})
    with pytest.raises(DomainError) as error:
        people.import_roster(path, actor=SYSTEM, apply=False)
    assert error.value.message == (
        "Tệp thiếu cột bắt buộc: «Số định danh cá nhân», «Mã đơn vị cư trú» (dòng tiêu đề "
        "gần đủ nhất là dòng 2 của trang «Trang 1»). Hãy dùng tệp mẫu."
    )


@pytest.fixture
def merged(province):
    """Phường Bình Minh (X002) merged into Xã An Bình (X001)."""
    orgs.merge_units(sources=[province.b], into=province.a, effective_date=datetime.date(2025, 7, 1))
    return province


@pytest.mark.parametrize("code", ["X002", "x002"])
def test_a_merged_units_code_names_its_successor_and_offers_it(merged, tmp_path, code):
    path = files.write_csv(tmp_path / "ds.csv", [HEADER, person(unit=code)])
    report = people.import_roster(path, actor=SYSTEM, apply=True)
    assert report.errors == [
        (
            2,
            (
                "đơn vị «Phường Bình Minh» (mã X002) đã sáp nhập vào «Xã An Bình»: hãy ghi mã "
                "«X001», hoặc xác nhận dùng đơn vị này"
            ),
        )
    ]
    assert [(s["given"], s["code"], s["reason"]) for s in report.unit_suggestions] == [(code, "X001", "merged")]
    accepted = people.import_roster(path, actor=SYSTEM, apply=True, accept_suggestions=True)
    assert accepted.applied and Person.objects.get().residence_unit == merged.a


def test_a_merged_unit_outside_the_scope_is_not_named(merged, tmp_path):
    """The admin of a third commune learns nothing about Phường Bình Minh or its successor."""
    other = make_unit("X003", "Xã Cồn Cỏ", parent=merged.root)
    admin = make_user("admin_x3", Role.UNIT_ADMIN, other)
    path = files.write_csv(
        tmp_path / "ds.csv",
        [HEADER, person(unit="X002"), person(serial=2, unit="X001"), person(serial=3, unit="KHONGCO")],
    )
    report = people.import_roster(path, actor=admin, apply=True)
    errors = dict(report.errors)
    assert errors[2].replace("X002", "KHONGCO") == errors[4]  # unknown and out of scope read the same
    assert all("Bình" not in message and "Cồn Cỏ" not in message for message in errors.values())
    assert report.unit_suggestions == []


def test_a_unit_written_by_its_name_is_matched_to_its_code_for_confirmation(province, tmp_path):
    path = files.unit_given_by_name(tmp_path)
    report = people.import_roster(path, actor=SYSTEM, apply=True)
    assert len(report.errors) == 4 and not report.applied
    assert dict(report.errors)[2] == (
        "«xã an bình» là tên, không phải mã đơn vị: có phải «Xã An Bình» (mã X001)? Hãy "
        "ghi mã, hoặc xác nhận dùng đơn vị này"
    )
    assert {(s["given"], s["code"]) for s in report.unit_suggestions} == {
        ("xã an bình", "X001"),
        ("X. An Bình", "X001"),
        ("Xã An Bình", "X001"),
        ("P. Bình Minh", "X002"),
    }
    accepted = people.import_roster(path, actor=SYSTEM, apply=True, accept_suggestions=True)
    assert accepted.applied and accepted.created == 4
    assert "«P. Bình Minh» (dòng 5) → Phường Bình Minh, mã X002." in accepted.notes()


def test_a_name_with_the_wrong_kind_of_unit_is_not_matched(province, tmp_path):
    path = files.write_csv(tmp_path / "ds.csv", [HEADER, person(unit="P. An Bình")])
    report = people.import_roster(path, actor=SYSTEM, apply=False, accept_suggestions=True)
    assert "không có đơn vị cư trú mã hoặc tên «P. An Bình»" in report.errors[0][1]


def test_a_unit_name_is_matched_only_within_the_officials_scope(province, commune_admin, tmp_path):
    path = files.write_csv(tmp_path / "ds.csv", [HEADER, person(unit="Phường Bình Minh")])
    report = people.import_roster(path, actor=commune_admin, apply=True, accept_suggestions=True)
    assert report.unit_suggestions == [] and not report.applied
    assert report.errors[0][1].startswith("không có đơn vị cư trú mã hoặc tên «Phường Bình Minh» trong phạm vi")


def test_the_template_lists_the_unit_codes_in_the_officials_scope(province, commune_admin, tmp_path):
    people.write_template(tmp_path / "mau.xlsx", actor=commune_admin)
    workbook = load_workbook(tmp_path / "mau.xlsx")
    assert workbook.sheetnames == ["Danh sách", "Mã đơn vị"]
    codes = list(workbook["Mã đơn vị"].iter_rows(min_row=2, values_only=True))
    assert codes == [("TH01", "Trường Tiểu học An Bình", "Cơ sở giáo dục", "không"), ("X001", "Xã An Bình", "Xã", "có")]


def test_an_excel_serial_date_is_read(province, tmp_path):
    report = people.import_roster(files.excel_serial_dates(tmp_path), actor=SYSTEM, apply=True)
    assert report.errors == [] and Person.objects.get().birth_date == datetime.date(1990, 2, 1)


def test_an_excel_serial_date_stored_as_a_number_in_a_workbook_is_read(province, tmp_path):
    row = person(birth=datetime.date(1990, 2, 1))
    row[1] = 32905
    path = files.write_xlsx(tmp_path / "ds.xlsx", {"DS": [HEADER, row]})
    report = people.import_roster(path, actor=SYSTEM, apply=True)
    assert report.errors == [] and Person.objects.get().birth_date == datetime.date(1990, 2, 1)


def test_an_old_nine_digit_id_card_number_gets_its_own_message(province, tmp_path):
    report = people.import_roster(files.old_cmnd(tmp_path), actor=SYSTEM, apply=False)
    assert report.errors[0][1].startswith("số «012345678» là số chứng minh nhân dân (CMND) cũ 9 chữ số")


@pytest.mark.parametrize("name", ["khong-co.csv", "khong-co.xlsx"])
def test_the_command_reports_a_missing_file_as_missing(db, tmp_path, name):
    with pytest.raises(CommandError) as error:
        call_command("import-people", str(tmp_path / name))
    assert str(error.value) == f"Không mở được tệp «{tmp_path / name}»: không tìm thấy tệp này. Hãy kiểm tra đường dẫn."


def test_the_command_prints_which_sheet_and_header_row_it_read(province, tmp_path, capsys):
    call_command("import-people", str(files.title_rows_above_header(tmp_path)), "--dry-run")
    assert "Đã đọc trang «DS», dòng tiêu đề là dòng 4." in capsys.readouterr().out


def test_the_command_applies_unit_suggestions_only_when_asked(province, tmp_path, capsys):
    path = files.unit_given_by_name(tmp_path)
    with pytest.raises(CommandError):
        call_command("import-people", str(path))
    assert not Person.objects.exists()
    call_command("import-people", str(path), "--accept-unit-suggestions")
    assert Person.objects.count() == 4


def test_the_downloaded_template_lists_only_the_units_of_the_official(province, commune_admin, client):
    import io

    client.force_login(commune_admin)
    response = client.get("/nguoi/nhap/mau.xlsx")
    codes = [
        row[0]
        for row in load_workbook(io.BytesIO(response.content))["Mã đơn vị"].iter_rows(min_row=2, values_only=True)
    ]
    assert codes == ["TH01", "X001"]


def test_the_import_page_lists_commune_level_codes_of_the_scope_first(province, commune_admin, client):
    client.force_login(commune_admin)
    page = client.get("/nguoi/nhap/").content.decode()
    assert page.index("X001") < page.index("TH01")
    assert "X002" not in page and "Phường Bình Minh" not in page
