"""Exam day on a real network, in a 360-px Chromium (issue 16): answers given offline are kept, said in words and
stored when the network is back, even across a reload; a refusal is shown beside its item; the start screen, the
review with its timer and the confirmation; large text without sideways scrolling; a helper sees whose exam it is;
axe-core finds nothing serious on the exam, review and result pages in either text size."""

import datetime

import pytest
from django.utils import timezone

from kynangso.accounts.models import Role
from kynangso.assessment import api as assessment
from kynangso.assessment.models import Attempt, AttemptItem
from tests.browser.accessibility import serious_violations
from tests.browser.exams import PASSWORD, standard_with_every_kind  # noqa: F401  (fixture)
from tests.browser.helpers import login, screenshot
from tests.factories import make_person, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
UNSENT = "Chưa gửi được — sẽ tự gửi lại"


@pytest.fixture
def taker(province):
    user = make_user("ba_hoa", Role.LEARNER, province.a, password=PASSWORD)
    return make_person(province.a, "Lê Thị Hoa", sex="female", user=user, birth_date=datetime.date(1958, 8, 20))


def open_exam(page_for, taker, standard, width=360, height=740):
    attempt = assessment.start_attempt(person=taker, standard=standard, started_by=taker.user)
    page = page_for(width, height)
    login(page, "ba_hoa", PASSWORD)
    page.goto(f"{page.base_url}/sat-hach/bai-thi/{attempt.pk}/")
    return page, attempt


def clock_error(page) -> int:
    """How far (ms) the exam page may be off the server's clock, once it has learnt it from a reply."""
    clock = page.locator(".countdown")
    page.wait_for_function("document.querySelector('.countdown').dataset.clockError !== undefined")
    return int(clock.get_attribute("data-clock-error"))


def choice_items(page):
    """The fieldsets answered by clicking an option (single choice, true/false, multiple response)."""
    return page.locator("fieldset.item", has=page.locator("input[type=radio], input[type=checkbox]"))


def stored_answers(attempt) -> int:
    return AttemptItem.objects.filter(attempt=attempt, answer__isnull=False).count()


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_answers_given_offline_are_kept_and_stored_when_the_network_is_back(page_for, taker, standard_with_every_kind):
    page, attempt = open_exam(page_for, taker, standard_with_every_kind)
    items = choice_items(page)
    page.context.set_offline(True)
    for index in range(2):
        items.nth(index).locator("label.option").first.click()
        items.nth(index).get_by_text(UNSENT).wait_for()
    assert page.locator("#offline-banner").is_visible()
    assert "Mất kết nối mạng" in page.locator("#offline-banner").inner_text()
    screenshot(page, "exam-offline-360")
    assert stored_answers(attempt) == 0

    page.context.set_offline(False)
    for index in range(2):
        items.nth(index).get_by_text("Đã lưu lúc").wait_for()
    assert page.locator("#offline-banner").is_hidden()
    assert stored_answers(attempt) == 2


def test_answers_not_sent_before_a_reload_are_sent_after_it(page_for, taker, standard_with_every_kind):
    page, attempt = open_exam(page_for, taker, standard_with_every_kind)
    page.route("**/cau/*/", lambda route: route.abort("internetdisconnected"))
    first = choice_items(page).first
    first.locator("label.option").first.click()
    first.get_by_text(UNSENT).wait_for()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.accept()))

    page.reload()
    assert dialogs == ["beforeunload"]  # leaving with an unsent answer warns
    first = choice_items(page).first
    assert first.locator("input:checked").count() == 1  # the device's copy shows the answer as given
    first.get_by_text(UNSENT).wait_for()
    assert stored_answers(attempt) == 0

    page.unroute("**/cau/*/")
    first.get_by_text("Đã lưu lúc").wait_for(timeout=20000)  # the reloaded page sends it on its next try
    assert stored_answers(attempt) == 1


def test_a_refused_answer_and_a_server_fault_are_said_in_words_beside_the_item(
    page_for, taker, standard_with_every_kind
):
    page, attempt = open_exam(page_for, taker, standard_with_every_kind)
    numeric = page.locator("fieldset.item", has=page.locator("input[inputmode=decimal]")).first
    numeric.locator("input[type=text]").fill("mười")
    error = numeric.get_by_role("alert")
    error.wait_for()
    assert error.inner_text() == "Hãy nhập một số, ví dụ 12 hoặc 3,5."
    assert numeric.locator("[aria-live=polite]").locator("[role=alert]").count() == 1  # announced
    screenshot(page, "exam-error-360")

    page.route("**/cau/*/", lambda route: route.fulfill(status=500, body="Internal Server Error"))
    numeric.locator("input[type=text]").fill("3,5")
    numeric.get_by_text(UNSENT).wait_for()
    page.unroute("**/cau/*/")
    numeric.get_by_text("Đã lưu lúc").wait_for(timeout=20000)
    assert AttemptItem.objects.filter(attempt=attempt, answer={"number": "3,5"}).count() == 1


def test_start_screen_review_with_timer_and_a_confirmation_before_submitting(page_for, taker, standard_with_every_kind):
    page = page_for(360, 740)
    login(page, "ba_hoa", PASSWORD)
    page.goto(page.base_url + "/sat-hach/")
    page.get_by_role("link", name="Bắt đầu làm bài").click()
    main = page.inner_text("main")
    assert "Bài có 6 câu hỏi." in main and "Thời gian làm bài: 30 phút" in main
    assert "Nếu mất mạng hoặc tải lại trang" in main
    screenshot(page, "exam-start-360")
    assert Attempt.objects.count() == 0
    page.get_by_role("button", name="Bắt đầu làm bài").click()
    page.wait_for_url("**/bai-thi/*/")
    first = choice_items(page).first
    first.locator("label.option").first.click()
    first.get_by_text("Đã lưu lúc").wait_for()
    assert page.locator(".site-header").bounding_box()["height"] <= 0.15 * 740
    assert serious_violations(page) == []

    page.get_by_role("link", name="Xem lại và nộp bài").first.click()
    page.wait_for_url("**/xem-lai/")
    assert page.locator(".countdown").is_visible()
    assert "Bạn đã trả lời 1/6 câu." in page.inner_text("main")
    assert page.locator(".notice").get_by_role("link").count() == 5  # the unanswered items, each a link
    page.get_by_role("button", name="Nộp bài", exact=True).click()
    confirm = page.locator("#confirm-submit")
    confirm.wait_for()
    assert "Nộp bài bây giờ?" in confirm.inner_text() and "Còn 5 câu chưa trả lời." in confirm.inner_text()
    screenshot(page, "exam-confirm-360")
    assert serious_violations(page) == []
    page.get_by_role("button", name="Chưa, quay lại").click()
    assert confirm.is_hidden() and "/xem-lai/" in page.url
    page.get_by_role("button", name="Nộp bài", exact=True).click()
    page.get_by_role("button", name="Có, nộp bài").click()
    page.wait_for_url("**/ket-qua/")
    assert "Kết quả theo từng miền năng lực" in page.inner_text("main")
    assert serious_violations(page) == []


def test_the_timer_warns_at_five_minutes_and_at_one_minute(page_for, taker, standard_with_every_kind):
    page, attempt = open_exam(page_for, taker, standard_with_every_kind)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() + datetime.timedelta(seconds=303))
    page.reload()
    warning = page.get_by_role("alert").filter(has_text="Còn 5 phút")
    warning.wait_for(timeout=10000)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() + datetime.timedelta(seconds=63))
    page.reload()
    page.get_by_role("alert").filter(has_text="Còn 1 phút").wait_for(timeout=10000)
    screenshot(page, "exam-one-minute-360")


def test_keyboard_focus_never_hides_under_the_timer_bar(page_for, taker, standard_with_every_kind):
    page, _attempt = open_exam(page_for, taker, standard_with_every_kind)
    page.locator(".site-footer").scroll_into_view_if_needed()
    page.locator("main a.button.primary").last.focus()
    hidden = []
    for _stop in range(14):
        page.keyboard.press("Shift+Tab")
        bar = page.locator("#exam-bar").bounding_box()
        box = page.evaluate(
            "(() => { const r = document.activeElement.getBoundingClientRect();"
            " return {top: r.top, bottom: r.bottom, inBar: !!document.activeElement.closest('#exam-bar')}; })()"
        )
        if not box["inBar"] and box["top"] < bar["y"] + bar["height"] - 1:
            hidden.append(box)
    assert hidden == []


@pytest.mark.parametrize("width", [320, 360])
def test_large_text_fits_the_phone_on_the_exam_review_and_result_pages(
    page_for, taker, standard_with_every_kind, width
):
    page, attempt = open_exam(page_for, taker, standard_with_every_kind, width=width)
    assert no_sideways_scroll(page)
    page.get_by_role("button", name="Chữ to hơn").click()
    page.wait_for_load_state()
    assert page.locator("html.text-large").count() == 1
    if width == 360:
        assert page.locator(".site-header").bounding_box()["height"] <= 0.15 * 740
        assert page.locator("#exam-bar").bounding_box()["height"] <= 0.15 * 740  # the sticky bar stays small too
    assert no_sideways_scroll(page)
    screenshot(page, f"exam-large-{width}")
    assert serious_violations(page) == []
    page.goto(f"{page.base_url}/sat-hach/bai-thi/{attempt.pk}/xem-lai/")
    assert no_sideways_scroll(page) and serious_violations(page) == []
    assessment.submit_attempt(attempt=attempt)
    page.goto(f"{page.base_url}/sat-hach/bai-thi/{attempt.pk}/ket-qua/")
    screenshot(page, f"exam-result-large-{width}")
    assert no_sideways_scroll(page) and serious_violations(page) == []
    page.get_by_role("button", name="Cỡ chữ thường").click()
    page.wait_for_load_state()
    assert no_sideways_scroll(page)


def test_a_helper_holding_the_phone_sees_whose_exam_it_is_on_every_page(page_for, province, standard_with_every_kind):
    resident = make_person(province.a, "Lò Thị Năm", sex="female", birth_date=datetime.date(1952, 8, 8))
    make_user("hotro_a", Role.HELPER, province.a, password=PASSWORD)
    page = page_for(360, 740)
    login(page, "hotro_a", PASSWORD)
    page.goto(page.base_url + "/sat-hach/ho-tro/")
    page.get_by_label("Tìm người dân").fill("Lò Thị Năm")
    page.get_by_role("button", name="Tìm", exact=True).click()
    page.get_by_role("heading", name="Lò Thị Năm").wait_for()
    for target in (
        page.get_by_label("Tìm người dân"),
        page.get_by_role("button", name="Tìm", exact=True),
        page.locator("label.consent"),
        page.get_by_role("button", name="Bắt đầu: Chuẩn kỹ năng số cơ bản cho người dân"),
    ):
        box = target.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44
    screenshot(page, "assist-styled-360")
    assert no_sideways_scroll(page)
    page.locator("label.consent").click()
    page.get_by_role("button", name="Bắt đầu: Chuẩn kỹ năng số cơ bản cho người dân").click()
    page.wait_for_url("**/bai-thi/*/")
    attempt = assessment.open_attempt(resident, standard_with_every_kind)
    assert "Bài thi của: Lò Thị Năm" in page.locator(".taker-banner").inner_text()
    screenshot(page, "exam-assisted-360")
    assert serious_violations(page) == []
    page.get_by_role("link", name="Xem lại và nộp bài").first.click()
    assert "Bài thi của: Lò Thị Năm" in page.locator(".taker-banner").inner_text()
    page.get_by_role("button", name="Nộp bài", exact=True).click()
    page.get_by_role("button", name="Có, nộp bài").click()
    page.wait_for_url("**/ket-qua/")
    assert "Bài thi của: Lò Thị Năm" in page.locator(".taker-banner").inner_text()
    page.get_by_role("link", name="Xem lộ trình học của Lò Thị Năm").click()
    page.wait_for_url(f"**/hoc/lo-trinh/nguoi/{resident.pk}/")
    assert page.get_by_role("heading", name="Lộ trình học của Lò Thị Năm").is_visible()
    assert attempt.assisted_by.username == "hotro_a"


def test_two_devices_on_one_attempt_the_later_answer_wins_and_both_show_it(page_for, taker, standard_with_every_kind):
    """The resident's phone loses the network and she picks an option; on the helper's tablet another option is
    picked later. When the phone is back, the tablet's answer stays and the phone shows it; a later change on the
    phone shows on the tablet when it comes back to the screen."""
    phone, attempt = open_exam(page_for, taker, standard_with_every_kind)
    tablet = page_for(360, 740)
    login(tablet, "ba_hoa", PASSWORD)
    tablet.goto(f"{tablet.base_url}/sat-hach/bai-thi/{attempt.pk}/")
    radio_item = phone.locator("fieldset.item", has=phone.locator("input[type=radio]")).first
    position = radio_item.get_attribute("id")
    on_tablet = tablet.locator(f"#{position}")

    # Each device knows the server's clock within half its shortest round trip; the helper answers later than the
    # phone by more than both bounds (a person's seconds; on a loaded machine, a few hundred milliseconds).
    bounds = [clock_error(device) for device in (phone, tablet)]
    phone.context.set_offline(True)
    radio_item.locator("label.option").nth(0).click()
    radio_item.get_by_text(UNSENT).wait_for()
    tablet.wait_for_timeout(sum(bounds) + 50)
    on_tablet.locator("label.option").nth(1).click()
    on_tablet.get_by_text("Đã lưu lúc").wait_for()
    phone.context.set_offline(False)
    radio_item.get_by_text("Đã thay bằng câu trả lời mới hơn từ thiết bị khác.").wait_for()
    assert radio_item.locator("input[type=radio]").nth(1).is_checked()
    tablet_choice = on_tablet.locator("input[type=radio]").nth(1).get_attribute("value")
    slot = AttemptItem.objects.get(attempt=attempt, position=int(position.split("-")[1]))
    assert slot.presentation["aliases"][slot.answer["choice"]] == tablet_choice

    radio_item.locator("label.option").nth(2).click()
    radio_item.get_by_text("Đã lưu lúc").wait_for()
    tablet.evaluate("window.dispatchEvent(new Event('focus'))")
    on_tablet.get_by_text("Đã thay bằng câu trả lời mới hơn từ thiết bị khác.").wait_for()
    assert on_tablet.locator("input[type=radio]").nth(2).is_checked()
