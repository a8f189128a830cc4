"""Shared fixtures: a small province (two communes, a department, a school) and users scoped to parts of it."""

import os

import pytest

from kynangso.accounts.models import Role
from tests.factories import make_unit, make_user


def pytest_configure(config):
    """Under pytest-xdist (`make test` runs a worker per core) each worker gets a Redis database of its own, counted
    down from REDIS_TEST_URL's, as pytest-django gives each worker a test database of its own."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if worker.startswith("gw"):
        base, _, number = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15").rpartition("/")
        os.environ["REDIS_TEST_URL"] = f"{base}/{int(number) - int(worker[2:])}"


@pytest.fixture(autouse=True)
def _isolated_cache(settings, tmp_path):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": str(tmp_path)}
    }
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def province(db):
    """Tỉnh Thử nghiệm with two communes, a department and a school under commune A."""
    root = make_unit("T01", "Tỉnh Thử nghiệm", kind="province")
    commune_a = make_unit("X001", "Xã An Bình", parent=root)
    commune_b = make_unit("X002", "Phường Bình Minh", kind="ward", parent=root)
    department = make_unit("S01", "Sở Khoa học và Công nghệ", kind="department", parent=root)
    school = make_unit("TH01", "Trường Tiểu học An Bình", kind="school", parent=commune_a, school_level="primary")
    return type(
        "Province", (), {"root": root, "a": commune_a, "b": commune_b, "department": department, "school": school}
    )


@pytest.fixture
def commune_admin(province):
    return make_user("admin_xa_a", Role.UNIT_ADMIN, province.a)


@pytest.fixture
def provincial_admin(province):
    return make_user("admin_tinh", Role.PROVINCIAL_ADMIN, province.root)


def database_is_postgresql() -> bool:
    return (os.environ.get("DATABASE_URL") or "").startswith(("postgres", "postgresql"))
