"""Exam day as the pages tell it (issue 16): the start screen, the page script's saves answered in words, whose exam
a helper is holding, and after a pass the certificate (or «đang cấp») and an updated learning path."""

import datetime

import pytest
from django.utils import timezone, translation

from kynangso.accounts.api import SYSTEM
from kynangso.assessment import api as assessment
from kynangso.assessment.models import AttemptItem
from tests.assessment.answers import answer_all, right_answer, wrong_answer
from tests.assessment.conftest import every_kind_items
from tests.credentials.conftest import issuer_keys  # noqa: F401  (fixture)

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def bank(framework):
    """Every form drawn here holds a numeric, a single-choice and a multiple-response question."""
    assessment.save_items(every_kind_items(), source="test", publish=True, actor=SYSTEM)


@pytest.fixture
def logged_in(client, resident):
    client.force_login(resident.user)
    return client


def millis(moment: datetime.datetime) -> str:
    return str(int(moment.timestamp() * 1000))


def test_the_start_screen_says_how_many_questions_how_long_and_what_a_reload_does(logged_in, standard, resident):
    page = logged_in.get("/sat-hach/chuan/THU/bat-dau/").content.decode()
    items = sum(row.item_count for row in standard.blueprint.all())
    assert f"Bài có {items} câu hỏi." in page
    assert f"Thời gian làm bài: {standard.time_limit_minutes} phút" in page
    assert "Nếu mất mạng hoặc tải lại trang" in page and "Bắt đầu làm bài" in page
    assert assessment.open_attempt(resident, standard) is None  # reading the screen starts nothing


def test_my_standards_leads_to_the_start_screen_not_straight_into_the_exam(logged_in, standard):
    page = logged_in.get("/sat-hach/").content.decode()
    assert 'href="/sat-hach/chuan/THU/bat-dau/"' in page


def test_the_page_script_gets_every_save_answered_in_words(logged_in, standard, resident):
    attempt = assessment.start_attempt(person=resident, standard=standard, started_by=resident.user)
    numeric = AttemptItem.objects.filter(attempt=attempt, item_version__type="numeric").first()
    url = f"/sat-hach/bai-thi/{attempt.pk}/cau/{numeric.position}/"
    refused = logged_in.post(url, {"number": "mười", "rev": "7", "given_at": millis(timezone.now())}, **JSON)
    assert refused.status_code == 422
    assert {key: value for key, value in refused.json().items() if key != "server_now_ms"} == {
        "state": "error",
        "code": "invalid",
        "message": "Hãy nhập một số, ví dụ 12 hoặc 3,5.",
        "rev": "7",
    }
    saved = logged_in.post(url, {"number": "3,5", "rev": "8", "given_at": millis(timezone.now())}, **JSON)
    assert saved.status_code == 200 and saved.json()["state"] == "saved" and saved.json()["rev"] == "8"
    assert saved.json()["saved_text"].startswith("Đã lưu lúc ")
    assert AttemptItem.objects.get(pk=numeric.pk).answer == {"number": "3,5"}


def test_an_older_answer_from_a_second_device_gets_the_newer_one_back_to_show(logged_in, standard, resident):
    attempt = assessment.start_attempt(person=resident, standard=standard, started_by=resident.user)
    slot = (
        AttemptItem.objects.select_related("item_version")
        .filter(attempt=attempt, item_version__type="single_choice")
        .first()
    )
    newer, older = right_answer(slot), wrong_answer(slot)
    assessment.save_answer_as(user=resident.user, attempt_id=attempt.pk, position=slot.position, answer=newer)
    reply = logged_in.post(
        f"/sat-hach/bai-thi/{attempt.pk}/cau/{slot.position}/",
        {"choice": older["choice"], "given_at": millis(timezone.now() - datetime.timedelta(minutes=1))},
        **JSON,
    )
    assert reply.status_code == 409 and reply.json()["state"] == "superseded"
    assert reply.json()["fields"] == [["choice", newer["choice"]]]
    assert AttemptItem.objects.get(pk=slot.pk).answer["choice"] != older["choice"] or newer == older


def test_a_save_to_a_submitted_attempt_tells_the_page_where_the_result_is(logged_in, standard, resident):
    attempt = assessment.start_attempt(person=resident, standard=standard, started_by=resident.user)
    assessment.submit_attempt(attempt=attempt)
    reply = logged_in.post(f"/sat-hach/bai-thi/{attempt.pk}/cau/1/", {"number": "1"}, **JSON)
    assert reply.status_code == 409 and reply.json()["state"] == "closed"
    assert (
        reply.json()["code"] == "submitted" and reply.json()["redirect"] == f"/sat-hach/bai-thi/{attempt.pk}/ket-qua/"
    )


def test_the_exam_and_review_pages_carry_the_server_clock_and_the_deadline(logged_in, standard, resident):
    attempt = assessment.start_attempt(person=resident, standard=standard, started_by=resident.user)
    for url in (f"/sat-hach/bai-thi/{attempt.pk}/", f"/sat-hach/bai-thi/{attempt.pk}/xem-lai/"):
        page = logged_in.get(url).content.decode()
        assert f'data-deadline="{millis(attempt.deadline)}"' in page and "data-server-now=" in page
        assert 'class="countdown"' in page and "Bài thi của:" not in page


def test_every_reply_to_the_page_script_carries_the_servers_clock_to_learn_its_offset_from(
    logged_in, standard, resident
):
    """ADR 0034: the script dates answers by the server's clock, learnt from the replies' stamps and round trips."""
    attempt = assessment.start_attempt(person=resident, standard=standard, started_by=resident.user)
    numeric = AttemptItem.objects.filter(attempt=attempt, item_version__type="numeric").first()
    url = f"/sat-hach/bai-thi/{attempt.pk}/cau/{numeric.position}/"
    before = int(millis(timezone.now()))
    replies = [
        logged_in.post(url, {"number": "mười", "rev": "1"}, **JSON),  # refused in words
        logged_in.post(url, {"number": "2", "rev": "2"}, **JSON),  # saved
        logged_in.post(  # superseded: given before the stored one
            url, {"number": "3", "rev": "3", "given_at": millis(timezone.now() - datetime.timedelta(minutes=1))}, **JSON
        ),
        logged_in.get(f"/sat-hach/bai-thi/{attempt.pk}/", **JSON),  # the stored answers
    ]
    after = int(millis(timezone.now()))
    assert [reply.status_code for reply in replies] == [422, 200, 409, 200]
    assert all(before <= reply.json()["server_now_ms"] <= after for reply in replies)


def test_the_result_of_a_pass_says_the_certificate_is_being_issued_then_links_it(
    logged_in, standard, resident, issuer_keys
):  # noqa: F811
    from kynangso.credentials import api as credentials

    attempt = assessment.start_attempt(person=resident, standard=standard, started_by=resident.user)
    answer_all(attempt)
    assessment.submit_attempt(attempt=attempt)
    url = f"/sat-hach/bai-thi/{attempt.pk}/ket-qua/"
    assert "Chứng nhận: đang cấp." in logged_in.get(url).content.decode()
    credential = credentials.issue_for_attempt(attempt.pk)
    page = logged_in.get(url).content.decode()
    assert f'href="/chung-nhan/{credential.public_id}/"' in page and "Xem chứng nhận" in page
    assert "đang cấp" not in page


def test_after_a_pass_the_learning_path_no_longer_asks_for_the_exam(logged_in, standard, resident, issuer_keys):  # noqa: F811
    from kynangso.credentials import api as credentials

    before = logged_in.get("/hoc/lo-trinh/").content.decode()
    assert "Đã đạt chuẩn" not in before
    attempt = assessment.start_attempt(person=resident, standard=standard, started_by=resident.user)
    answer_all(attempt)
    assessment.submit_attempt(attempt=attempt)
    page = logged_in.get("/hoc/lo-trinh/").content.decode()
    assert "Đã đạt chuẩn «Chuẩn thử»" in page and "Chứng nhận: đang cấp." in page
    assert "Hãy làm bài sát hạch để được chứng nhận" not in page
    credential = credentials.issue_for_attempt(attempt.pk)
    assert f'href="/chung-nhan/{credential.public_id}/"' in logged_in.get("/hoc/lo-trinh/").content.decode()


def test_a_helper_reads_whose_exam_it_is_and_the_residents_own_path(client, standard, resident, helper_user):
    client.force_login(helper_user)
    client.post("/sat-hach/ho-tro/", {"person_id": resident.pk, "standard_code": "THU", "consent": "on"})
    attempt = assessment.open_attempt(resident, standard)
    for url in (f"/sat-hach/bai-thi/{attempt.pk}/", f"/sat-hach/bai-thi/{attempt.pk}/xem-lai/"):
        assert "Bài thi của: <strong>Lê Thị Hoa</strong>" in client.get(url).content.decode()
    answer_all(attempt, right=0)
    assessment.submit_attempt(attempt=attempt)
    page = client.get(f"/sat-hach/bai-thi/{attempt.pk}/ket-qua/").content.decode()
    assert "Bài thi của: <strong>Lê Thị Hoa</strong>" in page
    assert f'href="/hoc/lo-trinh/nguoi/{resident.pk}/"' in page and "Xem lộ trình học của Lê Thị Hoa" in page
    path = client.get(f"/hoc/lo-trinh/nguoi/{resident.pk}/").content.decode()
    assert "Lộ trình học của Lê Thị Hoa" in path


def test_nobody_else_reads_a_residents_path(client, resident, province):
    from kynangso.accounts.models import Role
    from tests.factories import make_user

    client.force_login(make_user("nguoi_hoc_khac", Role.LEARNER, province.a))
    assert client.get(f"/hoc/lo-trinh/nguoi/{resident.pk}/").status_code == 404


def test_the_page_reads_the_stored_answers_as_form_fields_to_show_another_devices_change(logged_in, standard, resident):
    attempt = assessment.start_attempt(person=resident, standard=standard, started_by=resident.user)
    slot = (
        AttemptItem.objects.select_related("item_version")
        .filter(attempt=attempt, item_version__type="single_choice")
        .first()
    )
    answer = right_answer(slot)
    assessment.save_answer_as(user=resident.user, attempt_id=attempt.pk, position=slot.position, answer=answer)
    reply = logged_in.get(f"/sat-hach/bai-thi/{attempt.pk}/", **JSON)
    assert reply.status_code == 200
    [item] = reply.json()["items"]
    assert item["position"] == slot.position and item["fields"] == [["choice", answer["choice"]]]
    assert item["saved_text"].startswith("Đã lưu lúc ")


@pytest.fixture
def in_english(logged_in, settings):
    """The client reads in English; the test's thread is back in Vietnamese afterwards (a request leaves the
    language it activated behind, and later tests read the services' Vietnamese messages)."""
    logged_in.post("/i18n/setlang/", {"language": "en", "next": "/"})
    yield logged_in
    translation.activate(settings.LANGUAGE_CODE)


def test_the_exam_day_pages_read_in_english_too(in_english, standard, resident):
    logged_in = in_english
    start = logged_in.get("/sat-hach/chuan/THU/bat-dau/").content.decode()
    assert "Before you start" in start and f"Time allowed: {standard.time_limit_minutes} minutes" in start
    attempt = assessment.start_attempt(person=resident, standard=standard, started_by=resident.user)
    page = logged_in.get(f"/sat-hach/bai-thi/{attempt.pk}/").content.decode()
    assert 'data-unsent="Not sent yet — will be sent again automatically"' in page
    assert "within 2 minutes" in page
    review = logged_in.get(f"/sat-hach/bai-thi/{attempt.pk}/xem-lai/").content.decode()
    assert "Submit now?" in review and "Yes, submit" in review
