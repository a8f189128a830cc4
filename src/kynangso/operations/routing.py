"""Reads of the read-only pages from a PostgreSQL streaming replica (ADR 0033, docs/deployment.md).

When `DATABASE_REPLICA_URL` is set, the pages in `REPLICA_READ_VIEWS` (dashboards, public figures, catalogue,
certificate verification), on GET, read from the replica, as long as it is fresh: its replay lag, checked at most
every `KYNANGSO_REPLICA_CHECK_SECONDS`, is within `KYNANGSO_REPLICA_MAX_LAG_SECONDS`. A lagging or unreachable replica
sends the reads back to the primary. Everything else reads from the primary: every other page, every write and every
read inside a transaction, and sessions, accounts and login records on any page (a login just made must be seen)."""

import contextvars
import logging
import threading
import time

from django.conf import settings
from django.db import connections

log = logging.getLogger(__name__)

REPLICA = "replica"
_ALLOWED = contextvars.ContextVar("replica_reads_allowed", default=False)
# never from the replica: a session, an account or a login attempt written a moment ago must be seen at once
PRIMARY_ONLY_APPS = frozenset({"sessions", "auth", "accounts", "axes", "otp_totp", "otp_static", "django_otp"})
REPLICA_READ_VIEWS = frozenset(
    {
        "monitoring:dashboard",
        "monitoring:unit",
        "monitoring:ranking",
        "monitoring:public",
        "learning:catalogue",
        "learning:course",
        "credentials:check",
        "credentials:verify",
        "credentials:status_list",
        "credentials:achievement",
        "credentials:competence",
        "did_document",
    }
)
LAG_SQL = """
SELECT CASE
  WHEN NOT pg_is_in_recovery() THEN 0
  WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
  ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 1e9)
END
"""


class _Freshness:
    """The replica's lag, measured at most once per interval per process (thread-safe)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._checked_at = float("-inf")
        self._lag: float | None = None

    def lag(self) -> float | None:
        """Seconds behind the primary, or None when the replica cannot be reached."""
        interval = getattr(settings, "REPLICA_CHECK_SECONDS", 2.0)
        with self._lock:
            if time.monotonic() - self._checked_at < interval:
                return self._lag
            try:
                with connections[REPLICA].cursor() as cursor:
                    cursor.execute(LAG_SQL)
                    self._lag = float(cursor.fetchone()[0])
            except Exception as exc:  # unreachable, restarting, promoted away: read from the primary
                log.warning("replica unreachable, reading from the primary (%s)", type(exc).__name__)
                self._lag = None
            self._checked_at = time.monotonic()
            return self._lag

    def reset(self) -> None:
        with self._lock:
            self._checked_at = float("-inf")


freshness = _Freshness()


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def replica_is_fresh() -> bool:
    lag = freshness.lag()
    return lag is not None and lag <= settings.REPLICA_MAX_LAG_SECONDS


def allow_replica_reads() -> contextvars.Token:
    return _ALLOWED.set(True)


def end_replica_reads(token: contextvars.Token) -> None:
    _ALLOWED.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if not _ALLOWED.get() or model._meta.app_label in PRIMARY_ONLY_APPS:
            return "default"
        if connections["default"].in_atomic_block:
            return "default"
        return REPLICA if replica_is_fresh() else "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


class ReplicaReadsMiddleware:
    """Lets the router use the replica for the duration of a GET of one of `REPLICA_READ_VIEWS`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        finally:
            token = getattr(request, "_replica_token", None)
            if token is not None:
                end_replica_reads(token)
                request._replica_token = None

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = getattr(request, "resolver_match", None)
        if (
            replica_configured()
            and request.method in ("GET", "HEAD")
            and match is not None
            and match.view_name in REPLICA_READ_VIEWS
        ):
            request._replica_token = allow_replica_reads()
        return None
