"""What a taker's browser sitting costs the server, page by page, beside the REST sitting in the same run.

docs/capacity.md sizes exam day from a REST sitting (start, 24 saves, submit) measured in benchmarks/scale_out.py and,
for the pages a browser loads on top (log in, home, standards, start screen, the exam page, review, result), from an
assumption (A2: 60 ms of app CPU per page). This benchmark measures those pages, so the model stands on measurements.

Run from the repository root: `.venv/bin/python -m benchmarks.exam_pages`. It needs PostgreSQL (default: the local
server), where it works in its own database `kynangso_exam_pages_bench`, created and dropped here; one gunicorn
server (gthread, 1 worker × 4 threads: one Python process, so its CPU is one core's) on loopback.

Side by side in one run, on the same server and the same data, one request at a time (so each one's CPU is its own):
- `--takers` browser takers, each with a password and a cookie jar, go through the pages of a sitting as the exam
  page's script does: the login form, the learner's home, «Sát hạch», the start screen, start (POST), the exam page,
  `--answers-per-taker` saves to the page's own save endpoint (form fields read from the exam page, JSON reply),
  review, submit (POST), the result;
- as many REST takers (bearer tokens) make the REST sitting docs/capacity.md starts from: start, the same number of
  saves, submit.
Each step is run for every taker in turn, and the CPU seconds of the gunicorn process tree and of the PostgreSQL
server's (all its backends) are read from /proc before and after it, so each step's cost per request is the
difference over many requests (the kernel counts CPU in 10-ms ticks). The database's figure counts every database
on that server: run it on a quiet machine. Printed: CPU per request and per sitting, the ratio browser / REST per save
and per sitting, and the bytes of each page.
"""

import argparse
import datetime
import http.client
import os
import random
import re
import sys
import tempfile
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

from benchmarks import exam_day
from benchmarks._support import CookieConnection, GunicornServer, is_postgresql, on_own_postgresql, tree_cpu

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/"
BENCH_DATABASE = "kynangso_exam_pages_bench"
PASSWORD = "Thi-thu-trang-2026"
STANDARD = exam_day.STANDARD_CODE
LOGIN = "/dang-nhap/"


# --- a browser without a browser ----------------------------------------------------------------------------------


class Browser(CookieConnection):
    """A taker's browser: one persistent HTTP/1.1 connection, cookies kept, redirects returned (not followed)."""

    def __init__(self, port: int):
        super().__init__(http.client.HTTPConnection("127.0.0.1", port, timeout=120))

    def request(self, method: str, path: str, form: list[tuple[str, str]] | None = None, accept: str = "text/html"):
        """(status, the redirect's Location or "", body); a form is posted with the CSRF token the page's script
        would send."""
        headers = {"Accept": accept}
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        status, answered, data = self.send(method, path, headers, body)
        return status, answered.get("location", ""), data


def csrf_token(page: bytes) -> str:
    found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if found is None:
        raise RuntimeError("trang không có mã CSRF")
    return found.group(1).decode()


class AnswerForms(HTMLParser):
    """The answer forms of the exam page: for each position, its inputs and selects as the page shows them."""

    def __init__(self):
        super().__init__()
        self.forms: dict[int, dict] = {}
        self._form: dict | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form" and "answer-form" in (attributes.get("class") or ""):
            self._form = {"radio": {}, "checkbox": {}, "select": {}, "text": []}
            self.forms[int(attributes["data-position"])] = self._form
        elif self._form is None:
            return
        elif tag == "input" and attributes.get("type") in ("radio", "checkbox"):
            self._form[attributes["type"]].setdefault(attributes["name"], []).append(attributes["value"])
        elif tag == "input" and attributes.get("type") == "text":
            self._form["text"].append(attributes["name"])
        elif tag == "select":
            self._select = attributes["name"]
            self._form["select"][self._select] = []
        elif tag == "option" and self._select and attributes.get("value"):
            self._form["select"][self._select].append(attributes["value"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def answer_fields(form: dict, rng: random.Random) -> list[tuple[str, str]]:
    """A complete answer in the fields the page's form would post (the choice of a taker who guesses)."""
    fields = [(name, rng.choice(values)) for name, values in form["radio"].items()]
    for name, values in form["checkbox"].items():
        fields += [(name, value) for value in rng.sample(values, rng.randint(1, len(values)))]
    selects = form["select"]
    if selects and all(name.startswith("pos_") for name in selects):
        order = list(range(1, len(selects) + 1))
        rng.shuffle(order)
        fields += [(name, str(place)) for name, place in zip(selects, order)]
    else:
        fields += [(name, rng.choice(values)) for name, values in selects.items()]
    for name in form["text"]:
        fields.append((name, f"{rng.randrange(100)},{rng.randrange(10)}" if name == "number" else "mã OTP"))
    return fields


# --- measuring ----------------------------------------------------------------------------------------------------


@dataclass
class Step:
    label: str
    requests: int = 0
    app_seconds: float = 0.0
    database_seconds: float = 0.0
    wall_seconds: float = 0.0
    bytes: int = 0
    errors: list[str] = field(default_factory=list)

    def app_ms(self) -> float:
        return self.app_seconds / self.requests * 1000 if self.requests else 0.0

    def database_ms(self) -> float:
        return self.database_seconds / self.requests * 1000 if self.requests else 0.0


@dataclass
class Results:
    takers: int
    answers_per_taker: int
    browser: list[Step] = field(default_factory=list)
    rest: list[Step] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(len(step.errors) for step in self.browser + self.rest)

    def per_sitting(self, steps: list[Step], attribute: str) -> float:
        """CPU ms of one sitting: the sum over its steps of a step's total CPU divided by the takers."""
        return sum(getattr(step, attribute) for step in steps) / self.takers * 1000

    @property
    def ok(self) -> bool:
        return self.errors == 0 and bool(self.browser) and bool(self.rest)


class Meter:
    """CPU seconds of the server's tree and of PostgreSQL's, read before and after each step."""

    def __init__(self, server_pid: int, database_pid: int | None):
        self.server_pid = server_pid
        self.database_pid = database_pid

    def read(self) -> tuple[float, float, float]:
        database = tree_cpu(self.database_pid) if self.database_pid else 0.0
        return tree_cpu(self.server_pid), database, time.perf_counter()

    def step(self, label: str, clients: list, body) -> Step:
        """Run `body(index, client) -> (ok, bytes, error)` for every client in turn, as one measured step."""
        step = Step(label)
        app, database, began = self.read()
        for index, client in enumerate(clients):
            count, size, error = body(index, client)
            step.requests += count
            step.bytes += size
            if error:
                step.errors.append(error)
        app_after, database_after, ended = self.read()
        step.app_seconds, step.database_seconds = app_after - app, database_after - database
        step.wall_seconds = ended - began
        return step


def postgresql_pid(url: str) -> int | None:
    """The postmaster of the server `url` names (its backends are its children), from the server itself."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        backend = connection.execute("SELECT pg_backend_pid()").fetchone()[0]
    try:
        with open(f"/proc/{backend}/stat") as handle:
            return int(handle.read().rpartition(")")[2].split()[1])
    except OSError:
        return None  # the server runs elsewhere: its CPU cannot be read here


# --- the sittings -------------------------------------------------------------------------------------------------


def browser_sittings(meter: Meter, port: int, count: int, answers_each: int, seed: int) -> list[Step]:
    browsers = [Browser(port) for _index in range(count)]
    state: list[dict] = [{} for _index in range(count)]
    steps = []

    def expect(status, wanted, label, index):
        return None if status in wanted else f"{label} của thí sinh {index}: HTTP {status}"

    def login_page(index, browser):
        status, _location, page = browser.request("GET", LOGIN)
        state[index]["csrf"] = csrf_token(page) if status == 200 else ""
        return 1, len(page), expect(status, {200}, "trang đăng nhập", index)

    def login(index, browser):
        form = [
            ("csrfmiddlewaretoken", state[index]["csrf"]),
            ("username", f"thisinh{index:06d}"),
            ("password", PASSWORD),
        ]
        status, location, page = browser.request("POST", LOGIN, form)
        return (
            1,
            len(page),
            expect(status, {302}, "đăng nhập", index)
            or (None if "trang-cua-toi" in location else f"đăng nhập {index} chuyển tới {location!r}"),
        )

    def get(path_of, label):
        def body(index, browser):
            status, _location, page = browser.request("GET", path_of(index))
            if label == "trang làm bài" and status == 200:
                parser = AnswerForms()
                parser.feed(page.decode())
                state[index]["forms"] = parser.forms
                state[index]["csrf"] = csrf_token(page)
            return 1, len(page), expect(status, {200}, label, index)

        return body

    start_path = f"/sat-hach/chuan/{STANDARD}/bat-dau/"

    def start(index, browser):
        status, location, page = browser.request(
            "POST", start_path, [("csrfmiddlewaretoken", browser.cookies["csrftoken"])]
        )
        found = re.search(r"/sat-hach/bai-thi/(\d+)/$", location)
        if status != 302 or found is None:
            return 1, len(page), f"bắt đầu của thí sinh {index}: HTTP {status} → {location!r}"
        state[index]["attempt"] = int(found.group(1))
        return 1, len(page), None

    def saves(index, browser):
        rng = random.Random(seed * 100_003 + index)
        forms = state[index].get("forms") or {}
        if not forms:
            return 0, 0, f"trang làm bài của thí sinh {index} không có câu nào"
        attempt, size, errors = state[index]["attempt"], 0, []
        for rev, position in enumerate(exam_day.save_plan(sorted(forms), answers_each), start=1):
            fields = [("csrfmiddlewaretoken", state[index]["csrf"]), *answer_fields(forms[position], rng)]
            fields += [("given_at", str(int(time.time() * 1000))), ("rev", str(rev))]
            status, _location, reply = browser.request(
                "POST", f"/sat-hach/bai-thi/{attempt}/cau/{position}/", fields, accept="application/json"
            )
            size += len(reply)
            if status != 200 or b'"saved"' not in reply:
                errors.append(f"lưu câu {position}: HTTP {status} {reply[:120]!r}")
        return answers_each, size, "; ".join(errors[:3]) or None

    def submit(index, browser):
        attempt = state[index]["attempt"]
        status, location, page = browser.request(
            "POST", f"/sat-hach/bai-thi/{attempt}/nop-bai/", [("csrfmiddlewaretoken", state[index]["csrf"])]
        )
        return (
            1,
            len(page),
            expect(status, {302}, "nộp bài", index)
            or (None if location.endswith("/ket-qua/") else f"nộp bài {index} chuyển tới {location!r}"),
        )

    try:
        plan = [
            ("trang đăng nhập", login_page),
            ("đăng nhập (mật khẩu, Argon2)", login),
            ("trang của tôi", get(lambda i: "/trang-cua-toi/", "trang của tôi")),
            ("sát hạch (chuẩn của tôi)", get(lambda i: "/sat-hach/", "sát hạch")),
            ("màn hình bắt đầu", get(lambda i: start_path, "màn hình bắt đầu")),
            ("bắt đầu (POST)", start),
            ("trang làm bài", get(lambda i: f"/sat-hach/bai-thi/{state[i]['attempt']}/", "trang làm bài")),
            ("lưu câu trả lời (trang làm bài, JSON)", saves),
            ("xem lại", get(lambda i: f"/sat-hach/bai-thi/{state[i]['attempt']}/xem-lai/", "xem lại")),
            ("nộp bài (POST)", submit),
            ("kết quả", get(lambda i: f"/sat-hach/bai-thi/{state[i]['attempt']}/ket-qua/", "kết quả")),
        ]
        for label, body in plan:
            steps.append(meter.step(label, browsers, body))
            if steps[-1].errors:
                break  # the next steps need this one's answers
    finally:
        for browser in browsers:
            browser.close()
    return steps


def rest_sittings(meter: Meter, port: int, tokens: list[str], answers_each: int, seed: int) -> list[Step]:
    api = exam_day.API
    clients = [exam_day.Client(port, token) for token in tokens]
    attempts: list[dict] = [{} for _token in tokens]

    def start(index, client):
        status, attempt = client.request("POST", f"{api}/attempts", {"standard_code": STANDARD})
        attempts[index] = attempt if status == 201 else {}
        return 1, 0, None if status == 201 else f"POST /attempts: HTTP {status} {attempt}"

    def saves(index, client):
        rng = random.Random(seed * 100_003 + index)
        items = {item["position"]: item for item in attempts[index].get("items", [])}
        errors, previous = [], {}
        for position in exam_day.save_plan(sorted(items), answers_each):
            answer = exam_day.build_answer(items[position], rng, previous.get(position))
            status, data = client.request(
                "PUT", f"{api}/attempts/{attempts[index]['id']}/answers/{position}", {"answer": answer}
            )
            previous[position] = answer
            if status != 200:
                errors.append(f"PUT câu {position}: HTTP {status} {data}")
        return answers_each, 0, "; ".join(errors[:3]) or None

    def submit(index, client):
        status, data = client.request("POST", f"{api}/attempts/{attempts[index]['id']}/submit")
        return 1, 0, None if status == 200 else f"nộp bài: HTTP {status} {data}"

    steps = []
    try:
        for label, body in (("REST: bắt đầu", start), ("REST: lưu câu trả lời", saves), ("REST: nộp bài", submit)):
            steps.append(meter.step(label, clients, body))
            if steps[-1].errors:
                break
    finally:
        for client in clients:
            client.close()
    return steps


# --- the run ------------------------------------------------------------------------------------------------------


def prepare(count: int) -> list[str]:
    """exam_day's takers (2 × `count`): the first `count` get a password (the browser takers), the others keep
    only their bearer token (the REST takers). Returns the REST takers' tokens."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    tokens = exam_day.prepare(2 * count)
    User = get_user_model()
    hashed = make_password(PASSWORD)  # one hash for all: setting up must not take minutes of Argon2
    User.objects.filter(username__in=[f"thisinh{index:06d}" for index in range(count)]).update(password=hashed)
    return tokens[count:]


def _ready(port: int) -> bool:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", "/healthz")
        return connection.getresponse().status == 200
    finally:
        connection.close()


def report(results: Results, say) -> None:
    say(f"  {'bước':<42} {'yêu cầu':>8} {'app ms/yc':>10} {'CSDL ms/yc':>11} {'KB/yc':>7}")
    for step in results.browser + results.rest:
        say(
            f"  {step.label:<42} {step.requests:8,} {step.app_ms():10.1f} {step.database_ms():11.1f} "
            f"{step.bytes / step.requests / 1024 if step.requests else 0:7.1f}"
            + (f"  LỖI {len(step.errors)}: {step.errors[0]}" if step.errors else "")
        )
    if not results.ok:
        return
    browser_app = results.per_sitting(results.browser, "app_seconds")
    rest_app = results.per_sitting(results.rest, "app_seconds")
    browser_db = results.per_sitting(results.browser, "database_seconds")
    rest_db = results.per_sitting(results.rest, "database_seconds")
    pages = [s for s in results.browser if not s.label.startswith(("lưu", "đăng nhập"))]
    page_ms = sum(s.app_seconds for s in pages) / sum(s.requests for s in pages) * 1000
    save_browser = next(s for s in results.browser if s.label.startswith("lưu"))
    save_rest = next(s for s in results.rest if "lưu" in s.label)
    login = next(s for s in results.browser if s.label.startswith("đăng nhập"))
    say(
        f"Một lượt thi trên trình duyệt: app {browser_app:,.0f} ms CPU, CSDL {browser_db:,.0f} ms; "
        f"qua REST: app {rest_app:,.0f} ms, CSDL {rest_db:,.0f} ms; tỉ lệ trình duyệt / REST: app "
        f"{browser_app / rest_app:.2f}, CSDL {browser_db / rest_db if rest_db else float('nan'):.2f}."
    )
    say(
        f"Lưu một câu: trang làm bài {save_browser.app_ms():.1f} ms, REST {save_rest.app_ms():.1f} ms "
        f"(tỉ lệ {save_browser.app_ms() / save_rest.app_ms():.2f}); đăng nhập bằng mật khẩu {login.app_ms():.0f} ms; "
        f"trung bình một trang (không kể lưu và đăng nhập) {page_ms:.1f} ms (docs/capacity.md giả định A2: 60 ms)."
    )


def run(options, database_url: str, out=sys.stdout) -> Results:
    def say(text: str) -> None:
        print(text, file=out, flush=True)

    results = Results(takers=options.takers, answers_per_taker=options.answers_per_taker)
    say(f"Máy: {os.cpu_count()} lõi, Python {sys.version.split()[0]}, {datetime.date.today():%d/%m/%Y}")
    began = time.perf_counter()
    tokens = prepare(options.takers)
    say(
        f"Chuẩn bị: {options.takers:,} thí sinh dùng trình duyệt và {options.takers:,} dùng REST, chuẩn {STANDARD} "
        f"({time.perf_counter() - began:.1f} s)"
    )
    log = Path(tempfile.mkdtemp(prefix="kynangso-exam-pages-")) / "gunicorn.log"
    server = GunicornServer(
        settings="kynangso.settings",
        workers=1,
        threads=4,
        log=log,
        ready=_ready,
        options=["--timeout", "300", "--keep-alive", "600"],  # each taker keeps its connection between steps
    )
    try:
        server.wait_ready()
        meter = Meter(server.process.pid, postgresql_pid(database_url))
        say(
            f"Máy chủ: gunicorn gthread 1 tiến trình × 4 luồng, 127.0.0.1:{server.port}; từng yêu cầu một; "
            f"CPU CSDL {'đọc được' if meter.database_pid else 'không đọc được (máy khác)'}"
        )
        # Warm the worker (imports, templates, first queries) on one taker of each kind, not measured; they sit
        # again in the measured run (the benchmark's standard allows many attempts, no wait).
        unmeasured = Meter(server.process.pid, None)
        warm = browser_sittings(unmeasured, server.port, 1, 2, options.seed + 7)
        warm += rest_sittings(unmeasured, server.port, tokens[:1], 2, options.seed + 7)
        if any(step.errors for step in warm):
            raise RuntimeError(f"lượt làm nóng lỗi: {[step.errors for step in warm if step.errors]}")
        results.browser = browser_sittings(meter, server.port, options.takers, options.answers_per_taker, options.seed)
        results.rest = rest_sittings(meter, server.port, tokens, options.answers_per_taker, options.seed)
    except BaseException:
        say(f"Nhật ký gunicorn ({log}):\n{server.tail()}")
        raise
    finally:
        server.stop()
    report(results, say)
    say("KẾT QUẢ: ĐẠT (mọi yêu cầu được trả lời đúng)." if results.ok else "KẾT QUẢ: KHÔNG ĐẠT.")
    return results


def main(argv: list[str] | None = None) -> Results:
    parser = argparse.ArgumentParser(
        description="Đo CPU của các trang một lượt thi trên trình duyệt, cạnh lượt thi qua REST, trên gunicorn và "
        "PostgreSQL."
    )
    parser.add_argument("--takers", type=int, default=40, help="số thí sinh mỗi loại (mặc định 40)")
    parser.add_argument(
        "--answers-per-taker", type=int, default=24, help="số lần lưu câu trả lời của mỗi thí sinh (mặc định 24)"
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL,
        help=f"máy chủ PostgreSQL (cơ sở dữ liệu riêng {BENCH_DATABASE} được tạo trên đó)",
    )
    parser.add_argument(
        "--database-name", default=BENCH_DATABASE, help=f"tên cơ sở dữ liệu đo (mặc định {BENCH_DATABASE})"
    )
    parser.add_argument("--keep-database", action="store_true", help="giữ lại cơ sở dữ liệu đo sau khi chạy")
    parser.add_argument("--seed", type=int, default=146, help="hạt giống ngẫu nhiên của câu trả lời")
    options, unknown = parser.parse_known_args(argv)  # `benchmarks/run` passes every benchmark's options
    if unknown:
        print(f"(bỏ qua tùy chọn của benchmark khác: {' '.join(unknown)})", flush=True)
    if options.takers < 1 or options.answers_per_taker < 1:
        parser.error("--takers và --answers-per-taker phải ≥ 1")
    if not options.database_name.isidentifier():
        parser.error("--database-name chỉ gồm chữ, số và dấu gạch dưới")
    if not is_postgresql(options.database_url):
        raise SystemExit("Cần PostgreSQL: --database-url postgres://…")
    return on_own_postgresql(
        server_url=options.database_url,
        name=options.database_name,
        keep=options.keep_database,
        data_prefix="kynangso-exam-pages-data-",
        body=lambda url: run(options, url),
    )


if __name__ == "__main__":
    sys.exit(0 if main().ok else 1)
