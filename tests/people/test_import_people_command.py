"""`kynangso import-people`: the roster import from the command line."""

import pytest
from django.core.management import CommandError, call_command

from kynangso.people.models import Person
from tests.factories import write_table
from tests.people.roster_files import HEADER, row


def test_command_imports_a_good_file(province, tmp_path, capsys):
    call_command("import-people", str(write_table(tmp_path / "ds.csv", [HEADER, row()])))
    assert Person.objects.count() == 1
    assert "1 người mới" in capsys.readouterr().out


def test_command_dry_run_writes_nothing(province, tmp_path, capsys):
    call_command("import-people", str(write_table(tmp_path / "ds.csv", [HEADER, row()])), "--dry-run")
    assert Person.objects.count() == 0
    assert "chưa ghi" in capsys.readouterr().out


def test_command_lists_bad_rows_writes_the_marked_file_and_fails(province, tmp_path, capsys):
    path = write_table(tmp_path / "ds.xlsx", [HEADER, row(), row(unit="KHONGCO")])
    with pytest.raises(CommandError, match="1 dòng lỗi"):
        call_command("import-people", str(path), "--errors", str(tmp_path / "loi.xlsx"))
    assert "Dòng 3:" in capsys.readouterr().err
    assert (tmp_path / "loi.xlsx").exists()
    assert Person.objects.count() == 0


def test_command_as_a_commune_admin_is_limited_to_that_commune(province, commune_admin, tmp_path):
    path = write_table(tmp_path / "ds.csv", [HEADER, row(unit="X002")])
    with pytest.raises(CommandError):
        call_command("import-people", str(path), "--as", commune_admin.username)
    assert Person.objects.count() == 0


def test_command_refuses_an_unknown_account(province, tmp_path):
    with pytest.raises(CommandError, match="Không có tài khoản"):
        call_command("import-people", str(write_table(tmp_path / "ds.csv", [HEADER, row()])), "--as", "khongai")


def test_command_writes_the_template(tmp_path, db):
    call_command("import-people", "--template", str(tmp_path / "mau.xlsx"))
    assert (tmp_path / "mau.xlsx").stat().st_size > 0


def test_command_reports_a_missing_file(db):
    with pytest.raises(CommandError, match="Không mở được tệp"):
        call_command("import-people", "/khong/co/tep.csv")
