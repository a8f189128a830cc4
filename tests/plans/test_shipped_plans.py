"""Every plan file shipped in plans/data imports cleanly, with its objectives and their numbers."""

import datetime

import pytest

from kynangso.plans import api
from kynangso.plans.importers import import_plan
from tests.plans.helpers import DATA

SHIPPED = sorted(DATA.glob("*.yaml"))


def test_the_five_seed_plans_are_shipped():
    assert [path.name for path in SHIPPED] == [
        "ca-mau.yaml",
        "can-tho.yaml",
        "dong-thap.yaml",
        "hau-giang.yaml",
        "khanh-hoa.yaml",
    ]


@pytest.mark.parametrize("path", SHIPPED, ids=[path.stem for path in SHIPPED])
def test_shipped_plan_imports_without_problems_and_twice_changes_nothing(db, path):
    first = import_plan(path, today=datetime.date(2025, 1, 1))
    assert first.problems == []
    second = import_plan(path, today=datetime.date(2025, 1, 1))

    assert second.problems == [] and not second.created
    assert (second.plan.pk, second.tasks, second.occurrences) == (first.plan.pk, first.tasks, first.occurrences)


def test_khanh_hoa_plan_has_its_number_and_ten_objectives_with_their_percentages(db):
    plan = import_plan(DATA / "khanh-hoa.yaml").plan

    assert (plan.number_symbol, plan.issued_on) == ("4949/KH-UBND", datetime.date(2022, 6, 3))
    objectives = api.plan_objectives("4949/KH-UBND")
    assert [o.code for o in objectives] == [
        "2025.1",
        "2025.2",
        "2025.3",
        "2025.4",
        "2025.5",
        "2025.6",
        "2025.7",
        "2025.8",
        "2030.1",
        "2030.2",
        "2030.3",
    ]
    assert objectives[4].text.startswith("70% số người dân trong độ tuổi lao động")
    assert plan.tasks.count() == 0


def test_ca_mau_plan_has_its_solutions_as_yearly_tasks_and_the_department_follow_up(db):
    plan = import_plan(DATA / "ca-mau.yaml", today=datetime.date(2022, 1, 1)).plan

    assert plan.tasks.filter(group__code="GP").count() == 13
    follow_up = plan.tasks.get(code="TCTH.1")
    assert (follow_up.lead_unit_label, follow_up.recurrence) == ("Sở Thông tin và Truyền thông", "yearly")
    assert api.objective(plan="ca-mau-de-an-146", code="2025.7").text.startswith("Cử tối thiểu 10 cán bộ")


def test_dong_thap_day_of_digital_learning_is_due_on_10_october_each_year(db):
    plan = import_plan(DATA / "dong-thap.yaml", today=datetime.date(2025, 1, 1)).plan

    festival = plan.tasks.get(code="II.2")
    assert [o.due_on for o in festival.occurrences.order_by("period_start")] == [
        datetime.date(2025, 10, 10),
        datetime.date(2026, 10, 10),
    ]
    assert plan.objectives.filter(target_year=2025).count() == 14
    assert plan.objectives.filter(target_year=2026).count() == 10
    assert api.objective(plan="dong-thap-binh-dan-hoc-vu-so", code="2026.2").text.startswith("Có từ 1,02 triệu")
