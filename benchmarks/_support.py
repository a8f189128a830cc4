"""What the benchmarks share: a database of their own to work in, and a gunicorn server of the product on loopback.

- `use_database` creates a fresh PostgreSQL database next to the one a URL names, `use_sqlite` points at a SQLite
  file instead; both return the DATABASE_URL to use and the function that removes the database after the run.
- `GunicornServer` starts `kynangso.wsgi` with a benchmark's settings on a free port and stops it; the benchmark
  says how to tell that it is ready.
- `tree_cpu` reads from /proc the CPU seconds a process tree has used (a server's cost in CPU, not in wall time).
- `on_own_postgresql` runs a benchmark in a fresh database of its own with Django set up on it, and drops it after.
- `CookieConnection` is a browser's connection without a browser: one persistent HTTP(S) connection, cookies kept.
Django is not imported here at module level: a benchmark chooses its database before Django reads its settings.
`benchmarks/run` runs only `benchmarks/[a-z]*.py`, so it does not take this module for a benchmark.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

REPO_ROOT = Path(__file__).resolve().parent.parent
CLK_TCK = os.sysconf("SC_CLK_TCK")
T = TypeVar("T")


# --- the database -------------------------------------------------------------------------------------------------


def is_postgresql(url: str) -> bool:
    return url.startswith(("postgres://", "postgresql://"))


def use_database(url: str, name: str, *, keep: bool, force_drop: bool = False) -> tuple[str, Callable[[], None]]:
    """Create a fresh database `name` on the PostgreSQL server of `url` (connecting through the database `url`
    names); returns its URL and the function that closes Django's connections and drops it unless `keep`.
    `force_drop` ends other sessions still connected to it first (a server's workers may outlive the run)."""
    import psycopg

    server, _slash, _name = url.rpartition("/")
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name}")
        admin.execute(f"CREATE DATABASE {name}")

    def drop():
        from django.db import connections

        connections.close_all()
        if not keep:
            with psycopg.connect(url, autocommit=True) as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {name}" + (" WITH (FORCE)" if force_drop else ""))

    return f"{server}/{name}", drop


def on_own_postgresql(*, server_url: str, name: str, keep: bool, data_prefix: str, body: Callable[[str], T]) -> T:
    """Set up Django, as in production (no SQL kept per request), on a fresh database `name` of the PostgreSQL
    server `server_url` names, run `body(url of that database)`, then drop the database unless `keep`. The data folder
    (where the development secrets are generated) is shared with the servers the benchmark starts, through the
    environment."""
    url, drop = use_database(server_url, name, keep=keep, force_drop=True)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "kynangso.settings"
    os.environ["KYNANGSO_DEBUG"] = "0"
    os.environ.setdefault("KYNANGSO_DATA_DIR", tempfile.mkdtemp(prefix=data_prefix))
    os.environ.setdefault("KYNANGSO_LOG_LEVEL", "WARNING")
    import django

    django.setup()
    try:
        return body(url)
    finally:
        drop()


def use_sqlite(folder: Path | None = None, filename: str = "bench.sqlite3") -> tuple[str, Callable[[], None]]:
    """A SQLite file in `folder` (default: a new temporary folder); returns its URL and a dropper that does nothing,
    since the file goes (or stays) with its folder."""
    folder = folder or Path(tempfile.mkdtemp(prefix="kynangso-bench-"))
    return f"sqlite:///{folder / filename}", lambda: None


# --- the server ---------------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class GunicornServer:
    """gunicorn (gthread) serving the product on loopback with `settings`, the setup's database and data folder
    (from the environment), its output in `log`. `ready(port)` is True once the server answers as the benchmark
    expects; an OSError from it means not yet."""

    def __init__(
        self,
        *,
        settings: str,
        workers: int,
        threads: int,
        log: Path,
        ready: Callable[[int], bool],
        options: Sequence[str] = (),
    ):
        self.port = free_port()
        gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or shutil.which("gunicorn")
        if gunicorn is None:
            raise SystemExit("Không thấy gunicorn trong môi trường (chạy `make env`).")
        env = dict(
            os.environ,
            DJANGO_SETTINGS_MODULE=settings,
            PYTHONPATH=os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])),
        )
        self.log = log
        self.ready = ready
        self.process = subprocess.Popen(
            [
                gunicorn,
                "kynangso.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--chdir",
                str(REPO_ROOT),
                "--worker-class",
                "gthread",
                "--workers",
                str(workers),
                "--threads",
                str(threads),
                *options,
                "--log-level",
                "warning",
            ],
            env=env,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn dừng (mã {self.process.returncode}):\n{self.tail()}")
            try:
                if self.ready(self.port):
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn chưa sẵn sàng sau {timeout:.0f} s:\n{self.tail()}")

    def tail(self, lines: int = 30) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


# --- CPU of a process tree -----------------------------------------------------------------------------------------


def process_stat(pid: int) -> tuple[int, float, float]:
    """(parent pid, own CPU seconds, CPU seconds of reaped children) of a process."""
    with open(f"/proc/{pid}/stat") as handle:
        rest = handle.read().rpartition(")")[2].split()
    return int(rest[1]), (int(rest[11]) + int(rest[12])) / CLK_TCK, (int(rest[13]) + int(rest[14])) / CLK_TCK


def tree_cpu(root: int) -> float:
    """CPU seconds used so far by `root`, its reaped children and every live descendant (their own time)."""
    table = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                table[int(entry)] = process_stat(int(entry))
            except (OSError, ValueError, IndexError):
                continue
    children: dict[int, list[int]] = {}
    for pid, (parent, _own, _reaped) in table.items():
        children.setdefault(parent, []).append(pid)
    total, stack = 0.0, [root]
    while stack:
        pid = stack.pop()
        if pid not in table:
            continue
        _parent, own, reaped = table[pid]
        total += own + reaped
        stack.extend(children.get(pid, []))
    return total


# --- a browser's connection ---------------------------------------------------------------------------------------


class CookieConnection:
    """One persistent HTTP(S) connection that keeps the cookies the server sets, as a browser does; redirects are
    answered, not followed. `send` returns (status, headers with lower-case names, body)."""

    def __init__(self, connection):
        self.connection = connection
        self.cookies: dict[str, str] = {}

    def send(self, method: str, path: str, headers: dict | None = None, body: bytes | None = None):
        sent = dict(headers or {})
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        self.connection.request(method, path, body=body, headers=sent)
        response = self.connection.getresponse()
        data = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _eq, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, {key.lower(): value for key, value in response.getheaders()}, data

    def close(self) -> None:
        self.connection.close()
