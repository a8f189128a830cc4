"""The system actor: named explicitly, never a user, and holding no capability unless a service grants it."""

import copy
import pickle

import pytest

from kynangso.accounts import api as accounts


def test_the_system_holds_no_capability_so_a_check_that_forgets_it_refuses(province):
    assert not accounts.has_capability(accounts.SYSTEM, accounts.capabilities.PEOPLE_CHANGE, province.a.pk)
    assert not accounts.has_capability(accounts.SYSTEM, accounts.capabilities.CONTENT_REVIEW)
    assert not accounts.scope_unit_ids(accounts.SYSTEM, accounts.capabilities.PEOPLE_VIEW).exists()


@pytest.mark.parametrize("actor", [None, 0, "admin"])
def test_anything_but_a_user_or_the_system_is_refused_as_an_actor(actor):
    with pytest.raises(TypeError):
        accounts.is_system(actor)


def test_a_user_is_not_the_system_and_is_recorded_as_themselves(commune_admin):
    assert accounts.is_system(commune_admin) is False
    assert accounts.recorded_user(commune_admin) == commune_admin
    assert accounts.recorded_user(accounts.SYSTEM) is None


def test_a_copied_system_actor_is_still_the_system():
    assert copy.deepcopy(accounts.SYSTEM) is accounts.SYSTEM
    assert pickle.loads(pickle.dumps(accounts.SYSTEM)) is accounts.SYSTEM
