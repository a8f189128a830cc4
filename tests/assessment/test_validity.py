"""The validity report: guessers and harvested answer sheets measured against the exam's own draw."""

import pytest
from django.core.management import CommandError, call_command

from kynangso.accounts.api import SYSTEM
from kynangso.assessment import api as assessment
from kynangso.assessment import validity
from kynangso.assessment.models import ItemType

COMPETENCES = ("1.1", "4.2", "6.2")


def items(per_cell: int, *, cue: bool) -> list[dict]:
    out = []
    for competence in COMPETENCES:
        for n in range(per_cell):
            key = "Gọi tổng đài in trên thẻ để hỏi, tuyệt đối không bấm link" if cue else "Gọi tổng đài"
            out.append(
                {
                    "id": f"V-{competence}-{n}",
                    "framework": "TT02-2025",
                    "competence": competence,
                    "level": 1,
                    "groups": ["resident"],
                    "type": "single_choice",
                    "stem": f"Câu {competence} số {n}?",
                    "options": [
                        {"text": key, "correct": True},
                        {"text": "Bấm link xem", "why": "a"},
                        {"text": "Gọi lại số lạ", "why": "b"},
                        {"text": "Chuyển tiền", "why": "c"},
                    ],
                }
            )
    return out


def standard(per_cell_drawn: int = 2, attempts: int = 2):
    return assessment.save_standard(
        {
            "code": "HL",
            "name": "Chuẩn hiệu lực",
            "target_group": "resident",
            "framework": "TT02-2025",
            "time_limit_minutes": 20,
            "pass_percent": 60,
            "max_attempts_per_year": attempts,
            "blueprint": [{"competence": c, "level": 1, "items": per_cell_drawn} for c in COMPETENCES],
        },
        actor=SYSTEM,
    )


def test_guess_probabilities_follow_the_item_type():
    options = [
        {"text": "dài nhất hẳn", "correct": True},
        {"text": "b", "correct": False},
        {"text": "c", "correct": False},
        {"text": "d", "correct": False},
    ]
    assert validity.guess_probabilities(ItemType.SINGLE_CHOICE, {"options": options}) == (0.25, 1.0)
    tf = [{"text": "Đúng", "correct": False}, {"text": "Sai", "correct": True}]
    assert validity.guess_probabilities(ItemType.TRUE_FALSE, {"options": tf}) == (0.5, 1.0)
    mr = [{"text": t, "correct": t in "ab"} for t in "abcd"]
    assert validity.guess_probabilities(ItemType.MULTIPLE_RESPONSE, {"options": mr}) == (1 / 15, 0.0)
    assert validity.guess_probabilities(ItemType.NUMERIC, {"answer": 1}) == (0.0, 0.0)


def test_a_length_cue_lets_a_test_wise_guesser_pass(framework):
    assessment.save_items(items(10, cue=True), source="t", publish=True, actor=SYSTEM)
    report = validity.simulate(standard(), takers=300)
    assert report.pass_testwise == 1.0 and report.pass_random < 0.05
    assert not report.goals["testwise"] and not report.all_goals_met


def test_a_large_clean_pool_meets_every_goal(framework):
    assessment.save_items(items(20, cue=False), source="t", publish=True, actor=SYSTEM)
    report = validity.simulate(standard(per_cell_drawn=4, attempts=2), takers=500)
    assert [cell.pool for cell in report.cells] == [20, 20, 20]
    assert report.exposure == pytest.approx(0.4)
    assert report.harvest_gain == 0.0  # the fresh form holds only unseen items
    assert report.all_goals_met, report.goals


def test_a_pool_too_small_for_the_yearly_attempts_lets_a_harvester_gain(framework):
    assessment.save_items(items(3, cue=False), source="t", publish=True, actor=SYSTEM)
    report = validity.simulate(standard(per_cell_drawn=1, attempts=3), takers=500)
    assert report.exposure == pytest.approx(1.0)
    assert report.harvest_gain > 50 and not report.goals["pool"] and not report.goals["harvest"]


def test_the_command_prints_each_goal_and_check_fails_when_one_is_missed(framework, capsys):
    assessment.save_items(items(3, cue=True), source="t", publish=True, actor=SYSTEM)
    standard(per_cell_drawn=1, attempts=2)
    call_command("assessment-report", "HL", takers=200)
    out = capsys.readouterr().out
    assert "Xác suất đạt khi đoán theo mẹo" in out and "CHƯA ĐẠT" in out and "3 câu" not in out.split("\n")[0]
    with pytest.raises(CommandError, match="HL"):
        call_command("assessment-report", "HL", takers=200, check=True)
    capsys.readouterr()
    call_command("assessment-report", "HL", takers=200, markdown=True)
    assert capsys.readouterr().out.startswith("| chuẩn |")


def test_reliability_appears_once_enough_attempts_are_submitted(framework, province):
    import datetime
    import random

    from tests.assessment.answers import right_answer
    from tests.factories import make_person

    assessment.save_items(items(3, cue=False), source="t", publish=True, actor=SYSTEM)
    the_standard = standard(per_cell_drawn=2, attempts=2)  # 9 items, each answered about 26 times
    assert validity.simulate(the_standard, takers=10).reliability is None
    rng = random.Random(3)
    for n in range(40):
        person = make_person(
            province.a,
            full_name=f"Người thi {n}",
            birth_date=datetime.date(1950, 1, 1) + datetime.timedelta(days=200 * n),
        )
        attempt = assessment.start_attempt(person=person, standard=the_standard, started_by=None)
        ability = rng.random()
        for slot in attempt.items.select_related("item_version"):
            if rng.random() < ability:
                assessment.save_answer(attempt=attempt, position=slot.position, answer=right_answer(slot))
        assessment.submit_attempt(attempt=attempt)
    report = validity.simulate(the_standard, takers=10)
    assert report.reliability is not None and report.reliability > 0.5
    assert report.discrimination is not None and report.discrimination > 0.2
