"""State changes of the plans app's plans and their parts: plans, legal bases, objectives, task groups, tasks and
responsibilities. Reporting on them is `reporting`, reminders `reminders`."""

import datetime
import logging

from django.db import transaction
from django.utils.translation import gettext as _

from kynangso.errors import DomainError
from kynangso.plans.models import (
    OccurrenceStatus,
    Plan,
    PlanLegalBasis,
    PlanObjective,
    Recurrence,
    Responsibility,
    Task,
    TaskGroup,
)
from kynangso.plans.recurrence import sync_occurrences
from kynangso.text import normalize_text

logger = logging.getLogger(__name__)

PLAN_FIELDS = (
    "number_symbol",
    "title",
    "issuing_body",
    "issued_on",
    "issued_year",
    "period_start",
    "period_end",
    "owner_unit",
    "owner_unit_label",
    "purpose",
    "funding",
    "annual_report_due_month",
    "annual_report_due_day",
)
TASK_FIELDS = (
    "group",
    "title",
    "description",
    "order",
    "lead_unit",
    "lead_unit_label",
    "cooperating_label",
    "recurrence",
    "schedule_label",
    "starts_on",
    "ends_on",
    "due_offset_days",
    "expected_outputs",
)
SCHEDULE_FIELDS = ("recurrence", "starts_on", "ends_on", "due_offset_days")


def plain_text(value) -> str:
    return normalize_text(value) if value is not None else ""


def _check_period(start, end, message):
    if start is None or end is None or end < start:
        raise DomainError(message)


# Plans and their parts -------------------------------------------------------------------------------------------


@transaction.atomic
def create_plan(
    *,
    key: str,
    title: str,
    issuing_body: str,
    issued_year: int,
    period_start: datetime.date,
    period_end: datetime.date,
    number_symbol: str = "",
    issued_on: datetime.date | None = None,
    owner_unit=None,
    owner_unit_label: str = "",
    purpose: str = "",
    funding: str = "",
    annual_report_due: tuple[int, int] | None = None,
    legal_bases=(),
) -> Plan:
    plan = Plan(key=key)
    _fill_plan(
        plan,
        title=title,
        issuing_body=issuing_body,
        issued_year=issued_year,
        period_start=period_start,
        period_end=period_end,
        number_symbol=number_symbol,
        issued_on=issued_on,
        owner_unit=owner_unit,
        owner_unit_label=owner_unit_label,
        purpose=purpose,
        funding=funding,
        annual_report_due=annual_report_due,
    )
    plan.save()
    _set_legal_bases(plan, legal_bases)
    return plan


@transaction.atomic
def update_plan(*, plan: Plan, legal_bases=(), annual_report_due=None, **fields) -> Plan:
    _fill_plan(plan, annual_report_due=annual_report_due, **fields)
    plan.save()
    _set_legal_bases(plan, legal_bases)
    for task in plan.tasks.all():
        sync_occurrences(task=task)  # an annual report date change moves the due dates of yearly tasks
    return plan


def _fill_plan(plan, *, annual_report_due, **fields):
    _check_period(fields["period_start"], fields["period_end"], "Thời gian thực hiện kế hoạch không hợp lệ.")
    number = plain_text(fields.get("number_symbol"))
    if number and Plan.objects.filter(number_symbol=number).exclude(pk=plan.pk).exists():
        raise DomainError(f"Đã có kế hoạch số {number}.", field="number_symbol")
    fields["number_symbol"] = number
    for name in ("title", "issuing_body", "owner_unit_label"):
        fields[name] = plain_text(fields.get(name))
    for name, value in fields.items():
        setattr(plan, name, value)
    plan.annual_report_due_month, plan.annual_report_due_day = annual_report_due or (None, None)
    if annual_report_due:
        try:
            datetime.date(2024, *annual_report_due)  # a leap year accepts 29/02
        except (TypeError, ValueError):
            raise DomainError(_("Ngày hạn báo cáo năm không hợp lệ."), field="annual_report_due") from None


def _set_legal_bases(plan, legal_bases):
    plan.legal_bases.all().delete()
    PlanLegalBasis.objects.bulk_create(
        PlanLegalBasis(plan=plan, order=index, text=plain_text(text)) for index, text in enumerate(legal_bases, start=1)
    )


def save_objective(
    *, plan: Plan, code: str, text: str, target_year: int | None = None, indicator_code: str = "", order: int = 0
) -> PlanObjective:
    """Create the objective `code` of `plan`, or update it."""
    objective, _created = PlanObjective.objects.update_or_create(
        plan=plan,
        code=plain_text(code),
        defaults={
            "text": plain_text(text),
            "target_year": target_year,
            "indicator_code": plain_text(indicator_code),
            "order": order,
        },
    )
    return objective


def save_task_group(*, plan: Plan, code: str, title: str, order: int = 0) -> TaskGroup:
    """Create the task group `code` of `plan`, or update it."""
    group, _created = TaskGroup.objects.update_or_create(
        plan=plan,
        code=plain_text(code),
        defaults={"title": plain_text(title), "order": order},
    )
    return group


def save_responsibility(
    *, plan: Plan, code: str, unit_label: str, text: str, unit=None, order: int = 0
) -> Responsibility:
    """Create the responsibility `code` (section IV) of `plan`, or update it."""
    responsibility, _created = Responsibility.objects.update_or_create(
        plan=plan,
        code=plain_text(code),
        defaults={"unit_label": plain_text(unit_label), "unit": unit, "text": text.strip(), "order": order},
    )
    return responsibility


def _validate_task(*, lead_unit_label, recurrence, starts_on, ends_on, code):
    if not plain_text(lead_unit_label):
        raise DomainError(f"Nhiệm vụ {code}: thiếu đơn vị chủ trì.", field="lead_unit_label")
    if recurrence not in Recurrence.values:
        raise DomainError(f"Nhiệm vụ {code}: chu kỳ không hợp lệ.", field="recurrence")
    _check_period(starts_on, ends_on, f"Nhiệm vụ {code}: thời gian thực hiện không hợp lệ.")


@transaction.atomic
def add_task(
    *,
    group: TaskGroup,
    code: str,
    title: str,
    lead_unit_label: str,
    recurrence: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    description: str = "",
    lead_unit=None,
    cooperating_units=(),
    cooperating_label: str = "",
    schedule_label: str = "",
    due_offset_days: int = 0,
    expected_outputs: str = "",
    order: int = 0,
    today: datetime.date | None = None,
) -> Task:
    """Add a task to a group and create its occurrences."""
    code = plain_text(code)
    _validate_task(
        lead_unit_label=lead_unit_label, recurrence=recurrence, starts_on=starts_on, ends_on=ends_on, code=code
    )
    if Task.objects.filter(plan_id=group.plan_id, code=code).exists():
        raise DomainError(f"Kế hoạch đã có nhiệm vụ {code}.", field="code")
    task = Task.objects.create(
        plan_id=group.plan_id,
        group=group,
        code=code,
        title=plain_text(title),
        description=description.strip(),
        lead_unit=lead_unit,
        lead_unit_label=plain_text(lead_unit_label),
        cooperating_label=plain_text(cooperating_label),
        recurrence=recurrence,
        schedule_label=plain_text(schedule_label),
        starts_on=starts_on,
        ends_on=ends_on,
        due_offset_days=due_offset_days,
        expected_outputs=expected_outputs.strip(),
        order=order,
    )
    task.cooperating_units.set(cooperating_units)
    sync_occurrences(task=task, today=today)
    return task


@transaction.atomic
def update_task(*, task: Task, cooperating_units=None, today: datetime.date | None = None, **fields) -> Task:
    """Change a task; a schedule change adds the missing periods and drops unreported future ones."""
    unknown = set(fields) - set(TASK_FIELDS)
    if unknown:
        raise TypeError(f"update_task() got unexpected fields {sorted(unknown)}")
    for name, value in fields.items():
        if name in {"title", "lead_unit_label", "cooperating_label", "schedule_label"}:
            value = plain_text(value)
        elif name in {"description", "expected_outputs"}:
            value = value.strip()
        setattr(task, name, value)
    _validate_task(
        lead_unit_label=task.lead_unit_label,
        recurrence=task.recurrence,
        starts_on=task.starts_on,
        ends_on=task.ends_on,
        code=task.code,
    )
    if task.group.plan_id != task.plan_id:
        raise DomainError(f"Nhiệm vụ {task.code}: nhóm nhiệm vụ thuộc kế hoạch khác.", field="group")
    task.save()
    if cooperating_units is not None:
        task.cooperating_units.set(cooperating_units)
    sync_occurrences(task=task, today=today)
    return task


def task_has_reports(task: Task) -> bool:
    return (
        task.occurrences.filter(reported_at__isnull=False).exists()
        or task.occurrences.exclude(status=OccurrenceStatus.NOT_STARTED).exists()
    )


@transaction.atomic
def remove_task(*, task: Task) -> None:
    """Delete a task that nobody reported on yet; reported work is history and is kept."""
    if task_has_reports(task):
        raise DomainError(f"Nhiệm vụ {task.code} đã có báo cáo, không thể xóa khỏi kế hoạch.")
    task.delete()
