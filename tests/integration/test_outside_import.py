"""Importing a completion list from another platform: every row checked and named in Vietnamese, all rows or none,
only people in the importer's scope, through the province's mapping; the page and its template."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from kynangso.errors import DomainError
from kynangso.integration.models import Origin, OutsideCompletion
from kynangso.integration.outside_import import import_outside_completions
from tests.factories import make_person, make_user, write_table
from tests.integration import openedx

pytestmark = pytest.mark.django_db
HEADER = ["Số định danh cá nhân", "Họ và tên", "Mã hoạt động trên nền tảng", "Ngày hoàn thành (dd/mm/yyyy)"]


@pytest.fixture
def minh(province):
    return make_person(province.b, full_name="Lê Văn Minh", national_id="001085001111")


def test_a_good_list_is_recorded_whole_as_outside_learning(mapped, platform, lan, minh, provincial_admin, tmp_path):
    path = write_table(
        tmp_path / "ds.xlsx",
        [
            HEADER,
            [lan.plain_national_id, "Trần Thị Lan", openedx.COURSE, "15/03/2025"],
            ["001085001111", "Le Van Minh", openedx.PROBLEM, "2025-04-02"],
        ],
    )
    report = import_outside_completions(path, actor=provincial_admin, platform=platform, apply=True)
    assert (report.errors, report.added, report.applied) == ([], 2, True)
    rows = OutsideCompletion.objects.order_by("person_id")
    assert [(r.person_id, r.course_code, r.standard_code, r.done_on, r.origin) for r in rows] == [
        (lan.pk, "ky-nang-so-co-ban", "", datetime.date(2025, 3, 15), Origin.SPREADSHEET),
        (minh.pk, "", "CHUAN-NGUOI-DAN", datetime.date(2025, 4, 2), Origin.SPREADSHEET),
    ]
    again = import_outside_completions(path, actor=provincial_admin, platform=platform, apply=True)
    assert (again.added, again.already) == (0, 2)
    assert OutsideCompletion.objects.count() == 2


def test_one_bad_row_writes_nothing_and_each_bad_row_is_named(mapped, platform, lan, minh, provincial_admin, tmp_path):
    future = (datetime.date.today() + datetime.timedelta(days=3)).strftime("%d/%m/%Y")
    path = write_table(
        tmp_path / "ds.xlsx",
        [
            HEADER,
            [lan.plain_national_id, "Trần Thị Lan", openedx.COURSE, "15/03/2025"],
            ["12345", "Ai Đó", openedx.COURSE, "15/03/2025"],
            ["001085001111", "Lê Văn Mính", openedx.COURSE, "15/03/2025"],
            [lan.plain_national_id, "Trần Thị Lan", "https://khac.example.vn/khoa-hoc/1", "31/02/2025"],
            [lan.plain_national_id, "Trần Thị Lan", openedx.COURSE, future],
            [lan.plain_national_id, "Trần Thị Lan", openedx.COURSE, "15/03/2025"],
        ],
    )
    report = import_outside_completions(path, actor=provincial_admin, platform=platform, apply=True)
    assert not report.applied and OutsideCompletion.objects.count() == 0
    errors = dict(report.errors)
    assert sorted(errors) == [3, 4, 5, 6, 7]
    assert "12 chữ số" in errors[3] or "định danh" in errors[3]
    assert "không khớp" in errors[4]
    assert "chưa được ánh xạ" in errors[5] and "không có thật" in errors[5]
    assert "tương lai" in errors[6]
    assert "trùng với dòng 2" in errors[7]


def test_a_commune_admin_imports_only_people_of_the_commune(mapped, platform, lan, minh, commune_admin, tmp_path):
    path = write_table(
        tmp_path / "ds.xlsx",
        [
            HEADER,
            [lan.plain_national_id, "Trần Thị Lan", openedx.COURSE, "15/03/2025"],
            ["001085001111", "Lê Văn Minh", openedx.COURSE, "15/03/2025"],  # lives in commune B
        ],
    )
    report = import_outside_completions(path, actor=commune_admin, platform=platform, apply=True)
    assert report.errors == [(3, "không tìm thấy người mang số định danh này trong phạm vi của bạn")]
    assert OutsideCompletion.objects.count() == 0


def test_an_admin_of_another_province_cannot_import_for_this_platform(mapped, platform, tmp_path):
    from kynangso.accounts.models import Role
    from tests.factories import make_unit

    other = make_user("admin_tinh_khac", Role.PROVINCIAL_ADMIN, make_unit("T09", "Tỉnh Khác", kind="province"))
    path = write_table(tmp_path / "ds.xlsx", [HEADER, ["001085001111", "Lê Văn Minh", openedx.COURSE, "15/03/2025"]])
    with pytest.raises(DomainError) as refused:
        import_outside_completions(path, actor=other, platform=platform, apply=True)
    assert refused.value.code == "forbidden"


def test_a_file_without_our_columns_is_refused_in_vietnamese(mapped, platform, provincial_admin, tmp_path):
    path = write_table(tmp_path / "ds.xlsx", [["Tên", "Ngày"], ["An", "01/01/2025"]])
    with pytest.raises(DomainError) as refused:
        import_outside_completions(path, actor=provincial_admin, platform=platform, apply=True)
    assert "thiếu cột" in refused.value.message


def test_the_page_imports_a_list_and_offers_the_template(client, mapped, platform, lan, provincial_admin, tmp_path):
    client.force_login(provincial_admin)
    template = client.get("/hoc-noi-khac/nhap/tep-mau/")
    assert template.status_code == 200
    sheet = load_workbook(io.BytesIO(template.content)).active
    assert [cell.value for cell in sheet[1]] == HEADER
    page = client.get("/hoc-noi-khac/nhap/")
    assert page.status_code == 200 and platform.name in page.content.decode()
    path = write_table(
        tmp_path / "ds.xlsx", [HEADER, [lan.plain_national_id, "Trần Thị Lan", openedx.COURSE, "15/03/2025"]]
    )
    with open(path, "rb") as upload:
        response = client.post("/hoc-noi-khac/nhap/", {"platform": platform.pk, "file": upload}, follow=True)
    assert response.status_code == 200
    assert OutsideCompletion.objects.filter(person=lan).count() == 1


def test_a_learner_cannot_open_the_import_page(client, province):
    client.force_login(make_user("hoc_vien"))
    assert client.get("/hoc-noi-khac/nhap/").status_code == 403


def test_the_waiting_list_shows_statements_that_count_for_nobody(client, xapi, mapped, provincial_admin):
    xapi.post(openedx.course_completed("khong-ro-ai"))
    client.force_login(provincial_admin)
    page = client.get("/hoc-noi-khac/cho-xu-ly/")
    assert page.status_code == 200 and "khong-ro-ai" in page.content.decode()
