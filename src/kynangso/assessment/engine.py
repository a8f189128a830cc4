"""Attempts: starting one (the retake policy, the form drawn by the blueprint), the server-side deadline,
submitting and scoring. Saving answers is `answering`; what the taker sees is `presentation`.
"""

import datetime
import random
import secrets

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from kynangso.assessment import drawing, events, presentation, scoring, selectors
from kynangso.assessment.models import (
    Attempt,
    AttemptItem,
    AttemptStatus,
    BlueprintRow,
    Item,
    ItemVersion,
    Standard,
    StandardMode,
)
from kynangso.errors import DomainError
from kynangso.frameworks import api as frameworks

# Answers that reach the server this long after the deadline still count (a slow network on the last click).
GRACE = datetime.timedelta(seconds=15)
# An answer given on the device before the deadline (its clock corrected by the offset measured when the page was
# read) but held back by a lost network still counts if it arrives this long after the deadline; the attempt is
# submitted automatically only after this (ADR 0034).
LATE_GRACE = datetime.timedelta(minutes=2)
_REDRAWS = 5


def _local(moment: datetime.datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "H:i d/m/Y")


def next_start_allowed(standard: Standard, history: list[Attempt]) -> datetime.datetime | None:
    """When the person may start again after their last submitted attempt: the waiting time grows with each failed
    attempt (the standard's `wait_hours` after the first, twice that after the second, …), so retrying at once to
    see more of the pool does not pay (docs/standards.md, «Lượt thi»)."""
    submitted = [a for a in history if a.status == AttemptStatus.SUBMITTED and a.submitted_at]
    if not submitted:
        return None
    failures = sum(1 for a in submitted if not a.passed)
    last = max(a.submitted_at for a in submitted)
    return last + datetime.timedelta(hours=standard.wait_hours * max(1, failures))


def check_policy(
    person,
    standard: Standard,
    now: datetime.datetime,
    *,
    fixed_form: bool = True,
    history: list[Attempt] | None = None,
    rows=None,
    pool=None,
) -> None:
    """Raise the reason, in Vietnamese, why the person may not start a new attempt now. `history` (the person's
    attempts of this standard), `rows` and `pool` may be passed when the caller has read them already."""
    if not standard.is_active:
        raise DomainError(_("Chuẩn «%(name)s» hiện không tổ chức sát hạch.") % {"name": standard.name})
    if history is None:
        history = list(Attempt.objects.filter(person=person, standard=standard))
    if any(a.passed for a in history):
        raise DomainError(
            _("Bạn đã đạt chuẩn «%(name)s»; không cần thi lại.") % {"name": standard.name}, code="already_passed"
        )
    year = timezone.localtime(now).year
    if sum(1 for a in history if timezone.localtime(a.started_at).year == year) >= standard.max_attempts_per_year:
        raise DomainError(
            _("Bạn đã dùng hết %(count)s lượt thi của năm nay cho chuẩn này.")
            % {"count": standard.max_attempts_per_year},
            code="policy",
        )
    allowed = next_start_allowed(standard, history)
    if allowed is not None and allowed > now:
        raise DomainError(_("Bạn có thể thi lại từ %(when)s.") % {"when": _local(allowed)}, code="policy")
    if not fixed_form:
        return
    rows = list(standard.blueprint.all()) if rows is None else rows
    pool = drawing.live_pool(standard, rows) if pool is None else pool
    shortages = drawing.shortages(rows, pool)
    if shortages:
        raise DomainError(_("Chưa thể tổ chức thi chuẩn này: %(problems)s.") % {"problems": "; ".join(shortages)})


def open_attempt(person, standard) -> Attempt | None:
    return Attempt.objects.filter(person=person, standard=standard, status=AttemptStatus.OPEN).first()


def start_attempt(
    *,
    person,
    standard: Standard,
    started_by,
    assisted_by=None,
    consent: bool = False,
    now: datetime.datetime | None = None,
) -> Attempt:
    """Start (or resume: one open attempt per person and standard) an attempt with its own drawn form.

    An assisted attempt is started by a community helper on their device; the person's consent must be given.
    Every way into an exam (the page, the helper's assisted start, the REST API, the demo) comes through here, so
    the target-group rule is checked here and nowhere else: a person may sit (or resume) only a standard of a
    target group they belong to on the day.
    """
    now = now or timezone.now()
    if not selectors.is_eligible(person, standard, timezone.localdate(now)):
        raise DomainError(
            _("Chuẩn «%(name)s» không dành cho nhóm đối tượng của người dự thi.") % {"name": standard.name},
            code="not_eligible",
        )
    history = list(Attempt.objects.filter(person=person, standard=standard))
    current = next((a for a in history if a.status == AttemptStatus.OPEN), None)
    if current is not None:
        if current.deadline + LATE_GRACE >= now:
            return current
        submit_attempt(attempt=current, now=now, auto=True)
        history = list(Attempt.objects.filter(person=person, standard=standard))
    if assisted_by is not None and not consent:
        raise DomainError(_("Cần người dự thi đồng ý được hỗ trợ trước khi bắt đầu."), field="consent")
    from kynangso.assessment import cat

    adaptive = standard.mode == StandardMode.ADAPTIVE and not cat.readiness(standard)
    rows = list(standard.blueprint.all())
    pool = None if adaptive else drawing.live_pool(standard, rows)
    check_policy(person, standard, now, fixed_form=not adaptive, history=history, rows=rows, pool=pool)
    number = len(history) + 1
    if adaptive:
        try:
            with transaction.atomic():
                attempt = _create_attempt(
                    person,
                    standard,
                    now=now,
                    started_by=started_by,
                    assisted_by=assisted_by,
                    mode=StandardMode.ADAPTIVE,
                    number=number,
                )
                cat.begin(attempt, standard)
        except IntegrityError:
            return _resume_after_race(person, standard)
        return attempt
    rng = random.Random(secrets.randbits(64))
    by_attempt: dict[int, set[int]] = {}
    for attempt_id, version_id in AttemptItem.objects.filter(
        attempt__person=person, attempt__standard=standard
    ).values_list("attempt_id", "item_version_id"):
        by_attempt.setdefault(attempt_id, set()).add(version_id)
    previous_forms = list(by_attempt.values())
    cells = [((r.competence_code, r.level), r.item_count) for r in rows]
    seen = drawing.seen_families(person)
    version_ids = drawing.draw_form(cells, pool, rng, seen)
    for _retry in range(_REDRAWS):
        if set(version_ids) not in previous_forms:
            break
        version_ids = drawing.draw_form(cells, pool, rng, seen)
    rng.shuffle(version_ids)
    versions = ItemVersion.objects.in_bulk(version_ids)
    try:
        with transaction.atomic():
            # A standard set to adaptive whose pool is not ready yet gets a fixed form (cat.readiness says why).
            attempt = _create_attempt(
                person,
                standard,
                now=now,
                started_by=started_by,
                assisted_by=assisted_by,
                mode=StandardMode.FIXED,
                number=number,
            )
            AttemptItem.objects.bulk_create(
                [
                    AttemptItem(
                        attempt=attempt,
                        position=position,
                        item_version_id=version_id,
                        presentation=presentation.drawn_presentation(versions[version_id], rng),
                        nonce=secrets.token_hex(4),
                    )
                    for position, version_id in enumerate(version_ids, start=1)
                ]
            )
            _count_exposure(version_ids)
    except IntegrityError:
        return _resume_after_race(person, standard)
    return attempt


def _count_exposure(version_ids) -> None:
    """Count one more draw for each item. Concurrent starts share items, so the rows are locked in primary-key
    order first: two starts locking the same items in different orders would deadlock on PostgreSQL."""
    item_ids = list(
        Item.objects.select_for_update()
        .filter(live_version_id__in=version_ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    Item.objects.filter(pk__in=item_ids).update(times_drawn=F("times_drawn") + 1)


def _create_attempt(person, standard: Standard, *, now, started_by, assisted_by, mode: str, number: int) -> Attempt:
    # `number` comes from the history read at the start; a concurrent start collides on the unique number (or the
    # one-open-attempt index) and resumes the other request's attempt.
    return Attempt.objects.create(
        person=person,
        standard=standard,
        started_at=now,
        number=number,
        deadline=now + datetime.timedelta(minutes=standard.time_limit_minutes),
        started_by=started_by,
        assisted_by=assisted_by,
        consent_recorded_at=now if assisted_by is not None else None,
        mode=mode,
    )


def _resume_after_race(person, standard: Standard) -> Attempt:
    """Another request (a double click, a second device) started it at the same moment: resume that one."""
    current = open_attempt(person, standard)
    if current is None:
        raise DomainError(_("Không bắt đầu được lượt thi; vui lòng thử lại."))
    return current


def submit_attempt(
    *, attempt: Attempt, now: datetime.datetime | None = None, auto: bool = False, notify: bool = True
) -> Attempt:
    """Score and close the attempt. Submitting twice (or a submit racing the deadline job) scores once.
    A pass is announced to subscribers (events.on_standard_passed) after commit, unless `notify` is false (the
    demo: other apps' demos read the results themselves)."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Attempt.objects.select_for_update().select_related("standard").get(pk=attempt.pk)
        if locked.status == AttemptStatus.SUBMITTED:
            return locked
        standard = locked.standard
        # Locking the item rows makes a save racing this submit wait, then match nothing (`correct IS NULL` fails).
        slots = list(
            AttemptItem.objects.select_for_update(of=("self",))
            .select_related("item_version__item")
            .filter(attempt=locked)
        )
        competence_list = list(frameworks.competences(standard.framework_code))
        domain_of = {c.code: c.domain.code for c in competence_list}
        rows = []
        for slot in slots:
            slot.correct = scoring.is_correct(slot.item_version, slot.answer)
            slot.credit = scoring.credit(slot.item_version, slot.answer)
            code = slot.item_version.item.competence_code
            row = (code, domain_of.get(code, code.split(".")[0]), slot.correct)
            rows.append((*row, slot.credit) if standard.partial_credit else row)
        for value in (True, False):  # two plain UPDATEs (a bulk_update's CASE per row is slow to build)
            AttemptItem.objects.filter(pk__in=[slot.pk for slot in slots if slot.correct is value]).update(
                correct=value
            )
        partly = [slot for slot in slots if slot.credit not in (0.0, 1.0)]
        if partly:  # only items with partial credit need a row each; the others follow `correct`
            AttemptItem.objects.bulk_update(partly, ["credit"])
        AttemptItem.objects.filter(attempt=locked, correct=True, credit__isnull=True).update(credit=1.0)
        AttemptItem.objects.filter(attempt=locked, correct=False, credit__isnull=True).update(credit=0.0)
        competence_names = {c.code: c.name for c in competence_list}
        domain_names = {c.domain.code: c.domain.name for c in competence_list}
        if locked.mode == StandardMode.ADAPTIVE:
            from kynangso.assessment import cat

            overall, passed, result, locked.theta, locked.theta_se = cat.score(
                locked, slots, competence_names=competence_names, domain_of=domain_of, domain_names=domain_names
            )
        else:
            required = {}
            for row in BlueprintRow.objects.filter(standard=standard):
                required[row.competence_code] = max(required.get(row.competence_code, 0), row.level)
            overall, passed, result = scoring.profile(
                rows,
                pass_percent=standard.pass_percent,
                domain_pass_percent=standard.domain_pass_percent,
                competence_names=competence_names,
                domain_names=domain_names,
                required_levels=required,
            )
        locked.status, locked.submitted_at, locked.auto_submitted = AttemptStatus.SUBMITTED, now, auto
        locked.score_percent, locked.passed, locked.profile = overall, passed, result
        locked.save(
            update_fields=[
                "status",
                "submitted_at",
                "auto_submitted",
                "score_percent",
                "passed",
                "profile",
                "theta",
                "theta_se",
            ]
        )
    attempt.refresh_from_db()
    if passed and notify:
        events.standard_passed.announce(attempt)
    return attempt


def close_expired_attempts(now: datetime.datetime | None = None) -> int:
    """Submit every open attempt whose deadline (plus the late grace) has passed; returns how many. Run by a
    periodic job."""
    now = now or timezone.now()
    closed = 0
    for attempt in Attempt.objects.filter(status=AttemptStatus.OPEN, deadline__lt=now - LATE_GRACE):
        submit_attempt(attempt=attempt, now=now, auto=True)
        closed += 1
    return closed


def refresh_if_expired(attempt: Attempt, now: datetime.datetime | None = None, *, late: bool = True) -> Attempt:
    """Reading an open attempt past its deadline submits it first, so a reload never reopens a finished exam.
    Until the late grace has passed too, answers given in time on an offline device may still arrive, so it stays
    open then, unless `late` is false (the taker asks for the result: their own answers are in)."""
    now = now or timezone.now()
    if attempt.status == AttemptStatus.OPEN and now > attempt.deadline + (LATE_GRACE if late else GRACE):
        return submit_attempt(attempt=attempt, now=now, auto=True)
    return attempt
