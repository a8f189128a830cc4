"""Prometheus scrapes /metrics: requests by route pattern (never a path with an id), exam saves, jobs, the roll-up."""

import re

import pytest
from django.urls import get_resolver

from kynangso.operations import metrics


def scrape(client, **extra) -> str:
    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1", **extra)
    assert response.status_code == 200
    return response.content.decode()


def sample(text: str, name: str, **labels) -> float:
    for line in text.splitlines():
        if line.startswith(name + "{") and all(f'{key}="{value}"' in line for key, value in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


@pytest.mark.django_db
def test_requests_are_counted_by_route_pattern_and_no_id_reaches_a_label(client):
    before = sample(
        scrape(client),
        "kynangso_http_requests_total",
        route="api/v1/assessment/attempts/<attempt_id>/answers/<position>",
        status="401",
    )
    client.put("/api/v1/assessment/attempts/987654/answers/3", data="{}", content_type="application/json")
    text = scrape(client)
    assert (
        sample(
            text,
            "kynangso_http_requests_total",
            method="PUT",
            route="api/v1/assessment/attempts/<attempt_id>/answers/<position>",
            status="401",
        )
        == before + 1
    )
    assert sample(text, "kynangso_exam_answer_saves_total", outcome="refused") >= 1
    assert "987654" not in text


@pytest.mark.django_db
def test_jobs_and_the_roll_up_are_read_at_scrape_time(client, province):
    from kynangso.monitoring import api as monitoring

    monitoring.run_full_rollup()
    text = scrape(client)
    assert sample(text, "kynangso_jobs", status="failed") == 0
    assert re.search(r"^kynangso_rollup_last_run_seconds \d", text, re.MULTILINE)
    assert re.search(r"^kynangso_rollup_last_run_timestamp_seconds \d", text, re.MULTILINE)


def test_the_exam_save_routes_the_metric_watches_exist_in_the_url_map():
    def routes(resolver, prefix=""):
        for pattern in resolver.url_patterns:
            if hasattr(pattern, "url_patterns"):
                yield from routes(pattern, prefix + str(pattern.pattern))
            else:
                yield prefix + str(pattern.pattern)

    assert metrics.EXAM_SAVE_ROUTES <= set(routes(get_resolver()))


@pytest.mark.django_db
def test_metrics_are_not_for_everyone(client, settings, monkeypatch):
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 403
    monkeypatch.setenv("KYNANGSO_METRICS_TOKEN", "prometheus-token-1234")
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong", REMOTE_ADDR="127.0.0.1").status_code == 403
    assert (
        client.get("/metrics", HTTP_AUTHORIZATION="Bearer prometheus-token-1234", REMOTE_ADDR="203.0.113.9").status_code
        == 200
    )
    monkeypatch.delenv("KYNANGSO_METRICS_TOKEN")
    settings.PRODUCTION = True
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 403
