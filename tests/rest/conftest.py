"""Helpers for the REST API tests: bearer headers for a user, and JSON requests through Django's test client."""
import json

import pytest

from kynangso.accounts import api as accounts


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
