"""The periods of a task's schedule, and keeping a task's occurrences in step with them (idempotently)."""

import calendar
import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from kynangso.plans.models import Occurrence, OccurrenceStatus, Recurrence, Task
from kynangso.plans.selectors import annual_report_date


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date
    due_on: datetime.date


@dataclass(frozen=True)
class SyncReport:
    created: int
    updated: int
    removed: int


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _calendar_period(recurrence: str, day: datetime.date) -> tuple[datetime.date, datetime.date]:
    if recurrence == Recurrence.MONTHLY:
        return day.replace(day=1), _month_end(day.year, day.month)
    if recurrence == Recurrence.QUARTERLY:
        first_month = 3 * ((day.month - 1) // 3) + 1
        return datetime.date(day.year, first_month, 1), _month_end(day.year, first_month + 2)
    return datetime.date(day.year, 1, 1), datetime.date(day.year, 12, 31)


def task_periods(task: Task) -> list[Period]:
    """Every period of `task` between its start and end.

    Periods are whole calendar months, quarters or years that overlap the task's schedule (a campaign running
    1 Jan – 31 Dec quarterly has the four quarters); a one-off task has one period, its schedule. The report is
    due `due_offset_days` after the period ends, except that yearly tasks of a plan with an annual report date
    (15 December in most plans) are due on that date of the year, plus the offset.
    """
    offset = datetime.timedelta(days=task.due_offset_days)
    if task.recurrence == Recurrence.ONE_OFF:
        return [Period(task.starts_on, task.ends_on, task.ends_on + offset)]
    periods = []
    day = task.starts_on
    while day <= task.ends_on:
        start, end = _calendar_period(task.recurrence, day)
        base = end
        if task.recurrence == Recurrence.YEARLY:
            base = annual_report_date(task.plan, start.year) or end
        periods.append(Period(start, end, base + offset))
        day = end + datetime.timedelta(days=1)
    return periods


def _is_untouched(occurrence: Occurrence) -> bool:
    return (
        occurrence.reported_at is None
        and occurrence.status == OccurrenceStatus.NOT_STARTED
        and not occurrence.outputs.exists()
        and not occurrence.contributions.exists()
        and not occurrence.evidence.exists()
    )


@transaction.atomic
def sync_occurrences(*, task: Task, today: datetime.date | None = None) -> SyncReport:
    """Create the missing occurrences of `task`; re-running changes nothing.

    After a schedule change, periods no longer in the schedule are removed only if they lie in the future
    (start after `today`) and nothing was reported on them; anything reported is history and stays.
    Dates of unreported occurrences follow the new due rule.
    """
    today = today or timezone.localdate()
    wanted = {period.start: period for period in task_periods(task)}
    existing = {occurrence.period_start: occurrence for occurrence in task.occurrences.select_for_update()}
    created = updated = removed = 0
    for start, period in wanted.items():
        occurrence = existing.get(start)
        if occurrence is None:
            Occurrence.objects.create(task=task, period_start=start, period_end=period.end, due_on=period.due_on)
            created += 1
        elif (occurrence.period_end, occurrence.due_on) != (
            period.end,
            period.due_on,
        ) and occurrence.reported_at is None:
            occurrence.period_end, occurrence.due_on = period.end, period.due_on
            occurrence.save(update_fields=["period_end", "due_on"])
            updated += 1
    for start, occurrence in existing.items():
        if start not in wanted and start > today and _is_untouched(occurrence):
            occurrence.delete()
            removed += 1
    return SyncReport(created=created, updated=updated, removed=removed)
