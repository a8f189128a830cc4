"""The neutral item representation and its checks, shared by every interchange format.

An item is a plain dict in exactly the format of ``content/items/*.yaml`` (see ``content/README.md``). The readers
of every format build such dicts, pass them through :func:`normalize_item` and keep only those for which
:func:`validate_item` finds nothing wrong. Problems are collected, never raised: a bank exported from Moodle
usually has a few questions we cannot take and the rest should still come through.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from numbers import Real

ITEM_TYPES = ("single_choice", "multiple_response", "true_false", "ordering", "matching", "short_text", "numeric")

#: Vietnamese names of the item types, as shown to content authors (the XLSX "Loại" column).
TYPE_LABELS = {
    "single_choice": "Một lựa chọn",
    "multiple_response": "Nhiều lựa chọn",
    "true_false": "Đúng/Sai",
    "ordering": "Sắp xếp",
    "matching": "Ghép cặp",
    "short_text": "Trả lời ngắn",
    "numeric": "Số",
}

TRUE_TEXT = "Đúng"
FALSE_TEXT = "Sai"

#: Key order of an item, as in the YAML files.
KEY_ORDER = (
    "id",
    "framework",
    "competence",
    "level",
    "groups",
    "type",
    "stem",
    "options",
    "sequence",
    "pairs",
    "distractors",
    "answers",
    "partial_answers",
    "case_sensitive",
    "answer",
    "tolerance",
    "partial_numbers",
    "units",
    "explanation",
    "source_note",
    "image",
    "use",
)

#: Keys only a reader adds, for the importer: ``notes`` (what was lost, in Vietnamese, one string each) and
#: ``category`` (the Moodle/GIFT category path of an item without a competence tag). Never stored as content.
IMPORT_KEYS = ("notes", "category")


@dataclass(frozen=True)
class Problem:
    """Something wrong with the content of an imported file.

    ``location`` names the place (``"Dòng 7"``, ``"Câu hỏi 12 («Mật khẩu…»)"``), ``message`` says what is wrong, in
    Vietnamese; ``str(problem)`` joins them: ``"Dòng 7: thiếu đáp án đúng"``.
    """

    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def clean_text(value) -> str:
    """NFC, unified line ends, no trailing spaces on lines, no surrounding blank space."""
    if value is None:
        return ""
    text = nfc(str(value)).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in text.strip().split("\n"))


def shorten(text: str, limit: int = 40) -> str:
    """First words of a text, on one line, for naming a question in a problem message."""
    one_line = " ".join(clean_text(text).split())
    return one_line if len(one_line) <= limit else one_line[:limit].rstrip() + "…"


def item_location(prefix: str, item_or_text) -> str:
    """``"Câu hỏi 12 («Mật khẩu…»)"`` from ``"Câu hỏi 12"`` and the item (or its stem)."""
    text = item_or_text.get("stem", "") if isinstance(item_or_text, dict) else item_or_text
    short = shorten(text or "")
    return f"{prefix} («{short}»)" if short else prefix


def is_number(value) -> bool:
    return isinstance(value, Real) and not isinstance(value, bool) and math.isfinite(value)


_NUMBER_RE = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")


def parse_number(value):
    """A number from a cell or a text (``"25"`` → 25, ``"6,5"`` → 6.5); ``None`` when it is not one."""
    if is_number(value):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip().replace("\u00a0", "").replace(" ", "")
    if not _NUMBER_RE.match(text):
        return None
    text = text.replace(",", ".")
    if re.fullmatch(r"[+-]?\d+", text):
        return int(text)
    number = float(text)
    return number if math.isfinite(number) else None


def format_number(value) -> str:
    """Shortest text that reads back as the same number (ints stay without a decimal point)."""
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return repr(value)  # "25.0": reads back as a float, equal anyway
    return repr(value) if isinstance(value, float) else str(value)


def _truthy(value) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes", "có", "đúng", "x")
    return bool(value)


def normalize_item(item: dict) -> dict:
    """A clean copy of an item: NFC text without surrounding blanks, keys in the YAML order, empty keys dropped.

    Competence codes become text, levels numbers where they are written as digits, ``groups`` a list, options
    ``{text, correct, why}`` dicts (``why`` only when given), a numeric item gets ``tolerance: 0`` when it has none.
    Unknown keys are kept (after the known ones) so that validation can still see them.
    """
    out: dict = {}
    for key in list(KEY_ORDER) + [k for k in item if k not in KEY_ORDER]:
        if key not in item:
            continue
        value = item[key]
        if key in ("id", "framework", "type", "stem", "explanation", "source_note", "image", "use"):
            value = clean_text(value)
        elif key == "competence":
            value = clean_text(value)
        elif key == "level":
            if isinstance(value, str) and value.strip().isdigit():
                value = int(value.strip())
            elif isinstance(value, float) and value.is_integer():
                value = int(value)
        elif key == "groups":
            if isinstance(value, str):
                value = re.split(r"[,;\s]+", value)
            if isinstance(value, (list, tuple)):
                value = [clean_text(g) for g in value if clean_text(g)]
        elif key == "options" and isinstance(value, (list, tuple)):
            options = []
            for option in value:
                if isinstance(option, dict):
                    cleaned = {"text": clean_text(option.get("text")), "correct": _truthy(option.get("correct"))}
                    why = clean_text(option.get("why"))
                    if why:
                        cleaned["why"] = why
                    if option.get("credit") is not None:
                        credit = parse_number(option["credit"])
                        cleaned["credit"] = credit if credit is not None else option["credit"]
                    options.append(cleaned)
                else:
                    options.append({"text": clean_text(option), "correct": False})
            value = options
        elif key in ("sequence", "answers", "distractors") and isinstance(value, (list, tuple)):
            value = [clean_text(v) for v in value if clean_text(v)]
        elif key == "partial_answers" and isinstance(value, (list, tuple)):
            value = [
                {
                    "text": clean_text(a.get("text")),
                    "credit": parse_number(a.get("credit"))
                    if parse_number(a.get("credit")) is not None
                    else a.get("credit"),
                }
                if isinstance(a, dict)
                else a
                for a in value
            ]
        elif key == "partial_numbers" and isinstance(value, (list, tuple)):
            value = [
                {
                    k: (parse_number(a.get(k)) if parse_number(a.get(k)) is not None else a.get(k))
                    for k in ("answer", "tolerance", "credit")
                }
                if isinstance(a, dict)
                else a
                for a in value
            ]
        elif key == "units" and isinstance(value, (list, tuple)):
            value = [
                {
                    "unit": clean_text(u.get("unit")),
                    "multiplier": parse_number(u.get("multiplier"))
                    if parse_number(u.get("multiplier")) is not None
                    else u.get("multiplier"),
                }
                if isinstance(u, dict)
                else u
                for u in value
            ]
        elif key == "case_sensitive":
            value = True if _truthy(value) else None
        elif key == "pairs" and isinstance(value, (list, tuple)):
            value = [
                {"left": clean_text(p.get("left")), "right": clean_text(p.get("right"))} if isinstance(p, dict) else p
                for p in value
            ]
        elif key in ("answer", "tolerance"):
            parsed = parse_number(value)
            value = parsed if parsed is not None else value
        elif isinstance(value, str):
            value = clean_text(value)
        if value is None or value == "" or value == [] or value == {}:
            continue
        out[key] = value
    if out.get("type") == "numeric" and "tolerance" not in out:
        out["tolerance"] = 0
    return out


def option_credits(single: bool, fractions: list[float], correct: list[bool]) -> list[float | None]:
    """Moodle answer fractions (percent) of a choice question → our option credits (None: no partial credit).

    Single choice: a wrong option worth part of the point keeps that share. Multiple response: the weights are kept
    unless they are exactly the ones we write for all-or-nothing (right options share 100 %, wrong ones −100 % /
    number of wrong ones), so our own exports read back unchanged."""
    if single:
        return [round(f / 100, 6) if not right and 0 < f < 99.99 else None for f, right in zip(fractions, correct)]
    n_right = sum(1 for right in correct if right) or 1
    n_wrong = sum(1 for right in correct if not right) or 1
    defaults = [100 / n_right if right else -100 / n_wrong for right in correct]
    if all(abs(f - d) < 0.01 for f, d in zip(fractions, defaults)):
        return [None] * len(fractions)
    return [round(max(-100.0, min(100.0, f)) / 100, 6) for f in fractions]


def set_option_credits(options: list[dict], *, single: bool, fractions: list[float], note) -> None:
    """Give each option read from Moodle (GIFT or XML) its partial credit (:func:`option_credits`) and, when one has
    some, `note` that only standards scoring partial credit count it."""
    for option, credit in zip(options, option_credits(single, fractions, [o["correct"] for o in options])):
        if credit is not None:
            option["credit"] = credit
    if any("credit" in o for o in options):
        note(
            "câu có điểm từng phần (như trong Moodle); chỉ được tính một phần điểm ở chuẩn chọn «chấm điểm "
            "từng phần», các chuẩn khác chấm đúng hết hoặc không"
        )


def option_fractions(kind: str, options: list[dict]) -> list[float]:
    """Our options → Moodle answer fractions (percent), the inverse of :func:`option_credits`."""
    if kind == "multiple_response" and any(o.get("credit") is not None for o in options):
        return [100.0 * float(o.get("credit") or 0) for o in options]
    if kind == "multiple_response":
        n_right = sum(1 for o in options if o["correct"]) or 1
        n_wrong = sum(1 for o in options if not o["correct"]) or 1
        return [100.0 / n_right if o["correct"] else -100.0 / n_wrong for o in options]
    return [100.0 if o["correct"] else 100.0 * float(o.get("credit") or 0) for o in options]


def type_list() -> str:
    return ", ".join(ITEM_TYPES)


def validate_item(item: dict, location: str = "") -> list[Problem]:
    """The rules of ``content/README.md`` for one item; an empty list when the item can be used.

    Works on a normalised copy (NFC text, see :func:`normalize_item`) and does not change ``item``. On import a
    choice item needs only two options (authored items have at least four). Missing ``id``, ``framework`` and
    ``competence`` are not problems here: a bank from elsewhere has none and the importer assigns them.
    """
    problems: list[Problem] = []

    def add(message: str) -> None:
        problems.append(Problem(location, message))

    if not isinstance(item, dict):
        return [Problem(location, "không phải là một câu hỏi (cần một bảng khóa: giá trị)")]
    item = normalize_item(item)
    kind = item.get("type", "")
    if not kind:
        add(f"thiếu loại câu hỏi; dùng một trong: {type_list()}")
    elif kind not in ITEM_TYPES:
        add(f"loại '{kind}' chưa được hỗ trợ; dùng một trong: {type_list()}")
    if not item.get("stem"):
        add("thiếu nội dung câu hỏi")
    if "level" in item:
        level = item["level"]
        if not (isinstance(level, int) and not isinstance(level, bool) and 1 <= level <= 8):
            add(f"mức '{level}' không hợp lệ; mức phải là số nguyên từ 1 đến 8")
    if "groups" in item and not (isinstance(item["groups"], list) and all(isinstance(g, str) for g in item["groups"])):
        add("nhóm đối tượng phải là danh sách mã nhóm")

    options = item.get("options") or []
    if kind in ("single_choice", "multiple_response", "true_false"):
        if not isinstance(options, list) or not all(isinstance(o, dict) for o in options):
            add("phương án phải là danh sách {text, correct}")
            return problems
        if any(not o["text"] for o in options):
            add("có phương án để trống")
        correct = sum(1 for o in options if o["correct"])
        for option in options:
            if "credit" not in option:
                continue
            credit = option["credit"]
            if not is_number(credit) or not -1 <= credit <= 1:
                add(f"điểm từng phần '{credit}' không hợp lệ; phải là số từ -1 đến 1")
            elif kind == "single_choice" and (
                credit < 0 or (option["correct"] and credit != 1) or (not option["correct"] and credit >= 1)
            ):
                add("câu một lựa chọn: đáp án đúng được trọn điểm (1), phương án khác từ 0 đến dưới 1")
            elif kind == "multiple_response" and option["correct"] != (credit > 0):
                add("câu nhiều lựa chọn: phương án đúng có điểm dương, phương án sai điểm âm hoặc 0")
            elif kind == "true_false":
                add("câu Đúng/Sai không có điểm từng phần")
        if kind == "true_false":
            texts = sorted(o["text"] for o in options)
            if len(options) != 2 or texts != sorted([TRUE_TEXT, FALSE_TEXT]):
                add(f"câu Đúng/Sai phải có đúng hai phương án «{TRUE_TEXT}» và «{FALSE_TEXT}»")
            elif correct != 1:
                add("thiếu đáp án đúng" if correct == 0 else "câu Đúng/Sai chỉ được có một đáp án đúng")
        else:
            if len(options) < 2:
                add(f"cần ít nhất 2 phương án (hiện có {len(options)})")
            if correct == 0:
                add("thiếu đáp án đúng")
            elif kind == "single_choice" and correct > 1:
                add(f"câu một lựa chọn chỉ được có một đáp án đúng (hiện có {correct})")
    elif kind == "ordering":
        sequence = item.get("sequence") or []
        if not isinstance(sequence, list) or len(sequence) < 2:
            add("câu sắp xếp cần ít nhất 2 bước")
    elif kind == "matching":
        pairs = item.get("pairs") or []
        if not isinstance(pairs, list) or len(pairs) < 2:
            add("câu ghép cặp cần ít nhất 2 cặp")
        elif any(not isinstance(p, dict) or not p.get("left") or not p.get("right") for p in pairs):
            add("có cặp ghép thiếu vế trái hoặc vế phải")
        if not isinstance(item.get("distractors", []), list):
            add("vế phải thừa (phương án nhiễu) phải là danh sách")
    elif kind == "short_text":
        if not item.get("answers"):
            add("thiếu đáp án đúng (câu trả lời ngắn cần ít nhất một đáp án được chấp nhận)")
        partial = item.get("partial_answers") or []
        if not isinstance(partial, list) or any(
            not isinstance(a, dict) or not a.get("text") or not is_number(a.get("credit")) or not 0 < a["credit"] < 1
            for a in partial
        ):
            add("đáp án được một phần điểm cần có nội dung và điểm lớn hơn 0, nhỏ hơn 1")
    elif kind == "numeric":
        if "answer" not in item:
            add("thiếu đáp số")
        elif not is_number(item["answer"]):
            add(f"đáp số '{item['answer']}' không phải là một số")
        tolerance = item.get("tolerance", 0)
        if not is_number(tolerance) or tolerance < 0:
            add(f"sai số '{tolerance}' không hợp lệ; sai số phải là số không âm")
        partial = item.get("partial_numbers") or []
        if not isinstance(partial, list) or any(
            not isinstance(p, dict)
            or not is_number(p.get("answer"))
            or not is_number(p.get("tolerance"))
            or p["tolerance"] < 0
            or not is_number(p.get("credit"))
            or not 0 < p["credit"] < 1
            for p in partial
        ):
            add("đáp số được một phần điểm cần có số, sai số không âm và điểm lớn hơn 0, nhỏ hơn 1")
        units = item.get("units") or []
        if not isinstance(units, list) or any(
            not isinstance(u, dict)
            or not u.get("unit")
            or re.search(r"[\d\s]", u["unit"])
            or not is_number(u.get("multiplier"))
            or u["multiplier"] <= 0
            for u in units
        ):
            add("đơn vị cần có tên (không chứa chữ số, khoảng trắng) và hệ số dương")
    return problems


def finish(candidates: list[tuple[dict, str]], problems: list[Problem]) -> list[dict]:
    """Normalise and validate what a reader built; keep the good items, note duplicate ids.

    ``problems`` is extended and then put in file order (by the first number in each location), so that the
    reader's own notes and the validation problems of a row or question come together.
    """
    items: list[dict] = []
    seen: dict[str, str] = {}
    for raw, location in candidates:
        item = normalize_item(raw)
        found = validate_item(item, location)
        if found and any(key in item for key in ("level", "groups")):
            # a bad level or group tag is metadata, not the question: keep the question, drop the tag, say so
            bare = {key: value for key, value in item.items() if key not in ("level", "groups")}
            if not validate_item(bare, location):
                bare["notes"] = [*item.get("notes", []), *(f"{p.message}; đã bỏ thẻ này, hãy gắn lại" for p in found)]
                item, found = bare, []
        if found:
            problems.extend(found)
            continue
        item_id = item.get("id")
        if item_id:
            if item_id in seen:
                item = {key: value for key, value in item.items() if key != "id"}
                item["notes"] = [
                    *item.get("notes", []),
                    f"mã câu hỏi '{shorten(item_id, 64)}' trùng với {seen[item_id]}; câu này được cấp mã mới",
                ]
            else:
                seen[item_id] = location
        items.append(item)
    problems.sort(key=_place)
    return items


def _place(problem: Problem) -> int:
    match = re.search(r"\d+", problem.location)
    return int(match.group()) if match else 0
