"""The synthetic demo province and the `kynangso demo` command."""

import datetime
import random
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone

from kynangso.accounts import api as accounts
from kynangso.demo import province
from kynangso.demo.management.commands import demo as demo_command
from kynangso.demo.population import generate_people
from kynangso.orgs import api as orgs
from kynangso.people import api as people

EXPECTED_LOGINS = {
    "nguoihoc": (accounts.Role.LEARNER, "99002"),
    "hotro": (accounts.Role.HELPER, "99007"),
    "quantri_xa": (accounts.Role.UNIT_ADMIN, "99007"),
    "bientap": (accounts.Role.CONTENT_AUTHOR, "99-SKHCN"),
    "quantri_tinh": (accounts.Role.PROVINCIAL_ADMIN, "99"),
    "kiemtra": (accounts.Role.AUDITOR, "99"),
}


@pytest.fixture(scope="class")
def loaded_demo(django_db_setup, django_db_blocker):
    """The demo loaded once for the tests of a class that only read it, and rolled back after them."""
    with django_db_blocker.unblock(), transaction.atomic():
        report = province.load_demo_province()
        yield report
        transaction.set_rollback(True)


@pytest.fixture
def demo(loaded_demo, db):
    assert loaded_demo.created
    return loaded_demo


def _age(birth_date: datetime.date, today: datetime.date) -> int:
    return today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))


def _counts() -> dict[str, int]:
    return {
        "units": orgs.OrgUnit.objects.count(),
        "people": people.Person.objects.count(),
        "users": get_user_model().objects.count(),
        "denominators": sum(unit.denominators.count() for unit in orgs.units(within=[orgs.unit_by_code("99").id])),
        "roles": sum(len(accounts.roles_of(accounts.resolve_user(name))) for name in EXPECTED_LOGINS),
    }


def test_the_same_day_generates_the_same_people():
    today = datetime.date(2026, 2, 28)
    first = generate_people(rng=random.Random(2025), today=today, places=province.demo_places())
    second = generate_people(rng=random.Random(2025), today=today, places=province.demo_places())
    assert first == second
    assert len(first) == 2000


def test_generated_people_are_6_to_85_with_ids_matching_birth_date_and_sex():
    today = datetime.date(2026, 2, 28)
    population = generate_people(rng=random.Random(2025), today=today, places=province.demo_places())
    assert {_age(p.birth_date, today) for p in population} <= set(range(6, 86))
    assert min(p.age_on(today) for p in population) == 6 and max(p.age_on(today) for p in population) >= 80
    for person in population:
        assert people.validate_national_id(person.national_id, birth_date=person.birth_date, sex=person.sex)
    assert len({p.national_id for p in population}) == len(population)


class TestLoadedDemo:
    """What the loaded demo province holds; it is loaded once for all of these."""

    def test_demo_province_is_labelled_synthetic_with_twenty_communes_and_wards_directly_under_it(self, demo):
        root = orgs.unit_by_code("99")
        assert root.kind == orgs.UnitKind.PROVINCE
        assert "mô phỏng" in root.name
        communes = orgs.OrgUnit.objects.filter(
            parent=root, kind__in=orgs.COMMUNE_LEVEL_KINDS, successor__isnull=True, valid_to__isnull=True
        )
        assert communes.count() >= 20
        assert communes.filter(kind=orgs.UnitKind.WARD).exists()
        assert not orgs.units(within=[root.id], kind=orgs.UnitKind.DISTRICT, active_only=True).exists()

    def test_demo_province_has_departments_schools_of_every_level_enterprises_and_associations(self, demo):
        within = [orgs.unit_by_code("99").id]
        names = set(orgs.units(within=within).values_list("name", flat=True))
        assert {
            "Sở Khoa học và Công nghệ",
            "Sở Nội vụ",
            "Sở Giáo dục và Đào tạo",
            "Sở Y tế",
            "Văn phòng UBND tỉnh",
            "Tỉnh đoàn Phú Hòa",
        } <= names
        levels = set(orgs.units(within=within, kind=orgs.UnitKind.SCHOOL).values_list("school_level", flat=True))
        assert levels == set(orgs.SchoolLevel.values)
        enterprises = orgs.units(within=within, kind=orgs.UnitKind.ENTERPRISE)
        assert enterprises.filter(state_owned=True).exists() and enterprises.filter(state_owned=False).exists()
        for kind in (orgs.UnitKind.COOPERATIVE, orgs.UnitKind.FARMERS_CLUB, orgs.UnitKind.UNION):
            assert orgs.units(within=within, kind=kind).exists()

    def test_two_communes_of_the_abolished_district_were_merged_on_1_july_2025(self, demo):
        new_commune = orgs.unit_by_code(province.MERGED_INTO.code)
        district = orgs.unit_by_code(province.DISTRICT.code)
        for spec in province.MERGED_COMMUNES:
            old = orgs.unit_by_code(spec.code)
            assert orgs.current_successor(old) == new_commune
            assert old.valid_to == datetime.date(2025, 6, 30)
            assert old.parent == district
        assert district.valid_to == datetime.date(2025, 6, 30)
        assert orgs.unit_by_code(province.MOVED_COMMUNE.code).parent == orgs.unit_by_code("99")
        assert {e.kind for e in district.events.all()} == {"dissolved"}

    def test_demo_has_two_thousand_people_living_in_active_communes_with_valid_national_ids(self, demo):
        today = timezone.localdate()
        persons = list(people.Person.objects.select_related("residence_unit"))
        assert len(persons) == demo.people == 2000
        assert all(p.residence_unit.kind in orgs.RESIDENCE_KINDS and p.residence_unit.is_active for p in persons)
        assert all(6 <= _age(p.birth_date, today) <= 85 for p in persons)
        superuser = accounts.resolve_user("quantri")
        revealed = list(people.reveal_many(persons, actor=superuser, channel=people.AccessChannel.EXPORT))
        assert len(revealed) == 2000
        for person, data in revealed:
            assert people.validate_national_id(data.national_id, birth_date=person.birth_date, sex=person.sex)
        adults = [p for p in persons if _age(p.birth_date, today) >= 18]
        assert sum(1 for p in adults if p.phone) / len(adults) > 0.8

    def test_pupils_study_at_schools_and_officials_work_in_every_department(self, demo):
        on = timezone.localdate()
        pupils = people.search_people(people.Person.objects.all(), group=people.TargetGroup.STUDENT, on_date=on)
        assert pupils.count() > 200
        assert not pupils.exclude(workplace_unit__kind=orgs.UnitKind.SCHOOL).exists()
        teachers = people.search_people(people.Person.objects.all(), group=people.TargetGroup.TEACHER, on_date=on)
        assert not teachers.exclude(workplace_unit__kind=orgs.UnitKind.SCHOOL).exists()
        officials = people.search_people(people.Person.objects.all(), group=people.TargetGroup.OFFICIAL, on_date=on)
        for department in orgs.units(within=[orgs.unit_by_code("99").id], kind=orgs.UnitKind.DEPARTMENT):
            assert officials.filter(workplace_unit=department).count() >= 5, department.name
        for group in (
            people.TargetGroup.FARMER,
            people.TargetGroup.YOUTH_UNION,
            people.TargetGroup.EMPLOYEE,
            people.TargetGroup.LEADER,
            people.TargetGroup.DX_SPECIALIST,
            people.TargetGroup.COMMUNITY_TEAM,
        ):
            assert people.search_people(people.Person.objects.all(), group=group, on_date=on).exists(), group

    def test_each_role_has_one_demo_login_scoped_to_its_unit_and_linked_to_a_person(self, demo):
        for username, (role, scope_code) in EXPECTED_LOGINS.items():
            user = accounts.resolve_user(username)
            assert [(r, unit_id) for r, _label, unit_id in accounts.roles_of(user)] == [
                (role, orgs.unit_by_code(scope_code).id)
            ], username
            assert user.check_password(province.DEMO_PASSWORD)
            assert people.person_for_user(user) is not None, username
        helper = people.person_for_user(accounts.resolve_user("hotro"))
        assert people.TargetGroup.COMMUNITY_TEAM in people.current_groups(helper)
        assert helper.residence_unit.code == "99007"
        learner = people.person_for_user(accounts.resolve_user("nguoihoc"))
        assert people.current_groups(learner) == [people.TargetGroup.RESIDENT]
        superuser = accounts.resolve_user("quantri")
        assert superuser.is_superuser and superuser.check_password(province.DEMO_PASSWORD)

    def test_every_commune_and_the_province_have_denominators_for_2025_and_this_year(self, demo):
        years = {2025, timezone.localdate().year}
        root = orgs.unit_by_code("99")
        communes = orgs.units(within=[root.id], active_only=True).filter(kind__in=orgs.COMMUNE_LEVEL_KINDS)
        for unit in [root, *communes]:
            for kind in (
                orgs.DenominatorKind.RESIDENTS,
                orgs.DenominatorKind.WORKING_AGE_RESIDENTS,
                orgs.DenominatorKind.ADULTS,
                orgs.DenominatorKind.OFFICIALS,
                orgs.DenominatorKind.PUPILS_STUDENTS,
            ):
                assert set(unit.denominators.filter(kind=kind).values_list("year", flat=True)) == years, (unit, kind)
        residents = root.denominators.get(kind=orgs.DenominatorKind.RESIDENTS, year=max(years)).value
        assert 2000 < residents < 2000 * 1.3
        working_age = root.denominators.get(kind=orgs.DenominatorKind.WORKING_AGE_RESIDENTS, year=max(years)).value
        assert working_age < residents

    def test_some_residents_live_in_hamlets_and_community_teams_have_members(self, demo):
        root = orgs.unit_by_code("99")
        hamlets = orgs.units(within=[root.id], kind=orgs.UnitKind.HAMLET)
        assert hamlets.count() == len(province.HAMLETS)
        assert all(h.parent.kind in orgs.COMMUNE_LEVEL_KINDS for h in hamlets)
        in_hamlets = people.Person.objects.filter(residence_unit__kind=orgs.UnitKind.HAMLET)
        assert 0 < in_hamlets.count() < 2000
        teams = orgs.units(within=[root.id], kind=orgs.UnitKind.COMMUNITY_TEAM)
        assert {t.parent.kind for t in teams} == {orgs.UnitKind.HAMLET}
        members = {t.code: people.community_team_members(t).count() for t in teams}
        assert members.pop(province.EMPTY_TEAM) == 0
        assert set(members.values()) == {province.TEAM_MEMBERS}
        assert not people.Person.objects.filter(workplace_unit__in=teams).exists()  # volunteers keep their work
        for team in teams.exclude(code=province.EMPTY_TEAM):
            for member in people.community_team_members(team):
                assert member.residence_unit == team.parent
                assert people.TargetGroup.COMMUNITY_TEAM in people.current_groups(member)
        hamlet = hamlets.first()
        assert hamlet.denominators.filter(kind=orgs.DenominatorKind.RESIDENTS).exists()

    def test_loading_the_demo_twice_changes_nothing(self, demo):
        before = _counts()
        report = province.load_demo_province()
        assert not report.created
        assert _counts() == before


def test_a_demo_that_cannot_be_completed_leaves_nothing_behind(db):
    accounts.create_user(username="hotro", password="Mat-khau-cua-nguoi-khac-2025")
    with pytest.raises(CommandError, match="hotro"):
        call_command("demo", "--no-serve", stdout=StringIO())
    assert not province.demo_province_exists()
    assert not people.Person.objects.exists()


@pytest.fixture
def served(monkeypatch):
    """Record what the command would serve instead of serving it; migrate and the rest run for real."""
    calls = []

    def fake_call_command(name, *args, **options):
        if name == "runserver":
            calls.append((args, options))
            return None
        return call_command(name, *args, **options)

    monkeypatch.setattr(demo_command, "call_command", fake_call_command)
    return calls


def test_demo_command_with_no_serve_prints_the_logins_and_exits_without_serving(db, served):
    out = StringIO()
    call_command("demo", "--no-serve", stdout=out)
    text = out.getvalue()
    assert served == []
    assert "http://127.0.0.1:8000" in text
    assert province.DEMO_PASSWORD in text
    for username in [*EXPECTED_LOGINS, "quantri"]:
        assert f" {username} " in text
    for label in ("Người học", "Quản trị đơn vị", "Quản trị cấp tỉnh", "Xã Tân Phú", "Sở Khoa học và Công nghệ"):
        assert label in text
    assert province.demo_province_exists()


def test_demo_command_run_again_keeps_the_data_and_prints_the_logins_again(db, served):
    call_command("demo", "--no-serve", stdout=StringIO())
    people_before = people.Person.objects.count()
    out = StringIO()
    call_command("demo", "--no-serve", stdout=out)
    assert "đã có sẵn" in out.getvalue()
    assert "quantri_tinh" in out.getvalue()
    assert people.Person.objects.count() == people_before


def test_demo_command_serves_the_site_without_the_autoreloader(db, served):
    out = StringIO()
    call_command("demo", "--addr", "0.0.0.0", "--port", "8080", stdout=out)
    assert served == [(("0.0.0.0:8080",), {"use_reloader": False})]
    assert "http://127.0.0.1:8080" in out.getvalue()
