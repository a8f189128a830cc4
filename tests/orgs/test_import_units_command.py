"""`kynangso import-units`: the official list loads from the command line, and a bad file changes nothing."""

import pytest
from django.core.management import CommandError, call_command

from kynangso.orgs import api as orgs


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_command_imports_the_official_list(db, tmp_path, capsys):
    source = _write(
        tmp_path / "dvhc.csv", "Mã,Tên,Cấp,Mã cấp trên\n96,Tỉnh Cà Mau,Tỉnh,\n32002,Phường An Xuyên,Phường,96\n"
    )
    call_command("import-units", str(source))
    assert "2 đơn vị mới" in capsys.readouterr().out
    assert orgs.unit_by_code("32002").parent == orgs.unit_by_code("96")


def test_command_with_a_bad_row_fails_and_imports_nothing(db, tmp_path, capsys):
    source = _write(
        tmp_path / "dvhc.csv", "Mã,Tên,Cấp,Mã cấp trên\n96,Tỉnh Cà Mau,Tỉnh,\n32002,Phường An Xuyên,Làng,96\n"
    )
    with pytest.raises(CommandError, match="1 dòng lỗi"):
        call_command("import-units", str(source))
    assert "Dòng 3: cấp «Làng» không hợp lệ" in capsys.readouterr().err
    assert not orgs.units().exists()


def test_merge_command_puts_old_communes_under_their_successor(db, tmp_path):
    source = _write(
        tmp_path / "dvhc.csv",
        "Mã,Tên,Cấp,Mã cấp trên\n96,Tỉnh Cà Mau,Tỉnh,\n1,Xã Một,Xã,96\n2,Xã Hai,Xã,96\n3,Xã Mới,Xã,96\n",
    )
    call_command("import-units", str(source))
    call_command("merge-units", "1", "2", "--into", "3", "--date", "01/07/2025", "--basis", "Nghị quyết thử")
    new = orgs.unit_by_code("3")
    subtree = set(orgs.subtree_unit_ids([new.id]).values_list("descendant_id", flat=True))
    assert {orgs.unit_by_code("1").id, orgs.unit_by_code("2").id} <= subtree
    assert str(orgs.unit_by_code("1").valid_to) == "2025-06-30"


def test_merge_command_refuses_an_unknown_code(db):
    with pytest.raises(CommandError, match="Không có đơn vị mã: 9"):
        call_command("merge-units", "9", "--into", "8", "--date", "01/07/2025")
