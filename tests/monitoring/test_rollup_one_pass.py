"""The full run's one pass over people, memberships and facts (ADR 0046) writes exactly the base counts that the
per-indicator statements write (the incremental run's, for dirty units): compared row for row on a scene with every
kind of condition — age bounds at each month end, target groups (one held twice at once, one closed), passes of one
standard and of any, assessments and training in the year and ever, denominators of people, a unit kind."""

import datetime

from django.db import connection, transaction

from kynangso.monitoring import api as monitoring
from kynangso.monitoring.models import BaseCount
from kynangso.monitoring.rollup.runs import _indicators_to_compute
from kynangso.monitoring.rollup.stages import ALL, _compute_base
from kynangso.monitoring.rollup.tables import _tune_transaction
from kynangso.monitoring.rollup.wide import one_pass_pays
from kynangso.people.models import TargetGroupMembership
from tests.monitoring.conftest import (
    NOON,
    TODAY,
    at,
    attend_class,
    complete_course,
    make_indicator,
    person,
    record_attempt,
)

D = datetime.date


def _base_counts():
    return sorted(BaseCount.objects.values_list("indicator_id", "unit_id", "period_end", "part", "count"))


def _indicators():
    make_indicator(
        "thanh-nien-dat-chuan",
        source="passed_standard",
        age_min=16,
        age_max=30,
        attribution="residence",
        period_mode="cumulative",
    )
    make_indicator(
        "can-bo-dao-tao-trong-nam",
        measure="percent",
        source="trained",
        target_group="official",
        attribution="workplace",
        period_mode="in_year",
        denominator="people",
    )
    make_indicator(
        "nguoi-dan-duoc-dao-tao",
        source="trained",
        target_group="resident",
        age_min=18,
        attribution="residence",
        period_mode="cumulative",
    )
    make_indicator(
        "nguoi-cao-tuoi",
        source="people",
        target_group="resident",
        age_min=61,
        attribution="residence",
        period_mode="cumulative",
    )
    make_indicator(
        "can-bo-tai-so",
        source="people",
        target_group="official",
        unit_kind="department",
        attribution="workplace",
        period_mode="cumulative",
    )


def test_one_pass_writes_the_base_counts_of_the_per_indicator_statements(
    scene, resident_pass_rate, officials_assessed, resident_standard
):
    _indicators()
    p = scene.province
    young = person(p.b, D(2000, 3, 31), name="Lê Văn Trẻ")
    record_attempt(young, resident_standard, at(2025, 3, 31, 20), passed=True)  # 31 March, late evening
    # A second resident membership overlapping the first: still one person.
    TargetGroupMembership.objects.create(person=scene.p1, group="resident", valid_from=D(2025, 2, 1))
    # An official until the end of April only.
    TargetGroupMembership.objects.filter(person=scene.p8, group="official").update(valid_to=D(2025, 4, 30))
    complete_course(scene.p8, "cds-cho-can-bo", D(2025, 2, 1))
    complete_course(scene.p1, "ky-nang-so-co-ban", D(2024, 11, 30))
    attend_class(scene.p9, p.school, D(2025, 5, 31))
    attend_class(scene.p7, p.department, D(2024, 12, 31))

    monitoring.run_full_rollup(years=[2024, 2025], today=TODAY, now=NOON)  # 18 month ends: the windows

    def base_counts(one_pass: bool):
        with transaction.atomic(), connection.cursor() as cursor:
            _tune_transaction(cursor)
            BaseCount.objects.all().delete()
            _compute_base(cursor, _indicators_to_compute(), ALL, NOON, one_pass=one_pass)
            counts = _base_counts()
            transaction.set_rollback(True)
        return counts

    in_one_pass = base_counts(True)
    assert {row[0] for row in in_one_pass} == {i.id for i in _indicators_to_compute()}
    assert in_one_pass == base_counts(False)


def test_a_year_end_run_counts_in_one_pass_what_the_per_indicator_statements_count(
    scene, resident_pass_rate, officials_assessed
):
    _indicators()
    monitoring.run_full_rollup(years=[2024, 2025], today=TODAY, now=NOON, granularity="year")
    assert one_pass_pays()  # two year ends: the run took the one pass
    written = _base_counts()
    with transaction.atomic(), connection.cursor() as cursor:
        BaseCount.objects.all().delete()
        _compute_base(cursor, _indicators_to_compute(), ALL, NOON, one_pass=False)
        reference = _base_counts()
        transaction.set_rollback(True)
    assert written == reference
