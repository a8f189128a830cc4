"""Reading an answer from the exam page's form fields (one small form per item, plain HTML inputs)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kynangso.assessment.models import ItemType


def answer_from_form(item: dict, data) -> dict:
    """The answer dict of `answering.save_answer` from the POST of one item's form (`item` is its taker view)."""
    kind = item["type"]
    if kind in (ItemType.SINGLE_CHOICE, ItemType.TRUE_FALSE):
        return {"choice": data.get("choice") or None}
    if kind == ItemType.MULTIPLE_RESPONSE:
        return {"choices": data.getlist("choices")}
    if kind == ItemType.ORDERING:
        # Each step gets a position 1..n from a <select>; unplaced steps keep their shown order, after the placed.
        positions = []
        for index, step in enumerate(item["steps"]):
            try:
                chosen = int(data.get(f"pos_{step['id']}") or 0)
            except ValueError:
                chosen = 0
            positions.append((chosen or len(item["steps"]) + index + 1, index, step["id"]))
        return {"order": [step_id for *_key, step_id in sorted(positions)]}
    if kind == ItemType.MATCHING:
        return {"pairs": {left["id"]: data.get(f"pair_{left['id']}") or "" for left in item["lefts"]}}
    if kind == ItemType.SHORT_TEXT:
        return {"text": data.get("text", "")}
    return {"number": data.get("number", "")}


def form_fields_for_answer(kind: str, answer: dict | None) -> list[tuple[str, str]]:
    """The form fields (name, value) that show `answer` (the taker's view of it) on the item's form: the inverse of
    `answer_from_form`, for a page that must show an answer given on another device."""
    answer = answer or {}
    if kind in (ItemType.SINGLE_CHOICE, ItemType.TRUE_FALSE):
        return [("choice", answer["choice"])] if answer.get("choice") else []
    if kind == ItemType.MULTIPLE_RESPONSE:
        return [("choices", choice) for choice in answer.get("choices") or []]
    if kind == ItemType.ORDERING:
        return [(f"pos_{step}", str(index)) for index, step in enumerate(answer.get("order") or [], start=1)]
    if kind == ItemType.MATCHING:
        return [(f"pair_{left}", right) for left, right in (answer.get("pairs") or {}).items()]
    if kind == ItemType.SHORT_TEXT:
        return [("text", answer.get("text") or "")]
    return [("number", answer.get("number") or "")]


class AssistedStartForm(forms.Form):
    person_id = forms.IntegerField(widget=forms.HiddenInput)
    standard_code = forms.CharField(widget=forms.HiddenInput)
    consent = forms.BooleanField(
        label=_(
            "Người dự thi đã đồng ý để tôi hỗ trợ thao tác trên thiết bị của tôi; kết quả được ghi là “có hỗ trợ”."
        ),
        error_messages={"required": _("Cần người dự thi đồng ý trước khi bắt đầu.")},
    )
