"""Issue 13, finding 5 for units and denominators: the shared reader refuses a file over the limits."""

import pytest

from kynangso.errors import DomainError
from kynangso.orgs import api as orgs
from tests.support.files import xlsx_bomb


def test_an_xlsx_bomb_unit_file_is_refused_before_it_is_unpacked(db, tmp_path, settings):
    settings.UPLOAD_MAX_COMPRESSION_RATIO = 100
    with pytest.raises(DomainError) as error:
        orgs.import_units(xlsx_bomb(tmp_path / "don-vi.xlsx", unpacked_mib=20))
    assert "giải nén ra quá lớn" in error.value.message


def test_a_unit_file_over_the_row_limit_is_refused(db, tmp_path, settings):
    settings.UPLOAD_MAX_ROWS = 100
    path = tmp_path / "don-vi.csv"
    path.write_text("Mã,Tên,Cấp\r\n" + "".join(f"X{n},Xã {n},xa\r\n" for n in range(500)), encoding="utf-8")
    with pytest.raises(DomainError) as error:
        orgs.import_units(path)
    assert "hơn 100 dòng" in error.value.message
