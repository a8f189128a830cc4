"""What other apps read from plans: objectives by plan and code, and a unit's tasks summed up for a year."""

import datetime

from kynangso.accounts.models import Role
from kynangso.plans import api, reporting, services
from kynangso.plans.models import OccurrenceStatus
from tests.factories import make_user
from tests.plans.helpers import make_plan, make_task

D = datetime.date


def test_objective_is_found_by_plan_number_and_code(db):
    plan = make_plan(number_symbol="154/KH-UBND")
    services.save_objective(plan=plan, code="II.1.b", text="100% người đứng đầu …", target_year=2025)

    found = api.objective(plan="154/KH-UBND", code="II.1.b")

    assert (found.plan_id, found.code, found.target_year, found.plan_number_symbol) == (
        plan.pk,
        "II.1.b",
        2025,
        "154/KH-UBND",
    )
    assert api.objective(plan="154/KH-UBND", code="II.9") is None
    assert api.objective(plan="999/KH-UBND", code="II.1.b") is None


def test_objective_of_a_plan_without_number_is_found_by_its_key(db):
    plan = make_plan(key="hau-giang-de-an-146")
    services.save_objective(plan=plan, code="II.1.đ", text="80% người dân …")

    assert api.objective(plan="hau-giang-de-an-146", code="II.1.đ").text == "80% người dân …"


def test_unit_task_summary_counts_due_done_and_overdue_for_the_lead(province):
    user = make_user("so_a", Role.UNIT_ADMIN, province.department)
    task = make_task(lead_unit=province.department, recurrence="quarterly")
    first, second, *_ = task.occurrences.order_by("period_start")
    reporting.report_occurrence(
        occurrence=first,
        user=user,
        status=OccurrenceStatus.DONE,
        narrative="Chiến dịch quý I",
        outputs={"campaigns": 1, "articles_news": 12},
    )
    reporting.report_occurrence(
        occurrence=second,
        user=user,
        status=OccurrenceStatus.IN_PROGRESS,
        progress=40,
        narrative="Đang làm quý II",
        outputs={"articles_news": 3},
    )

    [row] = api.unit_task_summary(unit_id=province.department.pk, year=2025, today=D(2025, 10, 1))

    assert (row.task_code, row.role, row.due, row.done, row.overdue) == ("III.1.a", "lead", 4, 1, 2)
    assert (row.latest_progress, row.latest_progress_percent) == ("Đang làm quý II", 40)
    assert row.outputs == (("campaigns", "Chiến dịch truyền thông", 1), ("articles_news", "Tin, bài", 15))


def test_unit_task_summary_shows_a_cooperating_unit_its_own_contribution(province):
    user = make_user("xa_a", Role.UNIT_ADMIN, province.a)
    task = make_task(lead_unit=province.department, cooperating_units=[province.a], recurrence="yearly")
    occurrence = task.occurrences.get()
    reporting.add_contribution(
        occurrence=occurrence, user=user, unit=province.a, narrative="Treo 20 pa-nô", outputs={"people_reached": 300}
    )

    [row] = api.unit_task_summary(unit_id=province.a.pk, year=2025, today=D(2025, 6, 1))

    assert (row.role, row.due, row.done, row.overdue, row.latest_progress) == ("cooperate", 1, 0, 0, "Treo 20 pa-nô")
    assert row.outputs == (("people_reached", "Lượt người tham gia, tiếp cận", 300),)
    assert api.unit_task_summary(unit_id=province.a.pk, year=2024) == []
    assert api.unit_task_summary(unit_id=province.b.pk, year=2025) == []
