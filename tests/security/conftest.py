"""The security tests' world, built once per module inside a transaction that is rolled back after the module."""

import pytest
from django.db import transaction
from django.test import override_settings

from tests.security.world import build_world


@pytest.fixture(scope="module")
def _world_settings(tmp_path_factory):
    folder = tmp_path_factory.mktemp("security")
    with override_settings(
        KYNANGSO_CREDENTIAL_KEYS_DIR=str(folder / "keys"),
        SITE_URL="https://kynangso.thunghiem.gov.vn",
        CREDENTIAL_ISSUER_NAME="So Khoa hoc va Cong nghe",
        MEDIA_ROOT=str(folder / "media"),
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],  # many users; never in production
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "security"}},
        AXES_ENABLED=False,
    ):
        yield folder


@pytest.fixture(autouse=True)
def _isolated_cache():
    """Replaces the suite's fixture of the same name, whose per-test media folder would lose the world's evidence
    files after the first test; the world's own folder (above) is used instead, with an emptied cache."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, _world_settings):
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)
