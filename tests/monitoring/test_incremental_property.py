"""«Incremental = full», proven by generated stories (issue 17, ADR 0045).

Hypothesis writes random sequences of the services' own calls (register, move, another workplace, a target group
opened or closed, a community team joined or left, results, attendance ticked late or taken back, a corrected
denominator, a merger), each
committed as in production (after-commit events run). After every incremental roll-up, every stored value must equal what a
full recomputation stores. The sequences are drawn from a fixed seed (`derandomize`), so a run on CI is the same run
as on a laptop; a failure prints the shortest story that breaks the promise."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kynangso.accounts import api as accounts
from kynangso.accounts.models import Role
from kynangso.credentials.models import Credential
from kynangso.errors import DomainError
from kynangso.learning import api as learning
from kynangso.monitoring import api as monitoring
from kynangso.orgs import api as orgs
from kynangso.people import api as people
from tests.factories import make_person, make_unit, make_user
from tests.monitoring.conftest import (
    all_values,
    issue_credential,
    make_indicator,
    make_standard,
    record_attempt,
    revoke,
)

D = datetime.date
GROUPS = ("resident", "official", "student")

# One step of a story: (what, which person, which unit, a number). Indexes wrap around the people there are.
steps = st.one_of(
    st.tuples(st.just("register"), st.integers(0, 3), st.integers(0, 3), st.integers(1950, 2012)),
    st.tuples(st.just("move"), st.integers(0, 20), st.integers(0, 3), st.just(0)),
    st.tuples(st.just("workplace"), st.integers(0, 20), st.integers(0, 2), st.just(0)),
    st.tuples(st.just("open_group"), st.integers(0, 20), st.integers(0, 2), st.just(0)),
    st.tuples(st.just("close_group"), st.integers(0, 20), st.integers(0, 2), st.just(0)),
    st.tuples(st.just("pass"), st.integers(0, 20), st.integers(0, 1), st.just(0)),
    st.tuples(st.just("attend_late"), st.integers(0, 20), st.just(0), st.integers(1, 40)),
    st.tuples(st.just("unattend"), st.integers(0, 20), st.just(0), st.just(0)),
    st.tuples(st.just("certificate"), st.integers(0, 20), st.just(0), st.just(0)),
    st.tuples(st.just("denominator"), st.just(0), st.integers(0, 3), st.integers(1, 50)),
    st.tuples(st.just("merge"), st.just(0), st.just(0), st.just(0)),
    st.tuples(st.just("join_team"), st.integers(0, 20), st.integers(0, 1), st.integers(0, 60)),
    st.tuples(st.just("leave_team"), st.integers(0, 20), st.integers(0, 1), st.integers(0, 60)),
)
stories = st.lists(st.lists(steps, min_size=1, max_size=6), min_size=1, max_size=3)  # rounds between runs


@pytest.fixture
def world(province):
    """The small province with a third commune (which a story may merge into commune A), five indicators over every
    kind of source, a past class, and four people."""
    today = timezone.localdate()
    w = type("World", (), {})()
    w.province = province
    w.c = make_unit("X003", "Xã Cũ", parent=province.root)
    w.communes = [province.a, province.b, w.c, province.a]
    w.workplaces = [province.department, province.school, None]
    w.standards = [make_standard("CHUAN-NGUOI-DAN", "resident"), make_standard("CHUAN-CBCCVC", "official")]
    w.admin = make_user("admin_tinh_hyp", Role.PROVINCIAL_ADMIN, province.root)
    w.training_class = learning.TrainingClass.objects.create(
        organising_unit=province.root,
        title="Lớp tập huấn kỹ năng số",
        starts_on=today - datetime.timedelta(days=60),
        ends_on=today,
        target_group="resident",
    )
    make_indicator(
        "nguoi-dan-dat-chuan",
        measure="percent",
        source="passed_standard",
        standard_code="CHUAN-NGUOI-DAN",
        target_group="resident",
        age_min=15,
        age_max=60,
        attribution="residence",
        period_mode="cumulative",
        denominator="unit_denominator",
        denominator_kind="working_age_residents",
    )
    make_indicator(
        "cbccvc-danh-gia",
        measure="percent",
        source="assessed",
        target_group="official",
        attribution="workplace",
        period_mode="in_year",
        denominator="people",
    )
    make_indicator("hoc-sinh", source="people", target_group="student", attribution="workplace")
    make_indicator("du-lop", source="trained_in_class", attribution="residence")
    make_indicator("so-chung-nhan", source="credentials_issued")
    hamlets = [make_unit("X001-T1", "Thôn Một", kind="hamlet", parent=province.a)]
    hamlets.append(make_unit("X003-A1", "Ấp Một", kind="hamlet", parent=w.c))  # merged away with its commune
    w.teams = [
        make_unit(f"{hamlet.code}-CNS", f"Tổ công nghệ số {hamlet.name}", kind="community_team", parent=hamlet)
        for hamlet in hamlets
    ]
    make_indicator(
        "thon-co-to",
        measure="percent",
        source="hamlets_with_team",
        attribution="residence",
        denominator="hamlets",
    )
    for unit, value in ((province.a, 10), (province.b, 5), (w.c, 4), (province.root, 100)):
        orgs.set_denominator(unit=unit, year=today.year, kind="working_age_residents", value=value)
    for index in range(4):
        make_person(
            w.communes[index],
            full_name=f"Người Thứ {index}",
            birth_date=D(1960 + index * 9, 5, 5),
            groups=("resident", "official") if index % 2 else ("resident",),
            workplace=w.workplaces[index % 3],
        )
    return w


def _apply(w, step) -> None:
    """One service call, as the pages and jobs make it; refusals (a rule says no) are part of the story."""
    what, who, where, number = step
    everyone = list(people.Person.objects.order_by("id"))
    person = everyone[who % len(everyone)]
    today = timezone.localdate()
    try:
        if what == "register":
            make_person(
                w.communes[where],
                full_name="Người Mới",
                birth_date=D(number, 3, 3),
                groups=GROUPS[: 1 + where % 3],
                workplace=w.workplaces[where % 3],
            )
        elif what == "move":
            people.update_person(person=person, actor=accounts.SYSTEM, residence_unit=w.communes[where])
        elif what == "workplace":
            unit = w.workplaces[where]
            people.update_person(
                person=person, actor=accounts.SYSTEM, workplace_unit=unit, clear_workplace=unit is None
            )
        elif what == "open_group":
            people.add_target_group(
                person=person,
                group=GROUPS[where],
                valid_from=today - datetime.timedelta(days=45),
                actor=accounts.SYSTEM,
            )
        elif what == "close_group":
            people.end_target_group(
                person=person, group=GROUPS[where], valid_to=today - datetime.timedelta(days=20), actor=accounts.SYSTEM
            )
        elif what == "pass":
            record_attempt(person, w.standards[where], timezone.now(), passed=True)
        elif what == "attend_late":
            learning.mark_present(
                actor=w.admin,
                training_class=w.training_class,
                person_id=person.pk,
                day=today - datetime.timedelta(days=number),
            )
        elif what == "unattend":
            learning.unmark_present(actor=w.admin, training_class=w.training_class, person_id=person.pk)
        elif what == "certificate":  # issued, or revoked when the person already holds it
            held = Credential.objects.filter(person=person, revoked_at__isnull=True).first()
            if held is None and not Credential.objects.filter(person=person).exists():
                issue_credential(person, timezone.now())
            elif held is not None:
                revoke(held, timezone.now())
        elif what == "denominator":
            orgs.set_denominator(unit=w.communes[where], year=today.year, kind="working_age_residents", value=number)
        elif what == "join_team":
            team = orgs.OrgUnit.objects.get(pk=w.teams[where].pk)
            people.join_community_team(
                person=person, team=team, valid_from=today - datetime.timedelta(days=number), actor=accounts.SYSTEM
            )
        elif what == "leave_team":
            people.leave_community_team(
                person=person,
                team=w.teams[where],
                valid_to=today - datetime.timedelta(days=number),
                actor=accounts.SYSTEM,
            )
        elif what == "merge" and orgs.OrgUnit.objects.get(pk=w.c.pk).is_active:
            orgs.merge_units(sources=[w.c], into=w.province.a, effective_date=today - datetime.timedelta(days=10))
    except DomainError:
        pass


@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(story=stories)
def test_incremental_roll_up_equals_a_full_one_after_any_story(world, story, django_capture_on_commit_callbacks):
    savepoint = transaction.savepoint()
    try:
        monitoring.run_full_rollup()
        for round_of_changes in story:
            for step in round_of_changes:
                with django_capture_on_commit_callbacks(execute=True):  # committed: the events run
                    with transaction.atomic():
                        _apply(world, step)
            monitoring.run_incremental_rollup()
            incremental = all_values()
            monitoring.run_full_rollup()
            assert incremental == all_values(), f"incremental ≠ full after {round_of_changes}"
    finally:
        transaction.savepoint_rollback(savepoint)
