"""Liveness and readiness: what a load balancer or systemd asks before sending traffic to this node.

Readiness checks the database (a query), Redis (a ping, when REDIS_URL is set), that every migration is applied,
and that the keys are there: the data key that encrypts national IDs and the certificate signing key. Each check
says only «ok» or a short reason that names no personal data and no secret."""

from dataclasses import dataclass

from django.conf import settings
from django.db import connections
from django.db.migrations.executor import MigrationExecutor


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str = "ok"


def _database() -> Check:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "not ready"; its class says which without leaking DSNs
        return Check("database", False, f"unreachable ({type(exc).__name__})")
    return Check("database", True)


def _migrations() -> Check:
    try:
        executor = MigrationExecutor(connections["default"])
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as exc:
        return Check("migrations", False, f"unknown ({type(exc).__name__})")
    if pending:
        return Check("migrations", False, f"{len(pending)} not applied")
    return Check("migrations", True)


def _redis() -> Check:
    if not settings.REDIS_URL:
        return Check("redis", True, "not configured (jobs run inline)")
    try:
        import redis

        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2).ping()
    except Exception as exc:
        return Check("redis", False, f"unreachable ({type(exc).__name__})")
    return Check("redis", True)


def _keys() -> Check:
    from kynangso.credentials import api as credentials

    if len(settings.DATA_KEY or "") < 32:
        return Check("keys", False, "data key missing")
    if not credentials.signing_key_present():
        return Check("keys", False, "certificate signing key missing")
    return Check("keys", True)


def readiness() -> list[Check]:
    """Every readiness check, in a fixed order; the node is ready when all are ok."""
    return [_database(), _migrations(), _redis(), _keys()]
