"""Helpers for the REST API tests: bearer headers for a user, JSON requests through Django's test client, and the
body of a new person."""

import datetime
import json

import pytest

from kynangso.accounts import api as accounts
from tests.factories import make_national_id


@pytest.fixture
def auth_for():
    """`auth_for(user)` issues a token and returns the keyword arguments that send it."""

    def make(user):
        _record, token = accounts.issue_api_token(user=user, name="kiểm thử")
        return {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    return make


@pytest.fixture
def send_json(client):
    """`send_json("post", url, body, **headers)`: a request with a JSON body."""

    def send(method, url, body, **extra):
        return getattr(client, method)(url, data=json.dumps(body), content_type="application/json", **extra)

    return send


def new_person_body(unit, **changes) -> dict:
    body = {
        "full_name": "Lê Thị Hoa",
        "birth_date": "1992-07-20",
        "sex": "female",
        "national_id": make_national_id(datetime.date(1992, 7, 20), "female"),
        "phone": "0987 654 321",
        "residence_unit_id": unit.id,
        "target_groups": [{"group": "farmer", "valid_from": "2025-01-01"}],
    }
    body.update(changes)
    return body
