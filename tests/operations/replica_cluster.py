"""A real PostgreSQL primary and streaming replica on loopback, made with initdb and pg_basebackup for a test and
removed after it (needs root, to run the servers as the postgres user)."""

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

BIN = (
    Path("/usr/lib/postgresql")
    / (sorted(os.listdir("/usr/lib/postgresql"))[-1] if Path("/usr/lib/postgresql").is_dir() else "none")
    / "bin"
)


def available() -> str | None:
    """Why the cluster cannot be made here, or None."""
    if os.geteuid() != 0:
        return "making a PostgreSQL cluster needs root (to run it as the postgres user)"
    if not (BIN / "initdb").exists() or not (BIN / "pg_basebackup").exists():
        return "PostgreSQL server binaries (initdb, pg_basebackup) are not installed"
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        return "there is no postgres user"
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _as_postgres(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run(["runuser", "-u", "postgres", "--", *command], capture_output=True, text=True, check=True)


@dataclass
class Cluster:
    folder: Path
    primary_port: int
    replica_port: int

    def url(self, side: str, database: str = "kns") -> str:
        port = self.primary_port if side == "primary" else self.replica_port
        return f"postgres://postgres@127.0.0.1:{port}/{database}"

    def sql(self, side: str, statement: str, database: str = "kns") -> str:
        port = self.primary_port if side == "primary" else self.replica_port
        return _as_postgres(
            str(BIN / "psql"), "-h", "127.0.0.1", "-p", str(port), "-d", database, "-Atc", statement
        ).stdout.strip()

    def wait_caught_up(self, timeout: float = 30) -> None:
        target = self.sql("primary", "SELECT pg_current_wal_lsn()", database="postgres")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            # Asked in `postgres`, which the replica always has: `kns` exists there only once its creation is
            # replayed, and asking it before fails psql under load.
            if (
                self.sql("replica", f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn", database="postgres")
                == "t"
            ):
                return
            time.sleep(0.2)
        raise AssertionError("the replica did not catch up")

    def stop(self) -> None:
        for side in ("replica", "primary"):
            subprocess.run(
                [
                    "runuser",
                    "-u",
                    "postgres",
                    "--",
                    str(BIN / "pg_ctl"),
                    "-D",
                    str(self.folder / side),
                    "-m",
                    "immediate",
                    "stop",
                ],
                capture_output=True,
            )
        shutil.rmtree(self.folder, ignore_errors=True)


def start() -> Cluster:
    folder = Path(tempfile.mkdtemp(prefix="kns-replica-", dir="/tmp"))
    shutil.chown(folder, "postgres", "postgres")
    cluster = Cluster(folder, _free_port(), _free_port())
    try:
        primary = folder / "primary"
        _as_postgres(str(BIN / "initdb"), "-D", str(primary), "-A", "trust", "-U", "postgres", "--no-sync")
        with (primary / "postgresql.conf").open("a") as conf:
            conf.write(
                f"port = {cluster.primary_port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = "
                f"'{folder}'\nwal_level = replica\nmax_wal_senders = 4\nfsync = off\n"
            )
        with (primary / "pg_hba.conf").open("a") as hba:
            hba.write("host replication all 127.0.0.1/32 trust\n")
        _as_postgres(str(BIN / "pg_ctl"), "-D", str(primary), "-l", str(folder / "primary.log"), "-w", "start")
        _as_postgres(
            str(BIN / "pg_basebackup"),
            "-h",
            "127.0.0.1",
            "-p",
            str(cluster.primary_port),
            "-U",
            "postgres",
            "-D",
            str(folder / "replica"),
            "-R",
            "-X",
            "stream",
        )
        with (folder / "replica" / "postgresql.conf").open("a") as conf:
            conf.write(f"port = {cluster.replica_port}\nhot_standby = on\n")
        _as_postgres(
            str(BIN / "pg_ctl"), "-D", str(folder / "replica"), "-l", str(folder / "replica.log"), "-w", "start"
        )
        cluster.sql("primary", "CREATE DATABASE kns", database="postgres")
        cluster.wait_caught_up()
    except Exception:
        cluster.stop()
        raise
    return cluster
