"""Learning pages benchmark (issue 4): the weight of a lesson page in Chromium, and the catalogue with 500 courses.

Run from the repository root: `.venv/bin/python -m benchmarks.learning_pages` (or `benchmarks/run`). It works in a
folder of its own (data folder, static files, SQLite database), removed afterwards; `--database-url postgres://…`
uses PostgreSQL instead, in its own database `kynangso_learning_bench`, created and dropped here.

1. Lesson page weight. The shipped content is loaded (`load-content`) and a resident enrolled in the basic course
   ky-nang-so-co-ban. Static files are collected as in production (WhiteNoise, hashed names, gzip/brotli copies;
   benchmarks/_learning_settings.py) and a real gunicorn serves the site on loopback with DEBUG off. Debian's
   Chromium, driven by Playwright on a 360-px phone screen, logs in, then opens a typical lesson with an empty cache
   (cold), follows «Bài tiếp theo» to the next lesson (warm: cache filled by the first), and opens every lesson of
   the course cold once. Every request of a load is recorded from the DevTools protocol: bytes on the wire including
   response headers (`Network.loadingFinished.encodedDataLength`), decoded body size, Content-Encoding, and whether
   the browser cache answered. Video (resource type Media) is listed apart and not counted, as the goal says.
   Goal of issue 4: under 150 KB (1 KB = 1000 bytes) and under 10 requests, without video.
2. Catalogue with N courses (500). N generated courses are written as content folders and loaded through the
   learning app's own `learning.api.load_courses` (draft, lessons, publication), then `/hoc/` is timed through
   Django's test client, in alternating rounds with a baseline: the same N titles fetched with one `values_list`
   and rendered by a minimal Django template, behind the same middleware. The number of SQL queries of the
   catalogue is captured with a few courses and with all N (it must not grow with the number of courses).
"""

import argparse
import datetime
import gzip
import io
import os
import shutil
import statistics
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from urllib.parse import urlsplit

from benchmarks._support import GunicornServer, is_postgresql, use_database, use_sqlite

# Django is imported inside the functions: `main` must choose the database before Django reads its settings.
SETTINGS_MODULE = "benchmarks._learning_settings"
BENCH_DATABASE = "kynangso_learning_bench"
BASIC = "ky-nang-so-co-ban"
TYPICAL_LESSON = 5  # «Nhận biết lừa đảo và bảo vệ tài khoản», 5 practice questions (the lesson docs/learning.md cites)
GOAL_BYTES = 150_000
GOAL_REQUESTS = 10  # the goal is «under 10 requests»
KB = 1000
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PHONE = {
    "viewport": {"width": 360, "height": 740},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "locale": "vi-VN",
}
USERNAME = "hocvien_do_trang"
PASSWORD = "Mat-khau-do-trang-2026"
BARE_PATH = "bench/danh-sach-tran/"
CATALOGUE_PATH = "/hoc/"
SHOWN_ON_PAGE = 100  # the catalogue view lists the first 100 matches and the total count


# --- measurements -------------------------------------------------------------------------------------------------


@dataclass
class Resource:
    url: str
    kind: str = "Other"  # DevTools resource type: Document, Stylesheet, Script, Image, Media, Font, Fetch, Other…
    status: int = 0
    mime: str = ""
    encoding: str = ""  # Content-Encoding of the response
    transfer_bytes: int = 0  # bytes on the wire, response headers included
    body_bytes: int = 0  # decoded body
    cached: bool = False  # answered by the browser cache: nothing crossed the network
    finished: bool = False
    failed: str = ""

    @property
    def path(self) -> str:
        parts = urlsplit(self.url)
        return (
            parts.path + (f"?{parts.query}" if parts.query else "")
            if parts.scheme in ("http", "https")
            else self.url[:60]
        )

    @property
    def is_video(self) -> bool:
        return self.kind == "Media" or self.mime.startswith("video/")


@dataclass
class PageLoad:
    label: str
    url: str
    status: int = 0
    title: str = ""
    resources: list[Resource] = field(default_factory=list)
    document_html: str = ""

    @property
    def counted(self) -> list[Resource]:
        """What crossed the network, video excluded."""
        return [r for r in self.resources if not r.cached and not r.is_video]

    @property
    def from_cache(self) -> list[Resource]:
        return [r for r in self.resources if r.cached and not r.is_video]

    @property
    def video(self) -> list[Resource]:
        return [r for r in self.resources if r.is_video]

    @property
    def requests(self) -> int:
        return len(self.counted)

    @property
    def total_bytes(self) -> int:
        return sum(r.transfer_bytes for r in self.counted)

    @property
    def body_bytes(self) -> int:
        return sum(r.body_bytes for r in self.counted)

    @property
    def html_gzip_bytes(self) -> int:
        """The size of the page's HTML compressed with gzip -6 (what nginx `gzip on` would send; the app sends it
        uncompressed)."""
        return len(gzip.compress(self.document_html.encode(), 6)) if self.document_html else 0

    @property
    def errors(self) -> list[str]:
        problems = [f"{r.path}: {r.failed}" for r in self.resources if r.failed]
        problems += [f"{r.path}: HTTP {r.status}" for r in self.resources if r.status >= 400]
        if self.status != 200:
            problems.insert(0, f"{self.url}: HTTP {self.status}")
        return problems

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def meets_goal(self) -> bool:
        return self.total_bytes < GOAL_BYTES and self.requests < GOAL_REQUESTS


@dataclass
class LessonResults:
    cold: PageLoad
    warm: PageLoad
    sweep: list[PageLoad] = field(default_factory=list)  # every lesson of the course, each with an empty cache
    browser: str = ""

    @property
    def ok(self) -> bool:
        return self.cold.ok and self.warm.ok and all(load.ok for load in self.sweep)


@dataclass
class Timing:
    label: str
    seconds: list[float] = field(default_factory=list)

    @property
    def median_ms(self) -> float:
        return statistics.median(self.seconds) * 1000 if self.seconds else 0.0

    @property
    def p95_ms(self) -> float:
        if len(self.seconds) < 2:
            return self.median_ms
        return statistics.quantiles(self.seconds, n=100, method="inclusive")[94] * 1000


@dataclass
class CatalogueResults:
    courses: int  # published courses in the catalogue
    generated: int
    rounds: int
    load_seconds: float = 0.0
    page: Timing = field(default_factory=lambda: Timing("catalogue"))
    bare: Timing = field(default_factory=lambda: Timing("bare"))
    page_bytes: int = 0
    bare_bytes: int = 0
    shown: int = 0  # generated titles found on the catalogue page
    bare_shown: int = 0  # generated titles found in the bare listing
    few_courses: int = 0
    queries_few: int = 0  # SQL queries of the catalogue with `few_courses` courses
    queries: int = 0  # … with all of them
    bare_queries: int = 0
    page_html: str = ""
    errors: list[str] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return self.page.median_ms / self.bare.median_ms if self.bare.median_ms else 0.0

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class Results:
    lesson: LessonResults | None = None
    catalogue: CatalogueResults | None = None

    @property
    def ok(self) -> bool:
        return (self.lesson is None or self.lesson.ok) and (self.catalogue is None or self.catalogue.ok)


# --- the lesson page in Chromium ----------------------------------------------------------------------------------


class NetworkLog:
    """Every request of a page, from the DevTools protocol of its target (Playwright's CDP session)."""

    def __init__(self, cdp):
        self.cdp = cdp
        self.entries: dict[str, Resource] = {}
        self.order: list[Resource] = []
        cdp.on("Network.requestWillBeSent", self._sent)
        cdp.on("Network.requestServedFromCache", self._served_from_cache)
        cdp.on("Network.responseReceived", self._response)
        cdp.on("Network.dataReceived", self._data)
        cdp.on("Network.loadingFinished", self._finished)
        cdp.on("Network.loadingFailed", self._failed)
        cdp.send("Network.enable")

    def start(self) -> None:
        self.entries, self.order = {}, []

    def _sent(self, event) -> None:
        request_id = event["requestId"]
        redirect = event.get("redirectResponse")
        if redirect and request_id in self.entries:  # the same id goes on after a redirect: close the hop
            hop = self.entries[request_id]
            self._fill(hop, redirect)
            hop.transfer_bytes, hop.finished = int(redirect.get("encodedDataLength", 0)), True
        entry = Resource(url=event["request"]["url"], kind=event.get("type", "Other"))
        self.entries[request_id] = entry
        self.order.append(entry)

    def _served_from_cache(self, event) -> None:
        if event["requestId"] in self.entries:
            self.entries[event["requestId"]].cached = True

    @staticmethod
    def _fill(entry: Resource, response: dict) -> None:
        headers = {key.lower(): value for key, value in (response.get("headers") or {}).items()}
        entry.status = int(response.get("status", 0))
        entry.mime = response.get("mimeType", "")
        entry.encoding = headers.get("content-encoding", "")
        if response.get("fromDiskCache") or response.get("fromPrefetchCache") or response.get("fromServiceWorker"):
            entry.cached = True

    def _response(self, event) -> None:
        entry = self.entries.get(event["requestId"])
        if entry is not None:
            entry.kind = event.get("type", entry.kind)
            self._fill(entry, event["response"])

    def _data(self, event) -> None:
        entry = self.entries.get(event["requestId"])
        if entry is not None:
            entry.body_bytes += int(event.get("dataLength", 0))

    def _finished(self, event) -> None:
        entry = self.entries.get(event["requestId"])
        if entry is not None:
            entry.transfer_bytes, entry.finished = int(event.get("encodedDataLength", 0)), True
            if entry.cached:
                entry.transfer_bytes = 0

    def _failed(self, event) -> None:
        entry = self.entries.get(event["requestId"])
        if entry is not None and not event.get("canceled"):
            entry.failed = event.get("errorText", "failed")

    def document_body(self) -> str:
        for request_id, entry in self.entries.items():
            if entry.kind == "Document" and entry.finished and not entry.cached:
                try:
                    body = self.cdp.send("Network.getResponseBody", {"requestId": request_id})
                except Exception:  # noqa: BLE001 — the body may be evicted; the size is still measured
                    return ""
                return "" if body.get("base64Encoded") else body.get("body", "")
        return ""


def _record(page, log: NetworkLog, label: str, go) -> PageLoad:
    """Run `go()` (a navigation) and return what the page loaded until the network was idle."""
    log.start()
    response = go()
    page.wait_for_load_state("load")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)  # late DevTools events (favicon, the last loadingFinished)
    load = PageLoad(
        label=label,
        url=page.url,
        status=response.status if response is not None else 0,
        title=page.locator("h1").first.inner_text() if page.locator("h1").count() else "",
        resources=list(log.order),
        document_html=log.document_body(),
    )
    return load


def measure_lesson_pages(
    *,
    base_url: str,
    lesson_paths: list[str],
    typical: int = TYPICAL_LESSON,
    username: str = USERNAME,
    password: str = PASSWORD,
    sweep: bool = True,
    browser=None,
) -> LessonResults:
    """Log in on a phone-sized Chromium, then load lesson `typical` (1-based) cold, the next one warm, and (if
    `sweep`) every lesson cold. With `browser` (a Playwright Browser) it uses that one, else it launches Chromium.
    Makes no database queries, so it can run beside Playwright's event loop."""
    if browser is None:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
            try:
                return measure_lesson_pages(
                    base_url=base_url,
                    lesson_paths=lesson_paths,
                    typical=typical,
                    username=username,
                    password=password,
                    sweep=sweep,
                    browser=launched,
                )
            finally:
                launched.close()

    base_url = base_url.rstrip("/")
    context = browser.new_context(**PHONE)
    try:
        page = context.new_page()
        page.set_default_timeout(30_000)
        page.goto(base_url + "/dang-nhap/")
        page.get_by_label("Tên đăng nhập, số điện thoại hoặc số định danh").fill(username)
        page.get_by_label("Mật khẩu").fill(password)
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_url("**/trang-cua-toi/")
        signed_in = context.storage_state()  # the session cookie, without the cache the login page filled
    finally:
        context.close()

    def fresh_page():
        fresh = browser.new_context(storage_state=signed_in, **PHONE)
        page = fresh.new_page()
        page.set_default_timeout(30_000)
        return fresh, page, NetworkLog(fresh.new_cdp_session(page))

    context, page, log = fresh_page()
    try:
        cold = _record(page, log, "lần đầu (bộ nhớ đệm trống)", lambda: page.goto(base_url + lesson_paths[typical - 1]))
        next_link = page.get_by_role("link", name="Bài tiếp theo →")
        if next_link.count():

            def follow():
                with page.expect_navigation() as navigation:
                    next_link.click()
                return navigation.value

            warm = _record(page, log, "bài tiếp theo (đã có bộ nhớ đệm)", follow)
        else:
            warm = _record(page, log, "tải lại (đã có bộ nhớ đệm)", lambda: page.reload())
    finally:
        context.close()
    results = LessonResults(cold=cold, warm=warm, browser=browser.version)
    if sweep:
        for number, path in enumerate(lesson_paths, start=1):
            context, page, log = fresh_page()
            try:
                results.sweep.append(
                    _record(page, log, f"bài {number}", lambda page=page, path=path: page.goto(base_url + path))
                )
            finally:
                context.close()
    return results


def prepare_learner(*, username: str = USERNAME, password: str = PASSWORD) -> list[str]:
    """A resident of a commune with a login, enrolled in the basic course (already loaded); the paths of its
    lessons in order."""
    from django.urls import reverse

    from kynangso.accounts import api as accounts
    from kynangso.learning import api as learning
    from kynangso.learning.models import Course
    from kynangso.orgs import api as orgs
    from kynangso.people import api as people

    province = orgs.create_unit(code="L00", name="Tỉnh Đo Trang", kind=orgs.UnitKind.PROVINCE)
    commune = orgs.create_unit(code="LX001", name="Xã Học Thử", kind=orgs.UnitKind.COMMUNE, parent=province)
    user = accounts.create_user(username=username, password=password, check_password=False)
    accounts.assign_role(user=user, role=accounts.Role.LEARNER, unit=commune)
    birth, sex = datetime.date(1962, 8, 20), "female"
    national_id = f"001{people.century_sex_digit(birth.year, sex)}{birth.year % 100:02d}000146"
    person = people.register_person(
        full_name="Trần Thị Học",
        birth_date=birth,
        sex=sex,
        national_id=national_id,
        residence_unit=commune,
        target_groups=[("resident", datetime.date(2024, 1, 1), None)],
        user=user,
        actor=accounts.SYSTEM,
    )
    course = Course.objects.select_related("published_version").get(code=BASIC)
    if "resident" not in course.published_version.target_groups.split(","):
        raise RuntimeError(f"khóa {BASIC} không dành cho nhóm người dân")
    learning.enrol(person=person, course=course)
    return [reverse("learning:lesson", args=[BASIC, lesson["id"]]) for lesson in course.published_version.lessons()]


def report_lessons(results: LessonResults, say) -> None:
    def kb(n: int) -> str:
        return f"{n / KB:.1f} KB"

    cold, warm = results.cold, results.warm
    say(
        f"Trang bài học điển hình «{cold.title}» (bài {TYPICAL_LESSON}/{len(results.sweep) or '?'}), "
        f"{cold.label}, màn hình 360 px:"
    )
    say(f"  {'tài nguyên':<52} {'loại':<11} {'truyền':>9} {'giải nén':>9}  nén")
    for resource in sorted(cold.counted, key=lambda r: r.transfer_bytes, reverse=True):
        say(
            f"  {resource.path[:52]:<52} {resource.kind:<11} {kb(resource.transfer_bytes):>9} "
            f"{kb(resource.body_bytes):>9}  {resource.encoding or 'không'}"
        )
    say(
        f"  Tổng: {cold.requests} yêu cầu, {kb(cold.total_bytes)} qua mạng (kể cả tiêu đề HTTP; "
        f"{kb(cold.body_bytes)} sau giải nén); video: {len(cold.video)} yêu cầu, không tính."
    )
    document = next((r for r in cold.counted if r.kind == "Document"), None)
    if document is not None and not document.encoding and cold.html_gzip_bytes:
        say(
            f"  HTML gửi không nén ({kb(document.body_bytes)}); nén gzip (như nginx `gzip on`) chỉ còn "
            f"{kb(cold.html_gzip_bytes)}, cả trang còn khoảng "
            f"{kb(cold.total_bytes - document.body_bytes + cold.html_gzip_bytes)}."
        )
    heaviest = sorted(cold.counted, key=lambda r: r.transfer_bytes, reverse=True)[:3]
    say(
        "  Nặng nhất: "
        + "; ".join(
            f"{r.path.rsplit('/', 1)[-1] or r.path} {kb(r.transfer_bytes)} "
            f"({100 * r.transfer_bytes / cold.total_bytes:.0f}%)"
            for r in heaviest
            if cold.total_bytes
        )
    )
    say(
        f"Bài tiếp theo «{warm.title}», {warm.label}: {warm.requests} yêu cầu qua mạng, {kb(warm.total_bytes)}; "
        f"{len(warm.from_cache)} tài nguyên lấy từ bộ nhớ đệm của trình duyệt"
        + (f" ({', '.join(r.path.rsplit('/', 1)[-1] for r in warm.from_cache)})" if warm.from_cache else "")
        + "."
    )
    if results.sweep:
        sizes = [load.total_bytes for load in results.sweep]
        counts = [load.requests for load in results.sweep]
        heaviest_load = max(results.sweep, key=lambda load: load.total_bytes)
        say(
            f"Cả {len(results.sweep)} bài của khóa {BASIC}, mỗi bài lần đầu: {kb(min(sizes))}–{kb(max(sizes))}, "
            f"{min(counts)}–{max(counts)} yêu cầu; nặng nhất «{heaviest_load.title}» ({kb(heaviest_load.total_bytes)}, "
            f"{heaviest_load.requests} yêu cầu); {sum(1 for load in results.sweep if load.meets_goal)}/"
            f"{len(results.sweep)} bài đạt mục tiêu."
        )
    verdict = "ĐẠT" if cold.meets_goal else "KHÔNG ĐẠT"
    say(
        f"Mục tiêu (dưới {GOAL_BYTES // KB} KB và dưới {GOAL_REQUESTS} yêu cầu, không tính video): {verdict} — "
        f"trang bài học điển hình {kb(cold.total_bytes)}, {cold.requests} yêu cầu."
    )
    for load in (cold, warm, *results.sweep):
        for problem in load.errors:
            say(f"  LỖI tải trang ({load.label}): {problem}")


# --- the catalogue with many courses ------------------------------------------------------------------------------

TOPICS = [
    "Dùng điện thoại thông minh an toàn",
    "Định danh điện tử VNeID",
    "Nộp hồ sơ trên Cổng Dịch vụ công",
    "Thanh toán bằng mã QR",
    "Nhận biết lừa đảo trên mạng",
    "Bảo vệ dữ liệu cá nhân",
    "Sổ sức khỏe điện tử",
    "Tìm thông tin tin cậy",
    "Trò chuyện với trợ lý AI",
    "Bán hàng trên sàn thương mại điện tử",
    "Học trực tuyến cho phụ huynh",
    "Chữ ký số cho hộ kinh doanh",
    "Bảng tính cho tổ hợp tác",
    "Họp trực tuyến",
    "Nông nghiệp số cho bà con",
    "Thư điện tử và lịch công việc",
]
GROUP_SETS = [
    ["resident"],
    ["resident", "farmer"],
    ["official"],
    ["youth_union", "student"],
    ["employee"],
    ["teacher", "official"],
    ["leader"],
    ["community_team", "resident"],
]
COMPETENCE_SETS = [
    {"1.1": 1, "4.2": 2},
    {"2.3": 2},
    {"2.1": 1, "2.5": 1},
    {"4.1": 1, "4.2": 1, "1.2": 2},
    {"6.2": 1},
    {"3.1": 2, "5.2": 1},
]
SUMMARY = (
    "Khóa học ngắn, học trên điện thoại, hướng dẫn từng bước {topic_lower}, có ví dụ gần gũi với đời sống ở "
    "xã, phường, phần luyện tập sau mỗi bài và lời khuyên để tự làm được, an toàn, không cần biết tin học "
    "trước; phù hợp cả người lớn tuổi, có thể dừng lúc nào cũng được."
)
LESSON_BODY = (
    "{topic}, bài {n}. Bài học nói ngắn gọn cần chuẩn bị gì, làm từng bước ra sao, và lỗi hay gặp.\n\n"
    "## Các bước\n\n1. Mở ứng dụng.\n2. Làm theo hướng dẫn trên màn hình.\n3. Kiểm tra lại kết quả.\n\n"
    "**Lưu ý:** không cho ai biết mật khẩu hay mã OTP.\n"
)


def course_title(index: int) -> str:
    return f"{TOPICS[index % len(TOPICS)]} (khóa {index + 1:03d})"


def write_course_folders(folder: Path, start: int, stop: int) -> list[str]:
    """Content folders (course.yaml and two lessons) of generated courses start … stop-1; their titles."""
    import yaml

    titles = []
    for index in range(start, stop):
        topic, title = TOPICS[index % len(TOPICS)], course_title(index)
        course_dir = folder / f"do-trang-{index + 1:04d}"
        course_dir.mkdir(parents=True)
        lessons = []
        for number in (1, 2):
            name = f"{number:02d}-bai-{number}.md"
            lessons.append(name)
            (course_dir / name).write_text(
                f'---\ntitle: "{topic}: bài {number}"\nminutes: {5 + 5 * number}\n---\n\n'
                + LESSON_BODY.format(topic=topic, n=number),
                encoding="utf-8",
            )
        meta = {
            "code": course_dir.name,
            "title": title,
            "summary": SUMMARY.format(topic_lower=topic.lower()),
            "target_groups": GROUP_SETS[index % len(GROUP_SETS)],
            "framework": "TT02-2025",
            "competences": COMPETENCE_SETS[index % len(COMPETENCE_SETS)],
            "estimated_minutes": 15 + (index % 6) * 5,
            "lessons": lessons,
        }
        (course_dir / "course.yaml").write_text(
            yaml.safe_dump(meta, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
        titles.append(title)
    return titles


def bare_listing(request):
    """The baseline: the titles of every published course, one `values_list`, a minimal template."""
    from django.db.models import F
    from django.http import HttpResponse
    from django.template import engines

    from kynangso.learning.models import CourseVersion

    titles = list(
        CourseVersion.objects.filter(course__published_version=F("pk"))
        .order_by("title", "id")
        .values_list("title", flat=True)
    )
    template = engines["django"].from_string(
        "<!doctype html><title>Khóa học</title><ul>{% for title in titles %}<li>{{ title }}</li>{% endfor %}</ul>"
    )
    return HttpResponse(template.render({"titles": titles}))


def _catalogue_urlconf():
    """The site's URLs plus the baseline view (an object with `urlpatterns`, usable as ROOT_URLCONF)."""
    from importlib import import_module

    from django.conf import settings
    from django.urls import path

    site = import_module(settings.ROOT_URLCONF) if isinstance(settings.ROOT_URLCONF, str) else settings.ROOT_URLCONF
    urlconf = ModuleType("benchmarks.learning_pages.urls")  # hashable, as Django's resolver cache needs
    urlconf.urlpatterns = [path(BARE_PATH, bare_listing), *site.urlpatterns]
    return urlconf


def run_catalogue(*, courses: int = 500, rounds: int = 15, out=sys.stdout) -> CatalogueResults:
    """Load `courses` generated courses through learning.api.load_courses, then time `/hoc/` against the bare
    listing (Django test client, alternating rounds). Needs a configured database (a benchmark's or pytest's)."""
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from kynangso.accounts import api as accounts
    from kynangso.learning import api as learning
    from kynangso.learning.models import Course

    def say(text: str) -> None:
        print(text, file=out, flush=True)

    results = CatalogueResults(courses=0, generated=courses, rounds=rounds)
    work = Path(tempfile.mkdtemp(prefix="kynangso-learning-courses-"))
    client = Client()
    try:
        with override_settings(ROOT_URLCONF=_catalogue_urlconf()):

            def get(path: str, timing: Timing | None = None) -> str:
                began = time.perf_counter()
                response = client.get(path)
                elapsed = time.perf_counter() - began
                if response.status_code != 200:
                    results.errors.append(f"{path}: HTTP {response.status_code}")
                if timing is not None:
                    timing.seconds.append(elapsed)
                return response.content.decode()

            def count_queries(path: str = CATALOGUE_PATH) -> tuple[int, str]:
                reset_queries()  # with DEBUG on, a full query log (loading courses fills it) would count nothing
                with CaptureQueriesContext(connection) as captured:
                    html = get(path)
                return len(captured.captured_queries), html

            few = min(5, courses)
            began = time.perf_counter()
            titles = write_course_folders(work / "a", 0, few)
            learning.load_courses(work / "a", actor=accounts.SYSTEM)
            get(CATALOGUE_PATH)  # warm-up: templates compiled, translations loaded
            results.few_courses = Course.objects.filter(published_version__isnull=False).count()
            results.queries_few, _html = count_queries()
            if courses > few:
                titles += write_course_folders(work / "b", few, courses)
                learning.load_courses(work / "b", actor=accounts.SYSTEM)
            results.load_seconds = time.perf_counter() - began
            results.courses = Course.objects.filter(published_version__isnull=False).count()
            results.queries, page_html = count_queries()
            results.bare_queries, bare_html = count_queries("/" + BARE_PATH)
            for round_number in range(rounds):  # alternate the order, so both see the same machine load
                pair = [(CATALOGUE_PATH, results.page), ("/" + BARE_PATH, results.bare)]
                for path, timing in pair if round_number % 2 == 0 else pair[::-1]:
                    get(path, timing)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    results.page_html, results.page_bytes, results.bare_bytes = (
        page_html,
        len(page_html.encode()),
        len(bare_html.encode()),
    )
    results.shown = sum(1 for title in titles if f">{title}</a>" in page_html)
    results.bare_shown = sum(1 for title in titles if f"<li>{title}</li>" in bare_html)

    say(
        f"Danh mục khóa học với {results.courses:,} khóa đã xuất bản ({courses:,} khóa sinh thêm, nạp qua "
        f"learning.api.load_courses trong {results.load_seconds:.1f} s); Django test client, {rounds} vòng xen kẽ:"
    )
    say(
        f"  trang {CATALOGUE_PATH} (hiện {min(results.courses, SHOWN_ON_PAGE)} khóa đầu và tổng số, "
        f"{results.page_bytes / KB:.0f} KB HTML): trung vị {results.page.median_ms:.1f} ms, p95 "
        f"{results.page.p95_ms:.1f} ms; {results.queries} truy vấn SQL ({results.queries_few} truy vấn khi có "
        f"{results.few_courses} khóa)"
    )
    say(
        f"  danh sách trần ({results.courses:,} tên, một values_list, mẫu tối giản, {results.bare_bytes / KB:.0f} KB "
        f"HTML): trung vị {results.bare.median_ms:.1f} ms, p95 {results.bare.p95_ms:.1f} ms; "
        f"{results.bare_queries} truy vấn SQL"
    )
    say(
        f"Danh mục hiển thị trong {results.page.median_ms:.1f} ms, bằng {results.ratio:.1f} lần danh sách trần; "
        + (
            "số truy vấn không tăng theo số khóa học."
            if results.queries == results.queries_few
            else f"số truy vấn TĂNG theo số khóa học ({results.queries_few} → {results.queries})."
        )
    )
    for problem in results.errors[:5]:
        say(f"  LỖI: {problem}")
    return results


# --- setup and server ---------------------------------------------------------------------------------------------


def _choose_database(url: str, work: Path, *, keep: bool) -> tuple[str, Callable[[], None], str]:
    """(DATABASE_URL, dropper, engine name): a SQLite file in the work folder, or a fresh PostgreSQL database."""
    if url in ("", "sqlite", "sqlite://"):
        return *use_sqlite(work, "learning-bench.sqlite3"), "SQLite"
    if not is_postgresql(url):
        raise SystemExit("--database-url: sqlite hoặc postgres://…")
    return *use_database(url, BENCH_DATABASE, keep=keep, force_drop=True), "PostgreSQL"


def _catalogue_answers(port: int) -> bool:
    """The server's readiness: the catalogue page loads."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{CATALOGUE_PATH}", timeout=5) as response:
        return response.status == 200


def run(options, *, engine: str, work: Path, out=sys.stdout) -> Results:
    """Everything after Django is set up on the benchmark's own database."""
    from django.core.management import call_command

    from kynangso.learning.models import Course

    def say(text: str) -> None:
        print(text, file=out, flush=True)

    say(f"Máy: {os.cpu_count()} lõi, Python {sys.version.split()[0]}, {engine}, {datetime.date.today():%d/%m/%Y}")
    results = Results()
    began = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load-content", stdout=io.StringIO())
    lesson_paths = prepare_learner()
    shipped = Course.objects.filter(published_version__isnull=False).count()
    say(
        f"Chuẩn bị: nội dung có sẵn ({shipped} khóa học), một người dân ghi danh khóa {BASIC} "
        f"({len(lesson_paths)} bài) ({time.perf_counter() - began:.1f} s)"
    )

    began = time.perf_counter()  # the catalogue's {% static %} needs the manifest too
    call_command("collectstatic", interactive=False, verbosity=0)
    say(
        f"Tệp tĩnh như khi chạy thật (WhiteNoise, tên có mã băm, bản nén gzip/brotli): collectstatic "
        f"{time.perf_counter() - began:.1f} s"
    )

    if not options.no_browser:
        log = work / "gunicorn.log"
        server = GunicornServer(
            settings=SETTINGS_MODULE,
            workers=1,
            threads=4,
            log=log,
            ready=_catalogue_answers,
            options=["--timeout", "120"],
        )
        try:
            server.wait_ready()
            say(
                f"Máy chủ: gunicorn 1 tiến trình × 4 luồng, {server.url}, DEBUG tắt; trình duyệt: {CHROMIUM}, "
                f"360 × 740 px, tỉ lệ điểm ảnh 2, cảm ứng"
            )
            results.lesson = measure_lesson_pages(
                base_url=server.url, lesson_paths=lesson_paths, typical=min(TYPICAL_LESSON, len(lesson_paths))
            )
        except BaseException:
            say(f"Nhật ký gunicorn ({log}):\n{server.tail()}")
            raise
        finally:
            server.stop()
        say(f"Chromium {results.lesson.browser}; 1 KB = 1000 byte")
        report_lessons(results.lesson, say)

    if not options.no_catalogue:
        results.catalogue = run_catalogue(courses=options.courses, rounds=options.rounds, out=out)

    say("KẾT QUẢ: các trang tải được." if results.ok else "KẾT QUẢ: CÓ TRANG KHÔNG TẢI ĐƯỢC.")
    return results


def main(argv: list[str] | None = None) -> Results:
    parser = argparse.ArgumentParser(
        description="Đo trang học: dung lượng và số yêu cầu của một trang bài học trong Chromium, và thời gian hiển "
        "thị danh mục với nhiều khóa học so với một danh sách trần."
    )
    parser.add_argument("--courses", type=int, default=500, help="số khóa học sinh thêm cho danh mục (mặc định 500)")
    parser.add_argument("--rounds", type=int, default=15, help="số vòng đo danh mục (mặc định 15)")
    parser.add_argument(
        "--database-url",
        default="sqlite",
        help=f"sqlite (mặc định: tệp tạm) hoặc máy chủ postgres://… (cơ sở dữ liệu riêng "
        f"{BENCH_DATABASE} được tạo trên đó)",
    )
    parser.add_argument("--keep", action="store_true", help="giữ lại thư mục làm việc (và cơ sở dữ liệu) sau khi chạy")
    parser.add_argument("--no-browser", action="store_true", help="bỏ phần đo trang bài học trong Chromium")
    parser.add_argument("--no-catalogue", action="store_true", help="bỏ phần đo danh mục")
    # `benchmarks/run` passes its arguments to every benchmark; the options of the others are not ours.
    options, unknown = parser.parse_known_args(argv)
    if unknown:
        print(f"(bỏ qua tùy chọn của benchmark khác: {' '.join(unknown)})", flush=True)
    if options.courses < 1 or options.rounds < 1:
        parser.error("--courses và --rounds phải ≥ 1")

    work = Path(tempfile.mkdtemp(prefix="kynangso-learning-bench-"))
    url, drop, engine = _choose_database(options.database_url, work, keep=options.keep)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS_MODULE
    os.environ["KYNANGSO_DEBUG"] = "0"  # as in production: no django-htmx debug script, no SQL kept per request
    # Our own data folder: the SECRET_KEY the server shares, STATIC_ROOT for collectstatic, media, cache.
    os.environ["KYNANGSO_DATA_DIR"] = str(work / "data")
    os.environ.setdefault("KYNANGSO_LOG_LEVEL", "WARNING")
    import django

    django.setup()
    try:
        return run(options, engine=engine, work=work)
    finally:
        drop()
        if options.keep:
            print(f"(giữ lại thư mục làm việc {work})", flush=True)
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(0 if main().ok else 1)
