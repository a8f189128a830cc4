"""Content authors' pages: the item-analysis report and importing an item file into draft: every readable item comes
in, with notes where something was lost; only an unreadable file is refused."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kynangso.accounts.models import Role
from kynangso.assessment import api as assessment
from kynangso.assessment.interchange import write_gift, write_moodle_xml, write_xlsx
from kynangso.assessment.models import Item, ItemVersion, ReviewStatus
from tests.assessment.answers import answer_all
from tests.factories import make_person, make_user

ANALYSIS, IMPORT = "/sat-hach/ngan-hang/phan-tich/", "/sat-hach/ngan-hang/nhap/"


def new_item(code: str, **extra) -> dict:
    return {
        "id": code,
        "framework": "TT02-2025",
        "competence": "4.2",
        "level": 1,
        "groups": ["resident"],
        "type": "single_choice",
        "stem": f"Mật khẩu nào mạnh nhất? {code}",
        "explanation": "Dài và khó đoán.",
        "options": [{"text": "Mua-Xoai-2025!", "correct": True}, {"text": "123456", "correct": False}],
        **extra,
    }


@pytest.fixture
def author(province, client):
    user = make_user("bientap_t", Role.CONTENT_AUTHOR, province.a)
    client.force_login(user)
    return user


def test_the_analysis_page_is_for_content_authors_only(client, resident):
    client.force_login(resident.user)
    assert client.get(ANALYSIS).status_code == 404
    assert client.get(IMPORT).status_code == 404


def test_the_analysis_page_shows_p_value_discrimination_options_and_flags(client, author, standard, province):
    standard.blueprint.update(item_count=3)  # every form holds the whole bank, so every item gets 35 answers
    for n in range(35):  # enough respondents for flags
        person = make_person(province.a, full_name=f"Người {n}", birth_date=datetime.date(1970 + n % 30, 1, 1))
        attempt = assessment.start_attempt(person=person, standard=standard, started_by=None)
        answer_all(attempt)  # everyone right: every item is «too easy»
        assessment.submit_attempt(attempt=attempt)
    page = client.get(ANALYSIS)
    html = page.content.decode()
    assert page.status_code == 200
    assert "p = <strong>1,00</strong>" in html and "Số người" in html and "đáp án" in html
    assert "Quá dễ: 100% trả lời đúng" in html
    flagged = client.get(ANALYSIS + "?chi-can-xem=1").content.decode()
    assert "T-1.1-1-0" in flagged


def test_an_empty_bank_says_there_is_nothing_to_analyse(client, author):
    assert "Chưa có bài thi nào" in client.get(ANALYSIS).content.decode()


@pytest.mark.parametrize("kind", ["gift", "xml", "xlsx"])
def test_a_good_file_is_imported_as_drafts(client, author, framework, kind):
    items = [new_item("NHAP-1"), new_item("NHAP-2")]
    data = {
        "gift": lambda: write_gift(items)[0].encode(),
        "xml": lambda: write_moodle_xml(items),
        "xlsx": lambda: write_xlsx(items),
    }[kind]()
    name = {"gift": "cau-hoi.gift", "xml": "moodle.xml", "xlsx": "bang.xlsx"}[kind]
    page = client.post(IMPORT, {"file": SimpleUploadedFile(name, data)})
    assert page.status_code == 200 and "2 câu mới" in page.content.decode()
    versions = ItemVersion.objects.filter(item__code__in=["NHAP-1", "NHAP-2"])
    assert versions.count() == 2 and {v.status for v in versions} == {ReviewStatus.DRAFT}
    assert {v.created_by_id for v in versions} == {author.pk}
    assert not Item.objects.filter(code="NHAP-1", live_version__isnull=False).exists()


def test_one_unreadable_question_is_left_out_and_named_and_the_others_come_in(client, author, framework):
    text = write_gift([new_item("NHAP-3")])[0] + "\n\n::NHAP-4:: Câu lỗi {~một ~hai}\n"
    page = client.post(IMPORT, {"file": SimpleUploadedFile("loi.gift", text.encode())})
    html = page.content.decode()
    assert page.status_code == 200
    assert "Câu hỏi 2 (dòng" in html and "thiếu đáp án đúng" in html and "1 câu mới" in html
    assert list(Item.objects.filter(code__startswith="NHAP-").values_list("code", flat=True)) == ["NHAP-3"]


def test_an_unknown_competence_comes_in_untagged_with_a_note_and_cannot_go_live(client, author, framework):
    data = write_xlsx([new_item("NHAP-5"), new_item("NHAP-6", competence="9.9")])
    page = client.post(IMPORT, {"file": SimpleUploadedFile("bang.xlsx", data)})
    html = page.content.decode()
    assert page.status_code == 200 and "2 câu mới" in html and "1 câu chưa gắn năng lực" in html
    assert "năng lực 9.9 không có trong khung năng lực TT02-2025" in html
    untagged = Item.objects.get(code="NHAP-6")
    assert not untagged.is_tagged and Item.objects.get(code="NHAP-5").is_tagged
    version = untagged.versions.get()
    assert any(note.startswith("chưa gắn năng lực") for note in version.import_notes)


def test_checking_only_reports_what_the_import_would_do_and_saves_nothing(client, author, framework):
    data = write_gift([new_item("NHAP-7")])[0].encode()
    page = client.post(IMPORT, {"file": SimpleUploadedFile("a.gift", data), "dry_run": "on"})
    assert "chưa lưu gì" in page.content.decode() and "1 câu mới" in page.content.decode()
    assert not Item.objects.filter(code="NHAP-7").exists()


def test_an_unreadable_file_is_refused_with_422(client, author):
    page = client.post(IMPORT, {"file": SimpleUploadedFile("a.xml", b"<quiz><question")})
    assert page.status_code == 422 and "Không đọc được tệp" in page.content.decode()


def test_a_file_of_another_kind_is_refused(client, author):
    page = client.post(IMPORT, {"file": SimpleUploadedFile("a.pdf", b"%PDF")})
    assert "Chỉ nhận tệp" in page.content.decode()
