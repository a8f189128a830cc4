"""Learning pages: the public catalogue with filters and search, course and lesson pages that save progress, the
practice check, the learning path, group enrolment and attendance pages behind their capabilities."""

import pytest
from django.urls import reverse
from django.utils import timezone

from kynangso.accounts.api import SYSTEM
from kynangso.assessment import api as assessment
from kynangso.learning import api as learning
from kynangso.learning.models import Attendance, Enrolment, TrainingClass
from kynangso.learning.panels import nav_links
from tests.factories import make_person, make_user
from tests.learning.conftest import lesson_ids, right_answer


@pytest.fixture
def resident_client(client, resident):
    client.force_login(resident.user)
    return client


def test_the_catalogue_is_public_and_lists_published_courses(client, courses):
    page = client.get(reverse("learning:catalogue")).content.decode()
    assert "Kỹ năng số cơ bản cho mọi người dân" in page and "Lãnh đạo, quản lý trong chuyển đổi số" in page


def test_the_catalogue_search_ignores_diacritics_and_case(client, courses):
    page = client.get(reverse("learning:catalogue"), {"q": "LUA DAO"}).content.decode()
    assert "Kỹ năng số cơ bản cho mọi người dân" in page
    assert "Lãnh đạo, quản lý trong chuyển đổi số" not in page


def test_the_catalogue_filters_by_target_group_competence_and_level(client, courses):
    by_group = client.get(reverse("learning:catalogue"), {"nhom": "leader"}).content.decode()
    assert "Lãnh đạo, quản lý trong chuyển đổi số" in by_group and "cho mọi người dân" not in by_group
    by_level = client.get(reverse("learning:catalogue"), {"nang_luc": "4.2", "bac": "5"}).content.decode()
    assert "Lãnh đạo, quản lý" in by_level and "cán bộ, công chức, viên chức" not in by_level


def test_enrolling_opens_the_first_lesson_and_records_it(resident_client, basic, resident):
    response = resident_client.post(reverse("learning:enrol", args=["ky-nang-so-co-ban"]))
    first = lesson_ids(basic)[0]
    assert response.url == reverse("learning:lesson", args=["ky-nang-so-co-ban", first])
    resident_client.get(response.url)
    assert Enrolment.objects.get(person=resident).last_lesson_id == first


def test_the_course_page_offers_to_resume_at_the_last_lesson_opened(resident_client, basic, resident):
    learning.enrol(person=resident, course=basic)
    third = lesson_ids(basic)[2]
    resident_client.get(reverse("learning:lesson", args=["ky-nang-so-co-ban", third]))
    page = resident_client.get(reverse("learning:course", args=["ky-nang-so-co-ban"])).content.decode()
    assert reverse("learning:lesson", args=["ky-nang-so-co-ban", third]) + '">Học tiếp' in page


def test_a_lesson_page_holds_practice_questions_without_their_key(client, basic):
    lesson = basic.published_version.lessons()[0]
    page = client.get(reverse("learning:lesson", args=["ky-nang-so-co-ban", lesson["id"]])).content.decode()
    assert "Mã khóa màn hình nào dưới đây an toàn nhất?" in page
    assert "Đây là mã dễ đoán nhất" not in page and "correct" not in page


def test_a_practice_answer_is_checked_and_counted(resident_client, basic, resident):
    enrolment = learning.enrol(person=resident, course=basic)
    lesson = basic.published_version.lessons()[0]
    question = assessment.practice_questions(item_codes=lesson["practice"][:1])[0]
    answer = right_answer(question.version_id)
    response = resident_client.post(
        reverse("learning:practice", args=["ky-nang-so-co-ban", lesson["id"], question.version_id]),
        answer,
        HTTP_HX_REQUEST="true",
    )
    assert "Đúng rồi!" in response.content.decode()
    progress = enrolment.progress.get(lesson_id=lesson["id"])
    assert progress.practice_results == {question.code: True}


def test_a_lesson_of_an_unknown_course_is_not_found(client, basic):
    assert client.get(reverse("learning:lesson", args=["khong-co", 1])).status_code == 404


def test_the_learning_path_page_asks_for_a_self_assessment_first(resident_client, courses):
    assessment.save_standard(
        {
            "code": "ND",
            "name": "Chuẩn người dân",
            "target_group": "resident",
            "framework": "TT02-2025",
            "time_limit_minutes": 20,
            "pass_percent": 60,
            "domain_pass_percent": None,
            "blueprint": [{"competence": "4.1", "level": 1, "items": 1}],
        },
        actor=SYSTEM,
    )
    page = resident_client.get(reverse("learning:path")).content.decode()
    assert "Tôi chưa làm được, cần học" in page
    resident_client.post(reverse("learning:path"), {"nl_4.1": "chua"})
    page = resident_client.get(reverse("learning:path")).content.decode()
    assert "Dùng điện thoại thông minh an toàn" in page


def test_group_enrolment_page_is_only_for_unit_administrators(resident_client, client, courses, commune_admin):
    assert resident_client.get(reverse("learning:group_enrol")).status_code == 404
    client.force_login(commune_admin)
    assert client.get(reverse("learning:group_enrol")).status_code == 200


def test_a_helper_ticks_attendance_on_the_attendance_page(client, province):
    helper = make_user("hotro_a", "helper", province.a)
    today = timezone.localdate()
    training_class = learning.save_class(
        actor=SYSTEM,
        training_class=TrainingClass(
            organising_unit=province.a, title="Lớp VNeID", starts_on=today, ends_on=today, target_group="resident"
        ),
    )
    person = make_person(province.a, full_name="Võ Thị Sáu")
    client.force_login(helper)
    url = reverse("learning:attendance", args=[training_class.pk])
    page = client.post(url, {"q": "vo thi sau"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Võ Thị Sáu" in page
    client.post(url, {"person": person.pk, "present": "1"}, HTTP_HX_REQUEST="true")
    assert Attendance.objects.filter(person=person, training_class=training_class).exists()


def test_the_attendance_page_of_a_class_outside_scope_is_not_found(client, province):
    helper = make_user("hotro_a", "helper", province.a)
    training_class = learning.save_class(
        actor=SYSTEM,
        training_class=TrainingClass(
            organising_unit=province.b,
            title="Lớp phường B",
            starts_on=timezone.localdate(),
            ends_on=timezone.localdate(),
            target_group="resident",
        ),
    )
    client.force_login(helper)
    assert client.get(reverse("learning:attendance", args=[training_class.pk])).status_code == 404


IDENTIFIER_HINT = "chỉ được tìm bằng nút «Tìm» trên trang, không qua đường dẫn"


@pytest.fixture
def class_today(province):
    today = timezone.localdate()
    return learning.save_class(
        actor=SYSTEM,
        training_class=TrainingClass(
            organising_unit=province.a, title="Lớp VNeID", starts_on=today, ends_on=today, target_group="resident"
        ),
    )


def _person_with_identifiers(unit, name, serial, phone):
    import datetime

    from tests.factories import make_national_id

    born = datetime.date(1966, 6, 6)
    number = make_national_id(born, "female", serial=serial)
    return make_person(unit, full_name=name, birth_date=born, sex="female", phone=phone, national_id=number), number


def test_the_attendance_search_finds_a_person_in_scope_by_a_posted_national_id_or_phone(client, province, class_today):
    _person, number = _person_with_identifiers(province.a, "Võ Thị Sáu", 717171, "0945678901")
    client.force_login(make_user("hotro_a", "helper", province.a))
    url = reverse("learning:attendance", args=[class_today.pk])

    for identifier in (number, "0945 678 901"):
        page = client.post(url, {"q": identifier}, HTTP_HX_REQUEST="true").content.decode()
        assert "Võ Thị Sáu" in page
    assert not Attendance.objects.exists()  # a posted search ticks nobody


def test_the_attendance_search_does_not_find_someone_outside_scope_by_national_id(client, province, class_today):
    _outsider, number = _person_with_identifiers(province.b, "Người Phường Khác", 727272, "0956789012")
    client.force_login(make_user("hotro_a", "helper", province.a))

    page = client.post(
        reverse("learning:attendance", args=[class_today.pk]), {"q": number}, HTTP_HX_REQUEST="true"
    ).content.decode()

    assert "Người Phường Khác" not in page and "Không tìm thấy ai." in page


def test_a_national_id_or_phone_in_the_attendance_url_is_not_searched(client, province, class_today):
    _person, number = _person_with_identifiers(province.a, "Võ Thị Sáu", 737373, "0945678901")
    client.force_login(make_user("hotro_a", "helper", province.a))
    url = reverse("learning:attendance", args=[class_today.pk])

    for identifier in (number, "0945678901"):
        page = client.get(url, {"q": identifier}).content.decode()
        assert "Võ Thị Sáu" not in page and IDENTIFIER_HINT in page
        assert "Võ Thị Sáu" not in client.get(url, {"q": identifier}, HTTP_HX_REQUEST="true").content.decode()


def test_the_attendance_search_form_posts_and_each_tick_carries_the_query(client, province, class_today):
    person, _number = _person_with_identifiers(province.a, "Võ Thị Sáu", 747474, "0945678901")
    client.force_login(make_user("hotro_a", "helper", province.a))
    url = reverse("learning:attendance", args=[class_today.pk])

    page = client.get(url).content.decode()
    assert f'<form method="post" action="{url}" role="search" hx-post="{url}"' in page and 'method="get"' not in page
    ticked = client.post(url, {"person": person.pk, "present": "1", "q": "0945678901"}, HTTP_HX_REQUEST="true")
    assert Attendance.objects.filter(person=person, training_class=class_today).exists()
    assert "Võ Thị Sáu" in ticked.content.decode() and 'name="q" value="0945678901"' in ticked.content.decode()


@pytest.mark.parametrize("method", ["get", "post"])
def test_the_attendance_page_is_never_cached(client, province, class_today, method):
    make_person(province.a, full_name="Võ Thị Sáu")
    client.force_login(make_user("hotro_a", "helper", province.a))

    response = getattr(client, method)(reverse("learning:attendance", args=[class_today.pk]), {"q": "vo thi sau"})

    assert response.status_code == 200 and "Võ Thị Sáu" in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_everyone_sees_the_learning_link_in_the_menu(rf, db):
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/")
    request.user = AnonymousUser()
    assert nav_links(request) == [("Học tập", "/hoc/")]


def test_the_dashboard_shows_my_courses_with_a_resume_link(resident_client, basic, resident):
    learning.enrol(person=resident, course=basic)
    page = resident_client.get(reverse("web:dashboard")).content.decode()
    assert "Khóa học của tôi" in page and "Học tiếp" in page
