"""The roster import: every bad row reported, nothing written unless every row is good, re-import changes nothing."""
import datetime

import pytest
from openpyxl import Workbook, load_workbook

from kynangso.errors import DomainError
from kynangso.people import api as people
from kynangso.people.models import Person, TargetGroupMembership
from tests.factories import make_national_id, make_person, write_table

HEADER = ["Họ và tên", "Ngày sinh (dd/mm/yyyy)", "Giới tính (Nam/Nữ)", "Số định danh cá nhân", "Số điện thoại",
          "Mã đơn vị cư trú", "Mã đơn vị công tác, học tập", "Nhóm đối tượng", "Thuộc nhóm từ ngày (dd/mm/yyyy)"]


def row(name="Trần Thị Bình", birth="02/09/1990", sex="Nữ", national_id=None, phone="0912 345 678", unit="X001",
        workplace="", groups="Người dân", since=""):
    try:
        birth_date = datetime.datetime.strptime(birth, "%d/%m/%Y").date()
    except ValueError:
        birth_date = datetime.date(1990, 9, 2)
    national_id = national_id or make_national_id(birth_date, "female" if sex == "Nữ" else "male")
    return [name, birth, sex, national_id, phone, unit, workplace, groups, since]


def test_good_file_imports_every_row_with_its_groups(province, tmp_path):
    path = write_table(tmp_path / "ds.xlsx", [HEADER, row(), row(name="Lê Văn Cường", sex="Nam", birth="01/01/1970",
                                                                 groups="Cán bộ, công chức, viên chức; Người dân",
                                                                 workplace="S01")])
    report = people.import_roster(path, actor=None, apply=True)
    assert (report.created, report.errors, report.applied) == (2, [], True)
    official = Person.objects.get(full_name="Lê Văn Cường")
    assert official.workplace_unit == province.department
    assert set(official.memberships.values_list("group", flat=True)) == {"official", "resident"}


def test_one_bad_row_imports_nothing_and_names_every_bad_row(province, tmp_path):
    path = write_table(tmp_path / "ds.csv", [HEADER, row(), row(birth="31/02/1990"), row(unit="KHONGCO"),
                                             row(national_id="123")])
    report = people.import_roster(path, actor=None, apply=True)
    assert not report.applied and Person.objects.count() == 0
    lines = dict(report.errors)
    assert set(lines) == {3, 4, 5}
    assert "ngày sinh" in lines[3].lower()
    assert "KHONGCO" in lines[4]
    assert "định danh" in lines[5].lower()


def test_duplicate_national_id_within_the_file_is_reported_on_the_second_row(province, tmp_path):
    same = make_national_id(datetime.date(1990, 9, 2), "female")
    path = write_table(tmp_path / "ds.csv", [HEADER, row(national_id=same), row(name="Khác", national_id=same)])
    report = people.import_roster(path, actor=None, apply=True)
    assert [line for line, _m in report.errors] == [3]
    assert "dòng 2" in report.errors[0][1]


def test_reimporting_the_same_file_changes_nothing(province, tmp_path):
    path = write_table(tmp_path / "ds.xlsx", [HEADER, row(), row(name="Phạm Văn Đạt", sex="Nam")])
    people.import_roster(path, actor=None, apply=True)
    again = people.import_roster(path, actor=None, apply=True)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert Person.objects.count() == 2
    assert TargetGroupMembership.objects.count() == 2


def test_reimport_with_a_new_group_adds_only_that_group(province, tmp_path):
    national_id = make_national_id(datetime.date(1990, 9, 2), "female")
    people.import_roster(write_table(tmp_path / "a.csv", [HEADER, row(national_id=national_id)]), actor=None,
                         apply=True)
    report = people.import_roster(write_table(tmp_path / "b.csv", [HEADER, row(national_id=national_id,
                                                                                 groups="Người dân; Nông dân")]),
                                  actor=None, apply=True)
    assert (report.created, report.updated) == (0, 1)
    assert sorted(TargetGroupMembership.objects.values_list("group", flat=True)) == ["farmer", "resident"]


def test_group_label_with_a_comma_is_one_group(province, tmp_path):
    path = write_table(tmp_path / "ds.csv", [HEADER, row(groups="Cán bộ chuyên trách CĐS, CNTT", workplace="S01")])
    people.import_roster(path, actor=None, apply=True)
    assert list(TargetGroupMembership.objects.values_list("group", flat=True)) == ["dx_specialist"]


def test_groups_may_be_written_with_commas_between_them(province, tmp_path):
    path = write_table(tmp_path / "ds.csv", [HEADER, row(groups="Nông dân, Đoàn viên")])
    people.import_roster(path, actor=None, apply=True)
    assert sorted(TargetGroupMembership.objects.values_list("group", flat=True)) == ["farmer", "youth_union"]


def test_semicolon_csv_with_byte_order_mark_is_read(province, tmp_path):
    path = tmp_path / "ds.csv"
    lines = [";".join(HEADER), ";".join(row(groups="Nông dân"))]
    path.write_bytes(("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8"))
    report = people.import_roster(path, actor=None, apply=True)
    assert report.errors == [] and report.created == 1


def test_excel_numbers_and_dates_are_understood(province, tmp_path):
    """Excel drops the leading zero of an ID typed as a number and stores birth dates as dates."""
    national_id = make_national_id(datetime.date(1990, 9, 2), "female", province_code="001")
    workbook = Workbook()
    workbook.active.append(HEADER)
    workbook.active.append(["Trần Thị Bình", datetime.datetime(1990, 9, 2), "Nữ", int(national_id), 912345678,
                            "X001", None, "Người dân", None])
    workbook.save(tmp_path / "ds.xlsx")
    report = people.import_roster(tmp_path / "ds.xlsx", actor=None, apply=True)
    assert report.errors == []
    person = Person.objects.get()
    assert person.birth_date == datetime.date(1990, 9, 2)
    assert person.phone == "0912345678"
    assert people.national_id_digest(national_id) == person.national_id_digest


def test_text_is_stored_nfc_normalised(province, tmp_path):
    import unicodedata

    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Hoà")
    people.import_roster(write_table(tmp_path / "ds.csv", [HEADER, row(name=decomposed)]), actor=None, apply=True)
    assert Person.objects.get().full_name == unicodedata.normalize("NFC", "Nguyễn Thị Hoà")


def test_existing_person_with_other_birth_date_is_refused(province, tmp_path):
    national_id = make_national_id(datetime.date(1990, 9, 2), "female")
    make_person(province.a, full_name="Trần Thị Bình", birth_date=datetime.date(1990, 9, 2), sex="female",
                national_id=national_id)
    path = write_table(tmp_path / "ds.csv", [HEADER, row(national_id=national_id, birth="03/09/1990")])
    report = people.import_roster(path, actor=None, apply=True)
    assert report.errors and not report.applied


def test_commune_admin_cannot_import_into_another_commune(province, commune_admin, tmp_path):
    path = write_table(tmp_path / "ds.csv", [HEADER, row(unit="X001"), row(name="Ngoài phạm vi", unit="X002")])
    report = people.import_roster(path, actor=commune_admin, apply=True)
    assert [line for line, _m in report.errors] == [3]
    assert "phạm vi" in report.errors[0][1]
    assert Person.objects.count() == 0


def test_missing_required_column_is_one_clear_error(province, tmp_path):
    path = write_table(tmp_path / "ds.csv", [HEADER[:3], ["Trần Thị Bình", "02/09/1990", "Nữ"]])
    with pytest.raises(DomainError) as error:
        people.import_roster(path, actor=None, apply=True)
    assert "«Số định danh cá nhân»" in error.value.message and "«Mã đơn vị cư trú»" in error.value.message


def test_error_report_marks_each_bad_row_and_keeps_the_good_ones(province, tmp_path):
    path = write_table(tmp_path / "ds.xlsx", [HEADER, row(), row(unit="KHONGCO")])
    report = people.import_roster(path, actor=None, apply=False)
    people.write_error_report(path, report.errors, tmp_path / "loi.xlsx")
    sheet = load_workbook(tmp_path / "loi.xlsx").active
    values = list(sheet.iter_rows(values_only=True))
    assert len(values) == 3
    assert values[0][-1] == "Lỗi cần sửa"
    assert values[1][-1] in (None, "")
    assert "KHONGCO" in values[2][-1]


def test_template_imports_cleanly_once_its_example_unit_is_filled(province, tmp_path):
    people.write_template(tmp_path / "mau.xlsx")
    workbook = load_workbook(tmp_path / "mau.xlsx")
    workbook.active["F2"] = "X001"
    workbook.save(tmp_path / "mau.xlsx")
    report = people.import_roster(tmp_path / "mau.xlsx", actor=None, apply=False)
    assert report.errors == [] and report.created == 1


def test_dry_run_writes_nothing(province, tmp_path):
    report = people.import_roster(write_table(tmp_path / "ds.csv", [HEADER, row()]), actor=None, apply=False)
    assert report.created == 1 and not report.applied and Person.objects.count() == 0


def test_roster_job_runs_inline_and_leaves_an_error_file(province, tmp_path, provincial_admin,
                                                         django_capture_on_commit_callbacks):
    path = write_table(tmp_path / "ds.xlsx", [HEADER, row(unit="KHONGCO")])
    with django_capture_on_commit_callbacks(execute=True):
        job = people.start_roster_import(upload_path=path, actor=provincial_admin, apply=True)
    job.refresh_from_db()
    assert job.result["error_count"] == 1
    assert (tmp_path / "ds-loi.xlsx").exists()
    assert Person.objects.count() == 0
