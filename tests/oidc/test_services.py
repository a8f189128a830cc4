"""The account a provider sign-in lands on: one per person, also when two first sign-ins race."""

from django.contrib.auth import get_user_model

from kynangso.oidc import services
from tests.factories import make_person, make_user


def test_a_first_sign_in_that_loses_the_race_lands_on_the_login_the_other_one_created(province):
    person = make_person(province.a, full_name="Trần Thị Lan")
    stale = type(person).objects.get(pk=person.pk)  # the second tab read the person before the first one linked
    first = services._account_of(person)
    logins_before = get_user_model().objects.count()

    second = services._account_of(stale)

    assert second.pk == first.pk
    assert get_user_model().objects.count() == logins_before  # the loser's login was rolled back, not left behind
    person.refresh_from_db()
    assert person.user_id == first.pk


def test_a_person_with_a_login_signs_in_to_it_without_a_new_one(province):
    user = make_user("lan_tran")
    person = make_person(province.a, user=user)

    assert services._account_of(person).pk == user.pk
