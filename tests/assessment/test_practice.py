"""Practice questions for lesson pages: shown without the key, checked with the exam's scoring, never stored."""

import dataclasses
import json

import pytest

from kynangso.accounts.api import SYSTEM
from kynangso.assessment import api as assessment
from kynangso.assessment.models import AttemptItem, Item
from kynangso.errors import DomainError
from tests.assessment.answers import answer_all

BASE = {"framework": "TT02-2025", "competence": "4.2", "level": 1, "groups": ["resident"], "use": "practice"}


def practice_items() -> list[dict]:
    return [
        {
            **BASE,
            "id": "PR-1",
            "type": "single_choice",
            "stem": "Mã khóa nào an toàn nhất?",
            "explanation": "Dùng dãy số chỉ mình biết.",
            "options": [
                {"text": "Dãy 6 số chỉ mình nhớ", "correct": True},
                {"text": "123456", "correct": False, "why": "Đây là mã dễ đoán nhất."},
                {"text": "Ngày sinh", "correct": False},
            ],
        },
        {
            **BASE,
            "id": "PR-2",
            "type": "ordering",
            "stem": "Sắp xếp các bước nộp hồ sơ",
            "explanation": "Đăng nhập trước.",
            "sequence": ["Đăng nhập VNeID", "Chọn thủ tục", "Nộp hồ sơ"],
        },
        {
            **BASE,
            "id": "PR-3",
            "type": "numeric",
            "stem": "Mật khẩu tối thiểu bao nhiêu ký tự?",
            "answer": 12,
            "tolerance": 0,
            "explanation": "Ít nhất 12 ký tự.",
        },
        {
            **BASE,
            "id": "PR-4",
            "type": "matching",
            "stem": "Ghép",
            "explanation": "",
            "pairs": [{"left": "VNeID", "right": "Định danh"}, {"left": "VietQR", "right": "Thanh toán"}],
        },
    ]


@pytest.fixture
def practice(framework):
    assessment.save_items(practice_items(), source="test", publish=True, actor=SYSTEM)


def key_of(code: str) -> dict:
    return Item.objects.get(code=code).live_version.body


def test_practice_questions_come_in_the_order_of_the_codes_given(practice):
    questions = assessment.practice_questions(item_codes=["PR-3", "PR-1", "PR-2"])
    assert [q.code for q in questions] == ["PR-3", "PR-1", "PR-2"]


def test_practice_questions_leave_out_exam_items_drafts_and_unknown_codes(practice, bank):
    assessment.save_items([{**practice_items()[0], "id": "PR-DRAFT"}], source="test", actor=SYSTEM)
    questions = assessment.practice_questions(item_codes=["T-1.1-1-0", "PR-DRAFT", "KHONG-CO", "PR-1"])
    assert [q.code for q in questions] == ["PR-1"]


def test_a_practice_question_holds_no_key_and_no_explanation(practice):
    questions = assessment.practice_questions(item_codes=["PR-1", "PR-2", "PR-3", "PR-4"])
    shown = json.dumps([dataclasses.asdict(q) for q in questions], ensure_ascii=False)
    assert "correct" not in shown and "why" not in shown
    assert "Đây là mã dễ đoán" not in shown and "Dùng dãy số" not in shown and "Ít nhất 12" not in shown
    assert 12 not in dataclasses.asdict(questions[2]).values()
    pairs = key_of("PR-4")["pairs"]
    matching = questions[3]
    assert {c.id for c in matching.lefts} == {p["left_id"] for p in pairs}
    assert {c.id for c in matching.rights} == {p["right_id"] for p in pairs}


def test_practice_options_use_the_opaque_ids_of_the_item(practice):
    question = assessment.practice_questions(item_codes=["PR-1"])[0]
    assert sorted(c.id for c in question.options) == sorted(o["id"] for o in key_of("PR-1")["options"])
    assert question.kind == "single_choice" and question.kind_label and question.version_id


def test_ordering_steps_are_never_shown_in_the_right_order(practice):
    right = [s["id"] for s in key_of("PR-2")["steps"]]
    for _ in range(10):
        question = assessment.practice_questions(item_codes=["PR-2"])[0]
        assert [s.id for s in question.steps] != right


def test_a_right_practice_answer_is_marked_correct_with_the_explanation(practice):
    question = assessment.practice_questions(item_codes=["PR-1"])[0]
    right = next(o["id"] for o in key_of("PR-1")["options"] if o["correct"])
    feedback = assessment.check_practice_answer(version_id=question.version_id, answer={"choice": right})
    assert feedback.correct
    assert feedback.explanation == "Dùng dãy số chỉ mình biết."
    assert feedback.correct_answer_text == "Dãy 6 số chỉ mình nhớ"


def test_a_wrong_choice_shows_why_it_is_wrong_and_the_right_answer(practice):
    question = assessment.practice_questions(item_codes=["PR-1"])[0]
    wrong = next(o["id"] for o in key_of("PR-1")["options"] if o["text"] == "123456")
    feedback = assessment.check_practice_answer(version_id=question.version_id, answer={"choice": wrong})
    assert not feedback.correct
    assert feedback.explanation.startswith("Đây là mã dễ đoán nhất.")
    assert feedback.correct_answer_text == "Dãy 6 số chỉ mình nhớ"


def test_ordering_and_numeric_practice_answers_are_scored_like_exam_answers(practice):
    steps = [s["id"] for s in key_of("PR-2")["steps"]]
    ordering, numeric = assessment.practice_questions(item_codes=["PR-2", "PR-3"])
    assert assessment.check_practice_answer(version_id=ordering.version_id, answer={"order": steps}).correct
    feedback = assessment.check_practice_answer(version_id=ordering.version_id, answer={"order": steps[::-1]})
    assert not feedback.correct
    assert feedback.correct_answer_text == "Đăng nhập VNeID → Chọn thủ tục → Nộp hồ sơ"
    assert assessment.check_practice_answer(version_id=numeric.version_id, answer={"number": "12"}).correct
    assert (
        assessment.check_practice_answer(version_id=numeric.version_id, answer={"number": "11"}).correct_answer_text
        == "12"
    )


def test_an_answer_read_from_the_exam_form_fields_can_be_checked(practice):
    from django.http import QueryDict

    question = assessment.practice_questions(item_codes=["PR-2"])[0]
    right = [s["id"] for s in key_of("PR-2")["steps"]]
    post = QueryDict(mutable=True)
    for position, step_id in enumerate(right, start=1):
        post[f"pos_{step_id}"] = str(position)
    answer = assessment.practice_answer_from_form(question, post)
    assert assessment.check_practice_answer(version_id=question.version_id, answer=answer).correct


def test_an_option_id_from_another_item_is_refused(practice):
    question = assessment.practice_questions(item_codes=["PR-1"])[0]
    with pytest.raises(DomainError):
        assessment.check_practice_answer(version_id=question.version_id, answer={"choice": "deadbeef"})


def test_the_key_of_an_exam_item_cannot_be_read_through_practice(bank):
    exam_version = Item.objects.get(code="T-1.1-1-0").live_version
    with pytest.raises(DomainError):
        assessment.check_practice_answer(version_id=exam_version.pk, answer={"choice": None})


def test_checking_practice_answers_stores_nothing(practice, standard, resident):
    attempt = assessment.start_attempt(person=resident, standard=standard, started_by=resident.user)
    question = assessment.practice_questions(item_codes=["PR-1"])[0]
    before = list(AttemptItem.objects.values_list("id", "answer", "revision"))
    assessment.check_practice_answer(version_id=question.version_id, answer={"choice": None})
    assert list(AttemptItem.objects.values_list("id", "answer", "revision")) == before
    assert not AttemptItem.objects.filter(item_version_id=question.version_id).exists()
    assert attempt.pk


def test_submitted_attempts_list_every_submitted_attempt_with_pass_and_assistance(standard, resident, helper_user):
    first = assessment.start_attempt(person=resident, standard=standard, started_by=resident.user)
    answer_all(first, right=0)
    assessment.submit_attempt(attempt=first)
    standard.wait_hours = 0
    standard.save()
    second = assessment.start_attempt(
        person=resident, standard=standard, started_by=helper_user, assisted_by=helper_user, consent=True
    )
    rows = {row["id"]: row for row in assessment.submitted_attempts()}
    assert set(rows) == {first.pk}
    assert rows[first.pk] == {
        "id": first.pk,
        "person_id": resident.pk,
        "standard__code": "THU",
        "standard__target_group": "resident",
        "submitted_at": rows[first.pk]["submitted_at"],
        "passed": False,
        "assisted": False,
    }
    answer_all(second)
    assessment.submit_attempt(attempt=second)
    row = next(r for r in assessment.submitted_attempts() if r["id"] == second.pk)
    assert row["passed"] is True and row["assisted"] is True and row["submitted_at"] is not None
