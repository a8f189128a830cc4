"""The roll-up computes each indicator for every unit and month end, on hand-built data whose answers are worked out
here: merged units, age bands at the period end, people in several target groups, incremental equal to full."""

import datetime

from kynangso.monitoring import api as monitoring
from kynangso.monitoring.models import IndicatorValue
from tests.factories import make_unit
from tests.monitoring.conftest import (
    JANUARY,
    JUNE,
    MAY,
    NOON,
    TODAY,
    all_values,
    at,
    backdate_people,
    make_indicator,
    person,
    record_attempt,
    value_of,
)

D = datetime.date


def test_resident_pass_rate_in_june_counts_merged_commune_under_its_successor(scene, resident_pass_rate):
    monitoring.run_full_rollup(years=[2025], today=TODAY, now=NOON)
    p = scene.province
    assert value_of(resident_pass_rate, p.a, JUNE) == (3, 10)  # p1, p3 (from merged C), p7
    assert value_of(resident_pass_rate, p.b, JUNE) == (1, 5)  # p4 once, p5 failed
    assert value_of(resident_pass_rate, p.root, JUNE) == (4, 100)  # the province's own denominator


def test_merged_unit_keeps_its_own_count_without_a_denominator(scene, resident_pass_rate):
    monitoring.run_full_rollup(years=[2025], today=TODAY, now=NOON)
    assert value_of(resident_pass_rate, scene.c, JUNE) == (1, None)


def test_age_band_is_taken_at_each_period_end(scene, resident_pass_rate):
    monitoring.run_full_rollup(years=[2025], today=TODAY, now=NOON)
    p = scene.province
    assert value_of(resident_pass_rate, p.a, MAY) == (4, 10)  # p6 is still 60 on 31 May
    assert value_of(resident_pass_rate, p.a, JANUARY) == (2, 10)  # p3 and p6 had passed by 31 January
    assert value_of(resident_pass_rate, p.b, JANUARY) == (0, 5)


def test_no_period_after_the_current_month_is_computed(scene, resident_pass_rate):
    monitoring.run_full_rollup(years=[2025], today=TODAY, now=NOON)
    ends = set(IndicatorValue.objects.values_list("period_end", flat=True))
    assert max(ends) == JUNE and len(ends) == 6


def test_person_in_two_target_groups_counts_in_both_indicators(scene, resident_pass_rate, officials_assessed):
    monitoring.run_full_rollup(years=[2025], today=TODAY, now=NOON)
    p = scene.province
    assert value_of(resident_pass_rate, p.a, JUNE) == (3, 10)  # p7 as a resident of A
    assert value_of(officials_assessed, p.department, JUNE) == (1, 2)  # p7 as an official of the department


def test_in_year_indicator_counts_only_facts_of_the_year(scene, officials_assessed):
    monitoring.run_full_rollup(years=[2024, 2025], today=TODAY, now=NOON)
    p = scene.province
    assert value_of(officials_assessed, p.school, JUNE) == (0, 1)  # p9 was assessed in December 2024
    assert value_of(officials_assessed, p.school, D(2024, 12, 31)) == (1, 1)
    assert value_of(officials_assessed, p.a, JUNE) == (0, 1)  # the school lies under commune A
    assert value_of(officials_assessed, p.root, JUNE) == (1, 3)
    assert value_of(officials_assessed, p.department, D(2025, 2, 28)) == (0, 2)  # p7's first attempt: 1 March


def test_people_count_with_age_band_at_period_end(scene):
    seniors = make_indicator(
        "nguoi-tu-61-tuoi", name="Người dân từ 61 tuổi", source="people", target_group="resident", age_min=61
    )
    monitoring.run_full_rollup(years=[2025], today=TODAY, now=NOON)
    p = scene.province
    assert value_of(seniors, p.root, MAY) is None  # nobody yet: no row, shown as zero after a roll-up
    assert value_of(seniors, p.root, JUNE) == (1, None)  # p6 turned 61 on 20 June
    assert value_of(seniors, p.a, JUNE) == (1, None)


def test_running_the_full_roll_up_twice_gives_the_same_values(scene, resident_pass_rate, officials_assessed):
    monitoring.run_full_rollup(years=[2025], today=TODAY, now=NOON)
    first = all_values()
    monitoring.run_full_rollup(years=[2025], today=TODAY, now=at(2025, 6, 20, 13))
    assert all_values() == first


def test_values_carry_the_time_they_were_computed(scene, resident_pass_rate):
    monitoring.run_full_rollup(years=[2025], today=TODAY, now=NOON)
    assert set(IndicatorValue.objects.values_list("computed_at", flat=True)) == {NOON}


def test_incremental_after_new_results_equals_a_full_recomputation(
    scene, resident_pass_rate, officials_assessed, resident_standard, official_standard
):
    backdate_people(at(2025, 1, 1))
    monitoring.run_full_rollup(years=[2025], today=TODAY, now=NOON)
    p = scene.province
    record_attempt(scene.p5, resident_standard, at(2025, 6, 20, 15), passed=True)
    newcomer = person(p.b, D(2001, 9, 9), name="Trần Thị Mới")
    record_attempt(newcomer, resident_standard, at(2025, 6, 20, 16), passed=True)

    result = monitoring.run_incremental_rollup(now=at(2025, 6, 20, 18), today=TODAY)

    # p5's new result is a delta; the newcomer's registration makes commune B dirty (recomputed whole).
    assert (result.kind, result.affected_people, result.dirty_units) == ("incremental", 2, 1)
    assert value_of(resident_pass_rate, p.b, JUNE) == (3, 5)
    assert value_of(resident_pass_rate, p.root, JUNE) == (6, 100)
    incremental = all_values()
    monitoring.run_full_rollup(years=[2025], today=TODAY, now=at(2025, 6, 20, 19))
    assert all_values() == incremental


def test_incremental_adds_the_value_of_a_unit_that_had_none_and_can_run_again(scene, resident_standard):
    passed = make_indicator(
        "so-nguoi-dat-chuan",
        name="Số người đạt chuẩn kỹ năng số",
        source="passed_standard",
        standard_code="CHUAN-NGUOI-DAN",
    )
    commune_d = make_unit("X004", "Xã Mới", parent=scene.province.root)
    newcomer, neighbour = person(commune_d, D(1990, 5, 5)), person(commune_d, D(1991, 6, 6), name="Lê Văn Bình")
    backdate_people(at(2025, 1, 1))
    monitoring.run_full_rollup(years=[2025], today=TODAY, now=NOON)
    assert value_of(passed, commune_d, JUNE) is None  # nobody there had passed: no row
    record_attempt(newcomer, resident_standard, at(2025, 6, 20, 13), passed=True)
    monitoring.run_incremental_rollup(now=at(2025, 6, 20, 14), today=TODAY)
    assert value_of(passed, commune_d, JUNE) == (1, None)
    assert value_of(passed, commune_d, MAY) is None
    record_attempt(neighbour, resident_standard, at(2025, 6, 20, 15), passed=True)
    record_attempt(newcomer, resident_standard, at(2025, 6, 20, 15), passed=True)  # passing again adds nobody
    monitoring.run_incremental_rollup(now=at(2025, 6, 20, 16), today=TODAY)  # a second run in the same connection
    assert value_of(passed, commune_d, JUNE) == (2, None)
    assert value_of(passed, scene.province.root, JUNE) == (8, None)  # p1, p2, p3, p4, p6, p7 and the two
    incremental = all_values()
    monitoring.run_full_rollup(years=[2025], today=TODAY, now=at(2025, 6, 20, 17))
    assert all_values() == incremental


def test_incremental_only_rewrites_the_units_of_people_with_new_results_and_their_ancestors(
    scene, resident_pass_rate, resident_standard
):
    backdate_people(at(2025, 1, 1))
    monitoring.run_full_rollup(years=[2025], today=TODAY, now=NOON)
    record_attempt(scene.p5, resident_standard, at(2025, 6, 20, 15), passed=True)
    later = at(2025, 6, 20, 18)
    monitoring.run_incremental_rollup(now=later, today=TODAY)
    rewritten = set(IndicatorValue.objects.filter(computed_at=later).values_list("unit_id", flat=True))
    assert rewritten == {scene.province.b.pk, scene.province.root.pk}


def test_incremental_without_a_previous_full_run_does_a_full_one(scene, resident_pass_rate):
    result = monitoring.run_incremental_rollup(now=NOON, today=TODAY)
    assert result.kind == "full"
    assert value_of(resident_pass_rate, scene.province.a, JUNE) == (3, 10)


def test_a_new_month_makes_the_incremental_run_a_full_one(scene, resident_pass_rate):
    monitoring.run_full_rollup(years=[2025], today=TODAY, now=NOON)
    result = monitoring.run_incremental_rollup(now=at(2025, 7, 2), today=D(2025, 7, 2))
    assert result.kind == "full"
    assert value_of(resident_pass_rate, scene.province.a, D(2025, 7, 31)) == (3, 10)


def test_a_result_recorded_after_the_run_started_waits_for_the_next_run(scene, resident_pass_rate, resident_standard):
    backdate_people(at(2025, 1, 1))
    record_attempt(scene.p5, resident_standard, at(2025, 6, 20, 13), passed=True)
    monitoring.run_full_rollup(years=[2025], today=TODAY, now=NOON)
    assert value_of(resident_pass_rate, scene.province.b, JUNE) == (1, 5)
    monitoring.run_incremental_rollup(now=at(2025, 6, 20, 14), today=TODAY)
    assert value_of(resident_pass_rate, scene.province.b, JUNE) == (2, 5)


def test_a_person_moved_by_hand_marked_dirty_is_recounted(scene, resident_pass_rate):
    backdate_people(at(2025, 1, 1))
    monitoring.run_full_rollup(years=[2025], today=TODAY, now=NOON)
    from kynangso.people import api as people

    people.Person.objects.filter(pk=scene.p4.pk).update(residence_unit=scene.province.a)
    monitoring.mark_units_dirty([scene.province.a.pk, scene.province.b.pk])
    monitoring.run_incremental_rollup(now=at(2025, 6, 20, 14), today=TODAY)
    assert value_of(resident_pass_rate, scene.province.a, JUNE) == (4, 10)
    assert value_of(resident_pass_rate, scene.province.b, JUNE) == (0, 5)
