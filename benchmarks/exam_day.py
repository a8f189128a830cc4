"""Exam-day load test: many takers start, answer and submit at once, through the REST API of a real gunicorn server.

Run from the repository root: `.venv/bin/python -m benchmarks.exam_day` (or `benchmarks/run`). It needs PostgreSQL
(default: the local server, postgres://postgres@127.0.0.1:5432/), where it works in its own database
`kynangso_exam_bench`, created and dropped here.

Side by side in one run, under the same server and the same number of concurrent clients:
- the floor: `PUT /bench/floor/`, a bare Django view (benchmarks/_floor_app.py) that authenticates the same bearer
  token the same way as the API (`accounts.api.user_for_api_token`: one query) and inserts one row with one raw SQL
  statement, measured before and after the exam; it passes the same middleware as the API but not django-ninja;
- what a save costs on top: django-ninja routing and schema validation, checking the answer against the item, and
  one conditional `UPDATE … RETURNING` (plus one read of the attempt's items the first time a worker sees it);
- the exam: every taker (one thread, one persistent HTTP connection) reads its standards and starts an attempt of
  CHUAN-NGUOI-DAN; then all save their answers at once (`PUT /api/v1/assessment/attempts/{id}/answers/{position}`,
  every fourth save changes an earlier answer); then all submit.
Answer saves per second are compared with floor writes per second. Afterwards the database is checked against what
the clients sent: each item holds the last answer sent for it, and its `revision` is the number of saves sent.
"""

import argparse
import datetime
import http.client
import io
import json
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks._support import GunicornServer, is_postgresql, on_own_postgresql

# Django is imported inside the functions: `main` must choose the database before Django reads its settings.
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/"
BENCH_DATABASE = "kynangso_exam_bench"
STANDARD_CODE = "CHUAN-NGUOI-DAN"
FLOOR_PATH = "/bench/floor/"
API = "/api/v1/assessment"
REVISIT_EVERY = 4  # every fourth save changes the answer of an item already answered


# --- measurements -------------------------------------------------------------------------------------------------


@dataclass
class Phase:
    label: str
    requests: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def quantile(self, q: int) -> float:
        """The q-th percentile of the latencies, in milliseconds."""
        if not self.latencies:
            return 0.0
        if len(self.latencies) == 1:
            return self.latencies[0] * 1000
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[q - 1] * 1000


@dataclass
class Check:
    items: int = 0  # attempt items (slots) of the takers' attempts
    answers_sent: int = 0  # saves acknowledged by the server (HTTP 200)
    answers_stored: int = 0  # sum of the stored revisions
    lost: int = 0  # saves sent but not counted in `revision`, or a stored answer other than the last one sent
    duplicated: int = 0  # revisions beyond the saves sent
    wrong_answer: int = 0  # items whose stored answer is not the last one sent
    revision_echo_mismatch: int = 0  # responses whose `revision` was not the client's count
    attempts: int = 0
    attempts_submitted: int = 0
    floor_sent: int = 0
    floor_stored: int = 0

    @property
    def ok(self) -> bool:
        return (
            self.lost == 0
            and self.duplicated == 0
            and self.wrong_answer == 0
            and self.revision_echo_mismatch == 0
            and self.attempts_submitted == self.attempts
            and self.floor_stored == self.floor_sent
        )


@dataclass
class Results:
    takers: int
    answers_per_taker: int
    workers: int
    threads: int
    phases: dict[str, Phase] = field(default_factory=dict)
    check: Check = field(default_factory=Check)

    @property
    def floor_per_second(self) -> float:
        floors = [self.phases[key].per_second for key in ("floor_before", "floor_after") if key in self.phases]
        return statistics.fmean(floors) if floors else 0.0

    @property
    def ratio(self) -> float:
        return self.phases["save"].per_second / self.floor_per_second if self.floor_per_second else 0.0

    @property
    def errors(self) -> int:
        return sum(len(phase.errors) for phase in self.phases.values())

    @property
    def ok(self) -> bool:
        return self.check.ok and self.errors == 0


# --- HTTP client --------------------------------------------------------------------------------------------------


class Client:
    """One simulated taker's browser: one persistent HTTP/1.1 connection, a bearer token, timed requests."""

    def __init__(self, port: int, token: str = "", timeout: float = 120):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        self.headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"

    def request(self, method: str, path: str, body=None, phase: Phase | None = None) -> tuple[int, dict]:
        payload = json.dumps(body).encode() if body is not None else None
        start = time.perf_counter()
        self.connection.request(method, path, body=payload, headers=self.headers)
        response = self.connection.getresponse()
        raw = response.read()
        elapsed = time.perf_counter() - start
        if phase is not None:
            phase.latencies.append(elapsed)  # list.append is atomic under the GIL
        try:
            data = json.loads(raw) if raw else {}
        except ValueError:
            data = {"detail": raw[:200].decode(errors="replace")}
        return response.status, data

    def close(self) -> None:
        self.connection.close()


def build_answer(item: dict, rng: random.Random, previous: dict | None = None) -> dict:
    """An answer built only from what the API shows of the item, already in the form the server stores
    (chosen options in the order shown, every left side paired); a change of `previous` when possible."""
    for _attempt in range(8):
        answer = _random_answer(item, rng)
        if answer != previous:
            return answer
    return answer


def _random_answer(item: dict, rng: random.Random) -> dict:
    kind = item["type"]
    if kind in ("single_choice", "true_false"):
        return {"choice": rng.choice(item["options"])["id"]}
    if kind == "multiple_response":
        ids = [option["id"] for option in item["options"]]
        chosen = set(rng.sample(ids, rng.randint(1, len(ids))))
        return {"choices": [i for i in ids if i in chosen]}
    if kind == "ordering":
        order = [step["id"] for step in item["steps"]]
        rng.shuffle(order)
        return {"order": order}
    if kind == "matching":
        rights = [right["id"] for right in item["rights"]]
        rng.shuffle(rights)
        return {"pairs": {left["id"]: right for left, right in zip(item["lefts"], rights)}}
    if kind == "short_text":
        return {
            "text": rng.choice(["mật khẩu", "VNeID", "dịch vụ công", "mã OTP", "không biết"])
            + f" {rng.randrange(1000)}"
        }
    if kind == "numeric":
        return {"number": f"{rng.randrange(100)},{rng.randrange(10)}"}
    raise ValueError(f"unknown item type {kind!r}")


def save_plan(positions: list[int], count: int) -> list[int]:
    """The positions of `count` saves: items in order, every REVISIT_EVERY-th save an item answered before."""
    plan, fresh = [], list(positions)
    for index in range(count):
        if (index % REVISIT_EVERY == REVISIT_EVERY - 1 or not fresh) and plan:
            plan.append(plan[(index * 7) % len(plan)])
        else:
            plan.append(fresh.pop(0))
    return plan


def _run_clients(count: int, body, *, timeout: float = 600, on_start=None, on_end=None) -> dict[str, float]:
    """Run `body(index, start_barrier, end_barrier)` in `count` threads. Every thread waits at the start barrier
    after its warm-up and at the end barrier after its measured requests; returns when (seconds after the threads
    were started) all passed the start barrier, the end barrier, and finished. A failing thread breaks the
    barriers, so the others do not wait for it. `on_start` and `on_end` (no arguments) run once as the measured
    part begins and ends, before any thread is released (benchmarks.scale_out reads CPU counters there)."""
    marks = {}

    def begin() -> None:
        if on_start is not None:
            on_start()
        marks.setdefault("start", time.perf_counter())  # the measured time starts after the hook

    def finish() -> None:
        marks.setdefault("end", time.perf_counter())  # and ends before it
        if on_end is not None:
            on_end()

    start = threading.Barrier(count, action=begin, timeout=timeout)
    end = threading.Barrier(count, action=finish, timeout=timeout)
    failures = []

    def run(index: int) -> None:
        try:
            body(index, start, end)
        except BaseException as exc:  # noqa: BLE001 — reported below; the barriers must not hang
            failures.append(f"{type(exc).__name__}: {exc}")
            start.abort()
            end.abort()

    began = time.perf_counter()
    threads = [threading.Thread(target=run, args=(index,), daemon=True) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    marks["finish"] = time.perf_counter()
    if failures:
        raise RuntimeError(f"{len(failures)} luồng khách lỗi, ví dụ: {failures[0]}")
    return {name: moment - began for name, moment in marks.items()}


# --- phases -------------------------------------------------------------------------------------------------------


def floor_phase(
    results: Results, key: str, label: str, *, port: int, tokens: list[str], requests_each: int, seed: int
) -> Phase:
    """Same clients, same number of requests as the answer saves, a similar body: one row inserted per request."""
    phase = results.phases[key] = Phase(label)
    sent = [0] * len(tokens)

    def body(index, start, end):
        rng = random.Random(seed * 100_003 + index)
        client = Client(port, tokens[index])
        try:
            status, _data = client.request("PUT", FLOOR_PATH, {"answer": {"choice": "warm-up"}})  # not measured
            if status != 200:
                raise RuntimeError(f"sàn trả {status}")
            sent[index] += 1
            start.wait()
            for number in range(requests_each):
                status, data = client.request(
                    "PUT", FLOOR_PATH, {"answer": {"choice": f"o{rng.randrange(5)}", "n": number}}, phase
                )
                if status == 200:
                    sent[index] += 1
                else:
                    phase.errors.append(f"{status} {data}")
            end.wait()
        finally:
            client.close()

    marks = _run_clients(len(tokens), body)
    phase.seconds = marks["end"] - marks["start"]
    phase.requests = len(tokens) * requests_each
    results.check.floor_sent += sum(sent)
    return phase


@dataclass
class TakerLog:
    attempt_id: int = 0
    sent: dict[int, list[dict]] = field(default_factory=dict)  # position → answers acknowledged, in order
    echo_mismatch: int = 0
    submitted: bool = False


def exam_phase(
    results: Results,
    *,
    port: int,
    tokens: list[str],
    answers_each: int,
    seed: int,
    client_factory=None,
    on_start=None,
    on_end=None,
) -> list[TakerLog]:
    """Start (measured apart), save answers (the measured load, all takers at once), then submit (measured apart).
    `client_factory(token)` makes a taker's client (default: plain HTTP to 127.0.0.1:`port`); `on_start`/`on_end`
    run as the saves begin and end (see `_run_clients`)."""
    start_phase = results.phases["start"] = Phase("bắt đầu lượt thi (POST /attempts)")
    save = results.phases["save"] = Phase("lưu câu trả lời (PUT …/answers/{vị trí})")
    submit = results.phases["submit"] = Phase("nộp bài (POST …/submit)")
    logs = [TakerLog() for _token in tokens]

    def body(index, start, end):
        rng = random.Random(seed * 100_003 + index)
        log = logs[index]
        client = client_factory(tokens[index]) if client_factory else Client(port, tokens[index])
        try:
            status, data = client.request("GET", f"{API}/standards")
            if status != 200 or STANDARD_CODE not in {s["code"] for s in data}:
                raise RuntimeError(f"GET /standards trả {status}: {data}")
            status, attempt = client.request("POST", f"{API}/attempts", {"standard_code": STANDARD_CODE}, start_phase)
            if status != 201:
                raise RuntimeError(f"POST /attempts trả {status}: {attempt}")
            log.attempt_id = attempt["id"]
            items = {item["position"]: item for item in attempt["items"]}
            plan = save_plan(sorted(items), answers_each)
            start.wait()
            for position in plan:
                history = log.sent.setdefault(position, [])
                answer = build_answer(items[position], rng, history[-1] if history else None)
                status, data = client.request(
                    "PUT", f"{API}/attempts/{log.attempt_id}/answers/{position}", {"answer": answer}, save
                )
                if status != 200:
                    save.errors.append(f"{status} {data}")
                    continue
                history.append(answer)
                if data.get("revision") != len(history):
                    log.echo_mismatch += 1
            end.wait()
            status, data = client.request("POST", f"{API}/attempts/{log.attempt_id}/submit", None, submit)
            if status == 200:
                log.submitted = True
            else:
                submit.errors.append(f"{status} {data}")
        finally:
            client.close()

    marks = _run_clients(len(tokens), body, on_start=on_start, on_end=on_end)
    save.seconds = marks["end"] - marks["start"]
    save.requests = len(tokens) * answers_each
    start_phase.seconds = marks["start"]  # from the first connection until every taker holds an attempt
    submit.seconds = marks["finish"] - marks["end"]
    start_phase.requests, submit.requests = len(start_phase.latencies), len(submit.latencies)
    return logs


def verify(results: Results, logs: list[TakerLog]) -> Check:
    """Compare what the clients sent with the database: the last answer and the number of saves, item by item."""
    from django.db import connection

    from benchmarks._floor_app import TABLE
    from kynangso.assessment.models import Attempt, AttemptItem, AttemptStatus
    from kynangso.assessment.presentation import to_taker

    check = results.check
    attempt_ids = [log.attempt_id for log in logs if log.attempt_id]
    check.attempts = len(logs)
    check.attempts_submitted = Attempt.objects.filter(pk__in=attempt_ids, status=AttemptStatus.SUBMITTED).count()
    # Answers are stored in the item's own ids; the taker sent the attempt's aliases (per-attempt option ids), so the
    # stored answer is compared as the taker would see it again.
    stored = {
        (attempt_id, position): (to_taker(kind, presentation, answer), revision)
        for attempt_id, position, answer, revision, presentation, kind in AttemptItem.objects.filter(
            attempt_id__in=attempt_ids
        ).values_list("attempt_id", "position", "answer", "revision", "presentation", "item_version__type")
    }
    check.items = len(stored)
    for log in logs:
        check.revision_echo_mismatch += log.echo_mismatch
        for position, history in log.sent.items():
            check.answers_sent += len(history)
            answer, revision = stored.pop((log.attempt_id, position), (None, 0))
            check.answers_stored += revision
            check.lost += max(0, len(history) - revision)
            check.duplicated += max(0, revision - len(history))
            if history and answer != history[-1]:
                check.wrong_answer += 1
    for answer, revision in stored.values():  # items never answered must hold nothing
        check.answers_stored += revision
        check.duplicated += revision
        if answer is not None:
            check.wrong_answer += 1
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {TABLE}")
        check.floor_stored = cursor.fetchone()[0]
    return check


# --- setup --------------------------------------------------------------------------------------------------------


def prepare(count: int) -> list[str]:
    """Content, a commune, `count` learners (account, person in group resident, role, bearer token); their tokens.
    Accounts get no usable password (nobody logs in by password here), so no password hashing slows the setup."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, transaction

    from benchmarks._floor_app import CREATE_TABLE
    from kynangso.accounts.api import issue_api_token
    from kynangso.accounts.models import Role, RoleAssignment
    from kynangso.assessment.models import Standard
    from kynangso.orgs import api as orgs
    from kynangso.people.identity import century_sex_digit, encrypt_national_id, national_id_digest
    from kynangso.people.models import Person, TargetGroupMembership
    from kynangso.text import search_key

    call_command("migrate", verbosity=0)
    call_command("load-content", stdout=io.StringIO())
    updated = Standard.objects.filter(code=STANDARD_CODE).update(max_attempts_per_year=1000, wait_hours=0)
    if not updated:
        raise RuntimeError(f"load-content không tạo chuẩn {STANDARD_CODE}")
    with connection.cursor() as cursor:
        cursor.execute(CREATE_TABLE)

    User = get_user_model()
    rng = random.Random(2025)
    with transaction.atomic():
        province = orgs.create_unit(code="E00", name="Tỉnh Thi thử", kind=orgs.UnitKind.PROVINCE)
        commune = orgs.create_unit(code="EX001", name="Xã Thi Thử", kind=orgs.UnitKind.COMMUNE, parent=province)
        users = []
        for index in range(count):
            user = User(username=f"thisinh{index:06d}")
            user.set_unusable_password()
            users.append(user)
        users = User.objects.bulk_create(users, batch_size=1000)
        people = []
        for index, user in enumerate(users):
            sex = "male" if index % 2 else "female"
            birth = datetime.date(1950, 1, 1) + datetime.timedelta(days=rng.randrange(365 * 55))
            number = f"001{century_sex_digit(birth.year, sex)}{birth.year % 100:02d}{index:06d}"
            name = f"Người Thi Thử {index}"
            people.append(
                Person(
                    full_name=name,
                    search_name=search_key(name),
                    birth_date=birth,
                    sex=sex,
                    national_id_ciphertext=encrypt_national_id(number),
                    national_id_digest=national_id_digest(number),
                    national_id_last_digits=number[-3:],
                    residence_unit=commune,
                    user=user,
                )
            )
        people = Person.objects.bulk_create(people, batch_size=1000)
        TargetGroupMembership.objects.bulk_create(
            [
                TargetGroupMembership(person=person, group="resident", valid_from=datetime.date(2024, 1, 1))
                for person in people
            ],
            batch_size=1000,
        )
        RoleAssignment.objects.bulk_create(
            [RoleAssignment(user=user, role=Role.LEARNER, unit=commune) for user in users], batch_size=1000
        )
        tokens = [issue_api_token(user=user, name="exam-day benchmark")[1] for user in users]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return tokens


def _floor_refuses_get(port: int) -> bool:
    """The server's readiness: the floor answers a GET with 405 (it takes only PUT)."""
    client = Client(port, timeout=5)
    status, _data = client.request("GET", FLOOR_PATH)
    client.close()
    return status == 405


# --- the run ------------------------------------------------------------------------------------------------------


def run(options, out=sys.stdout) -> Results:
    """Everything after Django is set up on the fresh benchmark database."""

    def say(text: str) -> None:
        print(text, file=out, flush=True)

    def report(phase: Phase, unit: str) -> None:
        say(
            f"  {phase.label:<46} {phase.requests:7,} yêu cầu {phase.seconds:7.2f} s {phase.per_second:8,.0f} {unit}"
            f"  p50 {phase.quantile(50):6.1f} ms  p95 {phase.quantile(95):6.1f} ms"
            + (f"  LỖI {len(phase.errors)}" if phase.errors else "")
        )

    results = Results(
        takers=options.takers,
        answers_per_taker=options.answers_per_taker,
        workers=options.workers,
        threads=options.threads,
    )
    say(f"Máy: {os.cpu_count()} lõi, Python {sys.version.split()[0]}, {datetime.date.today():%d/%m/%Y}")
    began = time.perf_counter()
    tokens = prepare(options.takers)
    say(
        f"Chuẩn bị: {options.takers:,} người học nhóm người dân, chuẩn {STANDARD_CODE} "
        f"({time.perf_counter() - began:.1f} s)"
    )
    log = Path(tempfile.mkdtemp(prefix="kynangso-exam-bench-")) / "gunicorn.log"
    server = GunicornServer(
        settings="benchmarks._floor_settings",
        workers=options.workers,
        threads=options.threads,
        log=log,
        ready=_floor_refuses_get,
        options=[
            "--worker-connections",
            str(max(1000, options.takers + 50)),
            "--keep-alive",
            "120",
            "--timeout",
            "300",
            "--backlog",
            str(max(2048, options.takers * 2)),
        ],
    )
    try:
        server.wait_ready()
        say(
            f"Máy chủ: gunicorn gthread, {options.workers} tiến trình × {options.threads} luồng, "
            f"127.0.0.1:{server.port}; {options.takers:,} khách đồng thời, mỗi khách một kết nối giữ mở, "
            f"{options.answers_per_taker} lần lưu mỗi thí sinh"
        )
        each = options.answers_per_taker
        report(
            floor_phase(
                results,
                "floor_before",
                "sàn: PUT ghi một dòng (trước)",
                port=server.port,
                tokens=tokens,
                requests_each=each,
                seed=options.seed,
            ),
            "ghi/s",
        )
        logs = exam_phase(results, port=server.port, tokens=tokens, answers_each=each, seed=options.seed)
        report(results.phases["start"], "lượt/s")
        report(results.phases["save"], "lưu/s")
        report(results.phases["submit"], "bài/s")
        report(
            floor_phase(
                results,
                "floor_after",
                "sàn: PUT ghi một dòng (sau)",
                port=server.port,
                tokens=tokens,
                requests_each=each,
                seed=options.seed + 1,
            ),
            "ghi/s",
        )
    except BaseException:
        say(f"Nhật ký gunicorn ({log}):\n{server.tail()}")
        raise
    finally:
        server.stop()
    check = verify(results, logs)
    say(
        f"Lưu câu trả lời đạt {results.phases['save'].per_second:,.0f} lần/s = {results.ratio:.2f} lần mức sàn "
        f"({results.floor_per_second:,.0f} ghi/s, trung bình trước và sau); mục tiêu ≥ 0,70."
    )
    say(
        f"Kiểm tra: {check.answers_sent:,} câu trả lời đã gửi, {check.answers_stored:,} lần lưu trong cơ sở dữ liệu "
        f"({check.items:,} câu trong {check.attempts:,} bài); mất {check.lost}, trùng {check.duplicated}, "
        f"sai nội dung {check.wrong_answer}, revision trả về lệch {check.revision_echo_mismatch}; "
        f"đã nộp {check.attempts_submitted:,}/{check.attempts:,} bài; "
        f"sàn: gửi {check.floor_sent:,}, lưu {check.floor_stored:,}; lỗi HTTP {results.errors}."
    )
    say("KẾT QUẢ: ĐẠT (không mất, không trùng câu trả lời nào)." if results.ok else "KẾT QUẢ: KHÔNG ĐẠT.")
    return results


def main(argv: list[str] | None = None) -> Results:
    parser = argparse.ArgumentParser(
        description="Đo ngày thi: nhiều thí sinh cùng làm bài qua REST API trên gunicorn và PostgreSQL, so với mức sàn "
        "của một view Django ghi một dòng."
    )
    parser.add_argument("--takers", type=int, default=200, help="số thí sinh đồng thời (mặc định 200)")
    parser.add_argument(
        "--answers-per-taker",
        type=int,
        default=24,
        help="số lần lưu câu trả lời của mỗi thí sinh (mặc định 24: 18 câu của đề, 6 lần sửa)",
    )
    parser.add_argument("--workers", type=int, default=4, help="số tiến trình gunicorn (mặc định 4)")
    parser.add_argument("--threads", type=int, default=4, help="số luồng mỗi tiến trình gunicorn (mặc định 4)")
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
    # `benchmarks/run` passes its arguments to every benchmark; the options of the others are not ours.
    options, unknown = parser.parse_known_args(argv)
    if unknown:
        print(f"(bỏ qua tùy chọn của benchmark khác: {' '.join(unknown)})", flush=True)
    if options.takers < 1 or options.answers_per_taker < 1 or options.workers < 1 or options.threads < 1:
        parser.error("--takers, --answers-per-taker, --workers, --threads phải ≥ 1")
    if not options.database_name.isidentifier():
        parser.error("--database-name chỉ gồm chữ, số và dấu gạch dưới")

    if not is_postgresql(options.database_url):
        raise SystemExit(
            "Đo ngày thi cần PostgreSQL: --database-url postgres://… (SQLite không phục vụ nhiều tiến "
            "trình ghi cùng lúc)."
        )
    return on_own_postgresql(
        server_url=options.database_url,
        name=options.database_name,
        keep=options.keep_database,
        data_prefix="kynangso-exam-bench-data-",
        body=lambda _url: run(options),
    )


if __name__ == "__main__":
    sys.exit(0 if main().ok else 1)
