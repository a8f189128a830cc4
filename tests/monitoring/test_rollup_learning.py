"""Training indicators: online completions and class attendance from the learning app, each person counted once."""

import datetime

import pytest

from kynangso.monitoring import api as monitoring
from tests.monitoring.conftest import JUNE, NOON, TODAY, at, attend_class, complete_course, make_indicator, value_of

D = datetime.date


@pytest.fixture
def trained(scene):
    """p7 completes a course on 1 Feb; p8 attends a class on 10 May and completes a course on 12 May; p9 attended a
    class in November 2024 (the year before)."""
    p = scene.province
    complete_course(scene.p7, "cds-cho-can-bo", D(2025, 2, 1))
    attend_class(scene.p8, p.department, D(2025, 5, 10))
    complete_course(scene.p8, "ky-nang-so-co-ban", D(2025, 5, 12))
    attend_class(scene.p9, p.a, D(2024, 11, 1))
    return scene


@pytest.fixture
def officials_trained(db):
    return make_indicator(
        "cbccvc-dao-tao",
        name="CBCCVC được đào tạo trong năm",
        measure="percent",
        source="trained",
        target_group="official",
        attribution="workplace",
        period_mode="in_year",
        denominator="people",
    )


def test_officials_trained_online_or_in_class_this_year_count_once(trained, officials_trained):
    monitoring.run_full_rollup(years=[2024, 2025], today=TODAY, now=NOON)
    p = trained.province
    assert value_of(officials_trained, p.department, JUNE) == (2, 2)  # p7 online; p8 in class and online, once
    assert value_of(officials_trained, p.department, D(2025, 4, 30)) == (1, 2)
    assert value_of(officials_trained, p.school, JUNE) == (0, 1)  # p9's class was in 2024
    assert value_of(officials_trained, p.school, D(2024, 12, 31)) == (1, 1)
    assert value_of(officials_trained, p.root, JUNE) == (2, 3)


def test_online_course_indicator_counts_only_its_course(trained):
    course = make_indicator(
        "hoan-thanh-cds-can-bo",
        name="Hoàn thành khóa CĐS cho cán bộ",
        source="trained_online",
        course_code="cds-cho-can-bo",
        attribution="workplace",
    )
    monitoring.run_full_rollup(years=[2025], today=TODAY, now=NOON)
    assert value_of(course, trained.province.root, JUNE) == (1, None)


def test_class_attendance_indicator_counts_people_present(trained):
    in_class = make_indicator("du-lop", name="Dự lớp tập huấn", source="trained_in_class", attribution="residence")
    monitoring.run_full_rollup(years=[2025], today=TODAY, now=NOON)
    assert value_of(in_class, trained.province.b, JUNE) == (1, None)  # p8 lives in B
    assert value_of(in_class, trained.province.root, JUNE) == (2, None)  # cumulative: p9's 2024 class counts too


def test_incremental_after_a_new_completion_equals_full(trained, officials_trained):
    from tests.monitoring.conftest import all_values, backdate_people

    backdate_people(at(2025, 1, 1))
    monitoring.run_full_rollup(years=[2025], today=TODAY, now=NOON)
    complete_course(trained.p9, "cds-cho-can-bo", D(2025, 6, 20))
    # A dated fact counts from the run of the next day.
    assert monitoring.run_incremental_rollup(now=at(2025, 6, 20, 18), today=TODAY).affected_people == 0
    result = monitoring.run_incremental_rollup(now=at(2025, 6, 21, 2), today=TODAY)
    assert (result.kind, result.affected_people, result.dirty_units) == ("incremental", 1, 0)
    assert value_of(officials_trained, trained.province.school, JUNE) == (1, 1)
    incremental = all_values()
    monitoring.run_full_rollup(years=[2025], today=TODAY, now=at(2025, 6, 21, 3))
    assert all_values() == incremental
