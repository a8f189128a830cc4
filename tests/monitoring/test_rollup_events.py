"""The changes the incremental roll-up could not see by time, found by recomputing stored values from raw records
(issue 17): each now reaches monitoring as an after-commit event naming both sides, and the next run recounts them."""

import datetime

from kynangso.accounts import api as accounts
from kynangso.learning import api as learning
from kynangso.monitoring import api as monitoring
from kynangso.monitoring.models import DirtyUnit
from kynangso.people import api as people
from tests.factories import make_person, make_user
from tests.monitoring.conftest import JUNE, NOON, TODAY, all_values, at, backdate_people, make_indicator, value_of

D = datetime.date


def _officials(**fields):
    return make_indicator(
        "cbccvc",
        name="Cán bộ, công chức, viên chức",
        source="people",
        target_group="official",
        attribution="workplace",
        **fields,
    )


def _recounted_equals_full(now):
    monitoring.run_incremental_rollup(now=now, today=TODAY)
    incremental = all_values()
    monitoring.run_full_rollup(years=[2025], today=TODAY, now=now + datetime.timedelta(minutes=5))
    return incremental == all_values(), incremental


def test_closing_a_target_group_is_recounted_although_no_person_row_changed(
    province, django_capture_on_commit_callbacks
):
    """end_target_group touches no Person row: the denominator stayed 3 where a full run gave 2."""
    officials = _officials()
    staff = [make_person(province.a, groups=("official",), workplace=province.department) for _ in range(3)]
    backdate_people(at(2025, 1, 1))
    monitoring.run_full_rollup(years=[2025], today=TODAY, now=NOON)
    with django_capture_on_commit_callbacks(execute=True):
        people.end_target_group(person=staff[0], group="official", valid_to=D(2025, 6, 1), actor=accounts.SYSTEM)
    people.Person.objects.update(updated_at=at(2025, 1, 1))  # nothing for the watermark to see
    same, _values = _recounted_equals_full(at(2025, 6, 20, 14))
    assert same
    assert value_of(officials, province.department, JUNE) == (2, None)


def test_a_person_moved_to_another_workplace_leaves_the_old_one(province, django_capture_on_commit_callbacks):
    """update_person marked only the new workplace: the person counted at both (4 where the truth was 3)."""
    officials = _officials()
    mover = make_person(province.a, groups=("official",), workplace=province.department)
    make_person(province.a, groups=("official",), workplace=province.school)
    make_person(province.b, groups=("official",), workplace=province.department)
    backdate_people(at(2025, 1, 1))
    monitoring.run_full_rollup(years=[2025], today=TODAY, now=NOON)
    with django_capture_on_commit_callbacks(execute=True):
        people.update_person(person=mover, actor=accounts.SYSTEM, workplace_unit=province.school)
    same, _values = _recounted_equals_full(at(2025, 6, 20, 14))
    assert same
    assert value_of(officials, province.department, JUNE) == (1, None)
    assert value_of(officials, province.school, JUNE) == (2, None)
    assert value_of(officials, province.root, JUNE) == (3, None)


def test_attendance_ticked_for_a_past_day_is_counted_by_the_next_run(province, django_capture_on_commit_callbacks):
    """A class day ticked a week late is dated before the watermark: no time window finds it; its event does."""
    in_class = make_indicator("du-lop", name="Dự lớp tập huấn", source="trained_in_class", attribution="residence")
    learner = make_person(province.b)
    today = datetime.date.today()
    training_class = learning.TrainingClass.objects.create(
        organising_unit=province.root,
        title="Lớp kỹ năng số",
        starts_on=today - datetime.timedelta(days=30),
        ends_on=today,
        target_group="resident",
    )
    admin = make_user("admin_tinh_lop", "provincial_admin", province.root)
    monitoring.run_full_rollup()
    with django_capture_on_commit_callbacks(execute=True):
        learning.mark_present(
            actor=admin, training_class=training_class, person_id=learner.pk, day=today - datetime.timedelta(days=7)
        )
    assert DirtyUnit.objects.filter(unit_id=province.b.pk).exists()
    monitoring.run_incremental_rollup()
    incremental = all_values()
    monitoring.run_full_rollup()
    assert incremental == all_values()
    assert any(row[0] == in_class.pk and row[1] == province.b.pk and row[3] == 1 for row in incremental)
    with django_capture_on_commit_callbacks(execute=True):  # taken back: counted out again
        learning.unmark_present(actor=admin, training_class=training_class, person_id=learner.pk)
    monitoring.run_incremental_rollup()
    incremental = all_values()
    monitoring.run_full_rollup()
    assert incremental == all_values()


def test_a_mark_made_while_a_run_is_under_way_is_kept_for_the_next_run(province):
    """The run removes only the marks it copied at its start; a unit marked again meanwhile gets a fresh mark."""
    monitoring.mark_units_dirty([province.a.pk])
    first = DirtyUnit.objects.get(unit_id=province.a.pk).pk
    monitoring.mark_units_dirty([province.a.pk, province.b.pk])  # marked again before any run
    assert DirtyUnit.objects.get(unit_id=province.a.pk).pk != first
    assert DirtyUnit.objects.count() == 2
