"""A commune administrator records, on a person's page, that the person joined their hamlet's community digital team
or left it; the person keeps their workplace, and nobody outside the commune can change it."""

import datetime

import pytest
from django.utils import timezone

from kynangso.accounts import api as accounts
from kynangso.accounts.models import Role, RoleAssignment
from kynangso.errors import DomainError
from kynangso.people import api as people
from tests.factories import make_person, make_unit, make_user

D = datetime.date


@pytest.fixture
def hamlet_team(province):
    hamlet = make_unit("X001-T1", "Thôn Một", kind="hamlet", parent=province.a)
    return make_unit("X001-T1-CNS", "Tổ công nghệ số cộng đồng Thôn Một", kind="community_team", parent=hamlet)


@pytest.fixture
def teacher(province):
    """A teacher of the commune's school, living in commune A: she volunteers for the hamlet's team."""
    return make_person(
        province.a, "Lê Thị Hoa", D(1990, 2, 2), "female", groups=("resident", "teacher"), workplace=province.school
    )


def _page(client, person) -> str:
    return client.get(f"/nguoi/{person.pk}/").content.decode()


def test_the_administrator_records_a_teacher_joining_the_team_and_she_keeps_her_school(
    client, commune_admin, teacher, hamlet_team, province
):
    client.force_login(commune_admin)
    page = _page(client, teacher)
    assert "Ghi nhận tham gia tổ" in page and "Tổ công nghệ số cộng đồng Thôn Một" in page
    reply = client.post(
        f"/nguoi/{teacher.pk}/to-cong-nghe-so/", {"team": hamlet_team.pk, "valid_from": "2026-03-01"}, follow=True
    )
    text = reply.content.decode()
    assert "Đã ghi nhận Lê Thị Hoa tham gia «Tổ công nghệ số cộng đồng Thôn Một» từ ngày 01/03/2026." in text
    assert "Thành viên «Tổ công nghệ số cộng đồng Thôn Một» từ 01/03/2026" in text
    assert list(people.community_team_members(hamlet_team)) == [teacher]
    teacher.refresh_from_db()
    assert teacher.workplace_unit == province.school


def test_leaving_closes_the_membership_on_the_day_given(client, commune_admin, teacher, hamlet_team):
    people.join_community_team(person=teacher, team=hamlet_team, valid_from=D(2025, 1, 1), actor=commune_admin)
    client.force_login(commune_admin)
    membership = people.open_team_memberships(teacher)[0]
    too_early = client.post(
        f"/nguoi/{teacher.pk}/to-cong-nghe-so/roi/",
        {"membership": membership.pk, "valid_to": "2024-12-31"},
        follow=True,
    )
    assert "Ngày rời tổ phải từ ngày tham gia trở đi." in too_early.content.decode()
    assert people.open_team_memberships(teacher) == [membership]
    reply = client.post(
        f"/nguoi/{teacher.pk}/to-cong-nghe-so/roi/",
        {"membership": membership.pk, "valid_to": "2026-06-30"},
        follow=True,
    )
    assert "rời «Tổ công nghệ số cộng đồng Thôn Một» ngày 30/06/2026" in reply.content.decode()
    assert people.open_team_memberships(teacher) == []
    assert not people.community_team_members(hamlet_team, on=D(2026, 7, 1)).exists()
    assert people.community_team_members(hamlet_team, on=D(2026, 6, 30)).exists()


def test_a_team_of_another_commune_or_a_unit_that_is_no_team_is_refused_and_nothing_changes(
    client, commune_admin, teacher, hamlet_team, province
):
    hamlet_b = make_unit("X002-T1", "Ấp Bờ", kind="hamlet", parent=province.b)
    team_b = make_unit("X002-T1-CNS", "Tổ công nghệ số cộng đồng Ấp Bờ", kind="community_team", parent=hamlet_b)
    client.force_login(commune_admin)
    assert "Ấp Bờ" not in _page(client, teacher)  # only the teams of her commune are offered
    for unit in (team_b, province.school):
        reply = client.post(
            f"/nguoi/{teacher.pk}/to-cong-nghe-so/", {"team": unit.pk, "valid_from": "2026-03-01"}, follow=True
        )
        assert "Hãy chọn một tổ trong danh sách." in reply.content.decode()
    assert people.open_team_memberships(teacher) == []


def test_someone_of_another_commune_cannot_see_or_change_the_persons_team(client, province, hamlet_team, teacher):
    other = make_user("admin_xa_b", Role.UNIT_ADMIN, province.b)
    client.force_login(other)
    assert (
        client.post(
            f"/nguoi/{teacher.pk}/to-cong-nghe-so/", {"team": hamlet_team.pk, "valid_from": "2026-03-01"}
        ).status_code
        == 404
    )
    assert people.open_team_memberships(teacher) == []


def test_an_auditor_sees_the_team_but_no_form(client, province, hamlet_team, teacher):
    people.join_community_team(person=teacher, team=hamlet_team, valid_from=D(2025, 1, 1), actor=accounts.SYSTEM)
    viewer = make_user("kiem_tra_xa_a", Role.AUDITOR, province.a)
    client.force_login(viewer)
    page = _page(client, teacher)
    assert "Thành viên «Tổ công nghệ số cộng đồng Thôn Một» từ 01/01/2025" in page
    assert "Ghi nhận tham gia tổ" not in page and "Ghi nhận rời tổ" not in page


def test_one_who_may_see_the_person_but_change_people_only_elsewhere_is_refused_with_403(
    client, province, hamlet_team, teacher
):
    people.join_community_team(person=teacher, team=hamlet_team, valid_from=D(2025, 1, 1), actor=accounts.SYSTEM)
    viewer = make_user("kiem_tra_xa_a", Role.AUDITOR, province.a)  # sees commune A ...
    RoleAssignment.objects.create(user=viewer, role=Role.UNIT_ADMIN, unit=province.b)  # ... changes people in B
    client.force_login(viewer)
    (membership,) = people.open_team_memberships(teacher)
    leave = {"membership": membership.pk, "valid_to": "2026-03-01"}
    assert client.post(f"/nguoi/{teacher.pk}/to-cong-nghe-so/roi/", leave).status_code == 403
    assert people.open_team_memberships(teacher) == [membership]


def test_a_team_of_another_commune_is_refused_by_the_service_whoever_asks(province, hamlet_team, teacher):
    hamlet_b = make_unit("X002-T1", "Ấp Bờ", kind="hamlet", parent=province.b)
    team_b = make_unit("X002-T1-CNS", "Tổ công nghệ số cộng đồng Ấp Bờ", kind="community_team", parent=hamlet_b)
    with pytest.raises(DomainError) as refused:
        people.join_community_team(person=teacher, team=team_b, valid_from=D(2026, 3, 1), actor=accounts.SYSTEM)
    assert "không thuộc xã, phường nơi người này cư trú" in refused.value.message
    assert people.open_team_memberships(teacher) == []


def test_a_volunteer_who_moves_to_another_commune_leaves_the_team_of_the_commune_left_that_day(
    client, province, hamlet_team, teacher, provincial_admin
):
    people.join_community_team(person=teacher, team=hamlet_team, valid_from=D(2025, 1, 1), actor=accounts.SYSTEM)
    people.update_person(person=teacher, actor=provincial_admin, residence_unit=province.b)
    today = timezone.localdate()
    assert people.open_team_memberships(teacher) == []
    assert teacher.memberships.get(team=hamlet_team).valid_to == today  # a member until the day of the move
    assert list(people.community_team_members(hamlet_team, on=today)) == [teacher]
    assert not people.community_team_members(hamlet_team, on=today + datetime.timedelta(days=1)).exists()
    # Commune B's administrator, who manages her now, has nothing left open that she could not close.
    client.force_login(make_user("admin_xa_b", Role.UNIT_ADMIN, province.b))
    assert "Ghi nhận rời tổ" not in _page(client, teacher)


def test_a_move_within_the_commune_keeps_the_team(province, hamlet_team, teacher, provincial_admin):
    people.join_community_team(person=teacher, team=hamlet_team, valid_from=D(2025, 1, 1), actor=accounts.SYSTEM)
    people.update_person(person=teacher, actor=provincial_admin, residence_unit=hamlet_team.parent)
    assert [m.team for m in people.open_team_memberships(teacher)] == [hamlet_team]
