"""Whole-item scoring of every item type, numbers as Vietnamese write them, and verdicts only over enough items."""

import random
from collections import Counter

import pytest

from kynangso.assessment.bank import body_from_data
from kynangso.assessment.models import ItemVersion
from kynangso.assessment.scoring import (
    MIN_ITEMS_PER_VERDICT,
    is_correct,
    parse_number,
    profile,
    reported_codes,
    taker_profile,
)


def version(data: dict) -> ItemVersion:
    return ItemVersion(type=data["type"], stem="?", body=body_from_data(data))


@pytest.mark.parametrize(
    "text, number",
    [
        ("3,5", 3.5),
        ("1.200", 1200.0),
        ("1.200,5", 1200.5),
        ("0.25", 0.25),
        ("12", 12.0),
        (" 7 ", 7.0),
        ("", None),
        ("ba", None),
        ("inf", None),
    ],
)
def test_numbers_are_read_as_vietnamese_write_them(text, number):
    assert parse_number(text) == number


def test_numeric_answer_within_tolerance():
    item = version({"type": "numeric", "answer": 72, "tolerance": 0.5})
    assert is_correct(item, {"number": "72,4"}) and not is_correct(item, {"number": "73"})
    assert not is_correct(item, {"number": ""}) and not is_correct(item, None)


def test_multiple_response_needs_exactly_the_right_set():
    item = version(
        {
            "type": "multiple_response",
            "options": [
                {"text": "A", "correct": True},
                {"text": "B", "correct": True},
                {"text": "C", "correct": False},
            ],
        }
    )
    a, b, c = (o["id"] for o in item.body["options"])
    assert is_correct(item, {"choices": [b, a]})
    assert not is_correct(item, {"choices": [a]}) and not is_correct(item, {"choices": [a, b, c]})


def test_ordering_needs_the_whole_sequence():
    item = version({"type": "ordering", "sequence": ["Mở ứng dụng", "Đăng nhập", "Chọn dịch vụ"]})
    ids = [s["id"] for s in item.body["steps"]]
    assert is_correct(item, {"order": ids}) and not is_correct(item, {"order": ids[::-1]})


def test_matching_needs_every_pair():
    item = version(
        {
            "type": "matching",
            "pairs": [{"left": "VNeID", "right": "định danh"}, {"left": "VietQR", "right": "thanh toán"}],
        }
    )
    (l1, r1), (l2, r2) = ((p["left_id"], p["right_id"]) for p in item.body["pairs"])
    assert is_correct(item, {"pairs": {l1: r1, l2: r2}})
    assert not is_correct(item, {"pairs": {l1: r2, l2: r1}}) and not is_correct(item, {"pairs": {l1: r1}})


def test_short_text_ignores_case_and_diacritics():
    item = version({"type": "short_text", "answers": ["Mã OTP"]})
    assert is_correct(item, {"text": "ma otp"}) and not is_correct(item, {"text": "mật khẩu"})


def test_single_choice_and_true_false():
    item = version(
        {"type": "true_false", "options": [{"text": "Đúng", "correct": False}, {"text": "Sai", "correct": True}]}
    )
    wrong, right = (o["id"] for o in item.body["options"])
    assert is_correct(item, {"choice": right}) and not is_correct(item, {"choice": wrong})


def test_option_ids_are_random_per_version():
    data = {"type": "single_choice", "options": [{"text": "A", "correct": True}, {"text": "B", "correct": False}]}
    assert body_from_data(data)["options"][0]["id"] != body_from_data(data)["options"][0]["id"]


def test_profile_sums_per_domain_and_applies_domain_pass_mark():
    rows = [
        ("1.1", "1", True),
        ("1.2", "1", True),
        ("1.3", "1", True),
        ("1.1", "1", True),
        ("4.2", "4", False),
        ("4.2", "4", True),
        ("4.1", "4", False),
        ("4.1", "4", True),
    ]
    overall, passed, result = profile(
        rows, pass_percent=70, domain_pass_percent=60, competence_names={}, domain_names={}, required_levels={"4.2": 2}
    )
    assert overall == 75.0 and passed is False  # domain 4 has 50% < 60% over four items
    assert [(d["code"], d["percent"], d["met"]) for d in result["domains"]] == [("1", 100.0, True), ("4", 50.0, False)]


def test_a_domain_pass_mark_applies_only_to_domains_with_four_items_or_more():
    """Two items of domain 4, one wrong: 50% would be under the floor, but two items are not evidence enough to
    fail the whole exam; the overall mark decides."""
    rows = [("1.1", "1", True), ("1.2", "1", True), ("1.3", "1", True), ("4.2", "4", False), ("4.2", "4", True)]
    overall, passed, result = profile(
        rows, pass_percent=70, domain_pass_percent=60, competence_names={}, domain_names={}, required_levels={}
    )
    assert overall == 80.0 and passed is True
    assert [(d["code"], d["floor_applies"], d["met"]) for d in result["domains"]] == [
        ("1", False, True),
        ("4", False, True),
    ]


def test_a_numeric_answer_may_be_written_with_a_percent_sign_or_a_decimal_comma():
    from kynangso.assessment.scoring import _numeric_value

    body = {"answer": 25.0, "tolerance": 0}
    for typed in ("25", "25%", "25 %", "25,0", "25,0 %"):
        assert _numeric_value(body, typed) == 25.0, typed
    assert _numeric_value({**body, "units": [{"unit": "MB", "multiplier": 1}]}, "25%") is None


def atoms(domains: dict[str, dict[str, int]], shown_domains: set, shown_competences: set) -> list[int]:
    """Sizes of the smallest item sets whose right-answer count follows from the shown counts and the overall
    score: each item belongs to its innermost shown set (a competence, else its domain, else the whole form)."""
    sizes: Counter = Counter()
    for domain, competences in domains.items():
        for competence, size in competences.items():
            owner = competence if competence in shown_competences else domain if domain in shown_domains else "form"
            sizes[owner] += size
    return list(sizes.values())


def entries(domains: dict[str, dict[str, int]]) -> tuple[list[dict], list[dict]]:
    return (
        [{"code": d, "total": sum(cs.values())} for d, cs in domains.items()],
        [{"code": c, "domain": d, "total": size} for d, cs in domains.items() for c, size in cs.items()],
    )


def test_a_competence_with_fewer_than_three_items_gets_no_verdict():
    rows = [("1.1", "1", True)] * 3 + [("1.2", "1", False), ("4.2", "4", True), ("4.2", "4", True), ("4.2", "4", False)]
    _overall, _passed, result = profile(
        rows, pass_percent=60, domain_pass_percent=None, competence_names={}, domain_names={}, required_levels={}
    )
    verdicts = {c["code"]: (c["reported"], c["met"]) for c in result["competences"]}
    assert verdicts["1.2"] == (False, None)
    assert verdicts["4.2"] == (True, True)


def test_the_count_of_a_lone_item_cannot_be_recovered_by_subtraction():
    """Domain 1 holds 1.1 (3 items) and 1.2 (1 item): showing domain 1 and 1.1 would give away 1.2's one item."""
    domains = {"1": {"1.1": 3, "1.2": 1}, "4": {"4.2": 3}}
    shown_domains, shown_competences = reported_codes(*entries(domains))
    assert shown_domains == {"1", "4"} and shown_competences == {"4.2"}
    assert all(size >= MIN_ITEMS_PER_VERDICT for size in atoms(domains, shown_domains, shown_competences))


def test_no_shown_counts_ever_isolate_fewer_than_three_items():
    rng = random.Random(15)
    for _case in range(500):
        domains = {
            str(d): {f"{d}.{c}": rng.randint(0, 5) for c in range(rng.randint(1, 4))} for d in range(rng.randint(1, 5))
        }
        if sum(size for cs in domains.values() for size in cs.values()) < MIN_ITEMS_PER_VERDICT:
            continue
        shown_domains, shown_competences = reported_codes(*entries(domains))
        sizes = atoms(domains, shown_domains, shown_competences)
        assert all(size == 0 or size >= MIN_ITEMS_PER_VERDICT for size in sizes), domains


def test_the_taker_sees_no_count_over_too_few_items_even_in_a_profile_stored_before_the_rule():
    stored = {
        "domains": [
            {"code": "1", "name": "Miền 1", "correct": 1, "total": 1, "percent": 100.0, "met": True},
            {"code": "4", "name": "Miền 4", "correct": 2, "total": 4, "percent": 50.0, "met": True},
            {"code": "6", "name": "Miền 6", "correct": 3, "total": 3, "percent": 100.0, "met": True},
        ],
        "competences": [
            {"code": "1.1", "name": "A", "domain": "1", "correct": 1, "total": 1, "percent": 100.0, "met": True},
            {"code": "4.2", "name": "B", "domain": "4", "correct": 2, "total": 4, "percent": 50.0, "met": False},
            {"code": "6.2", "name": "C", "domain": "6", "correct": 3, "total": 3, "percent": 100.0, "met": True},
        ],
    }
    shown = taker_profile(stored)
    lone = shown["competences"][0]
    assert (lone["correct"], lone["percent"], lone["met"], lone["reported"]) == (None, None, None, False)
    assert lone["note"] == "Chưa đủ câu hỏi để đánh giá riêng năng lực này."
    assert shown["domains"][0]["correct"] is None
    assert shown["competences"][1]["correct"] == 2 and shown["competences"][1]["met"] is False
    # the overall score minus 4.2 and 6.2 would give 1.1's lone item away, so the smaller of the two is hidden too
    assert shown["competences"][2]["reported"] is False
