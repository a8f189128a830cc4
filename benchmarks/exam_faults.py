"""Exam-day fault runs (issue 16, item 5): takers answer through the REST API of a real gunicorn server while a fault
hits mid-exam, and the database is checked against every answer they gave.

Run from the repository root (needs root: the private PostgreSQL runs as the postgres user):
    PYTHONPATH=src .venv/bin/python -m benchmarks.exam_faults --fault all

Nothing shared is touched: each run starts a PRIVATE PostgreSQL cluster (initdb in a temporary folder, a free port,
run as the postgres user with runuser) and a PRIVATE redis-server on a free port, and restarts or stops only those.
The faults, each on a fresh database with `--takers` takers (default 200):
- `postgres`: the PostgreSQL cluster restarted mid-exam (`pg_ctl restart -m immediate`: a crash and recovery);
- `worker`: one gunicorn worker killed with SIGKILL mid-exam (the master starts another);
- `redis`: Redis stopped mid-exam and kept down until every taker has submitted, then started again; then the hourly
  batch `kynangso issue-credentials` runs (twice): every passed attempt must hold exactly one certificate;
- `network`: the takers reach the server through a TCP proxy of this benchmark, which drops every connection and
  refuses new ones for `--outage` seconds (default 30) mid-exam; with `--browser`, one more taker answers in a real
  Chromium (Playwright) whose context is set offline for the same time.
Every taker retries as the exam page does (assessment/static/assessment/exam.js): a save that gets no answer, a
non-JSON answer or a 5xx is sent again after min(30 s, 1 s × 2^failures) + up to 0.5 s (the failures reset after a
success), with the same `given_at` (when the answer was given). A quarter of the takers answer every item correctly
at its last save, so that attempts pass and certificates are owed.

The check uses a trigger on the attempt items of the benchmark's database that logs every stored save (the item,
its `answered_at`, i.e. the `given_at` sent, and the answer): an answer given is *stored* when the log holds it,
*lost* when it does not (or when the item's final answer is not the last one given), *duplicated* once for every
extra time it was stored (a retry applied again); the items' `revision` must equal their log rows.
"""

import argparse
import datetime
import http.client
import io
import json
import os
import pwd
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import exam_day as day
from benchmarks._support import GunicornServer, free_port

FAULTS = ("postgres", "worker", "redis", "network")
PG_BIN = (
    Path("/usr/lib/postgresql")
    / (sorted(os.listdir("/usr/lib/postgresql"))[-1] if Path("/usr/lib/postgresql").exists() else "0")
    / "bin"
)
DATABASE = "kynangso_fault_bench"
API = day.API
LOG_TABLE = "bench_answer_log"


# --- private servers ------------------------------------------------------------------------------------------------


def _as_postgres(*command: str) -> str:
    done = subprocess.run(["runuser", "-u", "postgres", "--", *command], capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"{' '.join(command)}: {done.stdout}{done.stderr}")
    return done.stdout


class PrivatePostgres:
    """A PostgreSQL cluster of this run only, on loopback, on a free port (never the shared 127.0.0.1:5432)."""

    def __init__(self, *, max_connections: int):
        if os.geteuid() != 0:
            raise SystemExit("Cần quyền root để chạy cụm PostgreSQL riêng dưới người dùng postgres.")
        pwd.getpwnam("postgres")
        self.folder = Path(tempfile.mkdtemp(prefix="kynangso-fault-pg-"))
        shutil.chown(self.folder, "postgres", "postgres")
        self.data = self.folder / "data"
        self.port = free_port()
        _as_postgres(str(PG_BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write(
                f"port = {self.port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = "
                f"'{self.folder}'\nmax_connections = {max_connections}\nshared_buffers = 128MB\n"
            )
        self.start()

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def _ctl(self, *args: str) -> None:
        _as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "server.log"), *args)

    def start(self) -> None:
        self._ctl("-w", "-t", "60", "start")

    def restart(self) -> None:
        """A crash and restart: every connection is cut, the server recovers from its WAL."""
        self._ctl("-w", "-t", "60", "-m", "immediate", "restart")

    def remove(self) -> None:
        try:
            self._ctl("-w", "-m", "fast", "stop")
        except RuntimeError:
            pass
        shutil.rmtree(self.folder, ignore_errors=True)


class PrivateRedis:
    """A redis-server of this run only, on a free port, without persistence (never the shared 127.0.0.1:6379)."""

    def __init__(self):
        self.binary = shutil.which("redis-server")
        if not self.binary:
            raise SystemExit("Không thấy redis-server.")
        self.port = free_port()
        self.process = None
        self.start()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--loglevel",
                "warning",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as probe:
                    probe.sendall(b"PING\r\n")
                    if probe.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("redis-server riêng không khởi động")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


class Proxy:
    """A TCP proxy on loopback in front of the server; `drop(seconds)` cuts every connection and refuses new ones
    (accepted, then closed at once) for that long: the takers' network is gone."""

    def __init__(self, target_port: int):
        self.target = target_port
        self.listener = socket.create_server(("127.0.0.1", 0), backlog=1024)
        self.port = self.listener.getsockname()[1]
        self.down_until = 0.0
        self.lock = threading.Lock()
        self.sockets: set[socket.socket] = set()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _address = self.listener.accept()
            except OSError:
                return
            if time.monotonic() < self.down_until:
                client.close()
                continue
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target))
            except OSError:
                client.close()
                continue
            with self.lock:
                self.sockets.update((client, upstream))
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        for end in (source, sink):
            try:
                end.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            end.close()
            with self.lock:
                self.sockets.discard(end)

    def drop(self, seconds: float) -> None:
        self.down_until = time.monotonic() + seconds
        with self.lock:
            cut = list(self.sockets)
        for end in cut:
            try:
                end.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def close(self) -> None:
        self.listener.close()


# --- takers -------------------------------------------------------------------------------------------------------


class GaveUp(Exception):
    pass


@dataclass
class Given:
    position: int
    given_at: datetime.datetime
    answer: dict
    acked: bool = False
    waited: float = 0.0  # from the answer given until the server acknowledged it


@dataclass
class Taker:
    index: int
    token: str
    good: bool  # answers every item right at its last save
    attempt_id: int = 0
    given: list[Given] = field(default_factory=list)
    retries: int = 0
    server_errors: int = 0  # answers with a 5xx status or not in JSON (the others: no connection, no answer)
    errors: list[str] = field(default_factory=list)
    longest_wait: float = 0.0
    submitted: bool = False
    submit_wait: float = 0.0
    finished_at: float = 0.0


class RetryingClient:
    """One taker's HTTP connection, retrying as the exam page does."""

    def __init__(self, port: int, token: str, taker: Taker, give_up_after: float):
        self.port, self.token, self.taker, self.give_up_after = port, token, taker, give_up_after
        self.client = day.Client(port, token, timeout=60)
        self.failures = 0

    def call(self, method: str, path: str, body=None) -> tuple[int, dict, float]:
        """Send until the server answers in JSON with a status below 500; returns it and how long it took."""
        began = time.monotonic()
        while True:
            try:
                status, data, is_json = self._request(method, path, body)
                if status < 500 and is_json:  # the page: no JSON or a 5xx is "not saved", sent again
                    self.failures = 0
                    return status, data, time.monotonic() - began
                self.taker.server_errors += 1
            except (OSError, http.client.HTTPException):
                self.client.close()
                self.client = day.Client(self.port, self.token, timeout=60)
            self.taker.retries += 1
            if time.monotonic() - began > self.give_up_after:
                raise GaveUp(f"{method} {path}: không được sau {self.give_up_after:.0f} s")
            time.sleep(min(30.0, 2.0**self.failures) + random.random() * 0.5)
            self.failures += 1

    def _request(self, method: str, path: str, body) -> tuple[int, dict, bool]:
        connection = self.client.connection
        payload = json.dumps(body).encode() if body is not None else None
        connection.request(method, path, body=payload, headers=self.client.headers)
        response = connection.getresponse()
        raw = response.read()
        try:
            return response.status, json.loads(raw) if raw else {}, True
        except ValueError:
            return response.status, {"detail": raw[:200].decode(errors="replace")}, False

    def close(self) -> None:
        self.client.close()


def correct_answers(attempt_id: int) -> dict[int, dict]:
    """The right answer to every item of the attempt, in the attempt's aliases (as the taker would send it)."""
    from django.db import connection

    from kynangso.assessment.models import AttemptItem
    from kynangso.assessment.presentation import to_taker

    answers = {}
    for slot in AttemptItem.objects.filter(attempt_id=attempt_id).select_related("item_version"):
        version, body = slot.item_version, slot.item_version.body
        kind = version.type
        if kind in ("single_choice", "true_false"):
            right = {"choice": next(o["id"] for o in body["options"] if o["correct"])}
        elif kind == "multiple_response":
            right = {"choices": [o["id"] for o in body["options"] if o["correct"]]}
        elif kind == "ordering":
            right = {"order": [step["id"] for step in body["steps"]]}
        elif kind == "matching":
            right = {"pairs": {p["left_id"]: p["right_id"] for p in body["pairs"]}}
        elif kind == "short_text":
            right = {"text": body["answers"][0]}
        elif kind == "numeric":
            right = {"number": str(body["answer"]).replace(".", ",")}
        else:
            continue
        answers[slot.position] = to_taker(kind, slot.presentation, right)
    connection.close()
    return answers


def _in_taker_order(answer: dict, item: dict) -> dict:
    """The server stores chosen options in the order shown; send a right multiple-response answer that way too."""
    if "choices" in answer:
        ids = [option["id"] for option in item["options"]]
        return {"choices": [i for i in ids if i in set(answer["choices"])]}
    return answer


def take_exam(
    taker: Taker,
    *,
    port: int,
    answers_each: int,
    think: tuple[float, float],
    seed: int,
    started: threading.Barrier,
    give_up_after: float,
) -> None:
    rng = random.Random(seed * 100_003 + taker.index)
    client = RetryingClient(port, taker.token, taker, give_up_after)
    try:
        status, data, _ = client.call("GET", f"{API}/standards")
        if status != 200:
            raise RuntimeError(f"GET /standards trả {status}: {data}")
        status, attempt, _ = client.call("POST", f"{API}/attempts", {"standard_code": day.STANDARD_CODE})
        if status != 201:
            raise RuntimeError(f"POST /attempts trả {status}: {attempt}")
        taker.attempt_id = attempt["id"]
        items = {item["position"]: item for item in attempt["items"]}
        plan = day.save_plan(sorted(items), answers_each)
        last_save = {position: number for number, position in enumerate(plan)}
        right = correct_answers(taker.attempt_id) if taker.good else {}
        started.wait()
        time.sleep(rng.uniform(0, think[1]))  # not everyone answers the first item at the same moment
        previous: dict[int, dict] = {}
        for number, position in enumerate(plan):
            if taker.good and last_save[position] == number and position in right:
                answer = _in_taker_order(right[position], items[position])
            else:
                answer = day.build_answer(items[position], rng, previous.get(position))
            previous[position] = answer
            given = Given(position, datetime.datetime.now(datetime.UTC), answer)
            taker.given.append(given)
            status, data, waited = client.call(
                "PUT",
                f"{API}/attempts/{taker.attempt_id}/answers/{position}",
                {"answer": answer, "given_at": given.given_at.isoformat()},
            )
            given.waited = waited
            taker.longest_wait = max(taker.longest_wait, waited)
            if status == 200:
                given.acked = True
            else:
                taker.errors.append(f"PUT {status} {data}")
            time.sleep(rng.uniform(*think))
        status, data, waited = client.call("POST", f"{API}/attempts/{taker.attempt_id}/submit")
        taker.submit_wait = waited
        taker.longest_wait = max(taker.longest_wait, waited)
        if status == 200:
            taker.submitted = True
        else:
            taker.errors.append(f"submit {status} {data}")
    except GaveUp as exc:
        taker.errors.append(str(exc))
    finally:
        taker.finished_at = time.monotonic()
        client.close()


# --- the check ----------------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    fault: str
    takers: int
    sent: int = 0  # answers given (and sent until acknowledged)
    acked: int = 0
    stored: int = 0  # answers given that the database stored at least once
    lost: int = 0
    duplicated: int = 0
    wrong_final: int = 0
    revision_mismatch: int = 0
    submitted: int = 0
    retries: int = 0
    server_errors: int = 0
    errors: int = 0
    longest_wait: float = 0.0
    p95_wait: float = 0.0
    exam_seconds: float = 0.0
    fault_note: str = ""
    passed: int = 0
    certificates: str = ""
    certificates_ok: bool = True
    browser: str = ""
    browser_ok: bool = True
    error_examples: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return (
            self.lost == 0
            and self.duplicated == 0
            and self.wrong_final == 0
            and self.revision_mismatch == 0
            and self.submitted == self.takers
            and self.errors == 0
            and self.certificates_ok
            and self.browser_ok
        )


def install_log() -> None:
    from django.db import connection

    from kynangso.assessment.models import AttemptItem

    table = AttemptItem._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE {LOG_TABLE} (item_id bigint, revision int, answered_at timestamptz, answer jsonb)"
        )
        cursor.execute(
            f"CREATE FUNCTION {LOG_TABLE}_add() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"INSERT INTO {LOG_TABLE} VALUES (NEW.id, NEW.revision, NEW.answered_at, NEW.answer); "
            f"RETURN NEW; END $$"
        )
        cursor.execute(
            f"CREATE TRIGGER {LOG_TABLE}_add AFTER UPDATE ON {table} FOR EACH ROW WHEN "
            f"(NEW.revision IS DISTINCT FROM OLD.revision) EXECUTE FUNCTION {LOG_TABLE}_add()"
        )


def verify(outcome: Outcome, takers: list[Taker]) -> None:
    from django.db import connection

    from kynangso.assessment.models import Attempt, AttemptItem, AttemptStatus
    from kynangso.assessment.presentation import to_taker

    ids = [taker.attempt_id for taker in takers if taker.attempt_id]
    slots = {
        (a, p): (pk, to_taker(kind, presentation, answer), revision)
        for pk, a, p, answer, revision, presentation, kind in AttemptItem.objects.filter(
            attempt_id__in=ids
        ).values_list("pk", "attempt_id", "position", "answer", "revision", "presentation", "item_version__type")
    }
    log: dict[tuple[int, datetime.datetime], int] = {}
    rows_per_item: dict[int, int] = {}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT item_id, answered_at FROM {LOG_TABLE}")
        for item_id, answered_at in cursor.fetchall():
            log[(item_id, answered_at)] = log.get((item_id, answered_at), 0) + 1
            rows_per_item[item_id] = rows_per_item.get(item_id, 0) + 1
    outcome.submitted = Attempt.objects.filter(pk__in=ids, status=AttemptStatus.SUBMITTED).count()
    outcome.passed = Attempt.objects.filter(pk__in=ids, passed=True).count()
    waits = []
    for taker in takers:
        outcome.retries += taker.retries
        outcome.server_errors += taker.server_errors
        outcome.errors += len(taker.errors)
        outcome.error_examples.extend(taker.errors[:1])
        last: dict[int, Given] = {}
        for given in taker.given:
            outcome.sent += 1
            outcome.acked += given.acked
            waits.append(given.waited)
            item_id = slots[(taker.attempt_id, given.position)][0]
            times = log.get((item_id, given.given_at), 0)
            outcome.stored += times > 0
            outcome.lost += times == 0
            outcome.duplicated += max(0, times - 1)
            last[given.position] = given
        for position, given in last.items():
            _pk, answer, _revision = slots[(taker.attempt_id, position)]
            if answer != given.answer:
                outcome.wrong_final += 1
        outcome.longest_wait = max(outcome.longest_wait, taker.longest_wait)
    for pk, _answer, revision in slots.values():
        if revision != rows_per_item.get(pk, 0):
            outcome.revision_mismatch += 1
    if waits:
        waits.sort()
        outcome.p95_wait = waits[int(0.95 * (len(waits) - 1))]


def check_certificates(outcome: Outcome, takers: list[Taker]) -> None:
    """The hourly batch, run twice once Redis is back: one certificate per passed attempt, the second run none."""
    from django.core.management import call_command

    from kynangso.assessment.models import Attempt
    from kynangso.credentials.models import Credential

    passed = list(
        Attempt.objects.filter(pk__in=[t.attempt_id for t in takers], passed=True).values_list("person_id", flat=True)
    )
    before = Credential.objects.filter(person_id__in=passed).count()
    first, second = io.StringIO(), io.StringIO()
    call_command("issue-credentials", stdout=first)
    call_command("issue-credentials", stdout=second)
    per_person = {}
    for person_id in Credential.objects.filter(person_id__in=passed).values_list("person_id", flat=True):
        per_person[person_id] = per_person.get(person_id, 0) + 1
    missing = sum(1 for person in passed if per_person.get(person, 0) == 0)
    extra = sum(max(0, count - 1) for count in per_person.values())
    outcome.certificates = (
        f"{len(passed)} bài đạt; trước lô {before} chứng nhận; lô 1: «{first.getvalue().strip()}», "
        f"lô 2: «{second.getvalue().strip()}»; thiếu {missing}, thừa {extra}"
    )
    outcome.certificates_ok = missing == 0 and extra == 0 and len(passed) > 0


# --- the run ------------------------------------------------------------------------------------------------------


def gunicorn_children(master: int) -> list[int]:
    children = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == master:
                children.append(int(entry))
    return sorted(children)


def fresh_database(pg: PrivatePostgres) -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    with psycopg.connect(pg.url(), autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {DATABASE}")


def run_fault(fault: str, options, pg: PrivatePostgres, redis: PrivateRedis, say) -> Outcome:
    fresh_database(pg)
    began = time.monotonic()
    tokens = day.prepare(options.takers)
    install_log()
    from django.db import connections

    connections.close_all()
    say(f"[{fault}] chuẩn bị {options.takers} thí sinh: {time.monotonic() - began:.1f} s")
    outcome = Outcome(fault, options.takers)
    log = Path(tempfile.mkdtemp(prefix=f"kynangso-fault-{fault}-")) / "gunicorn.log"
    server = GunicornServer(
        settings="benchmarks._floor_settings",
        workers=options.workers,
        threads=options.threads,
        log=log,
        ready=day._floor_refuses_get,
        options=[
            "--worker-connections",
            str(max(1000, options.takers + 50)),
            "--keep-alive",
            "120",
            "--timeout",
            "120",
            "--backlog",
            str(max(2048, options.takers * 2)),
        ],
    )
    proxy = None
    browser = None
    try:
        server.wait_ready()
        port = server.port
        if fault == "network":
            proxy = Proxy(server.port)
            port = proxy.port
        takers = [Taker(index, token, good=index % 4 == 0) for index, token in enumerate(tokens)]
        started = threading.Barrier(len(takers) + 1, timeout=600)
        threads = [
            threading.Thread(
                target=take_exam,
                kwargs=dict(
                    taker=taker,
                    port=port,
                    answers_each=options.answers_per_taker,
                    think=(options.think_min, options.think_max),
                    seed=options.seed,
                    started=started,
                    give_up_after=options.give_up_after,
                ),
                daemon=True,
            )
            for taker in takers
        ]
        for thread in threads:
            thread.start()
        if fault == "network" and options.browser:
            from benchmarks._fault_browser import BrowserTaker

            browser = BrowserTaker(server.url, offline_after=options.fault_after, offline_for=options.outage)
            browser.start()
        started.wait()
        exam_began = time.monotonic()
        if browser is not None:
            browser.exam_started()
        time.sleep(options.fault_after)
        fault_at = time.monotonic() - exam_began
        if fault == "postgres":
            pg.restart()
            outcome.fault_note = (
                f"PostgreSQL khởi động lại (-m immediate) ở giây {fault_at:.1f}, "
                f"mất {time.monotonic() - exam_began - fault_at:.1f} s"
            )
        elif fault == "worker":
            children = gunicorn_children(server.process.pid)
            victim = children[0]
            os.kill(victim, signal.SIGKILL)
            outcome.fault_note = f"SIGKILL tiến trình gunicorn {victim} (1/{len(children)}) ở giây {fault_at:.1f}"
        elif fault == "redis":
            redis.stop()
            outcome.fault_note = f"Redis dừng ở giây {fault_at:.1f}, đến khi mọi thí sinh nộp bài"
        elif fault == "network":
            proxy.drop(options.outage)
            outcome.fault_note = (
                f"mạng mất {options.outage:.0f} s từ giây {fault_at:.1f} (proxy cắt và từ chối kết nối)"
            )
        say(f"[{fault}] {outcome.fault_note}")
        for thread in threads:
            thread.join()
        outcome.exam_seconds = max(t.finished_at for t in takers) - exam_began
        if browser is not None:
            browser.join()
        if fault == "redis":
            redis.start()
            say(f"[{fault}] Redis chạy lại ở giây {time.monotonic() - exam_began:.1f}")
    except BaseException:
        say(f"Nhật ký gunicorn ({log}):\n{server.tail()}")
        raise
    finally:
        server.stop()
        if proxy:
            proxy.close()
    verify(outcome, takers)
    if fault == "redis":
        check_certificates(outcome, takers)
    if browser is not None:
        outcome.browser, outcome.browser_ok = browser.report()
    server_errors = sum(1 for line in log.read_text(errors="replace").splitlines() if "Traceback" in line)
    say(report(outcome) + f"\n  nhật ký gunicorn: {log} ({server_errors} traceback)")
    return outcome


def report(o: Outcome) -> str:
    lines = [
        f"[{o.fault}] kết quả:",
        f"  gửi {o.sent:,} câu trả lời, máy chủ xác nhận {o.acked:,}, lưu {o.stored:,}; MẤT {o.lost}, TRÙNG "
        f"{o.duplicated}; câu trả lời cuối sai {o.wrong_final}; revision lệch {o.revision_mismatch}",
        f"  nộp {o.submitted}/{o.takers} bài ({o.passed} đạt); gửi lại {o.retries:,} lần ({o.server_errors} sau 5xx); lỗi {o.errors}"
        + (f" (ví dụ: {o.error_examples[0]})" if o.error_examples else ""),
        f"  chờ lâu nhất {o.longest_wait:.1f} s (p95 mỗi câu {o.p95_wait * 1000:.0f} ms); bài thi {o.exam_seconds:.0f} s",
    ]
    if o.certificates:
        lines.append(f"  chứng nhận: {o.certificates}")
    if o.browser:
        lines.append(f"  trình duyệt: {o.browser}")
    lines.append("  ĐẠT" if o.ok else "  KHÔNG ĐẠT")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> list[Outcome]:
    parser = argparse.ArgumentParser(
        description="Ngày thi gặp sự cố: PostgreSQL khởi động lại, gunicorn worker bị "
        "giết, Redis dừng, mạng mất 30 s; không câu trả lời nào mất hay trùng."
    )
    parser.add_argument("--fault", choices=(*FAULTS, "all"), default="all")
    parser.add_argument("--takers", type=int, default=200)
    parser.add_argument("--answers-per-taker", type=int, default=24)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--think-min", type=float, default=0.5, help="giây nghĩ ít nhất giữa hai câu (mặc định 0,5)")
    parser.add_argument("--think-max", type=float, default=2.5, help="giây nghĩ nhiều nhất giữa hai câu (mặc định 2,5)")
    parser.add_argument("--fault-after", type=float, default=12, help="sự cố xảy ra sau bấy nhiêu giây làm bài")
    parser.add_argument("--outage", type=float, default=30, help="số giây mất mạng (mặc định 30)")
    parser.add_argument("--give-up-after", type=float, default=300, help="thí sinh bỏ một yêu cầu sau bấy nhiêu giây")
    parser.add_argument("--browser", action="store_true", help="thêm một thí sinh trên Chromium thật khi mất mạng")
    parser.add_argument("--seed", type=int, default=1616)
    options, unknown = parser.parse_known_args(argv)
    if unknown:
        print(f"(bỏ qua tùy chọn của benchmark khác: {' '.join(unknown)})", flush=True)

    def say(text: str) -> None:
        print(text, flush=True)

    faults = FAULTS if options.fault == "all" else (options.fault,)
    pg = PrivatePostgres(max_connections=options.takers + 100)
    redis = PrivateRedis()
    say(
        f"Máy: {os.cpu_count()} lõi, {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC; PostgreSQL riêng "
        f"127.0.0.1:{pg.port}, Redis riêng 127.0.0.1:{redis.port}; gunicorn {options.workers}×{options.threads}"
    )
    os.environ["DATABASE_URL"] = pg.url(DATABASE)
    os.environ["REDIS_URL"] = redis.url
    os.environ["DJANGO_SETTINGS_MODULE"] = "kynangso.settings"
    os.environ["KYNANGSO_DEBUG"] = "0"
    os.environ.setdefault("KYNANGSO_DATA_DIR", tempfile.mkdtemp(prefix="kynangso-fault-bench-data-"))
    os.environ.setdefault("KYNANGSO_LOG_LEVEL", "WARNING")
    os.environ["KYNANGSO_CREDENTIAL_KEYS_DIR"] = tempfile.mkdtemp(prefix="kynangso-fault-bench-keys-")
    for variable in ("KYNANGSO_CREDENTIAL_KEY", "KYNANGSO_CREDENTIAL_ACTIVE_KEY"):
        os.environ.pop(variable, None)
    outcomes = []
    try:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("credential-keys", new="bench-faults", stdout=io.StringIO())
        if options.browser:  # the exam page's scripts, served by whitenoise as in production
            call_command("collectstatic", interactive=False, verbosity=0)
        for fault in faults:
            if redis.process.poll() is not None:
                redis.start()
            outcomes.append(run_fault(fault, options, pg, redis, say))
    finally:
        from django.db import connections

        connections.close_all()
        redis.stop()
        pg.remove()
    say("\n| sự cố | gửi | lưu | mất | trùng | nộp | gửi lại (sau 5xx) | chờ lâu nhất | kết quả |")
    say("|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for o in outcomes:
        say(
            f"| {o.fault} | {o.sent:,} | {o.stored:,} | {o.lost} | {o.duplicated} | {o.submitted}/{o.takers} | "
            f"{o.retries:,} ({o.server_errors}) | {o.longest_wait:.1f} s | {'ĐẠT' if o.ok else 'KHÔNG ĐẠT'} |"
        )
    return outcomes


if __name__ == "__main__":
    sys.exit(0 if all(o.ok for o in main()) else 1)
