"""Attempts: drawing a form by the blueprint, the server-side deadline, saving answers, submitting and scoring.

Everything a taker sees goes through `taker_view`, which never includes a key; keys are read only by scoring.
"""
import datetime
import random
import secrets

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from kynangso.assessment import scoring
from kynangso.assessment.models import (
    Attempt,
    AttemptItem,
    AttemptStatus,
    BlueprintRow,
    Item,
    ItemType,
    ItemUse,
    ItemVersion,
    Standard,
)
from kynangso.errors import DomainError
from kynangso.frameworks import api as frameworks

# Answers that reach the server this long after the deadline still count (a slow network on the last click).
GRACE = datetime.timedelta(seconds=15)
_REDRAWS = 5


def _local(moment: datetime.datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "H:i d/m/Y")


def blueprint_shortages(standard: Standard) -> list[str]:
    """Cells of the blueprint the live bank cannot fill, in Vietnamese; empty when every form can be drawn."""
    problems = []
    for row in standard.blueprint.all():
        live = Item.objects.filter(framework_code=standard.framework_code, competence_code=row.competence_code,
                                   level=row.level, use=ItemUse.ASSESSMENT, live_version__isnull=False).count()
        if live < row.item_count:
            problems.append(_("năng lực %(competence)s bậc %(level)s cần %(needed)s câu, ngân hàng chỉ có %(live)s câu "
                              "đang dùng") % {"competence": row.competence_code, "level": row.level,
                                              "needed": row.item_count, "live": live})
    return problems


def _draw(standard: Standard, rng: random.Random) -> list[int]:
    """Live version ids for one form: `item_count` items per blueprint cell, the less-drawn items favoured."""
    chosen = []
    for row in standard.blueprint.all():
        candidates = list(Item.objects.filter(
            framework_code=standard.framework_code, competence_code=row.competence_code, level=row.level,
            use=ItemUse.ASSESSMENT, live_version__isnull=False).values_list("live_version_id", "times_drawn"))
        # Weighted sampling without replacement (Efraimidis–Spirakis): weight 1/(1 + times drawn) spreads exposure.
        keyed = sorted(candidates, key=lambda c: rng.random() ** (1 + c[1] / 10))
        chosen.extend(version_id for version_id, _times in keyed[: row.item_count])
    return chosen


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
        lefts, rights = [p["left_id"] for p in body["pairs"]], [p["right_id"] for p in body["pairs"]]
        rng.shuffle(lefts)
        rng.shuffle(rights)
        return {"lefts": lefts, "rights": rights}
    return {}


def attempts_this_year(person, standard, now) -> int:
    year = timezone.localtime(now).year
    return Attempt.objects.filter(person=person, standard=standard, started_at__year=year).count()


def check_policy(person, standard: Standard, now: datetime.datetime) -> None:
    """Raise the reason, in Vietnamese, why the person may not start a new attempt now."""
    if not standard.is_active:
        raise DomainError(_("Chuẩn «%(name)s» hiện không tổ chức sát hạch.") % {"name": standard.name})
    if Attempt.objects.filter(person=person, standard=standard, passed=True).exists():
        raise DomainError(_("Bạn đã đạt chuẩn «%(name)s»; không cần thi lại.") % {"name": standard.name},
                          code="already_passed")
    if attempts_this_year(person, standard, now) >= standard.max_attempts_per_year:
        raise DomainError(_("Bạn đã dùng hết %(count)s lượt thi của năm nay cho chuẩn này.")
                          % {"count": standard.max_attempts_per_year}, code="policy")
    last = Attempt.objects.filter(person=person, standard=standard, status=AttemptStatus.SUBMITTED).order_by(
        "-submitted_at").first()
    if last and last.submitted_at + datetime.timedelta(hours=standard.wait_hours) > now:
        allowed = last.submitted_at + datetime.timedelta(hours=standard.wait_hours)
        raise DomainError(_("Bạn có thể thi lại từ %(when)s.") % {"when": _local(allowed)}, code="policy")
    shortages = blueprint_shortages(standard)
    if shortages:
        raise DomainError(_("Chưa thể tổ chức thi chuẩn này: %(problems)s.") % {"problems": "; ".join(shortages)})


def open_attempt(person, standard) -> Attempt | None:
    return Attempt.objects.filter(person=person, standard=standard, status=AttemptStatus.OPEN).first()


def start_attempt(*, person, standard: Standard, started_by, assisted_by=None, consent: bool = False,
                  now: datetime.datetime | None = None) -> Attempt:
    """Start (or resume: one open attempt per person and standard) an attempt with its own drawn form.

    An assisted attempt is started by a community helper on their device; the person's consent must be given.
    """
    now = now or timezone.now()
    current = open_attempt(person, standard)
    if current is not None:
        if current.deadline + GRACE >= now:
            return current
        submit_attempt(attempt=current, now=now, auto=True)
    if assisted_by is not None and not consent:
        raise DomainError(_("Cần người dự thi đồng ý được hỗ trợ trước khi bắt đầu."), field="consent")
    check_policy(person, standard, now)
    rng = random.Random(secrets.randbits(64))
    by_attempt: dict[int, set[int]] = {}
    for attempt_id, version_id in AttemptItem.objects.filter(
            attempt__person=person, attempt__standard=standard).values_list("attempt_id", "item_version_id"):
        by_attempt.setdefault(attempt_id, set()).add(version_id)
    previous_forms = list(by_attempt.values())
    version_ids = _draw(standard, rng)
    for _retry in range(_REDRAWS):
        if set(version_ids) not in previous_forms:
            break
        version_ids = _draw(standard, rng)
    rng.shuffle(version_ids)
    versions = ItemVersion.objects.in_bulk(version_ids)
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(
                person=person, standard=standard, started_at=now,
                number=Attempt.objects.filter(person=person, standard=standard).count() + 1,
                deadline=now + datetime.timedelta(minutes=standard.time_limit_minutes), started_by=started_by,
                assisted_by=assisted_by, consent_recorded_at=now if assisted_by is not None else None,
                mode=standard.mode,
            )
            AttemptItem.objects.bulk_create([
                AttemptItem(attempt=attempt, position=position, item_version_id=version_id,
                            presentation=_presentation(versions[version_id], rng))
                for position, version_id in enumerate(version_ids, start=1)
            ])
            Item.objects.filter(live_version_id__in=version_ids).update(times_drawn=F("times_drawn") + 1)
    except IntegrityError:
        # Another request (a double click, a second device) started it at the same moment: resume that one.
        current = open_attempt(person, standard)
        if current is None:
            raise
        return current
    return attempt


def _check_answer_shape(version: ItemVersion, presentation: dict, answer: dict) -> dict:
    """Keep only the fields of the answer this type has, with ids that belong to the item."""
    kind, invalid = version.type, DomainError(_("Câu trả lời không hợp lệ cho câu hỏi này."), field="answer")
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
        if not isinstance(pairs, dict) or not set(pairs) <= set(presentation["lefts"]) or not set(
                pairs.values()) <= set(presentation["rights"]) | {""}:
            raise invalid
        return {"pairs": {left: right for left, right in pairs.items() if right}}
    if kind == ItemType.SHORT_TEXT:
        return {"text": str(answer.get("text") or "")[:500]}
    if kind == ItemType.NUMERIC:
        text = str(answer.get("number") or "")[:50]
        if text.strip() and scoring.parse_number(text) is None:
            raise DomainError(_("Hãy nhập một số, ví dụ 12 hoặc 3,5."), field="answer")
        return {"number": text}
    raise invalid


def save_answer(*, attempt: Attempt, position: int, answer: dict, now: datetime.datetime | None = None) -> AttemptItem:
    """Save (or replace) the answer to one item of an open attempt. Saving the same answer again is harmless."""
    now = now or timezone.now()
    if attempt.status != AttemptStatus.OPEN:
        raise DomainError(_("Bài thi đã nộp; không thể sửa câu trả lời."), code="submitted")
    if now > attempt.deadline + GRACE:
        submit_attempt(attempt=attempt, now=now, auto=True)
        raise DomainError(_("Đã hết giờ làm bài; bài thi đã được nộp tự động."), code="expired")
    slot = AttemptItem.objects.select_related("item_version").filter(attempt=attempt, position=position).first()
    if slot is None:
        raise DomainError(_("Không có câu %(position)s trong bài thi.") % {"position": position}, code="not_found")
    clean = _check_answer_shape(slot.item_version, slot.presentation, answer if isinstance(answer, dict) else {})
    # Conditional on the attempt still being open, so an answer racing the submit cannot change a scored attempt.
    updated = AttemptItem.objects.filter(pk=slot.pk, attempt__status=AttemptStatus.OPEN).update(
        answer=clean, answered_at=now, revision=F("revision") + 1)
    if not updated:
        raise DomainError(_("Bài thi đã nộp; không thể sửa câu trả lời."), code="submitted")
    slot.refresh_from_db()
    return slot


def submit_attempt(*, attempt: Attempt, now: datetime.datetime | None = None, auto: bool = False) -> Attempt:
    """Score and close the attempt. Submitting twice (or a submit racing the deadline job) scores once."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Attempt.objects.select_for_update().select_related("standard").get(pk=attempt.pk)
        if locked.status == AttemptStatus.SUBMITTED:
            return locked
        standard = locked.standard
        slots = list(AttemptItem.objects.select_related("item_version__item").filter(attempt=locked))
        competence_list = list(frameworks.competences(standard.framework_code))
        domain_of = {c.code: c.domain.code for c in competence_list}
        rows = []
        for slot in slots:
            slot.correct = scoring.is_correct(slot.item_version, slot.answer)
            code = slot.item_version.item.competence_code
            rows.append((code, domain_of.get(code, code.split(".")[0]), slot.correct))
        AttemptItem.objects.bulk_update(slots, ["correct"])
        required = {}
        for row in BlueprintRow.objects.filter(standard=standard):
            required[row.competence_code] = max(required.get(row.competence_code, 0), row.level)
        overall, passed, result = scoring.profile(
            rows, pass_percent=standard.pass_percent, domain_pass_percent=standard.domain_pass_percent,
            competence_names={c.code: c.name for c in competence_list},
            domain_names={c.domain.code: c.domain.name for c in competence_list}, required_levels=required)
        locked.status, locked.submitted_at, locked.auto_submitted = AttemptStatus.SUBMITTED, now, auto
        locked.score_percent, locked.passed, locked.profile = overall, passed, result
        locked.save(update_fields=["status", "submitted_at", "auto_submitted", "score_percent", "passed", "profile"])
    attempt.refresh_from_db()
    if passed:
        from kynangso.assessment import events

        transaction.on_commit(lambda: events.standard_passed(attempt))
    return attempt


def close_expired_attempts(now: datetime.datetime | None = None) -> int:
    """Submit every open attempt whose deadline (plus grace) has passed; returns how many. Run by a periodic job."""
    now = now or timezone.now()
    closed = 0
    for attempt in Attempt.objects.filter(status=AttemptStatus.OPEN, deadline__lt=now - GRACE):
        submit_attempt(attempt=attempt, now=now, auto=True)
        closed += 1
    return closed


def refresh_if_expired(attempt: Attempt, now: datetime.datetime | None = None) -> Attempt:
    """Reading an open attempt past its deadline submits it first, so a reload never reopens a finished exam."""
    now = now or timezone.now()
    if attempt.status == AttemptStatus.OPEN and now > attempt.deadline + GRACE:
        return submit_attempt(attempt=attempt, now=now, auto=True)
    return attempt


def _taker_item(slot: AttemptItem) -> dict:
    """One drawn item as the taker sees it: stem, options in their shuffled order, the saved answer. No key."""
    version, body, shown = slot.item_version, slot.item_version.body, slot.presentation
    entry = {"position": slot.position, "type": version.type, "type_label": version.get_type_display(),
             "stem": version.stem, "image": version.image, "answer": slot.answer,
             "answered_at": slot.answered_at.isoformat() if slot.answered_at else None}
    if "options" in shown:
        text = {o["id"]: o["text"] for o in body["options"]}
        entry["options"] = [{"id": option_id, "text": text[option_id]} for option_id in shown["options"]]
    elif "steps" in shown:
        text = {s["id"]: s["text"] for s in body["steps"]}
        entry["steps"] = [{"id": step_id, "text": text[step_id]} for step_id in shown["steps"]]
    elif "lefts" in shown:
        lefts = {p["left_id"]: p["left"] for p in body["pairs"]}
        rights = {p["right_id"]: p["right"] for p in body["pairs"]}
        entry["lefts"] = [{"id": i, "text": lefts[i]} for i in shown["lefts"]]
        entry["rights"] = [{"id": i, "text": rights[i]} for i in shown["rights"]]
    return entry


def taker_item(attempt: Attempt, position: int) -> dict | None:
    """The taker's view of one item of the attempt (what a save needs), or None when there is no such position."""
    slot = AttemptItem.objects.select_related("item_version").filter(attempt=attempt, position=position).first()
    return _taker_item(slot) if slot else None


def taker_view(attempt: Attempt, now: datetime.datetime | None = None) -> dict:
    """What the taker may see of an open attempt: stems, options in their shuffled order, saved answers, time left.
    No key, no `correct`, no explanation, no version id."""
    now = now or timezone.now()
    items = [_taker_item(slot) for slot in
             AttemptItem.objects.select_related("item_version").filter(attempt=attempt).order_by("position")]
    return {"id": attempt.pk, "standard": attempt.standard.name, "status": attempt.status,
            "deadline": attempt.deadline.isoformat(),
            "seconds_left": max(0, int((attempt.deadline - now).total_seconds())),
            "answered": sum(1 for i in items if i["answer"]), "total": len(items), "items": items,
            "assisted": attempt.assisted_by_id is not None}
