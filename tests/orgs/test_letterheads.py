"""Letterheads: what a unit's documents print as issuer and signer (Nghị định 30/2020), set by the province or derived
from the register, and the one unit that issues the province's certificates."""

import datetime

import pytest

from kynangso.errors import DomainError
from kynangso.orgs import api as orgs
from kynangso.orgs.models import Letterhead
from tests.factories import make_unit

pytestmark = pytest.mark.django_db


def test_a_commune_without_a_letterhead_issues_as_its_peoples_committee(province):
    letterhead = orgs.letterhead_for(province.a)
    assert letterhead.superior_body == "" and letterhead.agency_name == "ỦY BAN NHÂN DÂN XÃ AN BÌNH"
    assert letterhead.place_name == "An Bình"
    assert letterhead.signer_title_lines == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]
    assert not letterhead.stored


def test_a_remark_in_brackets_is_not_printed_as_part_of_the_name():
    root = make_unit("99", "Tỉnh Phú Hòa (dữ liệu mô phỏng)", kind="province")
    department = make_unit("99-SKHCN", "Sở Khoa học và Công nghệ", kind="department", parent=root)
    assert orgs.letterhead_for(root).agency_name == "ỦY BAN NHÂN DÂN TỈNH PHÚ HÒA"
    derived = orgs.letterhead_for(department)
    assert (derived.superior_body, derived.agency_name, derived.place_name) == (
        "ỦY BAN NHÂN DÂN TỈNH PHÚ HÒA",
        "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
        "Phú Hòa",
    )
    assert derived.signer_title_lines == []  # the province names the signer of a department


def test_the_province_sets_a_letterhead_printed_in_capitals(province):
    orgs.save_letterhead(
        unit=province.department,
        superior_body="Ủy ban nhân dân tỉnh Thử Nghiệm",
        agency_name="Sở Khoa học  và Công nghệ",
        place_name="Thử Nghiệm",
        signer_title="KT. Giám đốc\n\nPhó Giám đốc",
        signer_name="Nguyễn Văn An",
    )
    letterhead = orgs.letterhead_for(province.department)
    assert letterhead.stored and letterhead.agency_name == "SỞ KHOA HỌC VÀ CÔNG NGHỆ"
    assert letterhead.signer_title_lines == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]
    assert letterhead.date_line(datetime.date(2026, 2, 3)) == "Thử Nghiệm, ngày 03 tháng 02 năm 2026"
    assert letterhead.date_line(datetime.date(2026, 12, 4)) == "Thử Nghiệm, ngày 04 tháng 12 năm 2026"


@pytest.mark.parametrize(
    ("title", "message"),
    [
        ("KT. GIÁM ĐỐC", "Sau dòng «KT. GIÁM ĐỐC» cần dòng chức vụ"),
        ("TM. ỦY BAN NHÂN DÂN", "Sau dòng «TM. ỦY BAN NHÂN DÂN» cần dòng chức vụ"),
        ("KT GIÁM ĐỐC\nPHÓ GIÁM ĐỐC", "có dấu chấm: «KT.»"),
        ("", "Hãy ghi chức vụ người ký"),
    ],
)
def test_a_signer_title_without_the_signers_own_title_is_refused(province, title, message):
    with pytest.raises(DomainError) as refused:
        orgs.save_letterhead(
            unit=province.a, agency_name="Ủy ban nhân dân xã An Bình", place_name="An Bình", signer_title=title
        )
    assert message in refused.value.message and refused.value.field == "signer_title"
    assert not Letterhead.objects.exists()


def test_one_unit_at_a_time_issues_certificates(province):
    assert orgs.certificate_letterhead() is None
    common = {"place_name": "Thử Nghiệm", "signer_title": "GIÁM ĐỐC", "issues_certificates": True}
    orgs.save_letterhead(unit=province.department, agency_name="Sở Khoa học và Công nghệ", **common)
    orgs.save_letterhead(unit=province.root, agency_name="Ủy ban nhân dân tỉnh Thử Nghiệm", **common)
    assert orgs.certificate_letterhead().agency_name == "ỦY BAN NHÂN DÂN TỈNH THỬ NGHIỆM"
    assert Letterhead.objects.filter(issues_certificates=True).count() == 1
