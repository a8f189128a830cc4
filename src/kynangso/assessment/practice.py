"""Practice questions for lesson pages: live practice items shown without their key, and checking one answer with
the exam's own scoring. Nothing is stored, and practice items never count in any standard (ADR 0009)."""

import random
import secrets
from dataclasses import dataclass

from django.utils import formats
from django.utils.translation import gettext as _

from kynangso.assessment import bank, scoring
from kynangso.assessment.models import Item, ItemType, ItemUse, ItemVersion, ReviewStatus
from kynangso.assessment.presentation import check_answer_shape, shuffled_presentation
from kynangso.errors import DomainError


@dataclass(frozen=True)
class PracticeChoice:
    """One option, step or matching side: an opaque random id (the same ids the exam uses) and its text."""

    id: str
    text: str


@dataclass(frozen=True)
class PracticeQuestion:
    """What a lesson page may show of a practice item. Never the key, the explanation or the options' «why»."""

    version_id: int
    code: str
    kind: str  # single_choice, multiple_response, true_false, ordering, matching, short_text, numeric
    kind_label: str
    prompt: str
    image: str  # an URL or path as authored, "" when none
    options: tuple[PracticeChoice, ...] = ()  # single/multiple choice and true/false, shuffled (Đúng/Sai kept)
    steps: tuple[PracticeChoice, ...] = ()  # ordering, shuffled so never shown in the right order
    lefts: tuple[PracticeChoice, ...] = ()  # matching
    rights: tuple[PracticeChoice, ...] = ()  # matching, shuffled


@dataclass(frozen=True)
class PracticeFeedback:
    correct: bool
    explanation: str  # the item's explanation (Vietnamese); preceded by why the chosen option is wrong, if written
    correct_answer_text: str  # the right answer in words, e.g. «Một dãy 6 số …» or «B → A → C»


def _question(version: ItemVersion, rng: random.Random) -> PracticeQuestion:

    body, shown = version.body, shuffled_presentation(version, rng)
    fields = {}
    if "options" in shown:
        text = {o["id"]: o["text"] for o in body["options"]}
        fields["options"] = tuple(PracticeChoice(i, text[i]) for i in shown["options"])
    elif "steps" in shown:
        text = {s["id"]: s["text"] for s in body["steps"]}
        fields["steps"] = tuple(PracticeChoice(i, text[i]) for i in shown["steps"])
    elif "lefts" in shown:
        lefts = {p["left_id"]: p["left"] for p in body["pairs"]}
        rights = bank.right_sides(body)
        fields["lefts"] = tuple(PracticeChoice(i, lefts[i]) for i in shown["lefts"])
        fields["rights"] = tuple(PracticeChoice(i, rights[i]) for i in shown["rights"])
    return PracticeQuestion(
        version_id=version.pk,
        code=version.item.code,
        kind=version.type,
        kind_label=version.get_type_display(),
        prompt=version.stem,
        image=version.image,
        **fields,
    )


def practice_questions(*, item_codes: list[str]) -> list[PracticeQuestion]:
    """The live practice items with these codes, in the order given; codes that are not live practice items
    (unknown, retired, or exam items) are left out."""
    items = {
        item.code: item
        for item in Item.objects.select_related("live_version").filter(
            code__in=list(item_codes), use=ItemUse.PRACTICE, live_version__isnull=False
        )
    }
    rng = random.Random(secrets.randbits(64))
    return [_question(items[code].live_version, rng) for code in dict.fromkeys(item_codes) if code in items]


def practice_answer_from_form(question: PracticeQuestion, data) -> dict:
    """The answer of `check_practice_answer` from a POST with the exam page's field names (choice, choices,
    pos_<step id>, pair_<left id>, text, number)."""
    from kynangso.assessment.forms import answer_from_form

    item = {
        "type": question.kind,
        "steps": [{"id": s.id} for s in question.steps],
        "lefts": [{"id": left.id} for left in question.lefts],
    }
    return answer_from_form(item, data)


def _number(value: float) -> str:
    return formats.number_format(value, decimal_pos=None if value != int(value) else 0, use_l10n=True)


def _answer_text(version: ItemVersion) -> str:
    body, kind = version.body, version.type
    if kind in (ItemType.SINGLE_CHOICE, ItemType.TRUE_FALSE, ItemType.MULTIPLE_RESPONSE):
        return "; ".join(o["text"] for o in body["options"] if o["correct"])
    if kind == ItemType.ORDERING:
        return " → ".join(step["text"] for step in body["steps"])
    if kind == ItemType.MATCHING:
        return "; ".join(f"{p['left']} → {p['right']}" for p in body["pairs"])
    if kind == ItemType.SHORT_TEXT:
        return body["answers"][0] if body["answers"] else ""
    answer, tolerance = body["answer"], body["tolerance"]
    if tolerance:
        return _("%(answer)s (chấp nhận sai lệch %(tolerance)s)") % {
            "answer": _number(answer),
            "tolerance": _number(tolerance),
        }
    return _number(answer)


def practice_answer_texts(*, version_ids: list[int]) -> dict[int, str]:
    """The right answer in words of each practice item version (for the answer key of a printed handout). Only
    practice items that were put live: an exam item's key never leaves the bank."""
    versions = ItemVersion.objects.select_related("item").filter(
        pk__in=version_ids,
        item__use=ItemUse.PRACTICE,
        published_at__isnull=False,
        status__in=[ReviewStatus.LIVE, ReviewStatus.RETIRED],
    )
    return {version.pk: _answer_text(version) for version in versions}


def check_practice_answer(*, version_id: int, answer) -> PracticeFeedback:
    """Score one practice answer with the exam's scoring. Only versions of practice items that were put live can be
    checked, so this never reveals the key of an exam item. Nothing is stored."""
    version = (
        ItemVersion.objects.select_related("item")
        .filter(
            pk=version_id,
            item__use=ItemUse.PRACTICE,
            published_at__isnull=False,
            status__in=[ReviewStatus.LIVE, ReviewStatus.RETIRED],
        )
        .first()
    )
    if version is None:
        raise DomainError(_("Không tìm thấy câu hỏi luyện tập này."), code="not_found")

    body = version.body
    every_id = {}
    if "options" in body:
        every_id["options"] = [o["id"] for o in body["options"]]
    elif "steps" in body:
        every_id["steps"] = [s["id"] for s in body["steps"]]
    elif "pairs" in body:
        every_id["lefts"] = [p["left_id"] for p in body["pairs"]]
        every_id["rights"] = list(bank.right_sides(body))
    elif body.get("units"):
        every_id["units"] = [unit["unit"] for unit in body["units"]]
    clean = check_answer_shape(version.type, every_id, answer if isinstance(answer, dict) else {})
    correct = scoring.is_correct(version, clean)
    explanation = version.explanation
    if not correct and "options" in body:
        chosen = {clean.get("choice"), *(clean.get("choices") or [])}
        why = [o["why"] for o in body["options"] if o["id"] in chosen and not o["correct"] and o.get("why")]
        explanation = " ".join([*why, explanation]).strip()
    return PracticeFeedback(correct=correct, explanation=explanation, correct_answer_text=_answer_text(version))
