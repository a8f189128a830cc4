"""Rosters as officials really keep them (issue 24): each messy file, built by `roster_files`, is either stored
right or refused with a message that says how to fix it; nothing is ever stored wrong."""

import datetime

import pytest

from kynangso.accounts.api import SYSTEM
from kynangso.errors import DomainError
from kynangso.people import api as people
from kynangso.people.models import Person
from tests.factories import make_person
from tests.people import roster_files as files
from tests.people.roster_files import HEADER, national_id, person


def names():
    return sorted(Person.objects.values_list("full_name", flat=True))


# Nothing stored wrong --------------------------------------------------------------------------------------------


def test_family_middle_and_given_name_columns_are_joined(province, tmp_path):
    report = people.import_roster(files.split_name_columns(tmp_path), actor=SYSTEM, apply=True)
    assert report.errors == []
    assert names() == ["Lê Văn Hùng", "Nguyễn Thu Hà"]
    assert report.joined_columns == {"full_name": ["Họ", "Họ đệm", "Tên"]}


def test_middle_and_given_name_columns_never_rename_a_person_to_the_given_name(province, tmp_path):
    birth = datetime.date(1990, 9, 2)
    make_person(
        province.a,
        full_name="Nguyễn Thu Anh",
        birth_date=birth,
        sex="female",
        phone="0912345678",
        national_id=national_id(birth, "female", 3),
    )
    report = people.import_roster(files.middle_and_given_name(tmp_path), actor=SYSTEM, apply=True)
    assert (report.errors, report.updated, report.unchanged) == ([], 0, 1)
    assert names() == ["Nguyễn Thu Anh"]


def test_a_name_header_merged_over_two_cells_reads_both_cells(province, tmp_path):
    report = people.import_roster(files.merged_name_header(tmp_path), actor=SYSTEM, apply=True)
    assert report.errors == [] and names() == ["Bùi Văn Hùng"]


def test_a_csv_saved_in_a_western_code_page_is_refused_naming_the_encoding(province, tmp_path):
    for path in (files.cp1252_csv(tmp_path), files.cp1252_without_lost_letters(tmp_path)):
        with pytest.raises(DomainError) as error:
            people.import_roster(path, actor=SYSTEM, apply=True)
        assert "CSV UTF-8" in error.value.message
    assert "Windows-1252" in error.value.message
    assert not Person.objects.exists()


def test_a_utf8_csv_with_one_bad_byte_is_refused_with_its_line_not_read_as_mojibake(province, tmp_path):
    with pytest.raises(DomainError) as error:
        people.import_roster(files.utf8_with_one_bad_byte(tmp_path), actor=SYSTEM, apply=True)
    assert "UTF-8" in error.value.message and "dòng 3" in error.value.message
    assert not Person.objects.exists()


def test_a_windows_1258_csv_is_read_with_its_tone_marks(province, tmp_path):
    report = people.import_roster(files.windows_1258(tmp_path), actor=SYSTEM, apply=True)
    assert report.errors == [] and report.encoding == "Windows-1258"
    assert names() == ["Nguyễn Thị Hoà"]


def test_residence_must_be_a_commune_ward_township_or_special_zone(province, tmp_path):
    report = people.import_roster(files.residence_not_a_commune(tmp_path), actor=SYSTEM, apply=True)
    errors = dict(report.errors)
    assert set(errors) == {2, 3, 4} and not Person.objects.exists()
    assert errors[2] == (
        "nơi cư trú phải là xã, phường, thị trấn, đặc khu hoặc thôn, ấp, khóm, tổ dân phố; "
        "«Trường Tiểu học An Bình» (mã TH01) là "
        "cơ sở giáo dục: ghi đơn vị này ở cột «Mã đơn vị công tác, học tập»"
    )
    assert "«Sở Khoa học và Công nghệ»" in errors[3] and "«Tỉnh Thử nghiệm»" in errors[4]


def test_day_month_dates_are_read_day_first(province, tmp_path):
    path = files.write_csv(
        tmp_path / "ds.csv", [HEADER, person(birth=datetime.date(1990, 1, 2), birth_text="2/1/1990")]
    )
    assert people.import_roster(path, actor=SYSTEM, apply=True).errors == []
    assert Person.objects.get().birth_date == datetime.date(1990, 1, 2)


def test_a_file_written_month_first_has_its_ambiguous_dates_refused(province, tmp_path):
    report = people.import_roster(files.month_first_dates(tmp_path), actor=SYSTEM, apply=True)
    errors = dict(report.errors)
    assert set(errors) == {2, 3} and not Person.objects.exists()  # 5/5/1990 reads the same both ways
    assert "tháng trước ngày" in errors[2]
    assert "«2/1/1990» có thể bị hiểu sai" in errors[3] and "dòng 2" in errors[3]


@pytest.mark.parametrize(
    ("birth_text", "sex", "message"),
    [
        ("02/09/1991", "Nữ", "sinh năm 1990"),
        ("02/09/2090", "Nữ", "sinh năm 1990"),
        ("02/09/1990", "Nam", "chữ số thứ tư «1» là của người nữ"),
    ],
)
def test_an_id_whose_year_century_or_sex_disagrees_with_the_row_is_refused(
    province, tmp_path, birth_text, sex, message
):
    nid = national_id(datetime.date(1990, 9, 2), "female", 1)
    row = person(id_text=nid, birth_text=birth_text)
    row[2] = sex
    report = people.import_roster(files.write_csv(tmp_path / "ds.csv", [HEADER, row]), actor=SYSTEM, apply=True)
    assert len(report.errors) == 1 and message in report.errors[0][1]


def test_hidden_and_filtered_rows_are_skipped_and_reported(province, tmp_path):
    report = people.import_roster(files.hidden_and_filtered_rows(tmp_path), actor=SYSTEM, apply=True)
    assert (report.errors, report.created, report.hidden_lines) == ([], 2, [3])
    assert "Người Ẩn" not in names()
    assert any("Bỏ qua 1 dòng đang bị ẩn hoặc bị lọc trong Excel: 3." in note for note in report.notes())


def test_hidden_rows_are_imported_when_the_official_chooses_so(province, tmp_path):
    report = people.import_roster(
        files.hidden_and_filtered_rows(tmp_path), actor=SYSTEM, apply=True, include_hidden=True
    )
    assert report.created == 3 and "Người Ẩn" in names()


def test_a_hidden_row_of_another_commune_never_reaches_a_commune_admin(province, commune_admin, tmp_path):
    report = people.import_roster(files.hidden_and_filtered_rows(tmp_path), actor=commune_admin, apply=True)
    assert report.errors == [] and report.created == 2 and "Người Ẩn" not in names()


def test_zero_width_characters_are_removed_from_names_and_ids(province, tmp_path):
    report = people.import_roster(files.invisible_characters(tmp_path), actor=SYSTEM, apply=True)
    assert report.errors == []
    stored = Person.objects.get()
    assert stored.full_name == "Trần Thị Bình"
    assert stored.national_id_digest == people.national_id_digest(national_id(datetime.date(1990, 9, 2), "female", 7))


def test_a_reimport_in_capitals_keeps_the_registered_spelling(province, tmp_path):
    birth = datetime.date(1990, 9, 2)
    registered = make_person(
        province.a,
        full_name="Nguyễn Thu Anh",
        birth_date=birth,
        sex="female",
        national_id=national_id(birth, "female", 9),
        phone="0912345678",
    )
    path = files.write_csv(tmp_path / "ds.csv", [HEADER, person(name="NGUYỄN THU ANH", serial=9)])
    report = people.import_roster(path, actor=SYSTEM, apply=True)
    assert (report.errors, report.updated, report.unchanged) == ([], 0, 1)
    registered.refresh_from_db()
    assert registered.full_name == "Nguyễn Thu Anh"
    assert not registered.changes.filter(field="full_name").exists()


def test_a_real_correction_of_a_name_is_still_applied(province, tmp_path):
    birth = datetime.date(1990, 9, 2)
    registered = make_person(
        province.a,
        full_name="Nguyễn Thu Anh",
        birth_date=birth,
        sex="female",
        national_id=national_id(birth, "female", 9),
    )
    path = files.write_csv(tmp_path / "ds.csv", [HEADER, person(name="Nguyễn Thư Anh", serial=9)])
    assert people.import_roster(path, actor=SYSTEM, apply=True).updated == 1
    registered.refresh_from_db()
    assert registered.full_name == "Nguyễn Thư Anh"


def test_a_question_mark_in_a_web_address_is_not_a_lost_letter(province, tmp_path):
    path = files.write_csv(tmp_path / "ds.csv", [HEADER + ["Ghi chú"], person() + ["https://xa.gov.vn/tin?id=3"]])
    assert people.import_roster(path, actor=SYSTEM, apply=True).created == 1


def test_every_messy_case_is_kept_as_a_file_to_open(settings):
    """The folder of messy files (one per case of issue 24) is rebuilt under the data folder at each run, so a
    person can open them in a spreadsheet program; each is a real file of its kind."""
    folder = settings.DATA_DIR / "roster-files"
    folder.mkdir(parents=True, exist_ok=True)
    built = [case(folder) for case in files.CASES]
    assert len({path.name for path in built}) == len(files.CASES)
    for path in built:
        assert path.read_bytes().startswith(b"PK") == (path.suffix == ".xlsx")  # a workbook is a zip, a CSV is not
