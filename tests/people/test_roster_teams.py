"""The roster's column «Mã tổ công nghệ số cộng đồng»: a volunteer listed with their hamlet's team becomes a member of
it (a membership naming the team, their workplace kept), every bad team code is a row error, and monitoring hears of
the team."""

import datetime

import pytest
from django.utils import timezone

from kynangso.accounts.api import SYSTEM
from kynangso.monitoring import api as monitoring
from kynangso.orgs import api as orgs
from kynangso.people import api as people
from kynangso.people.models import Person, TargetGroupMembership
from tests.factories import make_national_id, make_unit, write_table
from tests.monitoring.conftest import all_values, make_indicator
from tests.people.roster_files import HEADER, row

D = datetime.date
TEAM_HEADER = [*HEADER, "Mã tổ công nghệ số cộng đồng"]


@pytest.fixture
def teams(province):
    """Hamlet Thôn Một of commune A with its team, and Tổ dân phố 1 of ward B with its own."""
    t = type("Teams", (), {})()
    t.hamlet = make_unit("X001-T1", "Thôn Một", kind="hamlet", parent=province.a)
    t.one = make_unit("X001-T1-CNS", "Tổ công nghệ số cộng đồng Thôn Một", kind="community_team", parent=t.hamlet)
    t.street = make_unit("X002-TDP1", "Tổ dân phố 1", kind="hamlet", parent=province.b)
    t.other = make_unit("X002-TDP1-CNS", "Tổ công nghệ số Tổ dân phố 1", kind="community_team", parent=t.street)
    return t


def _volunteer(team="X001-T1-CNS", **fields):
    """A roster row of an official of the department living in Thôn Một, with a team code."""
    fields = {"unit": "X001-T1", "workplace": "S01", "groups": "Cán bộ, công chức, viên chức", **fields}
    return [*row(**fields), team]


def test_a_roster_naming_a_team_makes_the_person_a_member_who_keeps_their_workplace(province, teams, tmp_path):
    path = write_table(tmp_path / "ds.xlsx", [TEAM_HEADER, _volunteer(since="01/03/2025")])
    report = people.import_roster(path, actor=SYSTEM, apply=True)
    assert (report.errors, report.created, report.applied) == ([], 1, True)
    volunteer = Person.objects.get()
    assert list(people.community_team_members(teams.one)) == [volunteer]
    assert volunteer.workplace_unit == province.department  # still counted at her office
    membership = volunteer.memberships.get(team=teams.one)
    assert (membership.group, membership.valid_from, membership.valid_to) == ("community_team", D(2025, 3, 1), None)
    assert set(people.current_groups(volunteer)) == {"official", "community_team"}


def test_the_short_header_and_the_group_written_too_give_one_membership_of_the_team(province, teams, tmp_path):
    """«Mã tổ CNS» is the same column; listing «Thành viên tổ công nghệ số cộng đồng» as well adds nothing else."""
    groups = "Người dân; Thành viên tổ công nghệ số cộng đồng"
    path = write_table(tmp_path / "ds.csv", [[*HEADER, "Mã tổ CNS"], _volunteer(team="x001-t1-cns", groups=groups)])
    report = people.import_roster(path, actor=SYSTEM, apply=True)
    assert report.errors == []
    community = TargetGroupMembership.objects.filter(group="community_team")
    assert list(community.values_list("team", flat=True)) == [teams.one.pk]
    assert TargetGroupMembership.objects.count() == 2  # resident, and the team


def test_a_unit_that_is_not_a_team_and_an_unknown_code_are_row_errors_and_nothing_is_written(province, teams, tmp_path):
    path = write_table(
        tmp_path / "ds.csv",
        [
            TEAM_HEADER,
            _volunteer(),
            _volunteer(team="X001-T1", name="Lê Văn Cường", sex="Nam", birth="01/01/1970"),
            _volunteer(team="KHONGCO", name="Phạm Thị Dung", birth="05/05/1995"),
        ],
    )
    report = people.import_roster(path, actor=SYSTEM, apply=True)
    errors = dict(report.errors)
    assert set(errors) == {3, 4}
    assert "«Thôn Một» (mã X001-T1) là thôn, ấp, khóm, bản, tổ dân phố, không phải tổ công nghệ số" in errors[3]
    assert "không có đơn vị tổ công nghệ số cộng đồng mã hoặc tên «KHONGCO»" in errors[4]
    assert not report.applied
    assert (Person.objects.count(), TargetGroupMembership.objects.count()) == (0, 0)


def test_a_team_outside_the_actors_scope_is_a_row_error_that_names_nothing_outside_it(
    province, teams, commune_admin, tmp_path
):
    path = write_table(
        tmp_path / "ds.csv",
        [
            TEAM_HEADER,
            _volunteer(workplace=""),
            _volunteer(team="X002-TDP1-CNS", workplace="", name="Lê Văn Cường", sex="Nam", birth="01/01/1970"),
            _volunteer(team="S01", workplace="", name="Phạm Thị Dung", birth="05/05/1995"),
        ],
    )
    report = people.import_roster(path, actor=commune_admin, apply=True)
    errors = dict(report.errors)
    assert set(errors) == {3, 4}
    for line, code in ((3, "X002-TDP1-CNS"), (4, "S01")):
        assert f"không có đơn vị tổ công nghệ số cộng đồng mã hoặc tên «{code}» trong phạm vi" in errors[line]
    assert "Tổ dân phố" not in errors[3] and "Sở" not in errors[4]  # neither the team's nor the office's name
    assert (Person.objects.count(), TargetGroupMembership.objects.count()) == (0, 0)


def test_a_commune_administrator_records_the_volunteers_of_a_team_in_her_commune(
    province, teams, commune_admin, tmp_path
):
    path = write_table(tmp_path / "ds.csv", [TEAM_HEADER, _volunteer(workplace="")])
    report = people.import_roster(path, actor=commune_admin, apply=True)
    assert (report.errors, report.applied) == ([], True)
    assert people.community_team_members(teams.one).count() == 1


def test_a_dissolved_team_is_a_row_error(province, teams, tmp_path):
    orgs.dissolve_unit(unit=teams.one, effective_date=D(2025, 1, 1), legal_basis="Quyết định 1/QĐ-UBND")
    report = people.import_roster(
        write_table(tmp_path / "ds.csv", [TEAM_HEADER, _volunteer()]), actor=SYSTEM, apply=True
    )
    assert "hết hiệu lực" in report.errors[0][1]
    assert Person.objects.count() == 0


def test_a_team_written_by_its_name_is_suggested_and_used_once_confirmed(province, teams, tmp_path):
    path = write_table(tmp_path / "ds.csv", [TEAM_HEADER, _volunteer(team="Tổ công nghệ số cộng đồng thôn một")])
    checked = people.import_roster(path, actor=SYSTEM, apply=True)
    assert "có phải «Tổ công nghệ số cộng đồng Thôn Một» (mã X001-T1-CNS)?" in checked.errors[0][1]
    assert [(s["code"], s["team"]) for s in checked.unit_suggestions] == [("X001-T1-CNS", True)]
    confirmed = people.import_roster(path, actor=SYSTEM, apply=True, accept_suggestions=True)
    assert confirmed.applied and people.community_team_members(teams.one).count() == 1


def test_reimporting_the_same_file_adds_no_second_membership(province, teams, tmp_path):
    path = write_table(tmp_path / "ds.xlsx", [TEAM_HEADER, _volunteer(since="01/03/2025")])
    people.import_roster(path, actor=SYSTEM, apply=True)
    again = people.import_roster(path, actor=SYSTEM, apply=True)
    assert (again.errors, again.created, again.updated, again.unchanged) == ([], 0, 0, 1)
    assert TargetGroupMembership.objects.filter(team=teams.one).count() == 1


def test_a_registered_person_listed_again_with_a_team_joins_it(province, teams, tmp_path):
    national_id = make_national_id(D(1990, 9, 2), "female")
    first = write_table(tmp_path / "a.csv", [HEADER, row(national_id=national_id, unit="X001-T1")])
    people.import_roster(first, actor=SYSTEM, apply=True)
    again = write_table(
        tmp_path / "b.csv", [TEAM_HEADER, [*row(national_id=national_id, unit="X001-T1"), "X001-T1-CNS"]]
    )
    report = people.import_roster(again, actor=SYSTEM, apply=True)
    assert (report.errors, report.updated) == ([], 1)
    assert list(people.community_team_members(teams.one)) == [Person.objects.get()]
    assert TargetGroupMembership.objects.get(team=teams.one).valid_from == timezone.localdate()  # no «từ ngày»


def test_the_incremental_roll_up_after_an_import_equals_a_full_one_for_hamlets_with_a_team(
    province, teams, tmp_path, django_capture_on_commit_callbacks
):
    share = make_indicator(
        "thon-co-to-cong-nghe-so",
        name="Thôn có tổ công nghệ số",
        measure="percent",
        source="hamlets_with_team",
        attribution="residence",
        denominator="hamlets",
    )
    # Both live at commune level and work elsewhere: only the teams they join lie in the hamlets.
    registered = row(unit="X001", workplace="S01")
    people.import_roster(write_table(tmp_path / "a.csv", [HEADER, registered]), actor=SYSTEM, apply=True)
    monitoring.run_full_rollup()
    assert _value(share, province.root) == (0, 2)
    newcomer = row(unit="X002", name="Lê Văn Cường", sex="Nam", birth="01/01/1970")
    path = write_table(tmp_path / "b.csv", [TEAM_HEADER, [*registered, "X001-T1-CNS"], [*newcomer, "X002-TDP1-CNS"]])
    with django_capture_on_commit_callbacks(execute=True):
        assert people.import_roster(path, actor=SYSTEM, apply=True).applied
    monitoring.run_incremental_rollup()
    incremental = all_values()
    assert _value(share, province.root) == (2, 2)
    assert _value(share, province.a) == (1, 1)
    monitoring.run_full_rollup()
    assert all_values() == incremental


def _value(indicator, unit):
    rows = [r for r in all_values() if r[0] == indicator.pk and r[1] == unit.pk]
    return rows[-1][3:] if rows else None


def test_a_person_who_left_and_is_listed_again_from_the_same_day_is_a_member_again(province, teams, tmp_path):
    """An old file names the team (and a group) she left since: importing it again reopens the memberships it had
    recorded, instead of failing the whole import on the unique start day."""
    path = write_table(tmp_path / "ds.xlsx", [TEAM_HEADER, _volunteer(since="01/03/2025")])
    assert people.import_roster(path, actor=SYSTEM, apply=True).errors == []
    volunteer = Person.objects.get()
    people.leave_community_team(person=volunteer, team=teams.one, valid_to=D(2025, 9, 30), actor=SYSTEM)
    people.end_target_group(person=volunteer, group="official", valid_to=D(2025, 9, 30), actor=SYSTEM)
    report = people.import_roster(path, actor=SYSTEM, apply=True)
    assert (report.errors, report.applied) == ([], True)
    assert list(people.community_team_members(teams.one)) == [volunteer]
    assert volunteer.memberships.count() == 2  # the same two, open again
    assert set(people.current_groups(volunteer)) == {"official", "community_team"}


def test_a_team_of_another_commune_than_the_persons_home_is_a_row_error_and_nothing_is_written(
    province, teams, provincial_admin, tmp_path
):
    path = write_table(tmp_path / "ds.csv", [TEAM_HEADER, _volunteer(team="X002-TDP1-CNS")])  # lives in Thôn Một (A)
    report = people.import_roster(path, actor=provincial_admin, apply=True)
    ((line, message),) = report.errors
    assert line == 2 and "không thuộc xã, phường nơi người này cư trú" in message
    assert (report.applied, Person.objects.count(), TargetGroupMembership.objects.count()) == (False, 0, 0)


def test_a_volunteer_listed_again_living_in_another_commune_leaves_the_old_team_and_joins_the_new(
    province, teams, tmp_path
):
    same = make_national_id(D(1990, 9, 2), "female")
    first = write_table(tmp_path / "a.csv", [TEAM_HEADER, _volunteer(since="01/03/2025", national_id=same)])
    assert people.import_roster(first, actor=SYSTEM, apply=True).errors == []
    moved = write_table(
        tmp_path / "b.csv", [TEAM_HEADER, _volunteer(unit="X002-TDP1", team="X002-TDP1-CNS", national_id=same)]
    )
    report = people.import_roster(moved, actor=SYSTEM, apply=True)
    assert (report.errors, report.updated) == ([], 1)
    volunteer = Person.objects.get()
    today = timezone.localdate()
    assert volunteer.memberships.get(team=teams.one).valid_to == today  # the day of the move
    assert [m.team for m in people.open_team_memberships(volunteer)] == [teams.other]


def test_a_volunteer_listed_again_in_another_commune_without_a_team_keeps_no_team_of_the_old_one(
    province, teams, tmp_path
):
    same = make_national_id(D(1990, 9, 2), "female")
    first = write_table(tmp_path / "a.csv", [TEAM_HEADER, _volunteer(national_id=same)])
    assert people.import_roster(first, actor=SYSTEM, apply=True).errors == []
    moved = write_table(tmp_path / "b.csv", [TEAM_HEADER, _volunteer(unit="X002-TDP1", team="", national_id=same)])
    assert people.import_roster(moved, actor=SYSTEM, apply=True).errors == []
    assert people.open_team_memberships(Person.objects.get()) == []
