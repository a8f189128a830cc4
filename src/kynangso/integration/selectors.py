"""Reads of the integration app: the statements resource's queries (filters, order, pages), the statements waiting
for an admin, and the outside completions as facts for the roll-up and the reports."""

import datetime
import uuid
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet

from kynangso.integration.models import OutsideCompletion, Platform, Statement, StatementStatus

MAX_LIMIT = 500  # statements in one page of the statements resource


@dataclass(frozen=True)
class StatementQuery:
    """The standard filters of a GET on the statements resource (xAPI 1.0.3 §7.2.3), already parsed."""

    actor_key: str = ""
    verb: str = ""
    activity: str = ""
    registration: uuid.UUID | None = None
    since: datetime.datetime | None = None
    until: datetime.datetime | None = None
    limit: int = MAX_LIMIT
    ascending: bool = False


def statement_by_id(platform: Platform, statement_id: uuid.UUID, *, voided: bool) -> Statement | None:
    """The platform's statement with this id; `voided` True asks for a voided one (voidedStatementId), False for
    one that is not voided (statementId): a voided statement is not returned by its own id."""
    return Statement.objects.filter(platform=platform, statement_id=statement_id, voided=voided).first()


def statement_page(
    platform: Platform, query: StatementQuery, *, after: tuple[str, int] | None = None
) -> tuple[list[Statement], tuple[str, int] | None]:
    """One page of the platform's statements matching the filters (voided ones left out), newest stored first
    unless ascending, and the position after the page's last one when there are more."""
    rows = Statement.objects.filter(platform=platform, voided=False)
    if query.actor_key:
        rows = rows.filter(actor_key=query.actor_key)
    if query.verb:
        rows = rows.filter(verb_id=query.verb)
    if query.activity:
        rows = rows.filter(activity_id=query.activity)
    if query.registration:
        rows = rows.filter(registration=query.registration)
    if query.since:
        rows = rows.filter(stored_at__gt=query.since)
    if query.until:
        rows = rows.filter(stored_at__lte=query.until)
    if after is not None:
        moment, last_id = datetime.datetime.fromisoformat(after[0]), after[1]
        if query.ascending:
            rows = rows.filter(Q(stored_at__gt=moment) | Q(stored_at=moment, id__gt=last_id))
        else:
            rows = rows.filter(Q(stored_at__lt=moment) | Q(stored_at=moment, id__lt=last_id))
    order = ("stored_at", "id") if query.ascending else ("-stored_at", "-id")
    found = list(rows.order_by(*order)[: query.limit + 1])
    if len(found) <= query.limit:
        return found, None
    page = found[: query.limit]
    return page, (page[-1].stored_at.isoformat(), page[-1].pk)


def waiting_statements(unit_ids) -> QuerySet:
    """Statements of the units' platforms that count for nobody yet (no mapping, no person, out of scope), for an
    admin to map or link."""
    return (
        Statement.objects.filter(
            platform__unit_id__in=unit_ids,
            voided=False,
            status__in=[StatementStatus.UNMAPPED, StatementStatus.UNMATCHED, StatementStatus.OUT_OF_SCOPE],
        )
        .select_related("platform")
        .order_by("-stored_at", "-id")
    )


def _counted() -> QuerySet:
    return OutsideCompletion.objects.filter(voided_at__isnull=True).order_by()


def outside_course_facts(*, course_code: str = "") -> QuerySet:
    """Courses completed elsewhere that count (of the course `course_code` if given): values(f_person = person id,
    f_on = the day), shaped like learning's completion facts."""
    rows = _counted().exclude(course_code="")
    if course_code:
        rows = rows.filter(course_code=course_code)
    return rows.values(f_person=F("person_id"), f_on=F("done_on"))


def outside_standard_facts(*, standard_code: str = "") -> QuerySet:
    """Standards passed elsewhere that count (of `standard_code` if given): values(f_person = person id,
    f_at = when), shaped like assessment's attempt facts."""
    rows = _counted().exclude(standard_code="")
    if standard_code:
        rows = rows.filter(standard_code=standard_code)
    return rows.values(f_person=F("person_id"), f_at=F("done_at"))


def outside_completions_between(since_day: datetime.date, until_day: datetime.date) -> QuerySet:
    """Counted outside course completions dated in [since_day, until_day): values(f_person, f_code = course)."""
    return (
        _counted()
        .exclude(course_code="")
        .filter(done_on__gte=since_day, done_on__lt=until_day)
        .values(f_person=F("person_id"), f_code=F("course_code"))
    )


def outside_changes_between(since: datetime.datetime, until: datetime.datetime) -> QuerySet:
    """People whose outside completions were recorded or voided in [since, until): values(f_person). An outside
    completion may be dated before it reached us, so the roll-up recomputes these people's units."""
    return (
        OutsideCompletion.objects.filter(
            Q(recorded_at__gte=since, recorded_at__lt=until) | Q(voided_at__gte=since, voided_at__lt=until)
        )
        .order_by()
        .values(f_person=F("person_id"))
        .distinct()
    )


def outside_completions_of(person_id: int) -> QuerySet:
    """A person's counted outside completions, newest first (shown as «học trên nền tảng khác»)."""
    return (
        OutsideCompletion.objects.filter(person_id=person_id, voided_at__isnull=True)
        .select_related("platform")
        .order_by("-done_on", "-id")
    )


def waiting_statements_everywhere() -> QuerySet:
    """Every waiting statement (a superuser's view)."""
    return (
        Statement.objects.filter(
            voided=False, status__in=[StatementStatus.UNMAPPED, StatementStatus.UNMATCHED, StatementStatus.OUT_OF_SCOPE]
        )
        .select_related("platform")
        .order_by("-stored_at", "-id")
    )
