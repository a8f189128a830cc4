"""One taker in a real browser for the network fault of benchmarks/exam_faults.py: Debian's Chromium (Playwright),
360 px wide, logged in, answering the single-choice items of the exam page while its context is set offline for the
outage, then back online; then the review page, «Nộp bài», «Có, nộp bài».

The page keeps every change on the device and sends the latest one per item (exam.js), so several changes given
offline to one item are sent once, as the last of them: the check compares, item by item, the answer the page shows
with the one stored, counts answers the page still holds unsent at the end, and counts a change stored twice (two
log rows with the same `answered_at`, i.e. the same `given_at`) as duplicated.
"""

import datetime
import random
import threading
import time

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PASSWORD = "Thi-thu-2026!"
USERNAME = "thisinh_trinhduyet"
PENDING = "Object.keys(localStorage).filter(k => k.startsWith('kynangso-exam:')).length"
SHOWN = """Array.from(document.querySelectorAll('form.answer-form'))
  .filter(f => f.querySelector('input[type=radio]'))
  .map(f => [f.dataset.position, Array.from(f.querySelectorAll('input:checked')).map(i => i.value)])"""


def make_taker() -> int:
    """A learner with a password in the benchmark's commune, and their open attempt; returns the attempt's id."""
    from django.contrib.auth import get_user_model

    from benchmarks.exam_day import STANDARD_CODE
    from kynangso.accounts.models import Role, RoleAssignment
    from kynangso.assessment import api as assessment
    from kynangso.assessment.models import Standard
    from kynangso.orgs.models import OrgUnit
    from kynangso.people.identity import century_sex_digit, encrypt_national_id, national_id_digest
    from kynangso.people.models import Person, TargetGroupMembership
    from kynangso.text import search_key

    commune = OrgUnit.objects.get(code="EX001")
    user = get_user_model()(username=USERNAME)
    user.set_password(PASSWORD)
    user.save()
    birth = datetime.date(1957, 3, 8)
    number = f"001{century_sex_digit(birth.year, 'female')}{birth.year % 100:02d}999999"
    name = "Bà Thi Trên Điện Thoại"
    person = Person.objects.create(
        full_name=name,
        search_name=search_key(name),
        birth_date=birth,
        sex="female",
        national_id_ciphertext=encrypt_national_id(number),
        national_id_digest=national_id_digest(number),
        national_id_last_digits="999",
        residence_unit=commune,
        user=user,
    )
    TargetGroupMembership.objects.create(person=person, group="resident", valid_from=datetime.date(2024, 1, 1))
    RoleAssignment.objects.create(user=user, role=Role.LEARNER, unit=commune)
    attempt = assessment.start_attempt(
        person=person, standard=Standard.objects.get(code=STANDARD_CODE), started_by=user
    )
    return attempt.pk


class BrowserTaker:
    def __init__(self, base_url: str, *, offline_after: float, offline_for: float, think=(1.0, 2.5), seed=16):
        self.base_url = base_url
        self.offline_after, self.offline_for, self.think = offline_after, offline_for, think
        self.rng = random.Random(seed)
        self.attempt_id = make_taker()
        self.began = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.clicks = self.offline_clicks = 0
        self.pending_left = -1
        self.shown: list = []
        self.longest_wait = 0.0
        self.submitted_in_page = False
        self.failure = ""

    def start(self) -> None:
        self.thread.start()

    def exam_started(self) -> None:
        self.began.set()

    def join(self) -> None:
        self.thread.join(timeout=600)

    def _run(self) -> None:
        try:
            self._take()
        except Exception as exc:  # noqa: BLE001 — reported with the run's results
            self.failure = f"{type(exc).__name__}: {str(exc)[:300]}"

    def _take(self) -> None:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
            context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
            page = context.new_page()
            page.set_default_timeout(60000)
            page.goto(self.base_url + "/dang-nhap/")
            page.get_by_label("Tên đăng nhập, số điện thoại hoặc số định danh").fill(USERNAME)
            page.get_by_label("Mật khẩu").fill(PASSWORD)
            page.get_by_role("button", name="Đăng nhập").click()
            page.wait_for_url("**/trang-cua-toi/")
            page.goto(f"{self.base_url}/sat-hach/bai-thi/{self.attempt_id}/")
            positions = [position for position, _values in page.evaluate(SHOWN)]
            self.began.wait(timeout=600)
            began = time.monotonic()
            offline_from, offline_to = began + self.offline_after, began + self.offline_after + self.offline_for
            state, first_unsent, number = "online", None, 0
            while time.monotonic() < offline_to + 10:
                now = time.monotonic()
                if state == "online" and now >= offline_from:
                    context.set_offline(True)
                    state = "offline"
                elif state == "offline" and now >= offline_to:
                    context.set_offline(False)
                    state = "back"
                position = positions[number % len(positions)]
                labels = page.locator(f'form.answer-form[data-position="{position}"] label.option')
                labels.nth(self.rng.randrange(labels.count())).click()
                self.clicks += 1
                if state == "offline":
                    self.offline_clicks += 1
                    first_unsent = first_unsent or time.monotonic()
                number += 1
                page.wait_for_timeout(self.rng.uniform(*self.think) * 1000)
            deadline = time.monotonic() + 120
            while page.evaluate(PENDING) and time.monotonic() < deadline:
                page.wait_for_timeout(200)
            if first_unsent:
                self.longest_wait = time.monotonic() - first_unsent
            self.pending_left = page.evaluate(PENDING)
            self.shown = page.evaluate(SHOWN)
            page.get_by_role("link", name="Xem lại và nộp bài").first.click()
            page.get_by_role("button", name="Nộp bài", exact=True).click()
            page.get_by_role("button", name="Có, nộp bài").click()
            page.wait_for_url("**/ket-qua/**")
            self.submitted_in_page = True
            context.close()
            browser.close()

    def report(self) -> tuple[str, bool]:
        """In words, and whether nothing was lost or duplicated and the attempt was submitted."""
        from django.db import connection

        from benchmarks.exam_faults import LOG_TABLE
        from kynangso.assessment.models import Attempt, AttemptItem, AttemptStatus
        from kynangso.assessment.presentation import to_taker

        stored = {
            str(position): to_taker(kind, presentation, answer)
            for position, answer, presentation, kind in AttemptItem.objects.filter(
                attempt_id=self.attempt_id
            ).values_list("position", "answer", "presentation", "item_version__type")
        }
        mismatched = 0
        for position, values in self.shown:
            answer = stored.get(position) or {}
            if values and [answer.get("choice")] != values:
                mismatched += 1
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*), count(DISTINCT (l.item_id, l.answered_at)) FROM {LOG_TABLE} l JOIN "
                f"{AttemptItem._meta.db_table} i ON i.id = l.item_id WHERE i.attempt_id = %s",
                [self.attempt_id],
            )
            rows, distinct = cursor.fetchone()
        submitted = Attempt.objects.filter(pk=self.attempt_id, status=AttemptStatus.SUBMITTED).exists()
        lost = mismatched + max(0, self.pending_left)
        duplicated = rows - distinct
        ok = not self.failure and lost == 0 and duplicated == 0 and submitted and self.pending_left == 0
        text = (
            f"{self.clicks} lần chọn ({self.offline_clicks} khi mất mạng), lưu {rows} lần; câu hiện trên trang "
            f"khác câu đã lưu {mismatched}, còn chưa gửi {self.pending_left}: MẤT {lost}, TRÙNG {duplicated}; "
            f"chờ lâu nhất {self.longest_wait:.1f} s (từ lần chọn đầu tiên khi mất mạng đến khi mọi câu đã lưu); "
            f"nộp bài trên trang: {'có' if self.submitted_in_page and submitted else 'KHÔNG'}"
            + (f"; LỖI {self.failure}" if self.failure else "")
        )
        return text, ok
