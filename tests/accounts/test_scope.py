"""Where a user may act: each role's capabilities, within the subtree of the unit it was granted at."""

import pytest
from django.contrib.auth.models import AnonymousUser

from kynangso.accounts import api as accounts
from kynangso.accounts import capabilities as caps
from kynangso.accounts.models import Role, User
from tests.factories import make_user


def unit_ids(user, capability) -> set[int]:
    return set(accounts.scope_unit_ids(user, capability).values_list("descendant_id", flat=True))


@pytest.mark.parametrize(
    ("role", "allowed", "refused"),
    [
        (Role.LEARNER, set(), {caps.PEOPLE_VIEW, caps.UNITS_VIEW}),
        (Role.HELPER, {caps.PEOPLE_VIEW, caps.UNITS_VIEW}, {caps.PEOPLE_CHANGE, caps.PEOPLE_REVEAL}),
        (
            Role.UNIT_ADMIN,
            {caps.PEOPLE_CHANGE, caps.PEOPLE_IMPORT, caps.PEOPLE_REVEAL, caps.DENOMINATORS_CHANGE},
            {caps.UNITS_CHANGE, caps.ROLES_MANAGE, caps.AUDIT_VIEW},
        ),
        (Role.CONTENT_AUTHOR, {caps.UNITS_VIEW}, {caps.PEOPLE_VIEW}),
        (Role.PROVINCIAL_ADMIN, {caps.UNITS_CHANGE, caps.ROLES_MANAGE, caps.AUDIT_VIEW, caps.PEOPLE_REVEAL}, set()),
        (
            Role.AUDITOR,
            {caps.PEOPLE_VIEW, caps.AUDIT_VIEW, caps.JOBS_VIEW},
            {caps.PEOPLE_CHANGE, caps.PEOPLE_REVEAL, caps.PEOPLE_EXPORT},
        ),
    ],
)
def test_each_role_grants_its_capabilities_and_no_others(province, role, allowed, refused):
    user = make_user("nguoi_thu", role, province.a)

    assert {cap for cap in allowed if accounts.has_capability(user, cap, province.a.id)} == allowed
    assert not any(accounts.has_capability(user, cap, province.a.id) for cap in refused)


def test_a_capability_holds_in_the_whole_subtree_of_the_unit(province, commune_admin):
    assert unit_ids(commune_admin, caps.PEOPLE_CHANGE) == {province.a.id, province.school.id}
    assert accounts.has_capability(commune_admin, caps.PEOPLE_CHANGE, province.school.id)


def test_a_capability_does_not_hold_above_or_beside_the_unit(province, commune_admin):
    assert not accounts.has_capability(commune_admin, caps.PEOPLE_CHANGE, province.root.id)
    assert not accounts.has_capability(commune_admin, caps.PEOPLE_CHANGE, province.b.id)


def test_has_capability_without_a_unit_asks_whether_anywhere(province, commune_admin):
    assert accounts.has_capability(commune_admin, caps.PEOPLE_CHANGE)
    assert not accounts.has_capability(commune_admin, caps.ROLES_MANAGE)


def test_roles_at_two_units_give_the_union_of_their_subtrees(province, commune_admin):
    accounts.assign_role(user=commune_admin, role=Role.HELPER, unit=province.b)

    assert unit_ids(commune_admin, caps.PEOPLE_VIEW) == {province.a.id, province.school.id, province.b.id}
    assert unit_ids(commune_admin, caps.PEOPLE_CHANGE) == {province.a.id, province.school.id}


def test_provincial_admin_scope_is_the_whole_province(province, provincial_admin):
    expected = {province.root.id, province.a.id, province.b.id, province.department.id, province.school.id}

    assert unit_ids(provincial_admin, caps.PEOPLE_VIEW) == expected


def test_superuser_may_do_everything_everywhere(province):
    superuser = User.objects.create_superuser("sieu_quan_tri", password="Mat-khau-an-toan-2025")

    assert accounts.scope_unit_ids(superuser, caps.ROLES_MANAGE) is None
    assert accounts.has_capability(superuser, caps.ROLES_MANAGE, province.b.id)


def test_a_deactivated_user_may_do_nothing(province, commune_admin):
    commune_admin.is_active = False
    commune_admin.save()

    assert not accounts.has_capability(commune_admin, caps.PEOPLE_VIEW, province.a.id)
    assert unit_ids(commune_admin, caps.PEOPLE_VIEW) == set()


def test_an_anonymous_visitor_may_do_nothing(province):
    anonymous = AnonymousUser()

    assert not accounts.has_capability(anonymous, caps.PEOPLE_VIEW)
    assert not accounts.scope_unit_ids(anonymous, caps.PEOPLE_VIEW).exists()


def test_scope_follows_a_merger_to_the_successor(province):
    import datetime

    from kynangso.orgs import api as orgs

    admin_b = make_user("admin_phuong_b", Role.UNIT_ADMIN, province.b)
    orgs.merge_units(sources=[province.a], into=province.b, effective_date=datetime.date(2025, 7, 1))

    assert accounts.has_capability(admin_b, caps.PEOPLE_CHANGE, province.school.id)
