"""What other apps read of the plans app (monitoring, annual reports): plans found by reference, their objectives, and
each unit's task summary for a year."""

import datetime
from dataclasses import dataclass

from django.db.models import Q, Sum
from django.utils import timezone

from kynangso.plans.models import CLOSED_STATUSES, OccurrenceStatus, Plan, Task


@dataclass(frozen=True)
class ObjectiveRef:
    """An objective of a plan, as other apps see it."""

    id: int
    plan_id: int
    plan_key: str
    plan_number_symbol: str
    code: str
    text: str
    target_year: int | None
    indicator_code: str


def find_plan(reference: str) -> Plan | None:
    """The plan whose number and symbol ("4949/KH-UBND") or, for a plan without a number, whose file key
    ("hau-giang-de-an-146") is `reference`."""
    from kynangso.text import normalize_text

    reference = normalize_text(reference or "")
    if not reference:
        return None
    return Plan.objects.filter(number_symbol=reference).first() or Plan.objects.filter(key=reference).first()


def _objective_ref(objective) -> ObjectiveRef:
    return ObjectiveRef(
        id=objective.pk,
        plan_id=objective.plan_id,
        plan_key=objective.plan.key,
        plan_number_symbol=objective.plan.number_symbol,
        code=objective.code,
        text=objective.text,
        target_year=objective.target_year,
        indicator_code=objective.indicator_code,
    )


def plan_objectives(plan_reference: str) -> list[ObjectiveRef]:
    """Every objective of the plan (by number and symbol, or key), in the plan's order; [] if no such plan."""
    from kynangso.plans.models import PlanObjective

    plan = find_plan(plan_reference)
    if plan is None:
        return []
    return [_objective_ref(o) for o in PlanObjective.objects.filter(plan=plan).select_related("plan").order_by("order")]


def objective(*, plan: str, code: str) -> ObjectiveRef | None:
    """The objective `code` ("II.1.b", "2025.3") of the plan numbered or keyed `plan`, or None."""
    from kynangso.plans.models import PlanObjective
    from kynangso.text import normalize_text

    found = find_plan(plan)
    if found is None:
        return None
    item = PlanObjective.objects.filter(plan=found, code=normalize_text(code or "")).select_related("plan").first()
    return _objective_ref(item) if item else None


@dataclass(frozen=True)
class UnitTaskSummary:
    """One task a unit leads or cooperates on, summed up over the occurrences due in a year (for annual reports).

    `outputs` are the unit's own output counts over those occurrences, as (kind, label, count) in OutputKind order;
    `latest_progress` is the latest report text: for a lead, the narrative of the latest reported occurrence;
    for a cooperating unit, its latest contribution."""

    plan_id: int
    plan_label: str
    task_id: int
    task_code: str
    title: str
    role: str  # "lead" | "cooperate"
    due: int
    done: int
    overdue: int
    latest_progress: str
    latest_progress_percent: int | None
    latest_reported_on: datetime.date | None
    outputs: tuple


def unit_task_summary(*, unit_id: int, year: int, today: datetime.date | None = None) -> list[UnitTaskSummary]:
    """The tasks `unit_id` itself leads ("lead") or cooperates on ("cooperate") that have an occurrence due in
    `year`, ordered by plan and task; overdue counts open occurrences due before `today` (Vietnam date)."""
    from kynangso.plans.models import Contribution, OutputCount, OutputKind

    today = today or timezone.localdate()
    tasks = (
        Task.objects.filter(Q(lead_unit_id=unit_id) | Q(cooperating_units__id=unit_id), occurrences__due_on__year=year)
        .distinct()
        .select_related("plan")
        .order_by("plan__issued_year", "plan__key", "order", "code")
    )
    result = []
    kind_order = {kind: index for index, kind in enumerate(OutputKind.values)}
    for task in tasks:
        role = "lead" if task.lead_unit_id == unit_id else "cooperate"
        occurrences = list(task.occurrences.filter(due_on__year=year).order_by("period_start"))
        ids = [o.pk for o in occurrences]
        counts = (
            OutputCount.objects.filter(occurrence_id__in=ids, unit_id=unit_id)
            .values("kind")
            .annotate(total=Sum("count"))
        )
        outputs = tuple(
            sorted(
                ((row["kind"], str(OutputKind(row["kind"]).label), row["total"]) for row in counts),
                key=lambda item: kind_order[item[0]],
            )
        )
        latest_text, latest_percent, latest_on = "", None, None
        if role == "lead":
            reported = [o for o in occurrences if o.reported_at is not None]
            if reported:
                last = max(reported, key=lambda o: o.reported_at)
                latest_text, latest_percent = last.narrative, last.progress
                latest_on = timezone.localtime(last.reported_at).date()
        else:
            last = Contribution.objects.filter(occurrence_id__in=ids, unit_id=unit_id).order_by("-created_at").first()
            if last is not None:
                latest_text, latest_on = last.narrative, timezone.localtime(last.created_at).date()
        result.append(
            UnitTaskSummary(
                plan_id=task.plan_id,
                plan_label=task.plan.number_symbol or task.plan.title,
                task_id=task.pk,
                task_code=task.code,
                title=task.title,
                role=role,
                due=len(occurrences),
                done=sum(o.status == OccurrenceStatus.DONE for o in occurrences),
                overdue=sum(o.due_on < today and o.status not in CLOSED_STATUSES for o in occurrences),
                latest_progress=latest_text,
                latest_progress_percent=latest_percent,
                latest_reported_on=latest_on,
                outputs=outputs,
            )
        )
    return result
