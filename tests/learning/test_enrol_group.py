"""Group enrolment by a unit administrator: everyone of a unit (or one target group of it), only within scope."""

import datetime

import pytest

from kynangso.errors import DomainError
from kynangso.learning import api as learning
from kynangso.learning.models import Enrolment
from tests.factories import make_person

DAY = datetime.date(2026, 3, 2)


@pytest.fixture
def officials(province):
    return [
        make_person(province.a, full_name=f"Cán bộ {n}", groups=("official",), workplace=province.school)
        for n in range(3)
    ]


def test_a_unit_admin_enrols_the_officials_of_a_unit_in_their_scope(courses, commune_admin, province, officials):
    make_person(province.a, full_name="Người dân Một")
    count = learning.enrol_group(
        actor=commune_admin,
        course=courses["cds-cho-can-bo"],
        unit_id=province.school.pk,
        target_group="official",
        today=DAY,
    )
    assert count == 3
    assert set(Enrolment.objects.values_list("person_id", flat=True)) == {p.pk for p in officials}
    assert set(Enrolment.objects.values_list("source", flat=True)) == {"group"}


def test_enrolling_the_same_group_again_adds_nobody(courses, commune_admin, province, officials):
    course = courses["cds-cho-can-bo"]
    learning.enrol_group(actor=commune_admin, course=course, unit_id=province.a.pk, today=DAY)
    again = learning.enrol_group(actor=commune_admin, course=course, unit_id=province.a.pk, today=DAY)
    assert again == 0 and Enrolment.objects.count() == 3


def test_a_unit_admin_cannot_enrol_a_unit_outside_their_scope(courses, commune_admin, province):
    make_person(province.b, full_name="Người ở phường B")
    with pytest.raises(DomainError):
        learning.enrol_group(actor=commune_admin, course=courses["ky-nang-so-co-ban"], unit_id=province.b.pk, today=DAY)
    assert Enrolment.objects.count() == 0


def test_enrolling_the_whole_province_from_a_commune_role_is_refused(courses, commune_admin, province):
    with pytest.raises(DomainError):
        learning.enrol_group(
            actor=commune_admin, course=courses["ky-nang-so-co-ban"], unit_id=province.root.pk, today=DAY
        )


def test_a_provincial_admin_enrols_a_department(courses, provincial_admin, province):
    staff = make_person(province.b, full_name="Chuyên viên Sở", groups=("official",), workplace=province.department)
    count = learning.enrol_group(
        actor=provincial_admin, course=courses["cds-cho-can-bo"], unit_id=province.department.pk, today=DAY
    )
    assert count == 1 and Enrolment.objects.get().person == staff
