"""Finding people: only within the reader's scope, by name without diacritics or case, by full ID, by phone, by group."""

import datetime

import pytest

from kynangso.accounts.api import SYSTEM
from kynangso.accounts.models import Role
from kynangso.people import api as people
from tests.factories import make_national_id, make_person, make_user

EVERYONE = people.Person.objects.all()


@pytest.fixture
def an(province):
    return make_person(province.a, full_name="Nguyễn Văn An", phone="0912345678")


@pytest.fixture
def do(province):
    return make_person(province.b, full_name="Đỗ Thị Hoa", sex="female", birth_date=datetime.date(2001, 9, 9))


def names(queryset) -> list[str]:
    return [person.full_name for person in queryset]


def test_commune_admin_sees_only_people_of_their_commune(province, commune_admin, an, do):
    assert names(people.people_in_scope(commune_admin)) == ["Nguyễn Văn An"]


def test_commune_admin_sees_people_who_work_within_their_commune(province, commune_admin):
    make_person(province.b, full_name="Phạm Giáo Viên", workplace=province.school)

    assert names(people.people_in_scope(commune_admin)) == ["Phạm Giáo Viên"]


def test_provincial_admin_sees_everyone_in_the_province(provincial_admin, an, do):
    assert set(names(people.people_in_scope(provincial_admin))) == {"Nguyễn Văn An", "Đỗ Thị Hoa"}


def test_a_learner_without_scope_sees_nobody(province, an):
    learner = make_user("hoc_vien", Role.LEARNER, province.a)

    assert not people.people_in_scope(learner).exists()


def test_scope_query_is_a_single_query(commune_admin, an, do, django_assert_num_queries):
    with django_assert_num_queries(1):
        found = names(people.people_in_scope(commune_admin))
    assert found == ["Nguyễn Văn An"]


@pytest.mark.parametrize("query", ["nguyen van an", "NGUYỄN", "Nguyễn Văn An", "van an", "  nguyen   van  "])
def test_name_search_ignores_diacritics_case_and_spacing(an, do, query):
    assert names(people.search_people(EVERYONE, query=query)) == ["Nguyễn Văn An"]


@pytest.mark.parametrize("query", ["đỗ", "do thi", "ĐỖ THỊ"])
def test_name_search_treats_đ_as_d(an, do, query):
    assert names(people.search_people(EVERYONE, query=query)) == ["Đỗ Thị Hoa"]


def test_search_by_the_full_national_id(province, an):
    national_id = make_national_id(datetime.date(1990, 1, 1), "female")
    make_person(
        province.a, full_name="Lý Thị Mai", sex="female", birth_date=datetime.date(1990, 1, 1), national_id=national_id
    )

    spaced = f"{national_id[:3]} {national_id[3:6]} {national_id[6:]}"
    assert names(people.search_people(EVERYONE, query=spaced)) == ["Lý Thị Mai"]


def test_part_of_a_national_id_finds_nobody(province, an):
    national_id = make_national_id(datetime.date(1990, 1, 1), "male")
    make_person(province.a, full_name="Lý Văn Minh", birth_date=datetime.date(1990, 1, 1), national_id=national_id)

    assert not people.search_people(EVERYONE, query=national_id[:9]).exists()


@pytest.mark.parametrize("query", ["0912345678", "0912 345 678", "+84 912 345 678", "84912345678"])
def test_search_by_phone_in_any_usual_form(an, do, query):
    assert names(people.search_people(EVERYONE, query=query)) == ["Nguyễn Văn An"]


@pytest.mark.parametrize("query", ["345678", "091234", "0912345", "091234567"])
def test_part_of_a_phone_finds_nobody(an, do, query):
    # A partial match answered digit by digit would reveal the number without the reveal right or an audit row.
    assert not people.search_people(EVERYONE, query=query).exists()


def test_search_within_a_unit_covers_its_subtree(province, an, do):
    teacher = make_person(province.b, full_name="Phạm Giáo Viên", workplace=province.school)

    assert set(people.search_people(EVERYONE, unit_id=province.a.id)) == {an, teacher}


def test_search_by_a_group_current_on_a_date(province):
    pupil = make_person(province.a, full_name="Học Sinh Cũ", groups=())
    people.add_target_group(
        person=pupil,
        group="student",
        valid_from=datetime.date(2020, 9, 1),
        valid_to=datetime.date(2025, 5, 31),
        actor=SYSTEM,
    )
    farmer = make_person(province.a, full_name="Nông Dân", groups=("farmer",))

    assert names(people.search_people(EVERYONE, group="student", on_date=datetime.date(2025, 5, 31))) == ["Học Sinh Cũ"]
    assert not people.search_people(EVERYONE, group="student", on_date=datetime.date(2025, 6, 1)).exists()
    assert not people.search_people(EVERYONE, group="student", on_date=datetime.date(2020, 8, 31)).exists()
    assert list(people.search_people(EVERYONE, group="farmer", on_date=datetime.date(2025, 6, 1))) == [farmer]


def test_current_groups_on_a_date(province):
    person = make_person(province.a, groups=("resident",))
    people.add_target_group(
        person=person,
        group="youth_union",
        valid_from=datetime.date(2024, 3, 26),
        valid_to=datetime.date(2024, 12, 31),
        actor=SYSTEM,
    )

    assert sorted(people.current_groups(person, datetime.date(2024, 6, 1))) == ["resident", "youth_union"]
    assert people.current_groups(person, datetime.date(2025, 1, 1)) == ["resident"]
    assert people.current_groups(person, datetime.date(2023, 12, 31)) == []


def test_person_for_user_finds_the_linked_person(province):
    user = make_user("nguoi_dan")
    person = make_person(province.a, user=user)

    assert people.person_for_user(user) == person
    assert people.person_for_user(make_user("khong_gan")) is None
