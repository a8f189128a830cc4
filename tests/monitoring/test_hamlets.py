"""Hamlets (thôn, ấp, khóm, tổ dân phố) under communes, residents recorded there, community digital teams with
members, and the share of hamlets with an active team (issue 17: the seed plans reach «đến tận khóm, ấp»)."""

import datetime

import pytest

from kynangso.accounts import api as accounts
from kynangso.errors import DomainError
from kynangso.monitoring import api as monitoring
from kynangso.orgs import api as orgs
from kynangso.people import api as people
from tests.factories import make_person, make_unit
from tests.monitoring.conftest import all_values, make_indicator

D = datetime.date


@pytest.fixture
def hamlets(province):
    """Three hamlets of commune A and one of ward B; a team in hamlet 1 (one member) and an empty one in hamlet 2."""
    h = type("Hamlets", (), {})()
    h.one = make_unit("X001-T1", "Thôn Một", kind="hamlet", parent=province.a)
    h.two = make_unit("X001-T2", "Ấp Hai", kind="hamlet", parent=province.a)
    h.three = make_unit("X001-T3", "Khóm Ba", kind="hamlet", parent=province.a)
    h.street = make_unit("X002-TDP1", "Tổ dân phố 1", kind="hamlet", parent=province.b)
    h.team_one = make_unit("X001-T1-CNS", "Tổ công nghệ số cộng đồng Thôn Một", kind="community_team", parent=h.one)
    h.team_two = make_unit("X001-T2-CNS", "Tổ công nghệ số cộng đồng Ấp Hai", kind="community_team", parent=h.two)
    h.member = make_person(h.one, groups=("resident", "community_team"), workplace=h.team_one)
    h.share = make_indicator(
        "thon-co-to-cong-nghe-so",
        name="Thôn có tổ công nghệ số",
        measure="percent",
        source="hamlets_with_team",
        attribution="residence",
        denominator="hamlets",
    )
    return h


def _value(indicator, unit):
    rows = [row for row in all_values() if row[0] == indicator.pk and row[1] == unit.pk]
    return rows[-1][3:] if rows else None


def test_the_share_counts_hamlets_whose_team_has_members_up_the_tree(hamlets, province):
    monitoring.run_full_rollup()
    assert _value(hamlets.share, province.a) == (1, 3)  # hamlet 2's team has no member yet
    assert _value(hamlets.share, province.b) == (0, 1)
    assert _value(hamlets.share, province.root) == (1, 4)
    assert _value(hamlets.share, hamlets.one) == (1, 1)


def test_a_member_joining_a_team_is_taken_in_by_the_incremental_run(
    hamlets, province, django_capture_on_commit_callbacks
):
    monitoring.run_full_rollup()
    with django_capture_on_commit_callbacks(execute=True):
        people.update_person(person=make_person(hamlets.two), actor=accounts.SYSTEM, workplace_unit=hamlets.team_two)
        team = orgs.create_unit(
            code="X002-TDP1-CNS", name="Tổ công nghệ số Tổ dân phố 1", kind="community_team", parent=hamlets.street
        )
        people.update_person(person=make_person(hamlets.street), actor=accounts.SYSTEM, workplace_unit=team)
    monitoring.run_incremental_rollup()
    incremental = all_values()
    assert _value(hamlets.share, province.root) == (3, 4)
    monitoring.run_full_rollup()
    assert all_values() == incremental


def test_residents_may_live_in_a_hamlet_and_count_in_their_commune(hamlets, province):
    residents = make_indicator(
        "nguoi-dan", name="Người dân", source="people", target_group="resident", attribution="residence"
    )
    monitoring.run_full_rollup()
    assert _value(residents, hamlets.one) == (1, None)
    assert _value(residents, province.a)[0] == 1


def test_a_hamlet_belongs_to_a_commune_and_a_team_to_a_hamlet_or_commune(province):
    with pytest.raises(DomainError, match="phải thuộc một xã, phường"):
        orgs.create_unit(code="T-LAC", name="Thôn Lạc", kind="hamlet", parent=province.department)
    with pytest.raises(DomainError, match="Tổ công nghệ số cộng đồng phải thuộc"):
        orgs.create_unit(code="CNS-LAC", name="Tổ lạc", kind="community_team", parent=province.root)
    assert orgs.create_unit(code="CNS-XA", name="Tổ công nghệ số xã", kind="community_team", parent=province.b)


def test_an_official_who_volunteers_keeps_her_office_and_makes_her_hamlets_team_active(
    hamlets, province, django_capture_on_commit_callbacks
):
    """A team member is recorded by a membership naming the team, not by moving her workplace to it."""
    official = make_person(hamlets.two, groups=("resident", "official"), workplace=province.department)
    officials = make_indicator(
        "can-bo", name="Cán bộ", source="people", target_group="official", attribution="workplace"
    )
    monitoring.run_full_rollup()
    with django_capture_on_commit_callbacks(execute=True):
        people.join_community_team(
            person=official, team=hamlets.team_two, valid_from=D(2024, 1, 1), actor=accounts.SYSTEM
        )
    monitoring.run_incremental_rollup()
    incremental = all_values()
    assert _value(hamlets.share, province.a) == (2, 3)
    assert _value(officials, province.department)[0] == 1  # still counted at her office
    assert list(people.community_team_members(hamlets.team_two)) == [official]
    monitoring.run_full_rollup()
    assert all_values() == incremental


def test_a_team_whose_last_member_left_before_the_period_end_is_not_active(
    hamlets, province, django_capture_on_commit_callbacks
):
    volunteer = make_person(hamlets.two)
    people.join_community_team(person=volunteer, team=hamlets.team_two, valid_from=D(2020, 1, 1), actor=accounts.SYSTEM)
    monitoring.run_full_rollup()
    assert _value(hamlets.share, province.a) == (2, 3)
    with pytest.raises(DomainError, match="Ngày rời tổ phải từ ngày tham gia trở đi"):
        people.leave_community_team(
            person=volunteer, team=hamlets.team_two, valid_to=D(2019, 12, 31), actor=accounts.SYSTEM
        )
    assert people.open_team_memberships(volunteer)  # refused: still a member
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            people.leave_community_team(
                person=volunteer, team=hamlets.team_two, valid_to=D(2020, 6, 30), actor=accounts.SYSTEM
            )
            == 1
        )
    monitoring.run_incremental_rollup()
    incremental = all_values()
    assert _value(hamlets.share, province.a) == (1, 3)
    assert list(people.community_team_members(hamlets.team_two)) == []
    monitoring.run_full_rollup()
    assert all_values() == incremental


def test_only_a_team_in_the_actors_scope_can_be_joined(hamlets, province, commune_admin):
    volunteer = make_person(hamlets.one)
    with pytest.raises(DomainError, match="không phải là một tổ công nghệ số cộng đồng"):
        people.join_community_team(person=volunteer, team=hamlets.two, valid_from=D(2025, 1, 1), actor=accounts.SYSTEM)
    outside = make_person(province.b)
    with pytest.raises(DomainError, match="ngoài phạm vi"):
        people.join_community_team(person=outside, team=hamlets.team_one, valid_from=D(2025, 1, 1), actor=commune_admin)
    assert people.join_community_team(
        person=volunteer, team=hamlets.team_one, valid_from=D(2025, 1, 1), actor=commune_admin
    )
    assert (
        people.join_community_team(  # already a member: nothing new
            person=volunteer, team=hamlets.team_one, valid_from=D(2025, 3, 1), actor=commune_admin
        )
        is None
    )
    assert people.TargetGroup.COMMUNITY_TEAM in people.current_groups(volunteer)


def test_joining_again_after_leaving_on_the_same_day_reopens_the_one_membership(hamlets):
    """A commune records a join by mistake, the leave, then the join again, all today: one membership, open."""
    volunteer = make_person(hamlets.one)
    day = D(2026, 3, 1)
    first = people.join_community_team(person=volunteer, team=hamlets.team_one, valid_from=day, actor=accounts.SYSTEM)
    people.leave_community_team(person=volunteer, team=hamlets.team_one, valid_to=day, actor=accounts.SYSTEM)
    again = people.join_community_team(person=volunteer, team=hamlets.team_one, valid_from=day, actor=accounts.SYSTEM)
    assert again.pk == first.pk and people.open_team_memberships(volunteer) == [again]
    later = people.join_community_team(  # already an open member, whatever day is given
        person=volunteer, team=hamlets.team_one, valid_from=D(2025, 1, 1), actor=accounts.SYSTEM
    )
    assert later is None and len(people.open_team_memberships(volunteer)) == 1
