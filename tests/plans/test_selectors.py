"""Reading plans: what is late (by the Vietnamese calendar), what is due for me, the board and the ranking."""

import datetime
import zoneinfo

import pytest
from django.utils import timezone

from kynangso.accounts.models import Role
from kynangso.plans import reporting, selectors
from kynangso.plans.models import OccurrenceStatus
from tests.factories import make_user
from tests.plans.helpers import make_plan, make_task

D = datetime.date
VIETNAM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def test_occurrence_due_31_march_is_overdue_at_0030_on_1_april_in_vietnam(province, monkeypatch):
    task = make_task(lead_unit=province.a)
    moment = datetime.datetime(2025, 4, 1, 0, 30, tzinfo=VIETNAM)
    assert moment.astimezone(datetime.UTC).date() == D(2025, 3, 31)  # still 31 March in UTC
    monkeypatch.setattr(timezone, "now", lambda: moment.astimezone(datetime.UTC))

    overdue = list(selectors.overdue_occurrences())

    assert [(row.task_id, row.due_on) for row in overdue] == [(task.pk, D(2025, 3, 31))]


def test_occurrence_due_today_is_not_overdue(province):
    make_task(lead_unit=province.a)

    assert not selectors.overdue_occurrences(today=D(2025, 3, 31)).exists()


def test_done_and_cancelled_occurrences_are_not_overdue(province, commune_admin):
    task = make_task(lead_unit=province.a)
    q1, q2, *_ = task.occurrences.order_by("period_start")
    reporting.report_occurrence(occurrence=q1, user=commune_admin, status=OccurrenceStatus.DONE)
    reporting.report_occurrence(
        occurrence=q2, user=commune_admin, status=OccurrenceStatus.CANCELLED, cancel_reason="Dồn sang quý sau"
    )

    assert not selectors.overdue_occurrences(today=D(2025, 7, 2)).exists()


def test_overdue_can_be_limited_to_units(province):
    make_task(lead_unit=province.a, code="III.1.a")
    make_task(plan=make_plan(key="khac"), lead_unit=province.b, code="III.1.a")

    rows = selectors.overdue_occurrences(today=D(2025, 4, 2), unit_ids=[province.b.pk])

    assert [row.task.lead_unit_id for row in rows] == [province.b.pk]


def test_my_tasks_show_late_and_due_soon_work_of_my_units_only(province, commune_admin):
    plan = make_plan()
    mine = make_task(plan=plan, code="III.1.a", lead_unit=province.a)
    make_task(plan=plan, code="III.1.b", lead_unit=province.b)
    cooperating = make_task(plan=plan, code="III.1.c", lead_unit=province.department, cooperating_units=[province.a])

    result = selectors.my_tasks(commune_admin, D(2025, 6, 25))

    assert [row.task_id for row in result.late] == [mine.pk, cooperating.pk]
    assert [row.task_id for row in result.due_soon] == [mine.pk, cooperating.pk]
    assert all(row.due_on == D(2025, 3, 31) for row in result.late)


def test_plan_board_lists_every_task_by_group_with_its_periods(province):
    plan = make_plan()
    make_task(plan=plan, code="III.1.a", lead_unit=province.a)
    make_task(plan=plan, code="III.2.a", lead_unit=province.b, recurrence="yearly")

    board = selectors.plan_board(plan)

    assert [(group.code, [row.task.code for row in group.tasks]) for group in board] == [
        ("III.1", ["III.1.a"]),
        ("III.2", ["III.2.a"]),
    ]
    assert [occ.status for occ in board[0].tasks[0].occurrences] == ["not_started"] * 4
    assert [group.code for group in selectors.plan_board(plan, unit_id=province.b.pk)] == ["III.2"]


def test_emulation_ranking_puts_the_unit_that_reports_on_time_first(province, commune_admin, monkeypatch):
    plan = make_plan()
    make_task(plan=plan, code="III.1.a", lead_unit=province.a)
    make_task(plan=plan, code="III.1.b", lead_unit=province.b)
    q1, q2, q3, q4 = plan.tasks.get(code="III.1.a").occurrences.order_by("period_start")
    monkeypatch.setattr(timezone, "now", lambda: datetime.datetime(2025, 3, 31, 23, 0, tzinfo=VIETNAM))
    for occurrence in (q1, q2, q3):
        reporting.report_occurrence(occurrence=occurrence, user=commune_admin, status=OccurrenceStatus.DONE)
    monkeypatch.setattr(timezone, "now", lambda: datetime.datetime(2026, 1, 1, 0, 30, tzinfo=VIETNAM))
    reporting.report_occurrence(occurrence=q4, user=commune_admin, status=OccurrenceStatus.DONE)  # a day late

    ranking = selectors.emulation_ranking(plan, today=D(2026, 1, 2))

    assert [(row.unit_id, row.rank, row.done, row.on_time, row.assessed) for row in ranking] == [
        (province.a.pk, 1, 4, 3, 4),
        (province.b.pk, 2, 0, 0, 4),
    ]
    assert (ranking[0].completion_rate, ranking[0].on_time_rate, ranking[0].score) == (1.0, 0.75, 0.825)


def test_emulation_ranking_takes_extra_scores_through_the_hook(province):
    plan = make_plan()
    make_task(plan=plan, code="III.1.a", lead_unit=province.a)
    make_task(plan=plan, code="III.1.b", lead_unit=province.b)

    ranking = selectors.emulation_ranking(
        plan,
        {"on_time_rate": 1, "indicators": 1},
        today=D(2026, 1, 1),
        extra_scores={"indicators": {province.b.pk: 0.8}},
    )

    assert [(row.unit_id, row.score) for row in ranking] == [(province.b.pk, 0.4), (province.a.pk, 0.0)]


@pytest.mark.parametrize("role", [Role.UNIT_ADMIN])
def test_report_holders_are_the_users_with_a_reporting_role_at_the_unit_itself(province, role):
    at_a = make_user("a", role, province.a)
    make_user("province", Role.PROVINCIAL_ADMIN, province.root)
    make_user("auditor", Role.AUDITOR, province.a)

    assert selectors.report_holders_at([province.a.pk]) == {province.a.pk: [at_a]}


def test_a_plan_with_every_ranking_weight_at_zero_is_refused_in_vietnamese(db):
    from django.core.exceptions import ValidationError

    plan = make_plan()
    plan.ranking_weight_on_time = plan.ranking_weight_completion = plan.ranking_weight_indicators = 0
    with pytest.raises(ValidationError, match="Cần ít nhất một trọng số thi đua lớn hơn 0."):
        plan.full_clean()
