"""Revealing many people at once (a full export): only those in the reader's scope, one audit row each."""

from kynangso.people import api as people
from kynangso.people.models import PersonalDataAccess
from tests.factories import make_person


def test_export_reveals_only_people_in_scope_and_logs_each(province, commune_admin):
    mine = make_person(province.a)
    make_person(province.b, full_name="Lê Thị Hoa", sex="female")

    revealed = list(people.reveal_many(people.Person.objects.all(), actor=commune_admin, channel="export"))

    assert [person for person, _data in revealed] == [mine]
    assert list(PersonalDataAccess.objects.values_list("person_id", flat=True)) == [mine.pk]


def test_a_deactivated_admin_exports_nobody(province, commune_admin):
    make_person(province.a)
    commune_admin.is_active = False
    commune_admin.save()

    assert list(people.reveal_many(people.Person.objects.all(), actor=commune_admin, channel="export")) == []
    assert not PersonalDataAccess.objects.exists()
