"""The back office is scoped like the pages: a commune administrator sees and changes only their subtree."""

import pytest

from kynangso.accounts.api import SYSTEM
from kynangso.accounts.models import Role
from tests.factories import make_person, make_user


@pytest.fixture
def two_people(province):
    return make_person(province.a, "Nguyễn Văn An"), make_person(province.b, "Trần Văn Bình")


def test_commune_admin_changelist_shows_only_own_commune(client, commune_admin, two_people):
    client.force_login(commune_admin)
    page = client.get("/quan-tri/people/person/").content.decode()
    assert "Nguyễn Văn An" in page
    assert "Trần Văn Bình" not in page


def test_commune_admin_cannot_open_other_communes_person_in_admin(client, commune_admin, two_people):
    client.force_login(commune_admin)
    response = client.get(f"/quan-tri/people/person/{two_people[1].pk}/change/")
    assert response.status_code in (302, 403, 404)
    assert "Trần Văn Bình" not in response.content.decode()


def test_admin_person_list_never_shows_full_national_id(client, commune_admin, two_people):
    from kynangso.people.identity import decrypt_national_id

    client.force_login(commune_admin)
    page = client.get("/quan-tri/people/person/").content.decode()
    assert decrypt_national_id(two_people[0].national_id_ciphertext) not in page


def test_admin_search_ignores_diacritics(client, commune_admin, two_people):
    client.force_login(commune_admin)
    assert "Nguyễn Văn An" in client.get("/quan-tri/people/person/", {"q": "nguyen van"}).content.decode()


def test_commune_admin_cannot_change_units(client, commune_admin, province):
    client.force_login(commune_admin)
    assert client.get(f"/quan-tri/orgs/orgunit/{province.a.pk}/change/").status_code == 200  # view only
    response = client.post(f"/quan-tri/orgs/orgunit/{province.a.pk}/change/", {"name": "Tên mới", "kind": "commune"})
    assert response.status_code == 403
    province.a.refresh_from_db()
    assert province.a.name == "Xã An Bình"


def test_provincial_admin_adds_a_unit_through_the_admin_and_it_joins_the_tree(client, provincial_admin, province):
    from kynangso.orgs import api as orgs

    client.force_login(provincial_admin)
    response = client.post(
        "/quan-tri/orgs/orgunit/add/",
        {
            "code": "X003",
            "name": "Xã Tân Lập",
            "kind": "commune",
            "parent": province.root.pk,
            "school_level": "",
            "valid_from": "",
            "events-TOTAL_FORMS": "0",
            "events-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    unit = orgs.unit_by_code("X003")
    assert unit.id in set(orgs.subtree_unit_ids([province.root.id]).values_list("descendant_id", flat=True))


def test_learner_has_no_back_office(client, province):
    client.force_login(make_user("hoc_vien", Role.LEARNER, province.a))
    assert client.get("/quan-tri/").status_code == 302


def test_audit_log_is_visible_to_auditor_but_read_only(client, province, two_people):
    auditor = make_user("kiem_tra", Role.AUDITOR, province.root)
    client.force_login(auditor)
    assert client.get("/quan-tri/people/personaldataaccess/").status_code == 200
    assert client.get("/quan-tri/people/personaldataaccess/add/").status_code == 403


@pytest.fixture
def auditor(province):
    return make_user("kiemtra", Role.AUDITOR, province.root)


@pytest.mark.parametrize(
    "lookup, value",
    [
        ("phone__startswith", "09"),
        ("phone", "0912345678"),
        ("birth_date__month", "3"),
        ("birth_date__day", "15"),
        ("birth_date__year__gte", "1980"),
        ("national_id_digest__startswith", "a"),
    ],
)
def test_admin_changelist_refuses_a_filter_on_protected_personal_data(client, auditor, province, lookup, value):
    person = make_person(province.a, "Nguyễn Văn An", phone="0912345678")
    client.force_login(auditor)

    response = client.get("/quan-tri/people/person/", {"id__exact": person.pk, lookup: value})

    assert response.status_code == 400
    assert "Nguyễn Văn An" not in response.content.decode()


def test_admin_audit_log_refuses_a_filter_reaching_protected_data_through_the_person(client, auditor, province):
    client.force_login(auditor)

    response = client.get("/quan-tri/people/personaldataaccess/", {"person__birth_date__month": "3"})

    assert response.status_code == 400


def test_admin_search_does_not_match_part_of_a_phone(client, auditor, province):
    make_person(province.a, "Nguyễn Văn An", phone="0912345678")
    client.force_login(auditor)

    assert "Nguyễn Văn An" not in client.get("/quan-tri/people/person/", {"q": "0912345"}).content.decode()
    assert "Nguyễn Văn An" in client.get("/quan-tri/people/person/", {"q": "0912345678"}).content.decode()


def test_protected_paths_are_recognised_with_prefixes_and_through_relations(rf, auditor):
    from django.contrib import admin

    from kynangso.people.models import Person, PersonalDataAccess

    person_admin, audit_admin = admin.site._registry[Person], admin.site._registry[PersonalDataAccess]
    assert person_admin.touches_personal_data("-birth_date") and person_admin.touches_personal_data("^phone")
    assert audit_admin.touches_personal_data("person__national_id_digest")
    assert not person_admin.touches_personal_data("search_name")
    assert not audit_admin.touches_personal_data("person__search_name")


def test_the_workplace_admin_gets_name_and_residence_read_only_in_the_admin(client, commune_admin, province):
    teacher = make_person(province.b, "Phạm Giáo Viên", workplace=province.school)
    client.force_login(commune_admin)

    page = client.get(f"/quan-tri/people/person/{teacher.pk}/change/").content.decode()

    assert 'name="full_name"' not in page and 'name="residence_unit"' not in page
    assert 'name="workplace_unit"' in page


def test_the_change_history_in_the_admin_is_scoped_and_read_only(client, commune_admin, province):
    from kynangso.people import api as people

    mine, other = make_person(province.a, "Nguyễn Văn An"), make_person(province.b, "Trần Văn Bình")
    people.update_person(person=mine, actor=commune_admin, full_name="Nguyễn Văn Ân")
    people.update_person(person=other, actor=SYSTEM, full_name="Trần Văn Bính")
    client.force_login(commune_admin)

    page = client.get("/quan-tri/people/personchange/").content.decode()

    assert "Nguyễn Văn Ân" in page and "Trần Văn Bính" not in page
    assert client.get("/quan-tri/people/personchange/add/").status_code == 403
