"""The read-only pages read from a PostgreSQL streaming replica while it keeps up, and from the primary as soon as it
lags or cannot be reached; logins, writes and every other page always use the primary. Against a real primary and
replica started on loopback (tests/operations/replica_cluster.py)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import database_is_postgresql
from tests.operations import replica_cluster

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def cluster():
    if not database_is_postgresql():
        pytest.skip("the replica tests run in the PostgreSQL pass of the suite")
    reason = replica_cluster.available()
    if reason:
        pytest.skip(reason)
    made = replica_cluster.start()
    yield made
    made.stop()


def site(cluster, *, max_lag: str = "10", replica_port: int | None = None) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("KYNANGSO_", "DJANGO_", "PYTEST_")) and key not in ("DATABASE_URL", "REDIS_URL")
    }
    replica_url = (
        cluster.url("replica") if replica_port is None else f"postgres://postgres@127.0.0.1:{replica_port}/kns"
    )
    env.update(
        {
            "DATABASE_URL": cluster.url("primary"),
            "DATABASE_REPLICA_URL": replica_url,
            "KYNANGSO_REPLICA_MAX_LAG_SECONDS": max_lag,
            "KYNANGSO_REPLICA_CHECK_SECONDS": "0",
            "KYNANGSO_DATA_DIR": str(cluster.folder / "data"),
            "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        }
    )
    return env


PAGE = """
import os, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kynangso.settings")
django.setup()
from django.db import connections
from django.test import Client
seen = {"replica": [], "default": []}
for alias in seen:
    connections[alias].execute_wrappers.append(
        lambda execute, sql, params, many, context, alias=alias: seen[alias].append(sql) or execute(sql, params, many, context))
page = Client().get("/hoc/").content.decode()
print("courses" if "ky-nang-so-co-ban" in page else "empty",
      "replica" if any("learning_course" in sql for sql in seen["replica"]) else "primary")
"""


def catalogue(env) -> tuple[str, str]:
    done = subprocess.run([sys.executable, "-c", PAGE], env=env, cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    shown, source = done.stdout.split()[-2:]
    return shown, source


def kynangso(env, *args):
    done = subprocess.run([sys.executable, "-m", "kynangso", *args], env=env, cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]


def test_the_catalogue_reads_from_the_replica_until_it_lags_then_from_the_primary(cluster):
    env = site(cluster)
    kynangso(env, "migrate", "--noinput")
    cluster.wait_caught_up()
    assert catalogue(env) == ("empty", "replica")

    cluster.sql("replica", "SELECT pg_wal_replay_pause()")
    kynangso(env, "load-content")  # courses written on the primary, not replayed on the paused replica
    assert catalogue(site(cluster, max_lag="3600")) == ("empty", "replica")  # a stale replica still in bounds
    assert catalogue(site(cluster, max_lag="0")) == ("courses", "primary")  # lagging: the primary answers

    cluster.sql("replica", "SELECT pg_wal_replay_resume()")
    cluster.wait_caught_up()
    assert catalogue(env) == ("courses", "replica")


def test_an_unreachable_replica_sends_the_reads_to_the_primary(cluster):
    env = site(cluster, replica_port=1)  # nothing listens on port 1
    kynangso(env, "migrate", "--noinput")
    assert catalogue(env)[1] == "primary"
