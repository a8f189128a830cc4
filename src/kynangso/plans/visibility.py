"""Who sees what of the plans app: the plans a user follows up, the tasks and occurrences in their scope, who may
report, and which evidence they may open."""

from django.db.models import Q

from kynangso.accounts import api as accounts
from kynangso.plans.models import Occurrence, Plan, Task


def follows_up(user, plan: Plan) -> bool:
    """Whether `user` follows up the whole plan: PLANS_VIEW at the plan's department in charge (its owner unit)
    or above; for a plan without an owner unit, PLANS_MANAGE anywhere."""
    if plan.owner_unit_id is None:
        return accounts.has_capability(user, accounts.capabilities.PLANS_MANAGE)
    return accounts.has_capability(user, accounts.capabilities.PLANS_VIEW, plan.owner_unit_id)


def task_scope(user, plan: Plan):
    """None when the user sees every task of `plan`; else the unit ids (a subquery) whose tasks they see."""
    if follows_up(user, plan):
        return None
    return accounts.scope_unit_ids(user, accounts.capabilities.PLANS_VIEW)


def visible_plans(user) -> list[Plan]:
    """Plans the user follows up, or in which a unit in their PLANS_VIEW scope leads or cooperates on a task."""
    if not accounts.has_capability(user, accounts.capabilities.PLANS_VIEW):
        return []
    scope = accounts.scope_unit_ids(user, accounts.capabilities.PLANS_VIEW)
    plans = Plan.objects.select_related("owner_unit").order_by("-issued_year", "key")
    if scope is None:
        return list(plans)
    with_tasks = set(
        Task.objects.filter(Q(lead_unit__in=scope) | Q(cooperating_units__in=scope)).values_list("plan_id", flat=True)
    )
    return [plan for plan in plans if plan.pk in with_tasks or follows_up(user, plan)]


def may_see_task(user, task: Task) -> bool:
    if follows_up(user, task.plan):
        return True
    unit_ids = [task.lead_unit_id, *task.cooperating_units.values_list("pk", flat=True)]
    return any(
        unit_id and accounts.has_capability(user, accounts.capabilities.PLANS_VIEW, unit_id) for unit_id in unit_ids
    )


def occurrence_for(user, occurrence_id: int) -> Occurrence | None:
    """The occurrence if the user may see it (see `may_see_task`), else None."""
    occurrence = (
        Occurrence.objects.select_related("task__plan__owner_unit", "task__lead_unit", "task__group", "reported_by")
        .filter(pk=occurrence_id)
        .first()
    )
    if occurrence is None or not may_see_task(user, occurrence.task):
        return None
    return occurrence


def may_report(user, occurrence: Occurrence) -> bool:
    """Whether the user may file the lead unit's report on the occurrence."""
    return may_report_on_task(user, occurrence.task)


def may_report_on_task(user, task: Task) -> bool:
    """PLANS_REPORT over the lead unit; PLANS_MANAGE over the plan's owner unit while the lead is only text."""
    if task.lead_unit_id is None:
        return accounts.has_capability(user, accounts.capabilities.PLANS_MANAGE, task.plan.owner_unit_id)
    return accounts.has_capability(user, accounts.capabilities.PLANS_REPORT, task.lead_unit_id)


def contributing_units(user, occurrence: Occurrence) -> list:
    """The cooperating units of the occurrence's task for which the user may report a contribution."""
    return [
        unit
        for unit in occurrence.task.cooperating_units.order_by("name")
        if accounts.has_capability(user, accounts.capabilities.PLANS_REPORT, unit.pk)
    ]


def evidence_for(user, evidence_id: int):
    """The evidence if the user may see its occurrence, else None."""
    from kynangso.plans.models import Evidence

    evidence = Evidence.objects.select_related("occurrence__task__plan").filter(pk=evidence_id).first()
    if evidence is None or not may_see_task(user, evidence.occurrence.task):
        return None
    return evidence
