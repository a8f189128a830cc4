"""Exam pages without a browser: start, save by plain form post and by htmx, review, submit, result, assisted start."""
import pytest

from kynangso.assessment import api as assessment
from kynangso.assessment.models import AttemptItem
from tests.learning.conftest import basic, courses, practice_bank  # noqa: F401  (fixtures)


@pytest.fixture
def logged_in(client, resident):
    client.force_login(resident.user)
    return client


def test_start_then_save_an_answer_by_htmx(logged_in, standard, resident):
    response = logged_in.post("/sat-hach/chuan/THU/bat-dau/")
    attempt = assessment.open_attempt(resident, standard)
    assert response.status_code == 302 and response.url == f"/sat-hach/bai-thi/{attempt.pk}/"
    slot = AttemptItem.objects.filter(attempt=attempt).exclude(item_version__type="numeric").first()
    field = "choice" if slot.item_version.type == "single_choice" else "choices"
    saved = logged_in.post(f"/sat-hach/bai-thi/{attempt.pk}/cau/{slot.position}/",
                           {field: slot.presentation["options"][0]}, HTTP_HX_REQUEST="true")
    assert saved.status_code == 200 and "Đã lưu lúc" in saved.content.decode()
    slot.refresh_from_db()
    assert slot.answer is not None


def test_a_plain_form_post_saves_and_returns_to_the_item(logged_in, standard, resident):
    logged_in.post("/sat-hach/chuan/THU/bat-dau/")
    attempt = assessment.open_attempt(resident, standard)
    response = logged_in.post(f"/sat-hach/bai-thi/{attempt.pk}/cau/1/", {"number": "2,5", "choice": ""})
    assert response.status_code == 302 and response.url.endswith("#cau-1")


def test_review_submit_and_result(logged_in, standard, resident):
    logged_in.post("/sat-hach/chuan/THU/bat-dau/")
    attempt = assessment.open_attempt(resident, standard)
    assert "Bạn đã trả lời 0/6 câu." in logged_in.get(f"/sat-hach/bai-thi/{attempt.pk}/xem-lai/").content.decode()
    logged_in.post(f"/sat-hach/bai-thi/{attempt.pk}/nop-bai/")
    page = logged_in.get(f"/sat-hach/bai-thi/{attempt.pk}/ket-qua/").content.decode()
    assert "Bạn CHƯA ĐẠT chuẩn lần này." in page and "Những năng lực nên học thêm" in page
    assert logged_in.get(f"/sat-hach/bai-thi/{attempt.pk}/").url.endswith("/ket-qua/")


def test_the_exam_page_of_someone_else_is_not_found(client, standard, resident, province):
    from tests.factories import make_user

    attempt = assessment.start_attempt(person=resident, standard=standard, started_by=resident.user)
    client.force_login(make_user("nguoi_la"))
    assert client.get(f"/sat-hach/bai-thi/{attempt.pk}/").status_code == 404


def test_a_helper_starts_an_assisted_attempt_only_with_consent(client, standard, resident, helper_user):
    client.force_login(helper_user)
    page = client.get("/sat-hach/ho-tro/", {"q": "Lê Thị Hoa"}).content.decode()
    assert "Lê Thị Hoa" in page and "Bắt đầu: Chuẩn thử" in page
    refused = client.post("/sat-hach/ho-tro/", {"person_id": resident.pk, "standard_code": "THU"})
    assert refused.status_code == 200 and assessment.open_attempt(resident, standard) is None
    started = client.post("/sat-hach/ho-tro/", {"person_id": resident.pk, "standard_code": "THU", "consent": "on"})
    attempt = assessment.open_attempt(resident, standard)
    assert started.url == f"/sat-hach/bai-thi/{attempt.pk}/" and attempt.assisted_by == helper_user
    assert client.get(started.url).status_code == 200


def test_a_helper_cannot_assist_someone_outside_their_commune(client, standard, helper_user, province):
    from tests.factories import make_person

    outsider = make_person(province.b, full_name="Người Xã Khác")
    client.force_login(helper_user)
    response = client.post("/sat-hach/ho-tro/", {"person_id": outsider.pk, "standard_code": "THU", "consent": "on"})
    assert response.status_code == 404


def test_the_result_links_the_lessons_that_teach_each_weak_competence(logged_in, standard, resident, basic):
    logged_in.post("/sat-hach/chuan/THU/bat-dau/")
    attempt = assessment.open_attempt(resident, standard)
    logged_in.post(f"/sat-hach/bai-thi/{attempt.pk}/nop-bai/")
    page = logged_in.get(f"/sat-hach/bai-thi/{attempt.pk}/ket-qua/").content.decode()
    lesson = basic.published_version.lessons()[7]  # «Tìm thông tin tin cậy trên mạng» teaches 1.1
    assert lesson["title"] == "Tìm thông tin tin cậy trên mạng"
    assert f'href="/hoc/khoa/ky-nang-so-co-ban/bai/{lesson["id"]}/"' in page
    assert "Bài nên học:" in page and "Xem lộ trình học của bạn" in page
