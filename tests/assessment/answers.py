"""Answering an attempt in tests: the right (or a wrong) answer for each drawn item, read from the key and given
as the taker gives it, in the attempt's own ids (`in_item_ids=True`: as stored, in the item's ids)."""

from kynangso.assessment.models import AttemptItem


def as_taker(slot: AttemptItem, answer: dict) -> dict:
    """`answer` (in the item's ids) in the ids the taker of this attempt sees."""
    aliases = slot.presentation.get("aliases") or {}

    def one(value):
        return aliases.get(value, value)

    if "choice" in answer:
        return {"choice": one(answer["choice"])}
    if "choices" in answer:  # ticked boxes, in the order the page shows them (as the server keeps them)
        shown = slot.presentation.get("options") or []  # item ids, in the order shown
        ordered = sorted(answer["choices"], key=lambda v: shown.index(v) if v in shown else len(shown))
        return {"choices": [one(v) for v in ordered]}
    if "order" in answer:
        return {"order": [one(v) for v in answer["order"]]}
    if "pairs" in answer:
        return {"pairs": {one(k): one(v) for k, v in answer["pairs"].items()}}
    return answer


def right_answer(slot: AttemptItem, *, in_item_ids: bool = False) -> dict:
    answer = _right(slot)
    return answer if in_item_ids else as_taker(slot, answer)


def wrong_answer(slot: AttemptItem, *, in_item_ids: bool = False) -> dict:
    answer = _wrong(slot)
    return answer if in_item_ids else as_taker(slot, answer)


def _right(slot: AttemptItem) -> dict:
    body, kind = slot.item_version.body, slot.item_version.type
    if kind in ("single_choice", "true_false"):
        return {"choice": next(o["id"] for o in body["options"] if o["correct"])}
    if kind == "multiple_response":
        return {"choices": [o["id"] for o in body["options"] if o["correct"]]}
    if kind == "ordering":
        return {"order": [s["id"] for s in body["steps"]]}
    if kind == "matching":
        return {"pairs": {p["left_id"]: p["right_id"] for p in body["pairs"]}}
    if kind == "short_text":
        return {"text": body["answers"][0]}
    return {"number": str(body["answer"]).replace(".", ",")}


def _wrong(slot: AttemptItem) -> dict:
    body, kind = slot.item_version.body, slot.item_version.type
    if kind in ("single_choice", "true_false"):
        return {"choice": next(o["id"] for o in body["options"] if not o["correct"])}
    if kind == "multiple_response":
        return {"choices": [o["id"] for o in body["options"] if not o["correct"]]}
    if kind == "ordering":
        return {"order": [s["id"] for s in reversed(body["steps"])]}
    if kind == "matching":
        rights = [p["right_id"] for p in body["pairs"]]
        return {"pairs": {p["left_id"]: rights[(i + 1) % len(rights)] for i, p in enumerate(body["pairs"])}}
    if kind == "short_text":
        return {"text": "không biết"}
    return {"number": str(body["answer"] + 100)}


def answer_all(attempt, *, right: int | None = None):
    """Answer every item, the first `right` of them correctly (all when None)."""
    from kynangso.assessment import api as assessment

    slots = list(AttemptItem.objects.select_related("item_version").filter(attempt=attempt).order_by("position"))
    for index, slot in enumerate(slots):
        good = right is None or index < right
        assessment.save_answer(
            attempt=attempt, position=slot.position, answer=right_answer(slot) if good else wrong_answer(slot)
        )
    return slots
