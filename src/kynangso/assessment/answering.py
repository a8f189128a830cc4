"""Saving an answer: the exam-day hot path (ADR 0009, docs/assessment.md). A per-process cache of drawn items
(slots) and one conditional UPDATE per save, which itself checks who answers, that the attempt is open and in
time, and that a later answer is not overwritten (ADR 0034)."""

import datetime
import json
import threading
from collections import OrderedDict
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from kynangso.assessment.engine import GRACE, LATE_GRACE, submit_attempt
from kynangso.assessment.models import Attempt, AttemptItem, AttemptStatus, ItemVersion
from kynangso.assessment.presentation import check_answer_shape
from kynangso.errors import DomainError


@dataclass(frozen=True)
class AnswerSlot:
    """What validating an answer needs of one drawn item. None of it changes after the form is drawn, so it may be
    cached; who may answer, whether the attempt is open and in time are checked by the UPDATE itself."""

    id: int
    nonce: str
    attempt_id: int
    position: int
    kind: str
    presentation: dict
    mode: str
    started_at: datetime.datetime  # the attempt's start: no answer of it was given earlier

    def form_item(self) -> dict:
        """The fields `forms.answer_from_form` needs (type, step and left ids as shown), without reading the
        item's text."""
        shown = self.presentation.get("aliases") or {}
        return {
            "type": self.kind,
            "steps": [{"id": shown.get(i, i)} for i in self.presentation.get("steps", [])],
            "lefts": [{"id": shown.get(i, i)} for i in self.presentation.get("lefts", [])],
        }


@dataclass(frozen=True)
class SavedAnswer:
    position: int
    answer: dict
    answered_at: datetime.datetime
    revision: int  # how many times this item's answer has been saved


class _SlotCache:
    """Per process: the slots of recently answered attempts, so that a save usually needs no read. An entry can
    only be stale (ids reused after a rollback in tests); the UPDATE then matches nothing because it names the
    row's random nonce, and the slot is read again."""

    def __init__(self, size: int = 4000):
        self.size, self.lock, self.attempts = size, threading.Lock(), OrderedDict()

    def get(self, attempt_id: int, position: int) -> AnswerSlot | None:
        with self.lock:
            slots = self.attempts.get(attempt_id)
            if slots is None:
                return None
            self.attempts.move_to_end(attempt_id)
            return slots.get(position)

    def put(self, attempt_id: int, slots: dict[int, AnswerSlot]) -> None:
        with self.lock:
            self.attempts[attempt_id] = slots
            self.attempts.move_to_end(attempt_id)
            while len(self.attempts) > self.size:
                self.attempts.popitem(last=False)

    def forget(self, attempt_id: int) -> None:
        with self.lock:
            self.attempts.pop(attempt_id, None)


_slots = _SlotCache()


def _aware(value) -> datetime.datetime:
    """A timestamp read by raw SQL: SQLite gives it naive (stored in UTC), PostgreSQL aware."""
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    return value.replace(tzinfo=datetime.UTC) if timezone.is_naive(value) else value


def _json(value):
    return value if isinstance(value, (dict, list)) or value is None else json.loads(value)


def _person_table() -> str:
    """The people app's table, named through the attempt's foreign key (no import of the people app's models)."""
    return Attempt._meta.get_field("person").related_model._meta.db_table


def _load_slots(attempt_id: int) -> dict[int, AnswerSlot]:
    """One query: every drawn item of the attempt with its type and shown ids; cached for the next saves."""
    sql = (
        f"SELECT ai.id, ai.nonce, ai.position, ai.presentation, v.type, a.mode, a.started_at "
        f"FROM {AttemptItem._meta.db_table} ai "
        f"JOIN {ItemVersion._meta.db_table} v ON v.id = ai.item_version_id "
        f"JOIN {Attempt._meta.db_table} a ON a.id = ai.attempt_id WHERE ai.attempt_id = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [attempt_id])
        rows = cursor.fetchall()
    slots = {
        position: AnswerSlot(
            id=slot_id,
            nonce=nonce,
            attempt_id=attempt_id,
            position=position,
            kind=kind,
            presentation=_json(presentation),
            mode=mode,
            started_at=_aware(started_at),
        )
        for slot_id, nonce, position, presentation, kind, mode, started_at in rows
    }
    if slots:
        _slots.put(attempt_id, slots)
    return slots


def answer_slot(attempt_id: int, position: int, *, fresh: bool = False) -> AnswerSlot | None:
    """The drawn item at `position` of the attempt (from the cache unless `fresh`), or None."""
    slot = None if fresh else _slots.get(attempt_id, position)
    return slot if slot is not None else _load_slots(attempt_id).get(position)


def _not_found(position: int) -> DomainError:
    return DomainError(_("Không có câu %(position)s trong bài thi.") % {"position": position}, code="not_found")


def _refusal(slot: AnswerSlot, user, now: datetime.datetime, answered_at: datetime.datetime) -> DomainError:
    """Why the UPDATE stored nothing: not this user's attempt, the time is up (then it is submitted now, or after
    the late grace), the attempt was submitted, a later answer is stored already (another device), or (adaptive)
    the item is no longer the current one."""
    attempt = Attempt.objects.select_related("person").filter(pk=slot.attempt_id).first()
    if attempt is None or (user is not None and user.pk not in (attempt.person.user_id, attempt.assisted_by_id)):
        return _not_found(slot.position)
    if attempt.status == AttemptStatus.OPEN and now > attempt.deadline + LATE_GRACE:
        submit_attempt(attempt=attempt, now=now, auto=True)
        return DomainError(_("Đã hết giờ làm bài; bài thi đã được nộp tự động."), code="expired")
    if attempt.status == AttemptStatus.OPEN and answered_at > attempt.deadline + GRACE:
        # Not submitted yet: answers given in time on an offline device may still arrive (LATE_GRACE).
        return DomainError(
            _("Đã hết giờ làm bài; câu trả lời này đến sau giờ nộp nên không được tính."), code="expired"
        )
    if attempt.status == AttemptStatus.OPEN:
        stored = AttemptItem.objects.filter(pk=slot.id).values("answered_at", "correct").first()
        if stored and stored["correct"] is None and stored["answered_at"] and stored["answered_at"] > answered_at:
            return DomainError(
                _("Câu này đã được trả lời sau đó trên một thiết bị khác; câu trả lời mới hơn được giữ lại."),
                code="superseded",
            )
        return DomainError(_("Bài thi đã chuyển sang câu sau nên không sửa được câu này nữa."), code="locked")
    return DomainError(_("Bài thi đã nộp; không thể sửa câu trả lời."), code="submitted")


def _answered_at(
    now: datetime.datetime, given_at: datetime.datetime | None, started_at: datetime.datetime
) -> datetime.datetime:
    """When the answer was given: the device's (corrected) time when it says so, never later than its arrival nor
    earlier than the attempt's start (a device's clock gone wrong, or a forged time, cannot date it before)."""
    return now if given_at is None else max(min(given_at, now), min(started_at, now))


def store_answer(
    slot: AnswerSlot, answer, *, user, now: datetime.datetime | None = None, given_at: datetime.datetime | None = None
) -> SavedAnswer:
    """Validate the answer against the slot and store it with one conditional UPDATE … RETURNING.

    The UPDATE matches only the row the slot was read from (its nonce), while the item is not yet scored
    (`correct IS NULL`: a submit racing this save locks the rows and scores them first, then this matches
    nothing), the attempt is open and within its deadline plus grace, and `user` is the taker or their helper
    (`user=None`: the system itself, e.g. the demo). It overwrites the answer and counts the save in `revision`,
    so an acknowledged save is stored exactly once; the same answer with the same `given_at` again is a retry whose
    reply was lost, accepted without counting it twice. The same SQL runs on SQLite (≥ 3.35) and PostgreSQL.

    `given_at` is when the taker gave the answer on their device (ADR 0034): the later given answer wins when two
    devices answer one item, and an answer given before the deadline still counts if it arrives within
    LATE_GRACE. Without it, the answer is taken as given on arrival."""
    return _store(slot, lambda _slot: answer, user=user, now=now or timezone.now(), given_at=given_at)


def _store(
    slot: AnswerSlot, make_answer, *, user, now: datetime.datetime, given_at=None, retried: bool = False
) -> SavedAnswer:
    def again():
        current = answer_slot(slot.attempt_id, slot.position, fresh=True)
        if retried or current is None or current.nonce == slot.nonce:
            return None
        return _store(current, make_answer, user=user, now=now, given_at=given_at, retried=True)

    # Adaptive attempts save the same way: an item the taker confirmed is scored (`correct` set), so it is locked.
    answer = make_answer(slot)
    try:
        clean = check_answer_shape(slot.kind, slot.presentation, answer if isinstance(answer, dict) else {})
    except DomainError:
        saved = again()  # a cached slot may be stale; never refuse an answer on stale data
        if saved is None:
            raise
        return saved
    answered_at = _answered_at(now, given_at, slot.started_at)
    revision = _update(slot, clean, user=user, now=now, answered_at=answered_at)
    if revision is None:
        saved = again()
        if saved is not None:
            return saved
        raise _refusal(slot, user, now, answered_at)
    return SavedAnswer(position=slot.position, answer=clean, answered_at=answered_at, revision=revision)


def _update(
    slot: AnswerSlot, clean: dict, *, user, now: datetime.datetime, answered_at: datetime.datetime
) -> int | None:
    """The one statement of a save; returns the new revision, or None when the row did not match: an answer
    given after the one stored (by `answered_at`) replaces it, an earlier one (a slower device) does not."""
    ops, items, attempts = connection.ops, AttemptItem._meta.db_table, Attempt._meta.db_table
    who, who_params = "", []
    if user is not None:
        who = (
            f" AND (a.assisted_by_id = %s OR EXISTS (SELECT 1 FROM {_person_table()} p "
            f"WHERE p.id = a.person_id AND p.user_id = %s))"
        )
        who_params = [user.pk, user.pk]
    at = ops.adapt_datetimefield_value(answered_at)
    # The same answer given at the same moment is the same save sent again (a retry after its reply was lost on the
    # way back, found by benchmarks/exam_faults.py with the network cut): accepted, but not counted twice.
    same = "CASE WHEN answered_at = %s AND answer = %s THEN 0 ELSE 1 END"
    sql = (
        f"UPDATE {items} SET revision = revision + {same}, answer = %s, answered_at = %s "
        f"WHERE id = %s AND nonce = %s AND correct IS NULL AND (answered_at IS NULL OR answered_at <= %s) "
        f"AND EXISTS (SELECT 1 FROM {attempts} a WHERE a.id = {items}.attempt_id AND a.status = %s "
        f"AND a.deadline >= %s AND a.deadline >= %s{who}) RETURNING revision"
    )
    answer = ops.adapt_json_value(clean, None)
    params = [
        at,
        answer,
        answer,
        at,
        slot.id,
        slot.nonce,
        at,
        AttemptStatus.OPEN.value,
        ops.adapt_datetimefield_value(answered_at - GRACE),
        ops.adapt_datetimefield_value(now - LATE_GRACE),
        *who_params,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return None if row is None else row[0]


def save_answer_as(
    *,
    user,
    attempt_id: int,
    position: int,
    answer,
    now: datetime.datetime | None = None,
    given_at: datetime.datetime | None = None,
) -> SavedAnswer:
    """The taker's (or their helper's) save. Usually one query (the UPDATE); one more when this process has not
    seen the attempt yet. Raises DomainError(code="not_found") when there is no such item or `user` may not
    answer it."""
    slot = answer_slot(attempt_id, position)
    if slot is None:
        raise _not_found(position)
    return store_answer(slot, answer, user=user, now=now, given_at=given_at)


def save_form_answer(
    *,
    user,
    attempt_id: int,
    position: int,
    data,
    now: datetime.datetime | None = None,
    given_at: datetime.datetime | None = None,
) -> SavedAnswer:
    """The exam page's save: the answer read from the POST of one item's form (forms.answer_from_form), given on
    the device at `given_at` when the page says so."""
    from kynangso.assessment.forms import answer_from_form

    slot = answer_slot(attempt_id, position)
    if slot is None:
        raise _not_found(position)
    return _store(
        slot,
        lambda current: answer_from_form(current.form_item(), data),
        user=user,
        now=now or timezone.now(),
        given_at=given_at,
    )


def save_answer(*, attempt: Attempt, position: int, answer: dict, now: datetime.datetime | None = None) -> SavedAnswer:
    """Save (or replace) the answer to one item of an open attempt, as the system (no check of who answers)."""
    slot = answer_slot(attempt.pk, position)
    if slot is None:
        raise _not_found(position)
    return store_answer(slot, answer, user=None, now=now)
