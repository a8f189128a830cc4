"""Answering an attempt in tests: the right (or a wrong) answer for each drawn item, read from the key."""
from kynangso.assessment.models import AttemptItem


def right_answer(slot: AttemptItem) -> dict:
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


def wrong_answer(slot: AttemptItem) -> dict:
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
        assessment.save_answer(attempt=attempt, position=slot.position,
                               answer=right_answer(slot) if good else wrong_answer(slot))
    return slots
