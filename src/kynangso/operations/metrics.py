"""Prometheus metrics: requests by route and status, their latency, exam answer saves, and, read at scrape time,
the job queue, jobs by status and the roll-up's last run and freshness.

Routes are labelled by their URL pattern (`sat-hach/bai-thi/<int:attempt_id>/…`), never by the path, so no id ends
up in a label and the number of series stays bounded. Under gunicorn with several workers set
PROMETHEUS_MULTIPROC_DIR (docs/deployment.md): each worker writes its counters to files there and the scrape adds
them up."""

import os

from django.utils import timezone
from prometheus_client import (
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

REQUESTS = Counter(
    "kynangso_http_requests_total",
    "HTTP requests answered, by method, route pattern and status.",
    ["method", "route", "status"],
)
LATENCY = Histogram(
    "kynangso_http_request_duration_seconds",
    "Time to answer a request, by method and route.",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
EXAM_SAVES = Counter(
    "kynangso_exam_answer_saves_total", "Exam answers sent by takers (page and API), by outcome.", ["outcome"]
)

# The route patterns of an answer save: the exam page's and the REST API's (tests/operations pins them to the URLconf).
EXAM_SAVE_ROUTES = frozenset(
    {
        "sat-hach/bai-thi/<int:attempt_id>/cau/<int:position>/",
        "api/v1/assessment/attempts/<attempt_id>/answers/<position>",
    }
)
UNMATCHED = "(unmatched)"


def observe(*, method: str, route: str | None, status: int, seconds: float) -> None:
    """Count one answered request."""
    route = route or UNMATCHED
    REQUESTS.labels(method, route, str(status)).inc()
    LATENCY.labels(method, route).observe(seconds)
    if route in EXAM_SAVE_ROUTES and method in ("POST", "PUT"):
        EXAM_SAVES.labels("saved" if status < 400 else "refused").inc()


class _StateCollector:
    """Figures read from the database and Redis when Prometheus scrapes, so every node reports the same truth."""

    def collect(self):
        from kynangso.jobs import api as jobs
        from kynangso.monitoring import api as monitoring

        by_status = GaugeMetricFamily("kynangso_jobs", "Background jobs by status.", labels=["status"])
        for status, count in jobs.job_status_counts().items():
            by_status.add_metric([status], count)
        yield by_status

        queued = GaugeMetricFamily("kynangso_queue_jobs", "Jobs waiting in the RQ queue (Redis).", labels=["queue"])
        for name, count in _queue_lengths().items():
            queued.add_metric([name], count)
        yield queued

        health = monitoring.rollup_health()
        if health["last_run_seconds"] is not None:
            yield GaugeMetricFamily(
                "kynangso_rollup_last_run_seconds",
                "Duration of the last roll-up run.",
                value=health["last_run_seconds"],
            )
        if health["last_run_at"] is not None:
            yield GaugeMetricFamily(
                "kynangso_rollup_last_run_timestamp_seconds",
                "When the last roll-up ran.",
                value=health["last_run_at"].timestamp(),
            )
        if health["newest_value_at"] is not None:
            age = (timezone.now() - health["newest_value_at"]).total_seconds()
            yield GaugeMetricFamily(
                "kynangso_indicator_values_age_seconds",
                "Age of the newest stored indicator value (alert when it grows).",
                value=age,
            )


def _queue_lengths() -> dict[str, int]:
    from django.conf import settings

    if not settings.REDIS_URL:
        return {}
    try:
        import django_rq

        return {name: django_rq.get_queue(name).count for name in settings.RQ_QUEUES}
    except Exception:  # Redis down: the readiness check says so; metrics still answer
        return {}


def exposition() -> bytes:
    """The text exposition of every metric, summed over workers when PROMETHEUS_MULTIPROC_DIR is set."""
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        for collector in (REQUESTS, LATENCY, EXAM_SAVES):
            registry.register(collector)
    registry.register(_StateCollector())
    return generate_latest(registry)
