"""Whole-item scoring of every item type, and numbers as Vietnamese write them."""
import pytest

from kynangso.assessment.bank import body_from_data
from kynangso.assessment.models import ItemVersion
from kynangso.assessment.scoring import is_correct, parse_number, profile


def version(data: dict) -> ItemVersion:
    return ItemVersion(type=data["type"], stem="?", body=body_from_data(data))


@pytest.mark.parametrize("text, number", [("3,5", 3.5), ("1.200", 1200.0), ("1.200,5", 1200.5), ("0.25", 0.25),
                                          ("12", 12.0), (" 7 ", 7.0), ("", None), ("ba", None), ("inf", None)])
def test_numbers_are_read_as_vietnamese_write_them(text, number):
    assert parse_number(text) == number


def test_numeric_answer_within_tolerance():
    item = version({"type": "numeric", "answer": 72, "tolerance": 0.5})
    assert is_correct(item, {"number": "72,4"}) and not is_correct(item, {"number": "73"})
    assert not is_correct(item, {"number": ""}) and not is_correct(item, None)


def test_multiple_response_needs_exactly_the_right_set():
    item = version({"type": "multiple_response", "options": [
        {"text": "A", "correct": True}, {"text": "B", "correct": True}, {"text": "C", "correct": False}]})
    a, b, c = (o["id"] for o in item.body["options"])
    assert is_correct(item, {"choices": [b, a]})
    assert not is_correct(item, {"choices": [a]}) and not is_correct(item, {"choices": [a, b, c]})


def test_ordering_needs_the_whole_sequence():
    item = version({"type": "ordering", "sequence": ["Mở ứng dụng", "Đăng nhập", "Chọn dịch vụ"]})
    ids = [s["id"] for s in item.body["steps"]]
    assert is_correct(item, {"order": ids}) and not is_correct(item, {"order": ids[::-1]})


def test_matching_needs_every_pair():
    item = version({"type": "matching", "pairs": [{"left": "VNeID", "right": "định danh"},
                                                   {"left": "VietQR", "right": "thanh toán"}]})
    (l1, r1), (l2, r2) = ((p["left_id"], p["right_id"]) for p in item.body["pairs"])
    assert is_correct(item, {"pairs": {l1: r1, l2: r2}})
    assert not is_correct(item, {"pairs": {l1: r2, l2: r1}}) and not is_correct(item, {"pairs": {l1: r1}})


def test_short_text_ignores_case_and_diacritics():
    item = version({"type": "short_text", "answers": ["Mã OTP"]})
    assert is_correct(item, {"text": "ma otp"}) and not is_correct(item, {"text": "mật khẩu"})


def test_single_choice_and_true_false():
    item = version({"type": "true_false", "options": [{"text": "Đúng", "correct": False},
                                                       {"text": "Sai", "correct": True}]})
    wrong, right = (o["id"] for o in item.body["options"])
    assert is_correct(item, {"choice": right}) and not is_correct(item, {"choice": wrong})


def test_option_ids_are_random_per_version():
    data = {"type": "single_choice", "options": [{"text": "A", "correct": True}, {"text": "B", "correct": False}]}
    assert body_from_data(data)["options"][0]["id"] != body_from_data(data)["options"][0]["id"]


def test_profile_sums_per_domain_and_applies_domain_pass_mark():
    rows = [("1.1", "1", True), ("1.2", "1", True), ("4.2", "4", False), ("4.2", "4", True)]
    overall, passed, result = profile(rows, pass_percent=70, domain_pass_percent=60, competence_names={},
                                      domain_names={}, required_levels={"4.2": 2})
    assert overall == 75.0 and passed is False  # domain 4 has 50% < 60%
    assert [(d["code"], d["percent"], d["met"]) for d in result["domains"]] == [("1", 100.0, True), ("4", 50.0, False)]
