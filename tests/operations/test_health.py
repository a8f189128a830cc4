"""A load balancer asks /healthz whether the process lives and /readyz whether this node may take traffic."""

import pytest

from kynangso.operations import health


def test_liveness_answers_without_touching_the_database(client):
    response = client.get("/healthz")  # no database access is allowed in this test: a query would raise
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_a_node_with_database_migrations_and_keys_is_ready(client, settings, tmp_path, monkeypatch):
    settings.REDIS_URL = ""
    monkeypatch.setenv("KYNANGSO_CREDENTIAL_KEYS_DIR", str(tmp_path / "keys"))
    from kynangso.credentials.keys import generate_key

    generate_key("key-2026-12")
    response = client.get("/readyz")
    assert response.status_code == 200
    checks = response.json()["checks"]
    assert {name: check["ok"] for name, check in checks.items()} == {
        "database": True,
        "migrations": True,
        "redis": True,
        "keys": True,
    }


@pytest.mark.django_db
def test_without_a_signing_key_the_node_is_not_ready_and_says_why_without_secrets(
    client, settings, tmp_path, monkeypatch
):
    monkeypatch.setenv("KYNANGSO_CREDENTIAL_KEYS_DIR", str(tmp_path / "no-keys"))
    monkeypatch.delenv("KYNANGSO_CREDENTIAL_KEY", raising=False)
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["keys"] == {"ok": False, "detail": "certificate signing key missing"}
    assert settings.DATA_KEY not in response.content.decode()


@pytest.mark.django_db
def test_an_unreachable_redis_makes_the_node_not_ready(settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    [redis_check] = [check for check in health.readiness() if check.name == "redis"]
    assert not redis_check.ok and redis_check.detail.startswith("unreachable")
    assert "127.0.0.1" not in redis_check.detail


@pytest.mark.django_db
def test_an_unapplied_migration_makes_the_node_not_ready(monkeypatch):
    from django.db.migrations.executor import MigrationExecutor

    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("people", "0099_future")])
    [migrations] = [check for check in health.readiness() if check.name == "migrations"]
    assert not migrations.ok and migrations.detail == "1 not applied"
