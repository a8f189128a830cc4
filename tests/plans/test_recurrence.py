"""A task's schedule becomes its occurrences: the right periods and due dates, and re-running changes nothing."""

import datetime

from kynangso.plans import reporting, services
from kynangso.plans.models import OccurrenceStatus
from kynangso.plans.recurrence import sync_occurrences
from tests.plans.helpers import make_plan, make_task

D = datetime.date


def periods(task):
    return list(task.occurrences.order_by("period_start").values_list("period_start", "period_end", "due_on"))


def test_quarterly_campaign_for_a_year_has_four_quarters_due_at_quarter_end(province):
    task = make_task(lead_unit=province.a, recurrence="quarterly")

    assert periods(task) == [
        (D(2025, 1, 1), D(2025, 3, 31), D(2025, 3, 31)),
        (D(2025, 4, 1), D(2025, 6, 30), D(2025, 6, 30)),
        (D(2025, 7, 1), D(2025, 9, 30), D(2025, 9, 30)),
        (D(2025, 10, 1), D(2025, 12, 31), D(2025, 12, 31)),
    ]


def test_monthly_task_for_a_year_has_twelve_months(province):
    task = make_task(lead_unit=province.a, recurrence="monthly")

    rows = periods(task)
    assert len(rows) == 12
    assert rows[1] == (D(2025, 2, 1), D(2025, 2, 28), D(2025, 2, 28))


def test_yearly_task_from_2025_to_2030_has_six_years_due_on_the_plans_annual_report_date(province):
    plan = make_plan(annual_report_due=(12, 15))
    task = make_task(plan=plan, lead_unit=province.a, recurrence="yearly", ends_on=D(2030, 12, 31))

    rows = periods(task)
    assert len(rows) == 6
    assert rows[0] == (D(2025, 1, 1), D(2025, 12, 31), D(2025, 12, 15))
    assert rows[-1][2] == D(2030, 12, 15)


def test_one_off_task_is_due_at_its_end_plus_the_offset(province):
    task = make_task(lead_unit=province.a, recurrence="one_off", ends_on=D(2025, 6, 30), due_offset_days=10)

    assert periods(task) == [(D(2025, 1, 1), D(2025, 6, 30), D(2025, 7, 10))]


def test_syncing_again_creates_nothing(province):
    task = make_task(lead_unit=province.a)

    report = sync_occurrences(task=task, today=D(2025, 1, 1))

    assert (report.created, report.updated, report.removed) == (0, 0, 0)
    assert task.occurrences.count() == 4


def test_shortening_a_schedule_drops_only_unreported_future_periods(province, commune_admin):
    task = make_task(lead_unit=province.a, recurrence="quarterly")
    first, *_, last = task.occurrences.order_by("period_start")
    reporting.report_occurrence(occurrence=last, user=commune_admin, status=OccurrenceStatus.IN_PROGRESS, progress=10)

    services.update_task(task=task, ends_on=D(2025, 3, 31), today=D(2025, 2, 1))

    assert [row[0] for row in periods(task)] == [D(2025, 1, 1), D(2025, 10, 1)]  # Q4 was reported on: kept


def test_lengthening_a_schedule_adds_the_missing_periods(province):
    task = make_task(lead_unit=province.a, recurrence="quarterly")

    services.update_task(task=task, ends_on=D(2026, 6, 30), today=D(2025, 1, 1))

    assert task.occurrences.count() == 6
