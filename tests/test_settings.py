"""Production mode refuses to start with insecure settings and turns on the secure defaults when they are right."""

import os
import subprocess
import sys

GOOD = {
    "KYNANGSO_PRODUCTION": "1",
    "KYNANGSO_SECRET_KEY": "x" * 64,
    "KYNANGSO_DATA_KEY": "y" * 40,
    "KYNANGSO_ALLOWED_HOSTS": "kynangso.example.gov.vn",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/test",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}
PROBE = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.DEBUG, settings.SESSION_COOKIE_SECURE, settings.SECURE_HSTS_SECONDS > 0)"
)


def _start(tmp_path, **changes):
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("KYNANGSO_") and k not in ("DATABASE_URL", "REDIS_URL")
    }
    env.update({"DJANGO_SETTINGS_MODULE": "kynangso.settings", "KYNANGSO_DATA_DIR": str(tmp_path)}, **GOOD)
    for key, value in changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True)


def test_production_starts_with_secure_defaults(tmp_path):
    result = _start(tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "True"]


def test_production_refuses_missing_secret_key(tmp_path):
    result = _start(tmp_path, KYNANGSO_SECRET_KEY=None)
    assert result.returncode != 0
    assert "KYNANGSO_SECRET_KEY" in result.stderr


def test_production_refuses_debug(tmp_path):
    assert "KYNANGSO_DEBUG must be off" in _start(tmp_path, KYNANGSO_DEBUG="1").stderr


def test_production_refuses_wildcard_hosts(tmp_path):
    assert "KYNANGSO_ALLOWED_HOSTS" in _start(tmp_path, KYNANGSO_ALLOWED_HOSTS="*").stderr


def test_production_refuses_sqlite(tmp_path):
    assert "DATABASE_URL" in _start(tmp_path, DATABASE_URL=None).stderr


def test_production_refuses_short_data_key(tmp_path):
    assert "KYNANGSO_DATA_KEY" in _start(tmp_path, KYNANGSO_DATA_KEY="short").stderr


SESSION_PROBE = "import django; django.setup(); from django.conf import settings; print(settings.SESSION_ENGINE)"


def _session_engine(tmp_path, **changes):
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("KYNANGSO_") and k not in ("DATABASE_URL", "REDIS_URL")
    }
    env.update({"DJANGO_SETTINGS_MODULE": "kynangso.settings", "KYNANGSO_DATA_DIR": str(tmp_path)}, **changes)
    return subprocess.run([sys.executable, "-c", SESSION_PROBE], env=env, capture_output=True, text=True)


def test_sessions_stay_in_the_database_unless_the_operator_chooses_redis(tmp_path):
    assert _session_engine(tmp_path).stdout.strip() == "django.contrib.sessions.backends.db"
    chosen = _session_engine(tmp_path, KYNANGSO_SESSION_STORE="cached_db", REDIS_URL="redis://127.0.0.1:6379/0")
    assert chosen.stdout.strip() == "django.contrib.sessions.backends.cached_db", chosen.stderr


def test_a_redis_session_store_without_redis_or_an_unknown_store_refuses_to_start(tmp_path):
    without_redis = _session_engine(tmp_path, KYNANGSO_SESSION_STORE="cache")
    assert without_redis.returncode != 0 and "KYNANGSO_SESSION_STORE" in without_redis.stderr
    unknown = _session_engine(tmp_path, KYNANGSO_SESSION_STORE="files", REDIS_URL="redis://127.0.0.1:6379/0")
    assert unknown.returncode != 0 and "KYNANGSO_SESSION_STORE" in unknown.stderr
