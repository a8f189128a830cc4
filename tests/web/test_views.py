"""The unit administrator's pages: scope on every page and export, masking, audited reveal, and the import flow."""

import datetime
import io

import pytest
from openpyxl import Workbook, load_workbook

from kynangso.accounts.models import Role
from kynangso.people.models import Person, PersonalDataAccess
from tests.factories import make_national_id, make_person, make_user

PASSWORD = "Mat-khau-an-toan-2025"


@pytest.fixture
def people_of_two_communes(province):
    return {
        "an": make_person(province.a, "Nguyễn Văn An", phone="0912345678"),
        "binh": make_person(province.b, "Trần Thị Bình", datetime.date(1992, 4, 1), "female"),
    }


@pytest.fixture
def admin_client(client, commune_admin):
    client.force_login(commune_admin)
    return client


# Jobs are enqueued when the request's transaction commits, so the import tests run with real commits.
with_commits = pytest.mark.django_db(transaction=True)


def test_home_page_is_vietnamese(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert "Kỹ năng số cho mọi người" in response.content.decode()
    assert response.headers["Content-Language"] == "vi"


def test_home_page_switches_to_english(client, db):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Digital skills for everyone" in client.get("/").content.decode()


def test_people_list_requires_login(client, db):
    response = client.get("/nguoi/")
    assert response.status_code == 302
    assert response.url.startswith("/dang-nhap/")


def test_learner_cannot_open_people_list(client, province):
    client.force_login(make_user("hoc_vien", Role.LEARNER, province.a))
    assert client.get("/nguoi/").status_code == 403


def test_commune_admin_sees_only_people_of_own_commune(admin_client, people_of_two_communes):
    page = admin_client.get("/nguoi/").content.decode()
    assert "Nguyễn Văn An" in page
    assert "Trần Thị Bình" not in page


def test_people_list_masks_national_id_and_phone(admin_client, people_of_two_communes):
    page = admin_client.get("/nguoi/").content.decode()
    person = people_of_two_communes["an"]
    assert "*********" + person.national_id_last_digits in page
    assert "0912345678" not in page
    assert "09******78" in page


def test_search_ignores_diacritics_and_case(admin_client, people_of_two_communes):
    page = admin_client.get("/nguoi/", {"q": "NGUYEN van AN"}).content.decode()
    assert "Nguyễn Văn An" in page


def test_htmx_search_returns_only_the_results_fragment(admin_client, people_of_two_communes):
    response = admin_client.get("/nguoi/", {"q": "an"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body
    assert "Nguyễn Văn An" in body


def test_commune_admin_gets_404_for_person_of_other_commune(admin_client, people_of_two_communes):
    other = people_of_two_communes["binh"]
    assert admin_client.get(f"/nguoi/{other.pk}/").status_code == 404
    assert admin_client.post(f"/nguoi/{other.pk}/du-lieu-ca-nhan/").status_code == 404
    assert not PersonalDataAccess.objects.exists()


def test_revealing_personal_data_shows_it_and_writes_audit(admin_client, people_of_two_communes, commune_admin):
    person = people_of_two_communes["an"]
    response = admin_client.post(f"/nguoi/{person.pk}/du-lieu-ca-nhan/")
    assert response.status_code == 200
    assert "0912345678" in response.content.decode()
    access = PersonalDataAccess.objects.get()
    assert (access.person_id, access.accessed_by_id, access.channel) == (person.pk, commune_admin.pk, "web")


def test_helper_cannot_reveal_personal_data(client, province, people_of_two_communes):
    client.force_login(make_user("to_cong_nghe", Role.HELPER, province.a))
    person = people_of_two_communes["an"]
    assert client.get(f"/nguoi/{person.pk}/").status_code == 200
    assert client.post(f"/nguoi/{person.pk}/du-lieu-ca-nhan/").status_code == 403


def _sheet_rows(response):
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


def test_export_contains_only_people_in_scope_and_masked(admin_client, people_of_two_communes):
    rows = _sheet_rows(admin_client.post("/nguoi/xuat.xlsx"))
    assert [row[0] for row in rows[1:]] == ["Nguyễn Văn An"]
    assert rows[1][3].startswith("*********")
    assert not PersonalDataAccess.objects.exists()


def test_full_export_reveals_and_audits_each_person(admin_client, people_of_two_communes):
    rows = _sheet_rows(admin_client.post("/nguoi/xuat.xlsx", {"day_du": "1"}))
    person = people_of_two_communes["an"]
    assert rows[1][3] == make_national_id_for(person)
    assert list(PersonalDataAccess.objects.values_list("person_id", "channel")) == [(person.pk, "export")]


def make_national_id_for(person):
    from kynangso.people.identity import decrypt_national_id

    return decrypt_national_id(person.national_id_ciphertext)


def test_auditor_cannot_export(client, province, people_of_two_communes):
    client.force_login(make_user("kiem_tra", Role.AUDITOR, province.root))
    assert client.post("/nguoi/xuat.xlsx").status_code == 403


def test_the_full_export_is_refused_as_a_get_so_another_site_cannot_write_false_audit_records(
    admin_client, people_of_two_communes
):
    response = admin_client.get("/nguoi/xuat.xlsx", {"day_du": "1"})

    assert response.status_code == 405
    assert not PersonalDataAccess.objects.exists()


def test_the_full_export_needs_the_csrf_token(people_of_two_communes, commune_admin):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(commune_admin)

    assert client.post("/nguoi/xuat.xlsx", {"day_du": "1"}).status_code == 403
    assert not PersonalDataAccess.objects.exists()


def test_the_people_page_offers_the_exports_as_forms_that_post(admin_client, people_of_two_communes):
    page = admin_client.get("/nguoi/").content.decode()

    assert 'href="/nguoi/xuat.xlsx' not in page
    assert '<form method="post" action="/nguoi/xuat.xlsx"' in page and 'name="day_du" value="1"' in page


def test_a_search_by_phone_is_posted_and_finds_the_person(admin_client, people_of_two_communes):
    page = admin_client.post("/nguoi/", {"q": "0912 345 678"}).content.decode()

    assert "Nguyễn Văn An" in page and "Tìm thấy 1 người" in page


def test_a_phone_or_national_id_in_the_query_string_is_not_searched(admin_client, people_of_two_communes):
    person = people_of_two_communes["an"]

    for identifier in ("0912345678", make_national_id_for(person)):
        page = admin_client.get("/nguoi/", {"q": identifier}).content.decode()
        assert "Nguyễn Văn An" not in page
        assert "chỉ được tìm bằng nút «Tìm»" in page


def test_the_search_form_and_the_pager_post_so_no_identifier_reaches_a_url(admin_client, province):
    for number in range(30):
        make_person(province.a, f"Người Thứ {number:02d}", phone="0912345678")

    page = admin_client.post("/nguoi/", {"q": "0912345678"}).content.decode()

    assert '<form method="post" action="/nguoi/" id="people-filters"' in page
    assert 'form="people-filters" name="page" value="2"' in page
    assert "q=0912345678" not in page and "?q=" not in page
    second = admin_client.post("/nguoi/", {"q": "0912345678", "page": "2"}, HTTP_HX_REQUEST="true")
    assert "Trang 2/2" in second.content.decode()


@pytest.mark.parametrize(
    "method, url",
    [
        ("get", "/nguoi/"),
        ("post", "/nguoi/"),
        ("get", "/nguoi/{an}/"),
        ("post", "/nguoi/{an}/du-lieu-ca-nhan/"),
        ("post", "/nguoi/xuat.xlsx"),
    ],
)
def test_every_page_with_personal_data_forbids_caching(admin_client, people_of_two_communes, method, url):
    response = getattr(admin_client, method)(url.format(an=people_of_two_communes["an"].pk))

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_the_person_page_shows_the_change_history_in_vietnamese_with_the_phone_masked(
    admin_client, people_of_two_communes, commune_admin
):
    from kynangso.people import api as people

    person = people_of_two_communes["an"]
    people.update_person(person=person, actor=commune_admin, phone="0987654321", full_name="Nguyễn Văn Ân")

    page = admin_client.get(f"/nguoi/{person.pk}/").content.decode()

    assert "Lịch sử thay đổi hồ sơ" in page
    assert "Số điện thoại" in page and "09******78" in page and "09******21" in page
    assert "0987654321" not in page
    assert "Nguyễn Văn An" in page and "admin_xa_a" in page


def _roster_file(rows) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(
        [
            "Họ và tên",
            "Ngày sinh (dd/mm/yyyy)",
            "Giới tính (Nam/Nữ)",
            "Số định danh cá nhân",
            "Số điện thoại",
            "Mã đơn vị cư trú",
            "Mã đơn vị công tác, học tập",
            "Nhóm đối tượng",
        ]
    )
    for row in rows:
        sheet.append(row)
    data = io.BytesIO()
    workbook.save(data)
    data.seek(0)
    data.name = "danh-sach.xlsx"
    return data


@with_commits
def test_roster_upload_with_a_bad_row_imports_nothing_and_lists_the_row(admin_client, province):
    good_id = make_national_id(datetime.date(1960, 2, 3), "female")
    upload = _roster_file(
        [
            ["Lê Thị Hoa", "03/02/1960", "Nữ", good_id, "", "X001", "", "Người dân"],
            ["Phạm Văn Sai", "01/01/1970", "Nam", "12345", "", "X001", "", "Người dân"],
        ]
    )
    response = admin_client.post("/nguoi/nhap/", {"file": upload}, follow=True)
    page = response.content.decode()
    assert "Có 1 dòng lỗi trong 2 dòng" in page
    assert "Số định danh cá nhân phải gồm đúng 12 chữ số" in page
    assert not Person.objects.exists()
    job_id = response.redirect_chain[-1][0].rstrip("/").split("/")[-1]
    annotated = load_workbook(
        io.BytesIO(b"".join(admin_client.get(f"/tac-vu/{job_id}/tep-loi.xlsx").streaming_content))
    )
    rows = list(annotated.active.iter_rows(values_only=True))
    assert rows[0][-1] == "Lỗi cần sửa"
    assert rows[2][-1].startswith("Số định danh cá nhân phải gồm đúng 12 chữ số")


@with_commits
def test_roster_upload_is_previewed_then_confirmed(admin_client, province):
    upload = _roster_file(
        [
            [
                "Lê Thị Hoa",
                "03/02/1960",
                "Nữ",
                make_national_id(datetime.date(1960, 2, 3), "female"),
                "0987654321",
                "X001",
                "",
                "Người dân; Nông dân",
            ]
        ]
    )
    checked = admin_client.post("/nguoi/nhap/", {"file": upload}, follow=True)
    assert "Tệp hợp lệ: 1 dòng, trong đó 1 người mới" in checked.content.decode()
    assert not Person.objects.exists()
    job_id = checked.redirect_chain[-1][0].rstrip("/").split("/")[-1]
    applied = admin_client.post(f"/nguoi/nhap/{job_id}/xac-nhan/", follow=True)
    assert "Đã nhập xong: 1 người mới" in applied.content.decode()
    person = Person.objects.get()
    assert sorted(person.memberships.values_list("group", flat=True)) == ["farmer", "resident"]


@with_commits
def test_roster_confirmed_twice_imports_once(admin_client, province):
    upload = _roster_file(
        [
            [
                "Lê Thị Hoa",
                "03/02/1960",
                "Nữ",
                make_national_id(datetime.date(1960, 2, 3), "female"),
                "",
                "X001",
                "",
                "Người dân",
            ]
        ]
    )
    checked = admin_client.post("/nguoi/nhap/", {"file": upload}, follow=True)
    job_id = checked.redirect_chain[-1][0].rstrip("/").split("/")[-1]
    admin_client.post(f"/nguoi/nhap/{job_id}/xac-nhan/")
    second = admin_client.post(f"/nguoi/nhap/{job_id}/xac-nhan/", follow=True)
    assert Person.objects.count() == 1
    assert "tải tệp lên lại" in second.content.decode()  # the upload left the disk once imported (issue 13)


def test_roster_upload_rejects_other_file_types(admin_client, province):
    upload = io.BytesIO(b"hello")
    upload.name = "danh-sach.pdf"
    page = admin_client.post("/nguoi/nhap/", {"file": upload}).content.decode()
    assert "Chỉ nhận tệp .xlsx hoặc .csv." in page


@with_commits
def test_job_of_another_user_is_not_found(client, admin_client, province):
    upload = _roster_file(
        [
            [
                "Lê Thị Hoa",
                "03/02/1960",
                "Nữ",
                make_national_id(datetime.date(1960, 2, 3), "female"),
                "",
                "X001",
                "",
                "Người dân",
            ]
        ]
    )
    checked = admin_client.post("/nguoi/nhap/", {"file": upload}, follow=True)
    job_url = checked.redirect_chain[-1][0]
    client.force_login(make_user("quantri_xa_b", Role.UNIT_ADMIN, province.b))
    assert client.get(job_url).status_code == 404


def test_large_text_switch_sets_cookie_and_returns(client, db):
    response = client.post("/co-chu/", {"size": "large", "next": "/nguoi/"})
    assert response.cookies["kns_text"].value == "large"
    assert response.url == "/nguoi/"
    assert 'class="text-large"' in client.get("/").content.decode()


def test_large_text_switch_refuses_foreign_redirect(client, db):
    response = client.post("/co-chu/", {"size": "large", "next": "https://evil.example/"})
    assert response.url == "/"


def test_pages_stay_vietnamese_for_a_browser_set_to_english(client, db):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "vi"
    assert "Kỹ năng số cho mọi người" in response.content.decode()
