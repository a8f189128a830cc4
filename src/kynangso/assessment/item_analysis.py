"""Classical item analysis for content authors: p-values, corrected point-biserials, distractors, Vietnamese flags."""

from __future__ import annotations

import math
from collections.abc import Collection, Hashable, Sequence
from dataclasses import dataclass, field

from kynangso.numbers import vietnamese_number

MIN_RESPONDENTS = 30  # no flags below this many respondents
P_TOO_HARD = 0.20  # flag when p < this
P_TOO_EASY = 0.95  # flag when p > this
R_PB_LOW = 0.15  # flag when the corrected point-biserial is below this
UPPER_GROUP_FRACTION = 0.27  # the "strong group" for the distractor check (Kelley's 27 %)

# Flag codes (stable, for filtering); each flag also carries a Vietnamese message.
TOO_EASY = "too_easy"
TOO_HARD = "too_hard"
LOW_DISCRIMINATION = "low_discrimination"
NEGATIVE_DISCRIMINATION = "negative_discrimination"
DISTRACTOR_UNUSED = "distractor_unused"
DISTRACTOR_ATTRACTS_STRONG = "distractor_attracts_strong"

Choice = str | Collection[str] | None


@dataclass(frozen=True)
class ItemResponses:
    """One item's responses on one form, one entry per respondent in the same order in every list.

    ``choices``: the chosen option key (a set of keys for multi-select items; None = omitted). ``correct``: the
    key, or the keys accepted as right (a single choice is right if it is one of them; a multi-select choice is
    right if it equals them). ``rest_scores``: each respondent's total score on the rest of the form (this item
    excluded). ``options``: every option key shown, so that an option nobody chose can be reported; if omitted it
    is taken from the choices and the keys. ``scores`` overrides the scoring (e.g. partial credit, non-choice items).
    """

    item_id: Hashable
    choices: Sequence[Choice]
    correct: str | Collection[str]
    rest_scores: Sequence[float]
    options: Sequence[str] | None = None
    scores: Sequence[float] | None = None


@dataclass(frozen=True)
class OptionStats:
    key: str
    is_correct: bool
    count: int
    proportion: float  # of all respondents, omissions included
    mean_rest_score: float | None  # None when nobody chose it


@dataclass(frozen=True)
class Flag:
    code: str
    message: str


@dataclass(frozen=True)
class ItemAnalysis:
    item_id: Hashable
    n: int
    n_omitted: int
    p_value: float | None  # mean item score; omissions count as wrong
    point_biserial: float | None  # item score vs rest score; None when either does not vary
    options: list[OptionStats] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)


def vn_number(value: float, digits: int = 2) -> str:
    """A number with a Vietnamese decimal comma: 0.05 -> '0,05'."""
    return vietnamese_number(value, digits)


def vn_percent(proportion: float) -> str:
    """A proportion as a Vietnamese percentage: 0.96 -> '96%', 0.951 -> '95,1%'."""
    pct = proportion * 100
    if abs(pct - round(pct)) < 0.05:
        return f"{round(pct)}%"
    return f"{vn_number(pct, 1)}%"


def _keys(correct: str | Collection[str]) -> frozenset[str]:
    return frozenset([correct]) if isinstance(correct, str) else frozenset(correct)


def _chosen(choice: Choice) -> frozenset[str]:
    if choice is None:
        return frozenset()
    return frozenset([choice]) if isinstance(choice, str) else frozenset(choice)


def _score(choice: Choice, keys: frozenset[str]) -> float:
    if choice is None:
        return 0.0
    if isinstance(choice, str):
        return 1.0 if choice in keys else 0.0
    return 1.0 if frozenset(choice) == keys else 0.0


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values)


def pearson(x: Sequence[float], y: Sequence[float]) -> float | None:
    """Pearson correlation, None when either variable is constant (the point-biserial for a 0/1 x)."""
    n = len(x)
    if n < 2:
        return None
    mx, my = _mean(x), _mean(y)
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y))
    sxx = sum((a - mx) ** 2 for a in x)
    syy = sum((b - my) ** 2 for b in y)
    if sxx <= 0 or syy <= 0:
        return None
    return sxy / math.sqrt(sxx * syy)


def _upper_group(rest: Sequence[float]) -> list[int]:
    """Respondents whose rest score is at least that of the ceil(27 %)-th best (ties at the cut all included)."""
    if not rest:
        return []
    size = max(1, math.ceil(UPPER_GROUP_FRACTION * len(rest)))
    cut = sorted(rest, reverse=True)[size - 1]
    return [i for i, value in enumerate(rest) if value >= cut]


def analyse_item(item: ItemResponses) -> ItemAnalysis:
    """Statistics and flags for one item."""
    n = len(item.choices)
    if len(item.rest_scores) != n or (item.scores is not None and len(item.scores) != n):
        raise ValueError(f"item {item.item_id}: choices, rest_scores and scores must have one entry per respondent")
    keys = _keys(item.correct)
    rest = [float(r) for r in item.rest_scores]
    scores = [float(s) for s in item.scores] if item.scores is not None else [_score(c, keys) for c in item.choices]
    n_omitted = sum(1 for c in item.choices if c is None)
    p_value = _mean(scores) if n else None
    r_pb = pearson(scores, rest)

    chosen = [_chosen(c) for c in item.choices]
    option_keys = list(item.options) if item.options is not None else sorted(set().union(keys, *chosen))
    options = []
    for key in option_keys:
        who = [i for i, picked in enumerate(chosen) if key in picked]
        options.append(
            OptionStats(
                key=key,
                is_correct=key in keys,
                count=len(who),
                proportion=len(who) / n if n else 0.0,
                mean_rest_score=_mean([rest[i] for i in who]) if who else None,
            )
        )

    flags: list[Flag] = []
    if n >= MIN_RESPONDENTS and p_value is not None:
        if p_value > P_TOO_EASY:
            flags.append(Flag(TOO_EASY, f"Quá dễ: {vn_percent(p_value)} trả lời đúng"))
        elif p_value < P_TOO_HARD:
            flags.append(Flag(TOO_HARD, f"Quá khó: {vn_percent(p_value)} trả lời đúng"))
        if r_pb is not None and r_pb < 0:
            flags.append(Flag(NEGATIVE_DISCRIMINATION, f"Độ phân biệt âm (r = {vn_number(r_pb)}): kiểm tra lại đáp án"))
        elif r_pb is not None and r_pb < R_PB_LOW:
            flags.append(Flag(LOW_DISCRIMINATION, f"Độ phân biệt thấp (r = {vn_number(r_pb)})"))
        upper = _upper_group(rest)
        upper_right = sum(1 for i in upper if chosen[i] & keys)
        for option in options:
            if option.is_correct:
                continue
            if option.count == 0:
                flags.append(Flag(DISTRACTOR_UNUSED, f"Phương án nhiễu «{option.key}» không ai chọn"))
            elif sum(1 for i in upper if option.key in chosen[i]) > upper_right:
                flags.append(
                    Flag(
                        DISTRACTOR_ATTRACTS_STRONG,
                        f"Phương án nhiễu «{option.key}» được nhóm giỏi chọn nhiều hơn đáp án đúng",
                    )
                )
    return ItemAnalysis(
        item_id=item.item_id,
        n=n,
        n_omitted=n_omitted,
        p_value=p_value,
        point_biserial=r_pb,
        options=options,
        flags=flags,
    )


def analyse(items: Sequence[ItemResponses]) -> list[ItemAnalysis]:
    """Classical statistics and Vietnamese flags for each item, in the given order."""
    return [analyse_item(item) for item in items]
