"""Yearly denominators load from a file, all or nothing, and a second load of the same file changes nothing."""

from django.core.management import call_command

from kynangso.orgs import api as orgs
from kynangso.orgs.models import UnitDenominator
from tests.factories import write_table


def _write(tmp_path, text):
    path = tmp_path / "mau-so.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_denominators_import_by_label_or_code(province, tmp_path):
    path = _write(
        tmp_path,
        "Mã đơn vị;Năm;Loại mẫu số;Số lượng\n"
        "X001;2025;Người dân trong độ tuổi lao động;4.512\nX002;2025;officials;37\n",
    )
    report = orgs.import_denominators(path)
    assert (report.created, report.errors) == (2, [])
    assert UnitDenominator.objects.get(unit=province.a, year=2025, kind="working_age_residents").value == 4512


def test_denominators_reimport_changes_nothing(province, tmp_path):
    path = _write(tmp_path, "Mã đơn vị,Năm,Loại mẫu số,Số lượng\nX001,2025,adults,3000\n")
    orgs.import_denominators(path)
    report = orgs.import_denominators(path)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 1)


def test_denominators_with_a_bad_row_import_nothing(province, tmp_path):
    path = _write(tmp_path, "Mã đơn vị,Năm,Loại mẫu số,Số lượng\nX001,2025,adults,3000\nX999,2025,adults,-4\n")
    report = orgs.import_denominators(path)
    assert report.errors == [(3, "không có đơn vị mã «X999»; số lượng «-4» phải là số nguyên không âm")]
    assert not UnitDenominator.objects.exists()


def test_denominators_command_reports_counts(province, tmp_path, capsys):
    call_command(
        "import-denominators",
        str(_write(tmp_path, "Mã đơn vị,Năm,Loại mẫu số,Số lượng\nT01,2026,pupils_students,120000\n")),
    )
    assert "1 mới" in capsys.readouterr().out


def test_denominators_load_from_xlsx_with_numeric_cells(province, tmp_path):
    path = write_table(
        tmp_path / "mau-so.xlsx", [("Mã đơn vị", "Năm", "Loại mẫu số", "Số lượng"), ("X001", 2025, "Giáo viên", 37)]
    )

    report = orgs.import_denominators(path)

    assert (report.created, report.errors) == (1, [])
    assert UnitDenominator.objects.get(unit=province.a, year=2025, kind="teachers").value == 37


def test_a_fractional_count_is_refused_not_read_as_a_bigger_number(province, tmp_path):
    path = write_table(
        tmp_path / "mau-so.xlsx", [("Mã đơn vị", "Năm", "Loại mẫu số", "Số lượng"), ("X001", 2025, "adults", 12.5)]
    )

    report = orgs.import_denominators(path)

    assert report.errors == [(2, "số lượng «12.5» phải là số nguyên không âm")]
    assert not UnitDenominator.objects.exists()
