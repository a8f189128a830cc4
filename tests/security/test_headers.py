"""Every URL pattern answers with the Content-Security-Policy and Permissions-Policy headers (issue 13, finding 11),
whoever asks and whatever the status: pages, exports, errors, redirects, the REST API and the back office."""

import pytest

from kynangso.accounts.models import Role
from tests.security import registry
from tests.security.world import ANONYMOUS, request_as

ENTRIES = [(key, entry) for key, _route, entry in registry.url_entries() if entry.kind != registry.NOT_RUN]
REQUIRED_DIRECTIVES = (
    "default-src 'self'",
    "script-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
    "form-action 'self'",
)
# An image served on its own (the badge SVG) is a document in which nothing may load or run: a stricter policy.
IMAGE_DIRECTIVES = ("default-src 'none'", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'", "sandbox")
DENIED_FEATURES = ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()")


@pytest.mark.parametrize("actor", (ANONYMOUS, Role.PROVINCIAL_ADMIN))
@pytest.mark.parametrize(("key", "entry"), ENTRIES, ids=[key for key, _ in ENTRIES])
def test_every_answer_carries_the_content_security_and_permissions_policies(world, db, key, entry, actor):
    response = request_as(world, actor, key, entry, world.inside)
    policy = response.get("Content-Security-Policy", "")
    directives = {part.strip() for part in policy.split(";")}
    required = IMAGE_DIRECTIVES if response.get("Content-Type", "").startswith("image/") else REQUIRED_DIRECTIVES
    missing = [directive for directive in required if directive not in directives]
    assert not missing, f"{key} as {actor} ({response.status_code}): CSP lacks {missing} (got {policy!r})"
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    features = {part.strip() for part in response.get("Permissions-Policy", "").split(",")}
    assert set(DENIED_FEATURES) <= features, f"{key} as {actor}: Permissions-Policy is {features}"


def test_an_unknown_address_carries_both_headers_too(client, db):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "camera=()" in response["Permissions-Policy"]
