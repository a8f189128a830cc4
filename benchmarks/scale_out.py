"""Scale-out on loopback (issue 21): the exam-day load through nginx against one app node, then against two, while
dashboards and the public figures page are read from a PostgreSQL streaming replica.

Run from the repository root as root: `.venv/bin/python -m benchmarks.scale_out`. Everything it uses is started here
on 127.0.0.1 and removed at the end, never the shared 5432/6379:
- a PostgreSQL primary (initdb in a temporary folder, run as the postgres user, on a free port; fsync and
  synchronous_commit on, as in production; pg_stat_statements loaded) and a hot-standby streaming replica made from
  it with `pg_basebackup -R -X stream`, on another port;
- a private redis-server for the cache and the sessions (`KYNANGSO_SESSION_STORE=cached_db`);
- two app nodes: two gunicorn instances of kynangso (gthread, `--workers` × `--threads` each, default 1 × 4: one
  Python process is about one core) on two ports, with `DATABASE_REPLICA_URL` pointing at the replica;
- nginx (Debian's nginx-light) with the site of `deploy/nginx/kynangso.conf` (TLS, HTTP/2, gzip, brotli when the
  module is installed) generated into a temporary folder, its upstream first one node, then (after a reload) both.

Data: the demo province (`kynangso demo --no-serve`: dashboards and public figures worth reading) and `--takers`
learners with API tokens (as benchmarks/exam_day.py prepares them). Each phase is exam_day's exam: every taker
starts an attempt of CHUAN-NGUOI-DAN, all save their answers at once through nginx over TLS (every fourth save
changes an earlier answer), then all submit; the database is then checked against what was sent (no loss, no
duplicate). While the saves run, `--readers` clients load the public figures page and a province dashboard (an
auditor logged in through nginx with the login form, so the login and the pages land on either node), and the
replica's pg_stat_statements counts the statements on the indicator tables run there (and the primary's the same).
CPU seconds of every process tree (each node, the primary, the replica, nginx, Redis, the load generator) are read
from /proc around the saves, so a save's cost in CPU is measured as well as its rate.

This machine has 2 cores: the load generator, nginx, both PostgreSQL servers, Redis and the nodes share them, so two
nodes cannot double the saves per second here; what the run shows is that any node serves any request (sessions in
Redis, one database) and what one node (one core) does, which is what docs/capacity.md scales from.
"""

import argparse
import datetime
import http.client
import io
import json
import os
import pwd
import re
import resource
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import exam_day
from benchmarks._support import REPO_ROOT, CookieConnection, GunicornServer, free_port, process_stat, tree_cpu
from benchmarks.exam_faults import PrivateRedis

PG_ROOT = Path("/usr/lib/postgresql")
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_filter_module.so")
DATABASE = "kns"
AUDITOR = "kiemtra"  # the demo's auditor: province scope, may view indicators, no second factor


def pg_bin() -> Path:
    versions = sorted(os.listdir(PG_ROOT), key=lambda v: int(v) if v.isdigit() else 0) if PG_ROOT.is_dir() else []
    if not versions:
        raise SystemExit("Không thấy PostgreSQL (initdb, pg_basebackup) trong /usr/lib/postgresql.")
    return PG_ROOT / versions[-1] / "bin"


def as_postgres(*command: str) -> str:
    done = subprocess.run(["runuser", "-u", "postgres", "--", *command], capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"{' '.join(command)}: {done.stdout}{done.stderr}")
    return done.stdout


# --- CPU time of process trees -------------------------------------------------------------------------------------


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# --- the servers ---------------------------------------------------------------------------------------------------


class Cluster:
    """A primary and its streaming replica (pg_basebackup -R), each on a free loopback port, in one temporary folder."""

    def __init__(self):
        if os.geteuid() != 0:
            raise SystemExit("Cần quyền root để chạy cụm PostgreSQL riêng dưới người dùng postgres.")
        pwd.getpwnam("postgres")
        self.bin = pg_bin()
        self.folder = Path(tempfile.mkdtemp(prefix="kynangso-scale-pg-", dir="/tmp"))
        shutil.chown(self.folder, "postgres", "postgres")
        self.ports = {"primary": free_port(), "replica": free_port()}
        self.started: list[str] = []

    def start(self) -> None:
        primary = self.folder / "primary"
        as_postgres(str(self.bin / "initdb"), "-D", str(primary), "-A", "trust", "-U", "postgres", "--no-sync")
        with (primary / "postgresql.conf").open("a") as conf:
            conf.write(
                f"port = {self.ports['primary']}\nlisten_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{self.folder}'\nwal_level = replica\nmax_wal_senders = 4\n"
                "max_connections = 200\nshared_buffers = 256MB\nshared_preload_libraries = 'pg_stat_statements'\n"
                "pg_stat_statements.max = 10000\n"
            )
        with (primary / "pg_hba.conf").open("a") as hba:
            hba.write("host replication all 127.0.0.1/32 trust\n")
        self._ctl("primary", "start")
        as_postgres(
            str(self.bin / "pg_basebackup"),
            "-h",
            "127.0.0.1",
            "-p",
            str(self.ports["primary"]),
            "-U",
            "postgres",
            "-D",
            str(self.folder / "replica"),
            "-R",
            "-X",
            "stream",
        )
        with (self.folder / "replica" / "postgresql.conf").open("a") as conf:
            conf.write(f"port = {self.ports['replica']}\nhot_standby = on\n")
        self._ctl("replica", "start")
        self.sql("primary", f"CREATE DATABASE {DATABASE}", database="postgres")
        self.sql("primary", "CREATE EXTENSION pg_stat_statements")
        self.wait_caught_up()

    def _ctl(self, side: str, action: str) -> None:
        as_postgres(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.folder / side),
            "-l",
            str(self.folder / f"{side}.log"),
            "-w",
            "-t",
            "60",
            action,
        )
        if action == "start":
            self.started.append(side)

    def url(self, side: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.ports[side]}/{DATABASE}"

    def sql(self, side: str, statement: str, database: str = DATABASE) -> str:
        return as_postgres(
            str(self.bin / "psql"), "-h", "127.0.0.1", "-p", str(self.ports[side]), "-d", database, "-Atc", statement
        ).strip()

    def postmaster(self, side: str) -> int:
        return int((self.folder / side / "postmaster.pid").read_text().splitlines()[0])

    def wait_caught_up(self, timeout: float = 60) -> None:
        target = self.sql("primary", "SELECT pg_current_wal_lsn()", database="postgres")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            query = f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn"
            if self.sql("replica", query, database="postgres") == "t":
                return
            time.sleep(0.2)
        raise RuntimeError("bản sao không theo kịp máy chính")

    def indicator_reads(self, side: str) -> int:
        """Statements run on `side` so far that read the indicator tables (monitoring_*), from pg_stat_statements."""
        return int(
            self.sql(
                side,
                "SELECT COALESCE(sum(calls), 0) FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid "
                f"WHERE d.datname = '{DATABASE}' AND s.query ILIKE 'SELECT%' AND s.query LIKE '%\"monitoring\\_%'",
            )
        )

    def transactions(self, side: str) -> int:
        return int(self.sql(side, f"SELECT xact_commit FROM pg_stat_database WHERE datname = '{DATABASE}'"))

    def stop(self) -> None:
        for side in reversed(self.started):
            try:
                self._ctl(side, "stop")
            except RuntimeError:
                pass
        shutil.rmtree(self.folder, ignore_errors=True)


def self_signed(folder: Path) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "kynangso.example.gov.vn")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=2))
        .sign(key, hashes.SHA256())
    )
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )


class Nginx:
    """nginx with the kit's site, generated into `folder`: TLS on a free port, upstream = the given app ports.
    Its access log names the upstream that answered each request (to count requests per node)."""

    def __init__(self, folder: Path, static: Path):
        if not Path(NGINX).exists():
            raise SystemExit("Không thấy nginx (apt-get install -y nginx-light).")
        self.folder = folder
        self.static = static
        self.port = free_port()
        self.http_port = free_port()
        self.brotli = BROTLI_MODULE.exists()
        self.process: subprocess.Popen | None = None
        folder.mkdir(parents=True, exist_ok=True)
        self_signed(folder)
        for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi", "acme"):
            (folder / sub).mkdir(exist_ok=True)

    def site(self, app_ports: list[int]) -> str:
        text = (REPO_ROOT / "deploy" / "nginx" / "kynangso.conf").read_text()
        upstream = "\n    ".join(f"server 127.0.0.1:{port} max_fails=0;" for port in app_ports)
        replacements = {
            "server 127.0.0.1:8001 max_fails=0;": upstream,
            "listen 443 ssl http2;": f"listen 127.0.0.1:{self.port} ssl http2;",
            "listen [::]:443 ssl http2;": "",
            "listen 80;": f"listen 127.0.0.1:{self.http_port};",
            "listen [::]:80;": "",
            "/etc/letsencrypt/live/kynangso.example.gov.vn/fullchain.pem": str(self.folder / "cert.pem"),
            "/etc/letsencrypt/live/kynangso.example.gov.vn/privkey.pem": str(self.folder / "key.pem"),
            "/var/lib/kynangso/static/": f"{self.static}/",
            "/var/www/letsencrypt": str(self.folder / "acme"),
            "/etc/nginx/kynangso-brotli*.conf": str(REPO_ROOT / "deploy" / "nginx" / "brotli.conf")
            if self.brotli
            else str(self.folder / "no-brotli*.conf"),
            "access_log /var/log/nginx/kynangso.access.log kynangso;": f"access_log {self.folder}/access.log bench;",
            "/var/log/nginx/": f"{self.folder}/",
        }
        for old, new in replacements.items():
            if old not in text:
                raise RuntimeError(f"deploy/nginx/kynangso.conf không còn {old!r}")
            text = text.replace(old, new)
        return text

    def write(self, app_ports: list[int]) -> Path:
        (self.folder / "site.conf").write_text(self.site(app_ports))
        conf = self.folder / "nginx.conf"
        module = f"load_module {BROTLI_MODULE};\n" if self.brotli else ""
        conf.write_text(f"""{module}
user root;
worker_processes 1;
pid {self.folder}/nginx.pid;
error_log {self.folder}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    include /etc/nginx/mime.types;
    client_body_temp_path {self.folder}/body;
    proxy_temp_path {self.folder}/proxy;
    fastcgi_temp_path {self.folder}/fastcgi;
    uwsgi_temp_path {self.folder}/uwsgi;
    scgi_temp_path {self.folder}/scgi;
    log_format bench '$upstream_addr $status $request_method $uri';
    include {self.folder}/site.conf;
}}
""")
        checked = subprocess.run([NGINX, "-t", "-c", str(conf)], capture_output=True, text=True)
        if checked.returncode:
            raise RuntimeError(f"nginx -t: {checked.stderr}")
        return conf

    def start(self, app_ports: list[int]) -> None:
        conf = self.write(app_ports)
        self.process = subprocess.Popen(
            [NGINX, "-c", str(conf), "-g", "daemon off;"], stderr=subprocess.DEVNULL, start_new_session=True
        )
        wait_port(self.port, self.process)

    def reload(self, app_ports: list[int]) -> None:
        """The new upstream, as an operator does it: rewrite the site, `nginx -t`, then SIGHUP."""
        self.write(app_ports)
        assert self.process is not None
        before = set(self.worker_pids())
        self.process.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and (set(self.worker_pids()) & before or not self.worker_pids()):
            time.sleep(0.1)

    def worker_pids(self) -> list[int]:
        assert self.process is not None
        found = []
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    if process_stat(int(entry))[0] == self.process.pid:
                        found.append(int(entry))
                except (OSError, ValueError, IndexError):
                    continue
        return found

    def take_log(self) -> list[tuple[str, str, str, str]]:
        """The access log since the last call, as (upstream, status, method, uri); the log is emptied."""
        path = self.folder / "access.log"
        lines = path.read_text().splitlines() if path.exists() else []
        path.write_text("")  # nginx appends at the end of the file (O_APPEND), so it goes on writing from 0
        return [tuple(line.split(" ", 3)) for line in lines if line.count(" ") >= 3]

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def wait_port(port: int, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"tiến trình của cổng {port} dừng (mã {process.returncode})")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"không có gì nghe ở cổng {port} sau {timeout:.0f} s")


# --- clients -------------------------------------------------------------------------------------------------------

_TLS = ssl.create_default_context()
_TLS.check_hostname = False
_TLS.verify_mode = ssl.CERT_NONE  # our own self-signed certificate on loopback


class TlsClient(exam_day.Client):
    """exam_day's taker, through nginx over TLS (HTTP/1.1, one persistent connection)."""

    def __init__(self, port: int, token: str = "", timeout: float = 120):
        super().__init__(port, token, timeout)
        self.connection = http.client.HTTPSConnection("127.0.0.1", port, timeout=timeout, context=_TLS)


class Browser(CookieConnection):
    """A reader's browser: one persistent TLS connection to nginx, cookies kept, pages fetched whole."""

    def __init__(self, port: int):
        super().__init__(http.client.HTTPSConnection("127.0.0.1", port, timeout=120, context=_TLS))

    def get(self, path: str, headers: dict | None = None, method: str = "GET", body: bytes | None = None):
        return self.send(method, path, {"Accept-Encoding": "gzip", **(headers or {})}, body)

    def log_in(self, login_path: str, username: str, password: str) -> None:
        status, _headers, page = self.get(login_path, {"Accept-Encoding": "identity"})
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or token is None:
            raise RuntimeError(f"trang đăng nhập trả {status}")
        form = f"username={username}&password={password}&csrfmiddlewaretoken={token.group(1).decode()}".encode()
        status, headers, _page = self.get(
            login_path,
            {"Content-Type": "application/x-www-form-urlencoded", "Referer": f"https://127.0.0.1{login_path}"},
            method="POST",
            body=form,
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"đăng nhập {username} không thành công ({status})")


@dataclass
class Reads:
    public: exam_day.Phase = field(default_factory=lambda: exam_day.Phase("trang số liệu công khai"))
    dashboard: exam_day.Phase = field(default_factory=lambda: exam_day.Phase("bảng điều khiển tỉnh (đã đăng nhập)"))


def readers(
    port: int, count: int, paths: dict[str, str], begin: threading.Event, stop: threading.Event, pause: float
) -> tuple:
    """`count` readers, each logged in as the auditor, alternating the public page and the province dashboard from
    `begin` until `stop`, `pause` seconds between pages; returns (threads, Reads, failures)."""
    reads, failures = Reads(), []

    def run(index: int) -> None:
        browser = Browser(port)
        try:
            browser.log_in(paths["login"], AUDITOR, paths["password"])
            begin.wait()
            turn = index
            while not stop.is_set():
                phase, path = (
                    (reads.public, paths["public"]) if turn % 2 == 0 else (reads.dashboard, paths["dashboard"])
                )
                began = time.perf_counter()
                status, _headers, _page = browser.get(path)
                phase.latencies.append(time.perf_counter() - began)
                phase.requests += 1
                if status != 200:
                    phase.errors.append(str(status))
                turn += 1
                stop.wait(pause)
        except Exception as exc:  # noqa: BLE001 — reported after the phase
            failures.append(f"{type(exc).__name__}: {exc}")
        finally:
            browser.close()

    threads = [threading.Thread(target=run, args=(index,), daemon=True) for index in range(count)]
    for thread in threads:
        thread.start()
    return threads, reads, failures


# --- one phase -----------------------------------------------------------------------------------------------------


@dataclass
class PhaseResult:
    label: str
    nodes: int
    results: exam_day.Results
    check: exam_day.Check
    reads: Reads
    read_failures: list[str]
    per_node: dict[str, Counter]
    cpu: dict[str, float]  # CPU seconds during the saves, per process tree
    sitting_cpu: dict[str, float]  # CPU seconds of the whole exam (starts, saves, submits, and the reads meanwhile)
    replica_reads: int
    primary_reads: int
    replica_xacts: int

    @property
    def save(self) -> exam_day.Phase:
        return self.results.phases["save"]

    @property
    def ok(self) -> bool:
        return self.check.ok and self.results.errors == 0 and not self.read_failures and not self.read_errors

    @property
    def read_errors(self) -> int:
        return len(self.reads.public.errors) + len(self.reads.dashboard.errors)


def run_phase(
    label: str, *, nodes: list[GunicornServer], nginx: Nginx, cluster: Cluster, redis, options, paths, tokens, seed
) -> PhaseResult:
    results = exam_day.Results(
        takers=options.takers,
        answers_per_taker=options.answers_per_taker,
        workers=options.workers,
        threads=options.threads,
    )
    trees = {f"nút {i + 1}": node.process.pid for i, node in enumerate(nodes)} | {
        "PostgreSQL chính": cluster.postmaster("primary"),
        "PostgreSQL bản sao": cluster.postmaster("replica"),
        "nginx": nginx.process.pid,
        "Redis": redis.process.pid,
    }
    begin, stop = threading.Event(), threading.Event()
    threads, reads, failures = readers(nginx.port, options.readers, paths, begin, stop, options.read_pause)
    counters: dict[str, dict] = {}

    def snapshot(name: str):
        def take():
            counters[name] = {
                "cpu": cpu_now(),
                "replica_reads": cluster.indicator_reads("replica"),
                "primary_reads": cluster.indicator_reads("primary"),
                "replica_xacts": cluster.transactions("replica"),
            }
            if name == "start":
                begin.set()
                reads.public.seconds = reads.dashboard.seconds = -time.perf_counter()
            else:
                stop.set()
                reads.public.seconds += time.perf_counter()
                reads.dashboard.seconds = reads.public.seconds

        return take

    def cpu_now() -> dict[str, float]:
        return {key: tree_cpu(pid) for key, pid in trees.items()} | {"trình tạo tải": own_cpu()}

    nginx.take_log()
    whole = cpu_now()
    try:
        logs = exam_day.exam_phase(
            results,
            port=nginx.port,
            tokens=tokens,
            answers_each=options.answers_per_taker,
            seed=seed,
            client_factory=lambda token: TlsClient(nginx.port, token),
            on_start=snapshot("start"),
            on_end=snapshot("end"),
        )
    finally:
        begin.set()
        stop.set()
        for thread in threads:
            thread.join(timeout=120)
    whole = {key: value - whole[key] for key, value in cpu_now().items()}
    check = exam_day.verify(results, logs)
    per_node: dict[str, Counter] = {}
    for upstream, _status, method, uri in nginx.take_log():
        kind = (
            "lưu"
            if method == "PUT" and "/answers/" in uri
            else "công khai"
            if uri == paths["public"].split("?")[0]
            else "bảng điều khiển"
            if uri == paths["dashboard"]
            else "khác"
        )
        port = upstream.rpartition(":")[2]
        node = next((f"nút {i + 1}" for i, n in enumerate(nodes) if str(n.port) == port), upstream)
        per_node.setdefault(node, Counter())[kind] += 1
    before, after = counters["start"], counters["end"]
    return PhaseResult(
        label=label,
        nodes=len(nodes),
        results=results,
        check=check,
        reads=reads,
        read_failures=failures,
        per_node=per_node,
        cpu={key: after["cpu"][key] - before["cpu"][key] for key in before["cpu"]},
        sitting_cpu=whole,
        replica_reads=after["replica_reads"] - before["replica_reads"],
        primary_reads=after["primary_reads"] - before["primary_reads"],
        replica_xacts=after["replica_xacts"] - before["replica_xacts"],
    )


# --- reporting -----------------------------------------------------------------------------------------------------


def report(phases: list[PhaseResult], sizes: dict[str, int] | None, costs: dict, say) -> None:
    one, two = phases
    width = 44

    def row(name: str, *values: str) -> None:
        say(f"  {name:<{width}} " + " ".join(f"{value:>22}" for value in values))

    say("")
    row("", *(p.label for p in phases))
    for key in ("start", "save", "submit"):
        row(
            f"{one.results.phases[key].label} /s",
            *(f"{p.results.phases[key].per_second:,.0f}" for p in phases),
        )
    row(
        "lưu: p50 / p95 / p99 (ms)",
        *(f"{p.save.quantile(50):.0f} / {p.save.quantile(95):.0f} / {p.save.quantile(99):.0f}" for p in phases),
    )
    row("lưu: số lần, giây", *(f"{p.save.requests:,} trong {p.save.seconds:.1f} s" for p in phases))
    row("lưu theo nút", *(", ".join(f"{n} {c['lưu']:,}" for n, c in sorted(p.per_node.items())) for p in phases))
    for reads in ("public", "dashboard"):
        row(
            f"{getattr(one.reads, reads).label}: /s, p50 ms",
            *(
                f"{getattr(p.reads, reads).per_second:.1f}/s, {getattr(p.reads, reads).quantile(50):.0f} ms"
                for p in phases
            ),
        )
    row(
        "trang đọc theo nút",
        *(
            ", ".join(f"{n} {c['công khai'] + c['bảng điều khiển']}" for n, c in sorted(p.per_node.items()))
            for p in phases
        ),
    )
    row("câu lệnh đọc bảng chỉ số: bản sao / chính", *(f"{p.replica_reads:,} / {p.primary_reads:,}" for p in phases))
    row("giao dịch trên bản sao", *(f"{p.replica_xacts:,}" for p in phases))
    for tree in one.cpu:
        row(f"CPU (s) trong lúc lưu: {tree}", *(f"{p.cpu.get(tree, 0):.1f}" for p in phases))
    for p in phases:
        nodes = sum(value for key, value in p.cpu.items() if key.startswith("nút"))
        p.cpu["_app_ms_per_save"] = nodes / p.save.requests * 1000
        p.cpu["_db_ms_per_save"] = p.cpu["PostgreSQL chính"] / p.save.requests * 1000
        p.cpu["_all_ms_per_save"] = (
            sum(v for k, v in p.cpu.items() if not k.startswith("_") and k != "PostgreSQL bản sao")
            / p.save.requests
            * 1000
        )
    for p in phases:
        read_ms = sum(getattr(p.reads, kind).requests * costs[kind]["app_ms"] for kind in ("public", "dashboard"))
        nodes = sum(value for key, value in p.cpu.items() if key.startswith("nút"))
        p.cpu["_app_ms_per_save_without_reads"] = max(0.0, nodes * 1000 - read_ms) / p.save.requests
    row("ms CPU ứng dụng mỗi lần lưu", *(f"{p.cpu['_app_ms_per_save']:.2f}" for p in phases))
    row("  trừ phần của trang đọc (đo riêng)", *(f"{p.cpu['_app_ms_per_save_without_reads']:.2f}" for p in phases))
    for p in phases:
        takers = p.check.attempts or 1
        p.sitting_cpu["_app_ms_per_sitting"] = (
            sum(v for k, v in p.sitting_cpu.items() if k.startswith("nút")) / takers * 1000
        )
        p.sitting_cpu["_db_ms_per_sitting"] = p.sitting_cpu["PostgreSQL chính"] / takers * 1000
    row(
        "ms CPU mỗi bài thi (bắt đầu+lưu+nộp): ứng dụng / CSDL chính",
        *(f"{p.sitting_cpu['_app_ms_per_sitting']:.0f} / {p.sitting_cpu['_db_ms_per_sitting']:.0f}" for p in phases),
    )
    row("ms CPU PostgreSQL chính mỗi lần lưu", *(f"{p.cpu['_db_ms_per_save']:.2f}" for p in phases))
    row("ms CPU cả máy (trừ bản sao) mỗi lần lưu", *(f"{p.cpu['_all_ms_per_save']:.2f}" for p in phases))
    row(
        "kiểm tra: gửi / lưu / mất / trùng",
        *(f"{p.check.answers_sent:,}/{p.check.answers_stored:,}/{p.check.lost}/{p.check.duplicated}" for p in phases),
    )
    row("bài đã nộp", *(f"{p.check.attempts_submitted}/{p.check.attempts}" for p in phases))
    row("lỗi HTTP (thi, đọc)", *(f"{p.results.errors}, {p.read_errors}" for p in phases))
    ratio = two.save.per_second / one.save.per_second if one.save.per_second else 0.0
    say(
        f"\nTỉ lệ hai nút / một nút: {ratio:.2f} ({two.save.per_second:,.0f} / {one.save.per_second:,.0f} lần lưu/s) "
        f"trên {os.cpu_count()} lõi dùng chung cho cả trình tạo tải, nginx, hai PostgreSQL và Redis."
    )
    cores_one = one.cpu["nút 1"] / one.save.seconds if one.save.seconds else 0.0
    say(
        f"Một nút (một tiến trình) dùng {cores_one:.2f} lõi khi đạt {one.save.per_second:,.0f} lần lưu/s: "
        f"{one.save.per_second / cores_one if cores_one else 0:,.0f} lần lưu mỗi giây trên một lõi của ứng dụng."
    )
    for kind, label in (("public", "trang số liệu công khai"), ("dashboard", "bảng điều khiển tỉnh")):
        cost = costs[kind]
        say(
            f"Một {label} đo riêng (tuần tự, sau kỳ thi): {cost['app_ms']:.0f} ms CPU ứng dụng, "
            f"{cost['replica_ms']:.0f} ms CPU bản sao, {cost['wall_ms']:.0f} ms chờ."
        )
    clean = one.cpu["_app_ms_per_save_without_reads"]
    if clean:
        say(
            f"Không kể trang đọc, một lần lưu tốn {clean:.2f} ms CPU ứng dụng: {1000 / clean:,.0f} lần lưu/s trên một "
            f"lõi ứng dụng; PostgreSQL chính {one.cpu['_db_ms_per_save']:.2f} ms mỗi lần lưu."
        )
    if sizes:
        say(
            "Trang số liệu công khai qua nginx: "
            + ", ".join(f"{name} {size / 1024:,.1f} KB" for name, size in sizes.items())
        )
    for p in phases:
        for failure in p.read_failures[:3]:
            say(f"  lỗi người đọc ({p.label}): {failure}")
    say(f"Tải máy (uptime): {Path('/proc/loadavg').read_text().strip()}")
    say(
        "KẾT QUẢ: ĐẠT (không mất, không trùng; trang đọc từ bản sao)."
        if all(p.ok for p in phases) and all(p.replica_reads > 0 for p in phases)
        else "KẾT QUẢ: KHÔNG ĐẠT."
    )


def page_costs(nginx: Nginx, nodes: list[GunicornServer], cluster: Cluster, paths: dict, rounds: int) -> dict:
    """CPU milliseconds of one page of each kind on the nodes (summed) and on the replica, measured alone after the
    exam: `rounds` sequential loads of each through nginx by the logged-in auditor."""
    browser = Browser(nginx.port)
    costs = {}
    try:
        browser.log_in(paths["login"], AUDITOR, paths["password"])
        for kind in ("public", "dashboard"):
            browser.get(paths[kind])  # warm
            app = sum(tree_cpu(node.process.pid) for node in nodes)
            replica = tree_cpu(cluster.postmaster("replica"))
            began = time.perf_counter()
            for _round in range(rounds):
                status, _headers, _page = browser.get(paths[kind])
                if status != 200:
                    raise RuntimeError(f"{paths[kind]} trả {status}")
            seconds = time.perf_counter() - began
            costs[kind] = {
                "app_ms": (sum(tree_cpu(node.process.pid) for node in nodes) - app) / rounds * 1000,
                "replica_ms": (tree_cpu(cluster.postmaster("replica")) - replica) / rounds * 1000,
                "wall_ms": seconds / rounds * 1000,
            }
    finally:
        browser.close()
    return costs


def page_sizes(port: int, path: str) -> dict[str, int]:
    sizes = {}
    browser = Browser(port)
    try:
        for name, encoding in (("thô", "identity"), ("gzip", "gzip"), ("brotli", "br")):
            status, headers, data = browser.get(path, {"Accept-Encoding": encoding})
            if status == 200 and headers.get("content-encoding", "identity") == encoding:
                sizes[name] = len(data)
    finally:
        browser.close()
    return sizes


# --- the run -------------------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> bool:
    parser = argparse.ArgumentParser(
        description="Đo mở rộng ngang trên loopback: PostgreSQL chính + bản sao (pg_basebackup), Redis, hai nút "
        "gunicorn sau nginx; ngày thi qua nginx với một nút rồi hai nút, bảng điều khiển đọc từ bản sao. Cần root."
    )
    parser.add_argument("--takers", type=int, default=200, help="số thí sinh đồng thời (mặc định 200)")
    parser.add_argument("--answers-per-taker", type=int, default=24, help="số lần lưu của mỗi thí sinh (mặc định 24)")
    parser.add_argument("--workers", type=int, default=1, help="tiến trình gunicorn mỗi nút (mặc định 1)")
    parser.add_argument("--threads", type=int, default=4, help="luồng mỗi tiến trình (mặc định 4)")
    parser.add_argument("--readers", type=int, default=2, help="người đọc bảng điều khiển đồng thời (mặc định 2)")
    parser.add_argument(
        "--read-pause", type=float, default=0.5, help="giây nghỉ giữa hai trang của một người đọc (mặc định 0,5)"
    )
    parser.add_argument("--seed", type=int, default=211, help="hạt giống ngẫu nhiên của câu trả lời")
    options, unknown = parser.parse_known_args(argv)
    if unknown:
        print(f"(bỏ qua tùy chọn của benchmark khác: {' '.join(unknown)})", flush=True)
    if min(options.takers, options.answers_per_taker, options.workers, options.threads, options.readers) < 1:
        parser.error("mọi số phải ≥ 1")

    def say(text: str) -> None:
        print(text, flush=True)

    work = Path(tempfile.mkdtemp(prefix="kynangso-scale-"))
    cluster, redis, nginx, nodes = Cluster(), None, None, []
    try:
        began = time.perf_counter()
        cluster.start()
        redis = PrivateRedis()
        os.environ.update(
            {
                "DATABASE_URL": cluster.url("primary"),
                "DATABASE_REPLICA_URL": cluster.url("replica"),
                "REDIS_URL": redis.url,
                "KYNANGSO_SESSION_STORE": "cached_db",
                "KYNANGSO_DATA_DIR": str(work / "data"),
                "KYNANGSO_DEBUG": "0",
                "KYNANGSO_TRUSTED_PROXY_COUNT": "1",
                "KYNANGSO_LOG_LEVEL": "WARNING",
                "KYNANGSO_ACCESS_LOG_LEVEL": "WARNING",
                "DJANGO_SETTINGS_MODULE": "kynangso.settings",
            }
        )
        os.environ.pop("PROMETHEUS_MULTIPROC_DIR", None)
        import django

        django.setup()
        from django.core.management import call_command
        from django.urls import reverse

        from kynangso.demo import province
        from kynangso.orgs import api as orgs

        call_command("demo", "--no-serve", stdout=io.StringIO())
        tokens = exam_day.prepare(options.takers)
        from django.db import connections

        connections.close_all()
        cluster.wait_caught_up()
        unit = orgs.units().get(code=province.PROVINCE_CODE)
        paths = {
            "login": reverse("web:login"),
            "password": province.DEMO_PASSWORD,
            "public": reverse("monitoring:public") + f"?tinh={province.PROVINCE_CODE}",
            "dashboard": reverse("monitoring:unit", args=[unit.pk]),
        }
        connections.close_all()
        say(
            f"Máy: {os.cpu_count()} lõi, Python {sys.version.split()[0]}, PostgreSQL {cluster.bin.parent.name}, "
            f"{datetime.date.today():%d/%m/%Y}; chuẩn bị (cụm, bản sao, tỉnh mô phỏng, {options.takers:,} thí sinh) "
            f"{time.perf_counter() - began:.0f} s"
        )

        def ready(port: int) -> bool:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            try:
                connection.request("GET", "/readyz")
                return connection.getresponse().status == 200
            finally:
                connection.close()

        gunicorn_options = [
            "--worker-connections",
            str(max(1000, options.takers + 50)),
            "--keep-alive",
            "120",
            "--timeout",
            "300",
            "--backlog",
            str(max(2048, options.takers * 2)),
        ]
        for index in range(2):
            nodes.append(
                GunicornServer(
                    settings="kynangso.settings",
                    workers=options.workers,
                    threads=options.threads,
                    log=work / f"node{index + 1}.log",
                    ready=ready,
                    options=gunicorn_options,
                )
            )
        for node in nodes:
            node.wait_ready()
        for node in nodes:  # warm both alike (imports, templates, per-process caches), directly, not measured
            warm = exam_day.Results(takers=0, answers_per_taker=0, workers=0, threads=0)
            exam_day.exam_phase(warm, port=node.port, tokens=tokens[:5], answers_each=4, seed=0)
            connection = http.client.HTTPConnection("127.0.0.1", node.port, timeout=60)
            connection.request("GET", paths["public"])
            connection.getresponse().read()
            connection.close()
        nginx = Nginx(work / "nginx", work / "data" / "static")
        nginx.start([nodes[0].port])
        say(
            f"Nút: 2 × gunicorn gthread {options.workers} tiến trình × {options.threads} luồng "
            f"(cổng {nodes[0].port}, {nodes[1].port}); nginx TLS cổng {nginx.port}"
            f"{' (brotli)' if nginx.brotli else ''}; PostgreSQL chính {cluster.ports['primary']}, "
            f"bản sao {cluster.ports['replica']}; Redis {redis.port}; {options.takers:,} thí sinh × "
            f"{options.answers_per_taker} lần lưu, {options.readers} người đọc"
        )
        phases = []
        for label, count, seed in (("một nút", 1, options.seed), ("hai nút", 2, options.seed + 1)):
            if count == 2:
                nginx.reload([node.port for node in nodes])
            phases.append(
                run_phase(
                    label,
                    nodes=nodes[:count],
                    nginx=nginx,
                    cluster=cluster,
                    redis=redis,
                    options=options,
                    paths=paths,
                    tokens=tokens,
                    seed=seed,
                )
            )
            say(f"  xong: {label} ({phases[-1].save.per_second:,.0f} lần lưu/s)")
        sizes = page_sizes(nginx.port, paths["public"])
        costs = page_costs(nginx, nodes, cluster, paths, rounds=10)
        report(phases, sizes, costs, say)
        summary = {
            p.label: {
                "saves_per_second": round(p.save.per_second, 1),
                "p50_ms": round(p.save.quantile(50), 1),
                "p95_ms": round(p.save.quantile(95), 1),
                "cpu_seconds": {k: round(v, 2) for k, v in p.cpu.items()},
                "sitting_cpu_seconds": {k: round(v, 2) for k, v in p.sitting_cpu.items()},
                "replica_indicator_reads": p.replica_reads,
                "primary_indicator_reads": p.primary_reads,
                "read_pages": p.reads.public.requests + p.reads.dashboard.requests,
            }
            for p in phases
        }
        summary["page_costs"] = costs
        summary["page_sizes"] = sizes
        say("JSON: " + json.dumps(summary, ensure_ascii=False))
        return all(p.ok for p in phases) and all(p.replica_reads > 0 for p in phases)
    except BaseException:
        for index, node in enumerate(nodes):
            say(f"Nhật ký nút {index + 1}:\n{node.tail()}")
        raise
    finally:
        if nginx is not None:
            nginx.stop()
        for node in nodes:
            node.stop()
        if redis is not None:
            redis.stop()
        cluster.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
