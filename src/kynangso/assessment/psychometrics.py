"""Item statistics from the answers collected: IRT calibration stored on items, and the item-analysis report."""

from collections import defaultdict

import numpy as np
from django.utils import timezone

from kynangso.assessment import irt, item_analysis
from kynangso.assessment.models import AttemptItem, AttemptStatus, Item, ItemType


def _scored_rows():
    return AttemptItem.objects.filter(attempt__status=AttemptStatus.SUBMITTED, correct__isnull=False).values_list(
        "attempt_id", "item_version__item_id", "correct"
    )


def calibrate_items(*, min_responses: int = irt.MIN_RESPONSES_PER_ITEM) -> dict:
    """Fit the 2PL model to every submitted response and store a and b on the items that have enough data.
    Items without enough responses keep no parameters, so adaptive mode keeps using fixed forms for them."""
    rows = list(_scored_rows())
    attempts = sorted({attempt for attempt, _item, _c in rows})
    items = sorted({item for _a, item, _c in rows})
    if not rows:
        return {"calibrated": 0, "excluded": 0, "responses": 0}
    row_of = {attempt: i for i, attempt in enumerate(attempts)}
    column_of = {item: j for j, item in enumerate(items)}
    matrix = np.full((len(attempts), len(items)), np.nan)
    for attempt, item, correct in rows:
        matrix[row_of[attempt], column_of[item]] = 1.0 if correct else 0.0
    result = irt.calibrate(matrix, min_responses=min_responses)
    now, calibrated = timezone.now(), 0
    for item_id, column in column_of.items():
        if column in result.excluded or not np.isfinite(result.a[column]):
            continue
        Item.objects.filter(pk=item_id).update(
            irt_a=float(result.a[column]), irt_b=float(result.b[column]), calibrated_at=now
        )
        calibrated += 1
    return {"calibrated": calibrated, "excluded": len(result.excluded), "responses": len(rows)}


def item_report() -> list[tuple[Item, item_analysis.ItemAnalysis]]:
    """Classical statistics of every choice item answered in submitted attempts: p-value, point-biserial against
    the rest of the form, how often each option was chosen, and flags for authors."""
    totals = defaultdict(int)
    slots = list(
        AttemptItem.objects.filter(attempt__status=AttemptStatus.SUBMITTED)
        .select_related("item_version")
        .values_list(
            "attempt_id", "item_version__item_id", "item_version__type", "item_version__body", "answer", "correct"
        )
    )
    for attempt, _item, _type, _body, _answer, correct in slots:
        totals[attempt] += int(bool(correct))
    per_item: dict[int, dict] = {}
    for attempt, item, kind, body, answer, correct in slots:
        if kind not in (ItemType.SINGLE_CHOICE, ItemType.TRUE_FALSE, ItemType.MULTIPLE_RESPONSE):
            continue
        entry = per_item.setdefault(item, {"choices": [], "rest": [], "body": body, "kind": kind})
        answer = answer or {}
        if kind == ItemType.MULTIPLE_RESPONSE:
            entry["choices"].append(frozenset(answer.get("choices") or []) or None)
        else:
            entry["choices"].append(answer.get("choice"))
        entry["rest"].append(totals[attempt] - int(bool(correct)))
    inputs = []
    for item_id, entry in per_item.items():
        options = entry["body"]["options"]
        letters = {o["id"]: chr(ord("A") + i) for i, o in enumerate(options)}

        def letter(choice, letters=letters):
            if choice is None:
                return None
            if isinstance(choice, frozenset):
                return frozenset(letters.get(c, c) for c in choice)
            return letters.get(choice, choice)

        correct = [letters[o["id"]] for o in options if o["correct"]]
        inputs.append(
            item_analysis.ItemResponses(
                item_id=item_id,
                choices=[letter(c) for c in entry["choices"]],
                correct=frozenset(correct) if entry["kind"] == ItemType.MULTIPLE_RESPONSE else correct,
                rest_scores=entry["rest"],
                options=list(letters.values()),
            )
        )
    items = Item.objects.in_bulk([i.item_id for i in inputs])
    return [(items[analysis.item_id], analysis) for analysis in item_analysis.analyse(inputs)]
