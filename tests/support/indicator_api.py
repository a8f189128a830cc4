"""Calling the indicator API (/api/v1/monitoring/) in tests as a user with a bearer token, and another province
outside everyone's scope."""

import json

import pytest

from kynangso.accounts import api as accounts
from kynangso.accounts.models import Role
from tests.factories import make_unit, make_user

BASE = "/api/v1/monitoring"


def bearer(user) -> dict:
    _record, token = accounts.issue_api_token(user=user, name="kiểm thử")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def get(client, user, path, params=None):
    return client.get(BASE + path, params or {}, **(bearer(user) if user else {}))


def post(client, user, path, body=None):
    return client.post(
        BASE + path, data=json.dumps(body or {}), content_type="application/json", **(bearer(user) if user else {})
    )


@pytest.fixture
def elsewhere(db):
    """Another province, with a commune and its own administrator: outside the scope of everyone else here."""
    root = make_unit("Q01", "Tỉnh Ngoài", kind="province")
    commune = make_unit("Q001", "Xã Ngoài Phạm Vi", parent=root)
    return type(
        "Elsewhere",
        (),
        {"root": root, "commune": commune, "admin": make_user("admin_tinh_ngoai", Role.PROVINCIAL_ADMIN, root)},
    )
