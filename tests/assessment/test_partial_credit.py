"""Issue 23: partial credit as Moodle banks carry it: a single-choice option worth half, multiple response with
weights and penalties, short answers worth part of the point or compared with case. The share is stored for every
answered item; a standard chooses whether it counts (all-or-nothing stays the default)."""

import pytest

from kynangso.accounts.api import SYSTEM
from kynangso.assessment import api as assessment
from kynangso.assessment.bank import body_from_data
from kynangso.assessment.models import AttemptItem, Item, ItemVersion
from kynangso.assessment.scoring import credit, is_correct


def version(data: dict) -> ItemVersion:
    return ItemVersion(type=data["type"], stem="?", body=body_from_data(data))


def test_a_single_choice_option_can_be_worth_part_of_the_point():
    item = version(
        {
            "type": "single_choice",
            "options": [
                {"text": "Gọi lại", "correct": True},
                {"text": "Nhắn lại", "correct": False, "credit": 0.5},
                {"text": "Chuyển tiền", "correct": False},
            ],
        }
    )
    right, half, wrong = (o["id"] for o in item.body["options"])
    assert credit(item, {"choice": right}) == 1 and credit(item, {"choice": half}) == 0.5
    assert credit(item, {"choice": wrong}) == 0 and credit(item, None) == 0
    assert not is_correct(item, {"choice": half})  # all-or-nothing is unchanged


def test_multiple_response_weights_add_up_and_penalties_take_away_never_below_zero():
    item = version(
        {
            "type": "multiple_response",
            "options": [
                {"text": "Khóa màn hình", "correct": True, "credit": 0.666667},
                {"text": "Cập nhật", "correct": True, "credit": 0.333333},
                {"text": "Nguồn lạ", "correct": False, "credit": -1},
            ],
        }
    )
    lock, update, unknown = (o["id"] for o in item.body["options"])
    assert credit(item, {"choices": [lock]}) == pytest.approx(0.666667)
    assert credit(item, {"choices": [lock, update]}) == 1 and is_correct(item, {"choices": [lock, update]})
    assert credit(item, {"choices": [lock, unknown]}) == 0


def test_short_answers_with_a_partial_answer_and_case():
    item = version(
        {
            "type": "short_text",
            "answers": ["VNeID"],
            "case_sensitive": True,
            "partial_answers": [{"text": "vneid", "credit": 0.5}],
        }
    )
    assert credit(item, {"text": " VNeID "}) == 1 and credit(item, {"text": "vneid"}) == 0.5
    assert credit(item, {"text": "VNEID"}) == 0 and not is_correct(item, {"text": "vneid"})
    loose = version({"type": "short_text", "answers": ["VNeID"]})
    assert is_correct(loose, {"text": "vneid"})


@pytest.mark.django_db
def test_a_standard_that_chooses_partial_credit_counts_the_shares(standard, resident):
    standard.blueprint.update(item_count=3)  # every form holds the whole bank, single-choice items included
    halves = []
    for item in Item.objects.filter(live_version__type="single_choice"):
        data = assessment.data_from_version(item.live_version)
        data["options"][1]["credit"] = 0.5
        halves.append(data)
    assessment.save_items(halves, actor=SYSTEM, publish=True)  # every single-choice item: one option worth half
    scores = {}
    for partial in (False, True):
        standard.partial_credit = partial
        standard.save(update_fields=["partial_credit"])
        attempt = assessment.start_attempt(person=resident, standard=standard, started_by=None)
        slots = list(AttemptItem.objects.filter(attempt=attempt).select_related("item_version"))
        chosen = [slot for slot in slots if slot.item_version.type == "single_choice"]
        assert chosen
        for slot in chosen:
            slot.answer = {"choice": next(o["id"] for o in slot.item_version.body["options"] if o.get("credit"))}
            slot.save(update_fields=["answer"])
        attempt = assessment.submit_attempt(attempt=attempt)
        scores[partial] = attempt.score_percent
        assert {(s.correct, s.credit) for s in AttemptItem.objects.filter(pk__in=[c.pk for c in chosen])} == {
            (False, 0.5)
        }
        AttemptItem.objects.filter(attempt=attempt).delete()
        attempt.delete()
    assert scores[False] == 0
    assert scores[True] == round(100 * 0.5 * len(chosen) / len(slots), 1)
