"""Loading the official unit list from CSV or XLSX: a tree comes out, a second load changes nothing, a bad row stops all."""

import pytest

from kynangso.errors import DomainError
from kynangso.orgs import api as orgs
from kynangso.orgs.models import OrgUnitClosure
from tests.factories import write_table

HEADER = ("Mã", "Tên", "Cấp", "Mã cấp trên")
OFFICIAL_LIST = [
    HEADER,
    ("96", "Tỉnh Cà Mau", "Tỉnh", ""),
    ("32002", "Phường An Xuyên", "Phường", "96"),
    ("32003", "Xã Lý Văn Lâm", "Xã", "96"),
    ("32004", "Đặc khu Hòn Khoai", "Đặc khu", "96"),
]


def subtree_codes(code: str) -> set[str]:
    ids = orgs.subtree_unit_ids([orgs.unit_by_code(code).id])
    return set(orgs.OrgUnit.objects.filter(id__in=ids).values_list("code", flat=True))


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_import_creates_the_tree(db, tmp_path, suffix):
    report = orgs.import_units(write_table(tmp_path / f"dvhc.{suffix}", OFFICIAL_LIST))

    assert (report.created, report.updated, report.errors) == (4, 0, [])
    assert subtree_codes("96") == {"96", "32002", "32003", "32004"}
    ward = orgs.unit_by_code("32002")
    assert (ward.name, ward.kind, ward.parent.code) == ("Phường An Xuyên", "ward", "96")
    assert orgs.unit_by_code("32004").kind == "special_zone"


def test_xlsx_codes_typed_as_numbers_are_read_as_codes(db, tmp_path):
    path = write_table(
        tmp_path / "dvhc.xlsx", [HEADER, (96, "Tỉnh Cà Mau", "Tỉnh", None), (32002, "Phường An Xuyên", "Phường", 96)]
    )

    orgs.import_units(path)

    assert orgs.unit_by_code("32002").parent.code == "96"


def test_a_parent_may_come_after_its_child_in_the_file(db, tmp_path):
    path = write_table(
        tmp_path / "dvhc.csv", [HEADER, ("32002", "Phường An Xuyên", "Phường", "96"), ("96", "Tỉnh Cà Mau", "Tỉnh", "")]
    )

    orgs.import_units(path)

    assert subtree_codes("96") == {"96", "32002"}


def test_a_parent_may_be_a_unit_already_in_the_database(province, tmp_path):
    path = write_table(tmp_path / "dvhc.csv", [HEADER, ("X003", "Xã Tân Lập", "Xã", "T01")])

    orgs.import_units(path)

    assert "X003" in subtree_codes("T01")


def test_level_names_match_without_diacritics_or_case_and_kind_codes_work(db, tmp_path):
    path = write_table(
        tmp_path / "dvhc.csv",
        [
            HEADER,
            ("96", "Tỉnh Cà Mau", "TINH", ""),
            ("1", "Phường Một", "phuong", "96"),
            ("2", "Thị trấn Hai", "township", "96"),
        ],
    )

    orgs.import_units(path)

    assert [orgs.unit_by_code(code).kind for code in ("96", "1", "2")] == ["province", "ward", "township"]


def test_importing_the_same_file_again_changes_nothing(db, tmp_path):
    path = write_table(tmp_path / "dvhc.csv", OFFICIAL_LIST)
    orgs.import_units(path)
    closure_before = set(OrgUnitClosure.objects.values_list("ancestor_id", "descendant_id", "depth"))

    report = orgs.import_units(path)

    assert (report.created, report.updated, report.unchanged) == (0, 0, 4)
    assert orgs.units().count() == 4
    assert set(OrgUnitClosure.objects.values_list("ancestor_id", "descendant_id", "depth")) == closure_before


def test_a_renamed_unit_is_updated_in_place(db, tmp_path):
    orgs.import_units(write_table(tmp_path / "v1.csv", OFFICIAL_LIST))
    renamed = [row if row[0] != "32003" else ("32003", "Xã Lý Văn Lâm Mới", "Xã", "96") for row in OFFICIAL_LIST]

    report = orgs.import_units(write_table(tmp_path / "v2.csv", renamed))

    assert (report.created, report.updated, report.unchanged) == (0, 1, 3)
    assert orgs.unit_by_code("32003").name == "Xã Lý Văn Lâm Mới"


def test_a_unit_given_a_new_parent_is_moved_and_reported_as_updated(db, tmp_path):
    rows = OFFICIAL_LIST + [("H1", "Huyện Cũ", "Huyện", "96")]
    orgs.import_units(write_table(tmp_path / "v1.csv", rows))
    moved = [row if row[0] != "32003" else ("32003", "Xã Lý Văn Lâm", "Xã", "H1") for row in rows]

    report = orgs.import_units(write_table(tmp_path / "v2.csv", moved))

    assert (report.created, report.updated, report.unchanged) == (0, 1, 4)
    assert subtree_codes("H1") == {"H1", "32003"}


def test_one_bad_row_imports_nothing_and_is_reported_in_vietnamese(db, tmp_path):
    rows = OFFICIAL_LIST + [("32005", "Làng Mới", "Làng", "96")]

    report = orgs.import_units(write_table(tmp_path / "dvhc.csv", rows))

    assert report.errors == [(6, "cấp «Làng» không hợp lệ")]
    assert report.created == 0
    assert not orgs.units().exists()


def test_every_bad_row_is_reported_with_all_its_problems(db, tmp_path):
    rows = [HEADER, ("96", "Tỉnh Cà Mau", "Tỉnh", ""), ("96", "", "Xã", "99"), ("7", "Xã Bảy", "Xã", "7")]

    report = orgs.import_units(write_table(tmp_path / "dvhc.csv", rows))

    assert report.errors == [
        (3, "thiếu tên đơn vị; mã 96 trùng với dòng 2; không tìm thấy đơn vị cấp trên có mã 99"),
        (4, "đơn vị không thể là cấp trên của chính nó"),
    ]
    assert not orgs.units().exists()


def test_a_cycle_of_parents_in_the_file_is_refused_and_imports_nothing(db, tmp_path):
    rows = [HEADER, ("1", "Xã Một", "Xã", "2"), ("2", "Xã Hai", "Xã", "1")]

    with pytest.raises(DomainError, match="vòng lặp cấp trên"):
        orgs.import_units(write_table(tmp_path / "dvhc.csv", rows))

    assert not orgs.units().exists()


def test_a_file_without_a_required_column_is_refused_in_vietnamese(db, tmp_path):
    with pytest.raises(DomainError, match="Tệp thiếu cột bắt buộc: «Cấp»"):
        orgs.import_units(write_table(tmp_path / "dvhc.csv", [("Mã", "Tên"), ("96", "Tỉnh Cà Mau")]))


def test_a_file_that_is_not_csv_or_xlsx_is_refused(db, tmp_path):
    path = tmp_path / "dvhc.txt"
    path.write_text("Mã,Tên,Cấp\n", encoding="utf-8")

    with pytest.raises(DomainError, match="Chỉ nhận tệp .xlsx hoặc .csv"):
        orgs.import_units(path)
