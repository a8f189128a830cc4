"""Reads of the plans app: overdue and upcoming work, the plan board, the timeline, the emulation ranking, reminder
recipients. Who sees what is `visibility`; what other apps read is `summaries`."""

import calendar
import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone

from kynangso.accounts import api as accounts
from kynangso.orgs import api as orgs
from kynangso.plans import ports
from kynangso.plans.models import (
    CLOSED_STATUSES,
    Occurrence,
    OccurrenceStatus,
    Plan,
    ReminderChannel,
    ReminderLog,
    Task,
)


def annual_report_date(plan: Plan, year: int) -> datetime.date | None:
    """The plan's annual report due date in `year` (15 December in most plans), or None if it sets none."""
    if plan.annual_report_due_month is None:
        return None
    month = plan.annual_report_due_month
    return datetime.date(year, month, min(plan.annual_report_due_day, calendar.monthrange(year, month)[1]))


def _open(queryset: QuerySet) -> QuerySet:
    return queryset.exclude(status__in=CLOSED_STATUSES)


def overdue_occurrences(*, today: datetime.date | None = None, unit_ids=None) -> QuerySet:
    """Occurrences whose due date has passed and that are neither done nor cancelled.

    `today` is the date in Asia/Ho_Chi_Minh (timezone.localdate()) unless given: at 00:30 on 1 April in Vietnam
    it is still 31 March in UTC, yet an occurrence due 31 March is already late. `unit_ids` (ids or a subquery)
    limits the result to tasks led by those units.
    """
    today = today or timezone.localdate()
    queryset = _open(Occurrence.objects.filter(due_on__lt=today))
    if unit_ids is not None:
        queryset = queryset.filter(task__lead_unit__in=unit_ids)
    return queryset.select_related("task__plan", "task__lead_unit").order_by("due_on", "task__code")


@dataclass
class MyTasks:
    late: list
    due_soon: list


def reminder_days_before() -> int:
    """How many days before a due date the first reminder goes out (setting PLANS_REMINDER_DAYS_BEFORE, default 7)."""
    return int(getattr(settings, "PLANS_REMINDER_DAYS_BEFORE", 7))


def my_tasks(user, today: datetime.date | None = None, *, horizon_days: int | None = None) -> MyTasks:
    """Open occurrences that are late or due within `horizon_days` (default: the reminder lead time) for tasks led
    or cooperated on by units in the user's PLANS_VIEW scope."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=reminder_days_before() if horizon_days is None else horizon_days)
    queryset = _open(Occurrence.objects.filter(due_on__lte=horizon))
    scope = accounts.scope_unit_ids(user, accounts.capabilities.PLANS_VIEW)
    if scope is not None:
        in_scope = Task.objects.filter(Q(lead_unit__in=scope) | Q(cooperating_units__in=scope)).values("pk")
        queryset = queryset.filter(task__in=in_scope)
    rows = list(queryset.select_related("task__plan", "task__lead_unit").order_by("due_on", "task__code"))
    return MyTasks(
        late=[row for row in rows if row.due_on < today], due_soon=[row for row in rows if row.due_on >= today]
    )


@dataclass
class BoardTask:
    task: Task
    occurrences: list


@dataclass
class BoardGroup:
    code: str
    title: str
    tasks: list = field(default_factory=list)


def plan_board(plan: Plan, unit_id: int | None = None, *, unit_ids=None, year: int | None = None) -> list[BoardGroup]:
    """Every task of the plan by group, each with its occurrences (period, due date, status, progress) in order.

    With `unit_id`, only tasks that unit leads or cooperates on; with `unit_ids` (ids or a subquery: the
    viewer's scope), only tasks led by or cooperated on by one of them; with `year`, only the periods starting
    in that year (and only the tasks that have one)."""
    occurrences = Occurrence.objects.order_by("period_start").prefetch_related("evidence")
    if year is not None:
        occurrences = occurrences.filter(period_start__year=year)
    tasks = (
        plan.tasks.select_related("group", "lead_unit")
        .prefetch_related(
            Prefetch("occurrences", queryset=occurrences),
            "cooperating_units",
        )
        .order_by("group__order", "order", "code")
    )
    if unit_id is not None:
        tasks = tasks.filter(Q(lead_unit_id=unit_id) | Q(cooperating_units__id=unit_id))
    if unit_ids is not None:
        tasks = tasks.filter(
            pk__in=Task.objects.filter(Q(lead_unit__in=unit_ids) | Q(cooperating_units__in=unit_ids)).values("pk")
        )
    if year is not None:
        tasks = tasks.filter(occurrences__period_start__year=year)
    tasks = tasks.distinct()
    groups: dict[int, BoardGroup] = {}
    for group in plan.task_groups.order_by("order", "code"):
        groups[group.pk] = BoardGroup(code=group.code, title=group.title)
    for task in tasks:
        groups[task.group_id].tasks.append(BoardTask(task=task, occurrences=list(task.occurrences.all())))
    filtered = unit_id is not None or unit_ids is not None or year is not None
    return [group for group in groups.values() if group.tasks or not filtered]


@dataclass(frozen=True)
class OccurrenceState:
    key: str  # css suffix: done, cancelled, overdue, in_progress, not_started, upcoming
    label: str


def occurrence_state(occurrence: Occurrence, today: datetime.date | None = None) -> OccurrenceState:
    """How an occurrence is shown: its status, except that an open one past its due date (in Vietnam) is overdue."""
    today = today or timezone.localdate()
    if occurrence.status == OccurrenceStatus.DONE:
        return OccurrenceState("done", str(OccurrenceStatus.DONE.label))
    if occurrence.status == OccurrenceStatus.CANCELLED:
        return OccurrenceState("cancelled", str(OccurrenceStatus.CANCELLED.label))
    if occurrence.due_on < today:
        return OccurrenceState("overdue", "Quá hạn")
    if occurrence.status == OccurrenceStatus.IN_PROGRESS:
        return OccurrenceState("in_progress", str(OccurrenceStatus.IN_PROGRESS.label))
    if occurrence.period_start > today:
        return OccurrenceState("upcoming", "Chưa đến kỳ")
    return OccurrenceState("not_started", str(OccurrenceStatus.NOT_STARTED.label))


def timeline(plan: Plan, *, year: int, unit_ids=None) -> list[tuple[datetime.date, list[Occurrence]]]:
    """The plan's occurrences due in `year` by month of their due date: [(first day of month, occurrences)]."""
    occurrences = (
        Occurrence.objects.filter(task__plan=plan, due_on__year=year)
        .select_related("task__lead_unit", "task__group")
        .order_by("due_on", "task__order", "task__code")
    )
    if unit_ids is not None:
        occurrences = occurrences.filter(
            task__in=Task.objects.filter(Q(lead_unit__in=unit_ids) | Q(cooperating_units__in=unit_ids)).values("pk")
        )
    months: dict[datetime.date, list] = {}
    for occurrence in occurrences:
        months.setdefault(occurrence.due_on.replace(day=1), []).append(occurrence)
    return list(months.items())


@dataclass(frozen=True)
class RankingRow:
    unit_id: int
    unit_name: str
    assessed: int
    done: int
    on_time: int
    completion_rate: float
    on_time_rate: float
    score: float
    rank: int
    extra: dict = field(default_factory=dict)  # the extra scores that counted, e.g. {"indicators": 0.8}


DEFAULT_RANKING_WEIGHTS = {"on_time_rate": 0.7, "completion_rate": 0.3}


def emulation_ranking(
    plan: Plan,
    weights: dict[str, float] | None = None,
    *,
    today: datetime.date | None = None,
    extra_scores: dict[str, dict[int, float]] | None = None,
) -> list[RankingRow]:
    """Rank the units leading tasks of `plan` for emulation (thi đua).

    For each lead unit, over the occurrences it leads whose due date has passed (`assessed`, cancelled ones
    excluded because a reasoned cancellation is not a failure):
      completion_rate = done / assessed
      on_time_rate    = done with the report dated (in Vietnam) on or before the due date / assessed
      score           = Σ weight[name] × value[name] / Σ weight[name]
    where the values are the two rates above plus, as the hook for monitoring indicators, every
    `extra_scores[name][unit_id]` (a number from 0 to 1; a unit missing from a dict counts 0).
    `weights` defaults to 0.7 on-time and 0.3 completion; a weight for an extra score is needed for it to count.
    Units with nothing assessed yet are left out. Ties share a rank.
    """
    today = today or timezone.localdate()
    weights = dict(DEFAULT_RANKING_WEIGHTS if weights is None else weights)
    extra_scores = extra_scores or {}
    total_weight = sum(weights.values())
    if total_weight <= 0:
        raise ValueError("weights must add up to a positive number")
    done = Q(status=OccurrenceStatus.DONE)
    rows = (
        Occurrence.objects.filter(task__plan=plan, task__lead_unit__isnull=False, due_on__lt=today)
        .exclude(status=OccurrenceStatus.CANCELLED)
        .values("task__lead_unit_id", "task__lead_unit__name")
        .annotate(
            assessed=Count("pk"),
            done=Count("pk", filter=done),
            on_time=Count("pk", filter=done & Q(reported_at__date__lte=F("due_on"))),
        )
    )
    scored = []
    for row in rows:
        unit_id = row["task__lead_unit_id"]
        values = {"completion_rate": row["done"] / row["assessed"], "on_time_rate": row["on_time"] / row["assessed"]}
        values.update({name: float(scores.get(unit_id, 0)) for name, scores in extra_scores.items()})
        score = sum(weight * values.get(name, 0.0) for name, weight in weights.items()) / total_weight
        scored.append((round(score, 4), unit_id, row, values))
    scored.sort(key=lambda item: (-item[0], item[2]["task__lead_unit__name"]))
    ranking, previous_score, rank = [], None, 0
    for position, (score, unit_id, row, values) in enumerate(scored, start=1):
        if score != previous_score:
            rank, previous_score = position, score
        ranking.append(
            RankingRow(
                unit_id=unit_id,
                unit_name=row["task__lead_unit__name"],
                assessed=row["assessed"],
                done=row["done"],
                on_time=row["on_time"],
                completion_rate=values["completion_rate"],
                on_time_rate=values["on_time_rate"],
                score=score,
                rank=rank,
                extra={name: values[name] for name in extra_scores if name in weights},
            )
        )
    return ranking


def weighted_ranking(plan: Plan, *, year: int, today: datetime.date | None = None) -> list[RankingRow]:
    """The emulation ranking with the province's weights (`Plan.ranking_weights`): reports on time, tasks done and,
    where the plan has targets, the lead units' progress towards them in `year` (monitoring's
    `target_attainment`, through the port in `plans/ports.py`). Without any indicator figure the indicator part is left out rather than counted as zero
    for everyone."""
    weights = plan.ranking_weights()
    lead_ids = set(plan.tasks.exclude(lead_unit=None).values_list("lead_unit_id", flat=True))
    attainment = (
        ports.target_attainment(plan_id=plan.pk, unit_ids=lead_ids, year=year)
        if weights["indicators"] and ports.target_attainment.provided
        else {}
    )
    if not attainment:
        weights.pop("indicators")
    if not any(weights.values()):
        weights = None
    return emulation_ranking(
        plan, weights, today=today, extra_scores={"indicators": attainment} if attainment else None
    )


def reminders_for(user, *, unread_only: bool = False) -> QuerySet:
    """The user's in-app reminders, newest first."""
    queryset = ReminderLog.objects.filter(recipient=user, channel=ReminderChannel.IN_APP)
    if unread_only:
        queryset = queryset.filter(read_at__isnull=True)
    return queryset.select_related("occurrence__task")


def report_holders_at(unit_ids) -> dict[int, list]:
    """Active users holding PLANS_REPORT through a role assigned at each of `unit_ids` itself (not above it).

    LOCAL HELPER: accounts.api offers no "who holds capability C at unit U" function, so this reads role
    assignments through the user model's `role_assignments` relation. It should move to accounts.api
    (e.g. `users_with_capability_at(capability, unit_ids)`) and be called from here.
    """
    unit_ids = set(unit_ids)
    if not unit_ids:
        return {}
    roles = accounts.capabilities.roles_with(accounts.capabilities.PLANS_REPORT)
    pairs = (
        get_user_model()
        .objects.filter(is_active=True, role_assignments__unit_id__in=unit_ids, role_assignments__role__in=roles)
        .values_list("pk", "role_assignments__unit_id")
        .distinct()
    )
    pairs = list(pairs)
    users = get_user_model().objects.in_bulk({user_id for user_id, _ in pairs})
    holders: dict[int, list] = {}
    for user_id, unit_id in pairs:
        if unit_id in unit_ids and users[user_id] not in holders.setdefault(unit_id, []):
            holders[unit_id].append(users[user_id])
    return holders


def resolve_unit_label(label: str):
    """The single active unit whose code or full name is `label`, or None (a kind of unit, or not yet registered)."""
    unit = orgs.unit_by_code(label)
    if unit is not None:
        return unit
    from kynangso.text import search_key

    matches = list(orgs.units(active_only=True).filter(search_name=search_key(label))[:2])
    return matches[0] if len(matches) == 1 else None
