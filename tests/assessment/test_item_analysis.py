"""Classical item analysis: hand-computed p-value, point-biserial and distractor table; Vietnamese flags."""

import math

import pytest

from kynangso.assessment.item_analysis import (
    DISTRACTOR_ATTRACTS_STRONG,
    DISTRACTOR_UNUSED,
    LOW_DISCRIMINATION,
    NEGATIVE_DISCRIMINATION,
    TOO_EASY,
    TOO_HARD,
    ItemResponses,
    analyse,
    vn_number,
    vn_percent,
)

# Ten respondents, key B; one omission.
CHOICES = ["B", "B", "A", "B", "C", None, "B", "A", "B", "D"]
REST = [8, 7, 3, 6, 2, 1, 9, 4, 5, 5]


def test_hand_computed_example():
    [result] = analyse([ItemResponses("q1", CHOICES, "B", REST, options=["A", "B", "C", "D"])])
    # p: 5 of 10 chose B (the omission counts as wrong).
    assert result.n == 10 and result.n_omitted == 1
    assert result.p_value == pytest.approx(0.5)
    # Point-biserial by hand: (M1 - M0) / s · sqrt(p q), s the population SD of the rest scores.
    m1 = (8 + 7 + 6 + 9 + 5) / 5  # 7
    m0 = (3 + 2 + 1 + 4 + 5) / 5  # 3
    mean = sum(REST) / 10  # 5
    s = math.sqrt(sum((r - mean) ** 2 for r in REST) / 10)  # sqrt(60 / 10)
    assert result.point_biserial == pytest.approx((m1 - m0) / s * math.sqrt(0.5 * 0.5))
    assert result.point_biserial == pytest.approx(2 / math.sqrt(6))
    table = {o.key: (o.is_correct, o.count, o.proportion, o.mean_rest_score) for o in result.options}
    assert table == {
        "A": (False, 2, pytest.approx(0.2), pytest.approx(3.5)),
        "B": (True, 5, pytest.approx(0.5), pytest.approx(7.0)),
        "C": (False, 1, pytest.approx(0.1), pytest.approx(2.0)),
        "D": (False, 1, pytest.approx(0.1), pytest.approx(5.0)),
    }
    assert result.flags == []  # fewer than 30 respondents: nothing is flagged


def test_vietnamese_number_formatting():
    assert vn_number(0.05) == "0,05"
    assert vn_number(-0.123) == "-0,12"
    assert vn_percent(0.96) == "96%"
    assert vn_percent(0.12) == "12%"
    assert vn_percent(0.951) == "95,1%"


def codes(result):
    return [flag.code for flag in result.flags]


def test_too_easy_and_too_hard():
    rest = list(range(50))
    easy = ["A"] * 48 + ["B", "C"]  # the two weakest miss it
    hard = ["BCD"[i % 3] for i in range(44)] + ["A"] * 6  # the six strongest get it
    easy_result, hard_result = analyse(
        [
            ItemResponses("easy", easy[::-1], "A", rest, options=["A", "B", "C"]),
            ItemResponses("hard", hard, "A", rest, options=["A", "B", "C", "D"]),
        ]
    )
    assert easy_result.p_value == pytest.approx(0.96)
    assert "Quá dễ: 96% trả lời đúng" in [f.message for f in easy_result.flags]
    assert hard_result.p_value == pytest.approx(0.12)
    assert [f.message for f in hard_result.flags] == ["Quá khó: 12% trả lời đúng"]
    assert TOO_HARD in codes(hard_result) and TOO_EASY not in codes(hard_result)


def test_low_and_negative_discrimination():
    rest = list(range(40))
    # Right answers spread evenly over the ability range, one more near the top: weak but positive r.
    weak = ["A" if i % 2 == 0 else "B" for i in range(40)]
    weak[39] = "A"
    miskeyed = ["B"] * 20 + ["A"] * 20  # only the stronger half chose A, but the key says B
    low, negative = analyse([ItemResponses("weak", weak, "A", rest), ItemResponses("miskeyed", miskeyed, "B", rest)])
    assert 0 < low.point_biserial < 0.15
    assert f"Độ phân biệt thấp (r = {vn_number(low.point_biserial)})" in [f.message for f in low.flags]
    assert low.flags[0].message.startswith("Độ phân biệt thấp (r = 0,")
    assert LOW_DISCRIMINATION in codes(low)
    assert negative.point_biserial < 0
    assert NEGATIVE_DISCRIMINATION in codes(negative) and LOW_DISCRIMINATION not in codes(negative)


def test_distractor_flags():
    rest = list(range(40))  # upper 27 %: ceil(10.8) = 11 respondents, rest scores 29–39
    choices = ["A"] * 20 + ["D"] * 9 + ["A"] * 4 + ["B"] * 7  # the strong group prefers B over the key A
    [result] = analyse([ItemResponses("q", choices, "A", rest, options=["A", "B", "C", "D"])])
    messages = [f.message for f in result.flags]
    assert "Phương án nhiễu «C» không ai chọn" in messages
    assert "Phương án nhiễu «B» được nhóm giỏi chọn nhiều hơn đáp án đúng" in messages
    assert not any("«D»" in m for m in messages)  # D is chosen only by weaker respondents
    assert codes(result).count(DISTRACTOR_UNUSED) == 1 and codes(result).count(DISTRACTOR_ATTRACTS_STRONG) == 1
    assert {o.key: o.mean_rest_score for o in result.options}["B"] == pytest.approx(sum(range(33, 40)) / 7)


def test_no_flags_below_the_minimum_number_of_respondents():
    [result] = analyse([ItemResponses("q", ["A"] * 29, "A", list(range(29)), options=["A", "B"])])
    assert result.p_value == 1.0 and result.point_biserial is None
    assert result.flags == []
    [result] = analyse([ItemResponses("q", ["A"] * 30, "A", list(range(30)), options=["A", "B"])])
    assert codes(result) == [TOO_EASY, DISTRACTOR_UNUSED]


def test_several_accepted_keys_and_multi_select():
    [single, multi] = analyse(
        [
            ItemResponses("alt", ["A", "C", "B", None], {"A", "C"}, [3, 2, 1, 0]),
            ItemResponses("multi", [{"A", "C"}, {"A"}, {"A", "B", "C"}, {"C", "A"}], {"A", "C"}, [3, 2, 1, 0]),
        ]
    )
    assert single.p_value == pytest.approx(0.5)
    assert multi.p_value == pytest.approx(0.5)
    assert {o.key: o.count for o in multi.options} == {"A": 4, "B": 1, "C": 3}


def test_mismatched_lengths_are_rejected():
    with pytest.raises(ValueError):
        analyse([ItemResponses("q", ["A", "B"], "A", [1.0])])
