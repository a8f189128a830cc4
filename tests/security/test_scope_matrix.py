"""The scope matrix: every URL pattern of the site × every role × an object inside and one outside the role's scope.

Outside (commune B, in another province) must never answer with the object's data: an object page is refused
(401/403/404 or a redirect to a login page), and no page, list, export or REST answer carries any of commune B's
markers. The URL list is walked from the URL configuration; a pattern without an entry in `registry.py` fails."""

import pytest

from tests.security import registry
from tests.security.world import ANONYMOUS, ROLES, markers_in, refused, request_as

ACTORS = (ANONYMOUS, *ROLES)
ENTRIES = list(registry.url_entries())
OBJECTS = [(key, entry) for key, _route, entry in ENTRIES if entry.kind == registry.OBJECT]
REACHABLE = [(key, entry) for key, entry in OBJECTS if entry.reachable]
COLLECTIONS = [(key, entry) for key, _route, entry in ENTRIES if entry.kind == registry.COLLECTION]


def test_every_url_pattern_has_an_entry_in_the_matrix():
    entries = registry.registry()
    keys = {key for key, _route, _pattern in registry.walk_patterns()}
    missing = sorted(key for key in keys if not registry.covered(key, entries))
    assert not missing, f"URL patterns without a scope entry in tests/security/registry.py: {missing}"


def test_the_matrix_names_no_url_that_no_longer_exists():
    keys = {key for key, _route, _pattern in registry.walk_patterns()}
    stale = sorted(set(registry.PAGES) - keys)
    assert not stale, f"registry entries for URL patterns that do not exist: {stale}"


def test_every_admin_model_is_in_the_matrix():
    from django.contrib import admin

    missing = sorted(
        model._meta.label_lower
        for model in admin.site._registry
        if model._meta.label_lower not in registry.ADMIN_OBJECTS
    )
    assert not missing, f"admin models without an entry in registry.ADMIN_OBJECTS: {missing}"


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize(("key", "entry"), OBJECTS, ids=[key for key, _ in OBJECTS])
def test_an_object_outside_the_actors_scope_is_refused(world, db, key, entry, actor):
    response = request_as(world, actor, key, entry, world.outside)
    assert refused(response, entry, world, world.outside), (
        f"{key} as {actor}: {response.status_code} for an object outside scope"
    )
    assert not markers_in(response, world.outside), f"{key} as {actor} shows data of an object outside scope"


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize(("key", "entry"), COLLECTIONS, ids=[key for key, _ in COLLECTIONS])
def test_a_list_or_export_never_carries_an_object_outside_the_actors_scope(world, db, key, entry, actor):
    response = request_as(world, actor, key, entry, world.outside)
    assert response.status_code < 500, f"{key} as {actor}: server error {response.status_code}"
    found = markers_in(response, world.outside)
    assert not found, f"{key} as {actor} ({response.status_code}) shows data outside scope: {found}"


@pytest.mark.parametrize(("key", "entry"), REACHABLE, ids=[key for key, _ in REACHABLE])
def test_some_role_reaches_the_object_inside_its_scope(world, db, key, entry):
    """Keeps the matrix honest: the URL built for the outside object is the one that works for the inside one."""
    answers = {}
    for actor in ROLES:
        response = request_as(world, actor, key, entry, world.inside)
        answers[actor] = response.status_code
        if not refused(response, entry, world, world.inside) and response.status_code < 500:
            return
    pytest.fail(f"{key}: no role reaches the inside object ({answers}); the kwargs builder is probably wrong")
