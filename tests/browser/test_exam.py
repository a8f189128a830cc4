"""A resident takes the resident standard on a 360-px phone: answers are saved as given, survive a reload, the review
screen lists what is left, and after submitting the resident reads the profile."""

import datetime

import pytest
from django.conf import settings
from playwright.sync_api import expect

from kynangso.accounts.api import SYSTEM
from kynangso.accounts.models import Role
from kynangso.assessment import api as assessment
from kynangso.assessment.models import AttemptItem
from kynangso.frameworks import api as frameworks
from tests.assessment.conftest import COMPETENCES
from tests.browser.exams import PASSWORD, resident_standard  # noqa: F401  (fixture)
from tests.browser.helpers import login, screenshot
from tests.factories import make_person, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def answer_item(page, fieldset):
    """Give some answer the way a person would: click an option, tick a box, or type a number."""
    if fieldset.locator("input[type=radio]").count():
        fieldset.locator("label.option").first.click()
    elif fieldset.locator("input[type=checkbox]").count():
        fieldset.locator("label.option").first.click()
    else:
        fieldset.locator("input[type=text]").fill("2,5")
    fieldset.get_by_text("Đã lưu lúc").wait_for()


def test_resident_takes_the_standard_on_a_phone(page_for, province, resident_standard):
    user = make_user("ba_hoa", Role.LEARNER, province.a, password=PASSWORD)
    person = make_person(province.a, "Lê Thị Hoa", sex="female", user=user, birth_date=datetime.date(1958, 8, 20))
    page = page_for(360, 740)
    login(page, "ba_hoa", PASSWORD)
    page.get_by_role("link", name="Sát hạch kỹ năng số").click()
    page.get_by_role("link", name="Bắt đầu làm bài").click()  # the start screen says what is coming
    page.get_by_role("button", name="Bắt đầu làm bài").click()
    page.wait_for_url("**/bai-thi/*/")
    assert page.locator(".countdown").is_visible()
    items = page.locator("fieldset.item")
    assert items.count() == 6
    for index in range(3):
        answer_item(page, items.nth(index))
    screenshot(page, "exam-360")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.reload()
    attempt = assessment.open_attempt(person, resident_standard)
    saved = AttemptItem.objects.filter(attempt=attempt, answer__isnull=False).count()
    assert saved == 3
    assert page.locator("fieldset.item .save-state.saved").count() == 3
    first = page.locator("fieldset.item").first
    assert first.locator("input:checked").count() or first.locator("input[type=text]").input_value() == "2,5"

    page.get_by_role("link", name="Xem lại và nộp bài").first.click()
    expect(page.locator("main")).to_contain_text("Bạn đã trả lời 3/6 câu.")
    page.get_by_role("button", name="Nộp bài", exact=True).click()
    page.get_by_role("button", name="Có, nộp bài").click()
    page.wait_for_url("**/ket-qua/")
    text = page.inner_text("main")
    assert "Kết quả theo từng miền năng lực" in text and "Khai thác dữ liệu và thông tin" in text
    assert "cần 60% để đạt" in text
    screenshot(page, "exam-result-360")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_exam_page_never_contains_the_key(page_for, province, resident_standard):
    user = make_user("ong_ba", Role.LEARNER, province.a, password=PASSWORD)
    person = make_person(province.a, "Trần Văn Ba", user=user, birth_date=datetime.date(1950, 1, 2))
    attempt = assessment.start_attempt(person=person, standard=resident_standard, started_by=user)
    page = page_for(1280)
    login(page, "ong_ba", PASSWORD)
    page.goto(page.base_url + f"/sat-hach/bai-thi/{attempt.pk}/")
    html = page.content()
    for slot in AttemptItem.objects.select_related("item_version").filter(attempt=attempt):
        body = slot.item_version.body
        assert slot.item_version.explanation not in html
        for option in body.get("options", []):
            if option["why"]:
                assert option["why"] not in html
            assert option["id"] not in html  # the page names options by this attempt's own ids only
    assert "correct" not in html and "Giải thích" not in html


def test_adaptive_exam_goes_item_by_item_on_a_phone(page_for, province):
    """An adaptive standard with a calibrated pool: one item on the page, confirm, the next comes, until it stops."""
    from kynangso.assessment.models import Item
    from tests.assessment.conftest import calibrated_items

    frameworks.load_framework_file(settings.CONTENT_DIR / "frameworks" / "tt02-2025.yaml")
    assessment.save_items(calibrated_items(), source="test", publish=True, actor=SYSTEM)
    for n, item in enumerate(Item.objects.order_by("code")):
        Item.objects.filter(pk=item.pk).update(irt_a=1.0 + (n % 5) * 0.3, irt_b=-2.0 + (n % 9) * 0.5)
    assessment.save_standard(
        {
            "code": "CHUAN-THICH-UNG",
            "name": "Chuẩn thích ứng",
            "target_group": "resident",
            "framework": "TT02-2025",
            "time_limit_minutes": 30,
            "pass_percent": 60,
            "max_attempts_per_year": 3,
            "wait_hours": 24,
            "mode": "adaptive",
            "cat_se_target": 0.6,
            "cat_min_items": 4,
            "cat_max_items": 8,
            "blueprint": [{"competence": c, "level": 1, "items": 1} for c in COMPETENCES],
        },
        actor=SYSTEM,
    )
    user = make_user("co_tu", Role.LEARNER, province.a, password=PASSWORD)
    make_person(province.a, "Nguyễn Thị Tư", sex="female", user=user, birth_date=datetime.date(1970, 4, 4))
    page = page_for(360, 740)
    login(page, "co_tu", PASSWORD)
    page.goto(page.base_url + "/sat-hach/")
    page.get_by_role("link", name="Bắt đầu làm bài").click()
    page.get_by_role("button", name="Bắt đầu làm bài").click()
    page.wait_for_url("**/bai-thi/*/")
    assert page.locator("fieldset.item").count() == 1 and "Bài thi thích ứng" in page.inner_text("main")
    screenshot(page, "exam-adaptive-360")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    for step in range(1, 9):
        expect(page.locator("fieldset.item .item-number")).to_have_text(f"Câu {step}")
        page.locator("fieldset.item label.option").first.click()
        with page.expect_navigation():  # the confirmed answer travels with the page's post
            page.get_by_role("button", name="Xác nhận, sang câu tiếp").click()
        if "/ket-qua/" in page.url:
            break
    page.wait_for_url("**/ket-qua/")
    assert "Kết quả theo từng miền năng lực" in page.inner_text("main")
    assert page.evaluate("window.localStorage.length") == 0  # nothing of the attempt stays on the device


def test_item_analysis_page_reads_on_a_phone(page_for, province, resident_standard):
    for n in range(4):
        person = make_person(province.a, f"Người Thi {n}", birth_date=datetime.date(1960 + n, 1, 1))
        attempt = assessment.start_attempt(person=person, standard=resident_standard, started_by=None)
        assessment.submit_attempt(attempt=attempt)
    make_user("bien_tap", Role.CONTENT_AUTHOR, province.a, password=PASSWORD)
    page = page_for(360, 740)
    login(page, "bien_tap", PASSWORD)
    page.get_by_role("link", name="Phân tích câu hỏi").first.click()
    page.wait_for_url("**/ngan-hang/phan-tich/")
    assert page.locator("section.analysis-item").count() >= 6
    screenshot(page, "item-analysis-360")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.goto(page.base_url + "/sat-hach/ngan-hang/nhap/")
    screenshot(page, "import-items-360")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_helper_finds_a_resident_by_national_id_and_starts_an_assisted_attempt_on_a_phone(
    page_for, province, resident_standard
):
    from tests.factories import make_national_id

    born = datetime.date(1952, 8, 8)
    national_id = make_national_id(born, "female", serial=808080)
    resident = make_person(province.a, "Lò Thị Năm", sex="female", birth_date=born, national_id=national_id)
    make_user("hotro_a", Role.HELPER, province.a, password=PASSWORD)
    page = page_for(360, 740)
    urls = []
    page.on("request", lambda request: urls.append(request.url))
    login(page, "hotro_a", PASSWORD)
    page.goto(page.base_url + "/sat-hach/ho-tro/")
    page.get_by_label("Tìm người dân").fill(national_id)
    page.get_by_role("button", name="Tìm", exact=True).click()
    page.get_by_role("heading", name="Lò Thị Năm").wait_for()
    screenshot(page, "assist-search-360")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert not [url for url in urls if national_id in url]  # posted: the ID never reaches a URL or an access log
    page.get_by_role("checkbox").check()
    page.get_by_role("button", name="Bắt đầu: Chuẩn kỹ năng số cơ bản cho người dân").click()
    page.wait_for_url("**/bai-thi/*/")
    attempt = assessment.open_attempt(resident, resident_standard)
    assert attempt is not None and attempt.assisted_by.username == "hotro_a"


def test_a_national_id_in_the_assist_address_shows_the_hint_on_a_phone(page_for, province, resident_standard):
    from tests.factories import make_national_id

    born = datetime.date(1952, 8, 8)
    national_id = make_national_id(born, "female", serial=818181)
    make_person(province.a, "Lò Thị Năm", sex="female", birth_date=born, national_id=national_id)
    make_user("hotro_a", Role.HELPER, province.a, password=PASSWORD)
    page = page_for(360, 740)
    login(page, "hotro_a", PASSWORD)
    page.goto(f"{page.base_url}/sat-hach/ho-tro/?q={national_id}")
    hint = page.get_by_role("alert")
    assert "chỉ được tìm bằng nút «Tìm» trên trang" in hint.inner_text()
    assert "Lò Thị Năm" not in page.inner_text("main")
    screenshot(page, "assist-hint-360")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
