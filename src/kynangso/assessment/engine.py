"""Attempts: drawing a form by the blueprint, the server-side deadline, saving answers, submitting and scoring.

Everything a taker sees goes through `taker_view`, which never includes a key; keys are read only by scoring.
"""

import datetime
import json
import random
import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from kynangso.assessment import bank, drawing, scoring, selectors
from kynangso.assessment.models import (
    Attempt,
    AttemptItem,
    AttemptStatus,
    BlueprintRow,
    Item,
    ItemType,
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


def _presentation(version: ItemVersion, rng: random.Random) -> dict:
    body = version.body
    if "options" in body:
        ids = [o["id"] for o in body["options"]]
        if version.type != ItemType.TRUE_FALSE:  # Đúng before Sai, always
            rng.shuffle(ids)
        return {"options": ids}
    if "steps" in body:
        ids = [s["id"] for s in body["steps"]]
        while len(ids) > 1 and ids == [s["id"] for s in body["steps"]]:
            rng.shuffle(ids)
        return {"steps": ids}
    if "pairs" in body:
        lefts = [p["left_id"] for p in body["pairs"]]
        rights = [p["right_id"] for p in body["pairs"]] + [d["id"] for d in body.get("distractors") or []]
        rng.shuffle(lefts)
        rng.shuffle(rights)
        return {"lefts": lefts, "rights": rights}
    if body.get("units"):  # a numerical answer may name one of these units (ADR 0035)
        return {"units": [unit["unit"] for unit in body["units"]]}
    return {}


def _with_aliases(presentation: dict) -> dict:
    """The presentation of a drawn item with a fresh random alias for every shown id (options, steps, both sides of
    a matching), under "aliases" (item id → alias). The taker, on the page and in the API, sees and sends only the
    aliases, so nothing stable across attempts names an option: an answer sheet keyed on ids, or a key learnt from
    one result, does not carry over to the next form. Answers are stored in the item's own ids (for scoring and
    item analysis); `_from_taker` and `_to_taker` translate at the edge."""
    ids = list(dict.fromkeys(i for key in ("options", "steps", "lefts", "rights") for i in presentation.get(key, [])))
    aliases: dict[str, str] = {}
    while len(aliases) < len(ids):
        alias = secrets.token_hex(4)
        if alias not in aliases.values() and alias not in ids:
            aliases[ids[len(aliases)]] = alias
    return {**presentation, "aliases": aliases} if aliases else presentation


def _drawn_presentation(version: ItemVersion, rng: random.Random) -> dict:
    """How an item drawn into an attempt is shown: shuffled, with per-attempt ids."""
    return _with_aliases(_presentation(version, rng))


def _translate(kind: str, answer: dict, mapping, invalid: DomainError) -> dict:
    """`answer` with every id passed through `mapping` (a dict; an id it does not hold makes the answer invalid)."""

    def one(value):
        if value in (None, ""):
            return value
        if not isinstance(value, str) or value not in mapping:
            raise invalid
        return mapping[value]

    def many(values):
        if not isinstance(values, list):
            raise invalid
        return [one(v) for v in values]

    if kind in (ItemType.SINGLE_CHOICE, ItemType.TRUE_FALSE):
        return {**answer, "choice": one(answer.get("choice"))}
    if kind == ItemType.MULTIPLE_RESPONSE:
        return {**answer, "choices": many(answer.get("choices") or [])}
    if kind == ItemType.ORDERING:
        return {**answer, "order": many(answer.get("order") or [])}
    if kind == ItemType.MATCHING:
        pairs = answer.get("pairs") or {}
        if not isinstance(pairs, dict):
            raise invalid
        return {**answer, "pairs": {one(left): one(right) for left, right in pairs.items()}}
    return answer


def _from_taker(kind: str, presentation: dict, answer: dict, invalid: DomainError) -> dict:
    """The taker's answer (in the attempt's aliases) in the item's own ids. Attempts drawn before aliases existed
    are answered in the item's ids, unchanged."""
    aliases = presentation.get("aliases")
    if not aliases:
        return answer
    return _translate(kind, answer, {alias: item_id for item_id, alias in aliases.items()}, invalid)


def _to_taker(kind: str, presentation: dict, answer: dict | None) -> dict | None:
    """A stored answer (item ids) as the taker gave it (the attempt's aliases)."""
    aliases = presentation.get("aliases")
    if not aliases or not answer:
        return answer
    try:
        return _translate(kind, answer, aliases, DomainError(""))
    except DomainError:  # an id that is no longer shown (cannot happen for saved answers): show nothing rather
        return None


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
                        presentation=_drawn_presentation(versions[version_id], rng),
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


def _check_answer_shape(kind: str, presentation: dict, answer: dict) -> dict:
    """Keep only the fields of the answer this type has, with ids that belong to the item: the taker's answer (in
    the attempt's aliases) comes back in the item's own ids."""
    invalid = DomainError(_("Câu trả lời không hợp lệ cho câu hỏi này."), field="answer", code="invalid")
    answer = _from_taker(kind, presentation, answer, invalid)
    if kind in (ItemType.SINGLE_CHOICE, ItemType.TRUE_FALSE):
        choice = answer.get("choice")
        if choice is not None and choice not in presentation["options"]:
            raise invalid
        return {"choice": choice}
    if kind == ItemType.MULTIPLE_RESPONSE:
        choices = answer.get("choices") or []
        if not isinstance(choices, list) or not set(choices) <= set(presentation["options"]):
            raise invalid
        return {"choices": sorted(set(choices), key=presentation["options"].index)}
    if kind == ItemType.ORDERING:
        order = answer.get("order") or []
        if not isinstance(order, list) or sorted(order) != sorted(presentation["steps"]):
            raise invalid
        return {"order": order}
    if kind == ItemType.MATCHING:
        pairs = answer.get("pairs") or {}
        if (
            not isinstance(pairs, dict)
            or not set(pairs) <= set(presentation["lefts"])
            or not set(pairs.values()) <= set(presentation["rights"]) | {""}
        ):
            raise invalid
        return {"pairs": {left: right for left, right in pairs.items() if right}}
    if kind == ItemType.SHORT_TEXT:
        return {"text": str(answer.get("text") or "")[:500]}
    if kind == ItemType.NUMERIC:
        text = str(answer.get("number") or "")[:50]
        number, unit = scoring.split_quantity(text)
        units = {known.casefold() for known in presentation.get("units", [])}
        percent = scoring.is_percent_sign(unit) and not units  # «25%» to an item without units of its own
        if text.strip() and (number is None or (unit and unit.casefold() not in units and not percent)):
            raise DomainError(_("Hãy nhập một số, ví dụ 12 hoặc 3,5."), field="answer", code="invalid")
        return {"number": text}
    raise invalid


# --- saving an answer: the exam-day hot path (ADR 0009, docs/assessment.md) --------------------------------------


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


def _json(value):
    return value if isinstance(value, (dict, list)) or value is None else json.loads(value)


def _person_table() -> str:
    """The people app's table, named through the attempt's foreign key (no import of the people app's models)."""
    return Attempt._meta.get_field("person").related_model._meta.db_table


def _load_slots(attempt_id: int) -> dict[int, AnswerSlot]:
    """One query: every drawn item of the attempt with its type and shown ids; cached for the next saves."""
    sql = (
        f"SELECT ai.id, ai.nonce, ai.position, ai.presentation, v.type, a.mode "
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
        )
        for slot_id, nonce, position, presentation, kind, mode in rows
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


def _answered_at(now: datetime.datetime, given_at: datetime.datetime | None) -> datetime.datetime:
    """When the answer was given: the device's (corrected) time when it says so, never later than its arrival."""
    return now if given_at is None else min(given_at, now)


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
        clean = _check_answer_shape(slot.kind, slot.presentation, answer if isinstance(answer, dict) else {})
    except DomainError:
        saved = again()  # a cached slot may be stale; never refuse an answer on stale data
        if saved is None:
            raise
        return saved
    answered_at = _answered_at(now, given_at)
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
        from kynangso.assessment import events

        transaction.on_commit(lambda: events.standard_passed(attempt))
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


def _taker_item(slot: AttemptItem) -> dict:
    """One drawn item as the taker sees it: stem, options in their shuffled order under this attempt's ids, the
    saved answer. No key, no id of the item's own."""
    version, body, shown = slot.item_version, slot.item_version.body, slot.presentation
    alias = shown.get("aliases") or {}

    def ids(key):
        return [(alias.get(i, i), i) for i in shown[key]]

    entry = {
        "position": slot.position,
        "type": version.type,
        "type_label": version.get_type_display(),
        "stem": version.stem,
        "image": version.image,
        "answer": _to_taker(version.type, shown, slot.answer),
        # Adaptive attempts: an item the taker confirmed can no longer be changed (never says right or wrong).
        "locked": slot.correct is not None,
        "answered_at": slot.answered_at.isoformat() if slot.answered_at else None,
    }
    if "options" in shown:
        text = {o["id"]: o["text"] for o in body["options"]}
        entry["options"] = [{"id": seen, "text": text[i]} for seen, i in ids("options")]
    elif "steps" in shown:
        text = {s["id"]: s["text"] for s in body["steps"]}
        entry["steps"] = [{"id": seen, "text": text[i]} for seen, i in ids("steps")]
    elif "lefts" in shown:
        lefts = {p["left_id"]: p["left"] for p in body["pairs"]}
        rights = bank.right_sides(body)
        entry["lefts"] = [{"id": seen, "text": lefts[i]} for seen, i in ids("lefts")]
        entry["rights"] = [{"id": seen, "text": rights[i]} for seen, i in ids("rights")]
    return entry


def taker_item(attempt: Attempt, position: int) -> dict | None:
    """The taker's view of one item of the attempt (what a save needs), or None when there is no such position."""
    slot = AttemptItem.objects.select_related("item_version").filter(attempt=attempt, position=position).first()
    return _taker_item(slot) if slot else None


def taker_view(attempt: Attempt, now: datetime.datetime | None = None) -> dict:
    """What the taker may see of an open attempt: stems, options in their shuffled order, saved answers, time left.
    No key, no `correct`, no explanation, no version id."""
    now = now or timezone.now()
    items = [
        _taker_item(slot)
        for slot in AttemptItem.objects.select_related("item_version").filter(attempt=attempt).order_by("position")
    ]
    return {
        "id": attempt.pk,
        "standard": attempt.standard.name,
        "status": attempt.status,
        "mode": attempt.mode,
        "deadline": attempt.deadline.isoformat(),
        "seconds_left": max(0, int((attempt.deadline - now).total_seconds())),
        "answered": sum(1 for i in items if i["answer"]),
        "total": len(items),
        "items": items,
        "current": items[-1] if attempt.mode == StandardMode.ADAPTIVE and items else None,
        "assisted": attempt.assisted_by_id is not None,
    }
