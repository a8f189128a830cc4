"""Learning in a browser on a 360-px phone: a resident finds the basic course, learns, leaves and comes back to the
same lesson, and completes the course; a community helper takes attendance for a class."""

import datetime
import json
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kynangso.accounts.api import SYSTEM
from kynangso.accounts.models import Role
from kynangso.learning import api as learning
from kynangso.learning.models import Attendance, Course, Enrolment, TrainingClass
from tests.browser.courses import PASSWORD, basic_course, fits  # noqa: F401  (fixture)
from tests.browser.helpers import SCREENSHOT_DIR, login, screenshot
from tests.factories import make_person, make_user
from tests.learning.conftest import right_answer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def answer_practice(page):
    """Answer every practice question of the lesson on screen correctly, as a learner who read the lesson would."""
    questions = page.locator("fieldset.item[data-version]")
    for index in range(questions.count()):
        fieldset = questions.nth(index)
        answer = right_answer(int(fieldset.get_attribute("data-version")))
        if "choice" in answer:
            fieldset.locator(f"input[value='{answer['choice']}']").check()
        elif "choices" in answer:
            for choice in answer["choices"]:
                fieldset.locator(f"input[value='{choice}']").check()
        elif "order" in answer:
            for position, step in enumerate(answer["order"], start=1):
                fieldset.locator(f"select[name='pos_{step}']").select_option(str(position))
        elif "pairs" in answer:
            for left, right in answer["pairs"].items():
                fieldset.locator(f"select[name='pair_{left}']").select_option(right)
        fieldset.get_by_role("button", name="Kiểm tra").click()
        fieldset.locator(".feedback.right").wait_for()


def test_a_resident_finds_the_basic_course_learns_comes_back_and_completes_it(page_for, province, basic_course):
    user = make_user("ba_tu", Role.LEARNER, province.a, password=PASSWORD)
    person = make_person(province.a, "Nguyễn Thị Tư", sex="female", user=user, birth_date=datetime.date(1957, 4, 9))
    page = page_for(360, 740)
    login(page, "ba_tu", PASSWORD)

    page.get_by_role("link", name="Học tập").first.click()
    page.get_by_label("Tìm khóa học").fill("ky nang so co ban")
    page.get_by_role("button", name="Tìm").click()
    screenshot(page, "learning-catalogue-360")
    assert fits(page)
    page.get_by_role("link", name="Kỹ năng số cơ bản cho mọi người dân").click()
    page.get_by_role("button", name="Ghi danh và bắt đầu học").click()
    page.wait_for_url("**/bai/*/")
    assert page.locator("h1").inner_text() == "Dùng điện thoại thông minh an toàn"
    screenshot(page, "learning-lesson-360")
    assert fits(page)
    answer_practice(page)
    page.get_by_role("link", name="Bài tiếp theo →").click()
    page.wait_for_url("**/bai/*/")
    second_lesson_url = page.url
    assert "VNeID" in page.locator("h1").inner_text()

    # She leaves for the home page, then comes back through «Trang của tôi» and lands on the same lesson.
    page.goto(page.base_url + "/")
    page.goto(page.base_url + "/trang-cua-toi/")
    panel = page.locator("section.panel", has_text="Khóa học của tôi")
    screenshot(page, "learning-dashboard-360")
    panel.get_by_role("link", name="Học tiếp").click()
    page.wait_for_url(second_lesson_url)

    # The large-text switch works on lesson pages too.
    page.get_by_role("button", name="Chữ to hơn").click()
    page.wait_for_url(second_lesson_url)
    assert "text-large" in page.locator("html").get_attribute("class")
    screenshot(page, "learning-lesson-large-text-360")
    assert fits(page)
    page.get_by_role("button", name="Cỡ chữ thường").click()

    for _lesson in range(9):
        answer_practice(page)
        next_link = page.get_by_role("link", name="Bài tiếp theo →")
        if not next_link.count():
            break
        next_link.click()
        page.wait_for_url("**/bai/*/")
    assert page.locator(".completed").first.is_visible()
    screenshot(page, "learning-completed-360")
    page.get_by_role("link", name="Về trang khóa học").click()
    expect(page.locator("main")).to_contain_text("Bạn đã hoàn thành khóa học ngày")
    assert Enrolment.objects.get(person=person).completed_on == timezone.localdate()


def test_the_weight_of_a_lesson_page(page_for, province, basic_course):
    """Bytes and requests of a typical lesson page on a first visit (no cache), without video."""
    page = page_for(360, 740)
    sizes = []
    page.on(
        "requestfinished",
        lambda request: sizes.append(request.sizes()["responseBodySize"] + request.sizes()["responseHeadersSize"]),
    )
    lesson = Course.objects.get(code="ky-nang-so-co-ban").published_version.lessons()[4]
    page.goto(page.base_url + f"/hoc/khoa/ky-nang-so-co-ban/bai/{lesson['id']}/")
    page.wait_for_load_state("networkidle")
    total = sum(sizes)
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    Path(SCREENSHOT_DIR / "learning-lesson-weight.json").write_text(
        json.dumps({"requests": len(sizes), "bytes": total, "lesson": lesson["title"]}, ensure_ascii=False)
    )
    assert len(sizes) < 10 and total < 150_000


def test_a_helper_takes_attendance_on_a_phone(page_for, province):
    make_user("hotro_a", Role.HELPER, province.a, password=PASSWORD)
    today = timezone.localdate()
    training_class = learning.save_class(
        actor=SYSTEM,
        training_class=TrainingClass(
            organising_unit=province.a,
            title="Lớp nhận biết lừa đảo trên mạng",
            starts_on=today,
            ends_on=today,
            target_group="resident",
            place="Nhà văn hóa thôn 3",
            competences="4.2:2",
        ),
    )
    registered = [make_person(province.a, name) for name in ("Trần Thị Bé", "Lê Văn Cường", "Phạm Thị Dung")]
    for person in registered:
        learning.register(training_class=training_class, person=person, actor=SYSTEM)
    walk_in = make_person(province.a, "Hồ Văn Đức", phone="0978123456")
    page = page_for(360, 740)
    urls = []
    page.on("request", lambda request: urls.append(request.url))
    login(page, "hotro_a", PASSWORD)
    page.get_by_role("link", name="Lớp tập huấn").first.click()
    page.get_by_role("link", name="Điểm danh").first.click()
    page.get_by_role("button", name="Có mặt: Trần Thị Bé").click()
    page.get_by_role("button", name="Bỏ đánh dấu có mặt: Trần Thị Bé").wait_for()
    # The walk-in is found by phone: the search is posted, so the number never appears in a URL.
    page.get_by_label("Tìm người (tên, số định danh hoặc số điện thoại)").fill("0978 123 456")
    page.get_by_role("button", name="Có mặt: Hồ Văn Đức").click()
    page.get_by_role("button", name="Bỏ đánh dấu có mặt: Hồ Văn Đức").wait_for()
    screenshot(page, "learning-attendance-360")
    assert fits(page)
    assert not [url for url in urls if "0978" in url.replace("+", "").replace("%20", "")]
    assert set(Attendance.objects.values_list("person_id", flat=True)) == {registered[0].pk, walk_in.pk}
