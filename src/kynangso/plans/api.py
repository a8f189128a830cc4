"""Public interface of the plans app: the only names other apps (web, REST, jobs, monitoring) may use."""

from django.db.models import F

from kynangso.plans import ports
from kynangso.plans.importers import PlanImportReport, import_plan
from kynangso.plans.models import (
    Occurrence,
    OccurrenceStatus,
    OutputKind,
    Plan,
    PlanObjective,
    RecognitionKind,
    Recurrence,
    ReminderKind,
    Task,
)
from kynangso.plans.recurrence import sync_occurrences, task_periods
from kynangso.plans.reminders import send_due_reminders
from kynangso.plans.reporting import add_contribution, add_evidence, record_recognition, report_occurrence
from kynangso.plans.selectors import (
    DEFAULT_RANKING_WEIGHTS,
    annual_report_date,
    emulation_ranking,
    my_tasks,
    overdue_occurrences,
    plan_board,
    reminders_for,
    weighted_ranking,
)
from kynangso.plans.services import add_task, create_plan, update_plan, update_task
from kynangso.plans.summaries import (
    ObjectiveRef,
    UnitTaskSummary,
    find_plan,
    objective,
    plan_objectives,
    unit_task_summary,
)

__all__ = [
    "plan_by_key",
    "plan_titles",
    "ports",
    "DEFAULT_RANKING_WEIGHTS",
    "ObjectiveRef",
    "Occurrence",
    "OccurrenceStatus",
    "OutputKind",
    "Plan",
    "PlanImportReport",
    "RecognitionKind",
    "Recurrence",
    "ReminderKind",
    "Task",
    "UnitTaskSummary",
    "add_contribution",
    "add_evidence",
    "add_task",
    "annual_report_date",
    "create_plan",
    "emulation_ranking",
    "find_plan",
    "import_plan",
    "my_tasks",
    "objective",
    "objectives_with_indicator",
    "overdue_occurrences",
    "plan_board",
    "plan_objectives",
    "record_recognition",
    "reminders_for",
    "report_occurrence",
    "send_due_reminders",
    "sync_occurrences",
    "task_periods",
    "unit_task_summary",
    "update_plan",
    "update_task",
    "weighted_ranking",
]


def plan_by_key(key: str) -> Plan | None:
    """The plan with this key (its file name in plans/data), or None."""
    return Plan.objects.filter(key=key).first()


def plan_titles(plan_ids) -> list[tuple[int, str, str]]:
    """(id, number/symbol, title) of the given plans, newest first (a plan whose date of issue is known before one
    of the same year whose text gives only the year)."""
    return list(
        Plan.objects.filter(id__in=plan_ids)
        .order_by("-issued_year", F("issued_on").desc(nulls_last=True), "key")
        .values_list("id", "number_symbol", "title")
    )


def objectives_with_indicator(indicator_code: str) -> list[tuple[int, str, str]]:
    """(plan id, objective code, objective text) of every objective linked to `indicator_code`, for monitoring."""
    return list(PlanObjective.objects.filter(indicator_code=indicator_code).values_list("plan_id", "code", "text"))
