"""Exam day on PostgreSQL: many people start the same standard at the same moment, drawing the same items."""

import pytest

from kynangso.accounts.models import Role
from kynangso.assessment import api as assessment
from kynangso.assessment.models import AttemptItem, Item
from tests.concurrency import run_at_once
from tests.conftest import database_is_postgresql
from tests.factories import make_person, make_user

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not database_is_postgresql(), reason="real concurrent writers need PostgreSQL (DATABASE_URL)"),
]


def test_twelve_people_starting_at_once_all_get_their_attempt_and_every_draw_is_counted(standard, province):
    takers = [
        make_person(province.a, full_name=f"Người Thi {n}", user=make_user(f"thi{n}", Role.LEARNER, province.a))
        for n in range(12)
    ]

    def start(person):
        return lambda: assessment.start_attempt(person=person, standard=standard, started_by=person.user)

    # Every form draws 6 of the bank's 18 items, so the starts lock overlapping item rows in their own orders.
    assert run_at_once([start(person) for person in takers]) == []
    assert AttemptItem.objects.filter(attempt__person__in=takers).count() == 12 * 6
    assert sum(Item.objects.values_list("times_drawn", flat=True)) == 12 * 6
