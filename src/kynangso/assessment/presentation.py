"""What a taker sees of a drawn item and how their answers map back: the shuffled order and the per-attempt
aliases of shown ids, the check of an answer's shape, and the taker's view of an attempt, which never includes a
key (keys are read only by scoring)."""

import datetime
import random
import secrets

from django.utils import timezone
from django.utils.translation import gettext as _

from kynangso.assessment import bank, scoring
from kynangso.assessment.models import Attempt, AttemptItem, ItemType, ItemVersion, StandardMode
from kynangso.errors import DomainError


def shuffled_presentation(version: ItemVersion, rng: random.Random) -> dict:
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
    item analysis); `_from_taker` and `to_taker` translate at the edge."""
    ids = list(dict.fromkeys(i for key in ("options", "steps", "lefts", "rights") for i in presentation.get(key, [])))
    aliases: dict[str, str] = {}
    while len(aliases) < len(ids):
        alias = secrets.token_hex(4)
        if alias not in aliases.values() and alias not in ids:
            aliases[ids[len(aliases)]] = alias
    return {**presentation, "aliases": aliases} if aliases else presentation


def drawn_presentation(version: ItemVersion, rng: random.Random) -> dict:
    """How an item drawn into an attempt is shown: shuffled, with per-attempt ids."""
    return _with_aliases(shuffled_presentation(version, rng))


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


def to_taker(kind: str, presentation: dict, answer: dict | None) -> dict | None:
    """A stored answer (item ids) as the taker gave it (the attempt's aliases)."""
    aliases = presentation.get("aliases")
    if not aliases or not answer:
        return answer
    try:
        return _translate(kind, answer, aliases, DomainError(""))
    except DomainError:  # an id that is no longer shown (cannot happen for saved answers): show nothing rather
        return None


def check_answer_shape(kind: str, presentation: dict, answer: dict) -> dict:
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


def item_for_taker(slot: AttemptItem) -> dict:
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
        "answer": to_taker(version.type, shown, slot.answer),
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
    return item_for_taker(slot) if slot else None


def taker_view(attempt: Attempt, now: datetime.datetime | None = None) -> dict:
    """What the taker may see of an open attempt: stems, options in their shuffled order, saved answers, time left.
    No key, no `correct`, no explanation, no version id."""
    now = now or timezone.now()
    items = [
        item_for_taker(slot)
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
