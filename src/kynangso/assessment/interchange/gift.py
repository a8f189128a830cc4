"""GIFT (https://docs.moodle.org/en/GIFT_format): the plain-text question format of Moodle.

Each item is written as a metadata comment and one question, separated from the next by a blank line::

    // kns: id=KNS-4.2-001 framework=TT02-2025 competence=4.2 level=2 groups=resident,official
    ::KNS-4.2-001::Câu hỏi … {
    =đáp án đúng
    ~đáp án sai#vì sao sai
    ####Giải thích
    }

single_choice ``{=… ~…}``; multiple_response ``{~%50%… ~%-100%…}``; true_false ``{T#…#…}``/``{F…}``; matching
``{=trái -> phải …}``; short_text ``{=a =b}``; numeric ``{#25:0.5}``; explanation after ``####``. The characters
``~ = # { } :`` and the backslash are escaped with a backslash, line breaks are written as ``\\n``. The source note
and the image go in extra comment lines (``// kns-source: …``, ``// kns-image: …``). GIFT has no ordering
question: :func:`write_gift` leaves ordering items out and returns their ids.
"""

from __future__ import annotations

import re

from .moodle_html import html_to_text
from .validation import (
    FALSE_TEXT,
    TRUE_TEXT,
    Problem,
    clean_text,
    finish,
    format_number,
    item_location,
    normalize_item,
    option_fractions,
    parse_number,
    set_option_credits,
    shorten,
)

_SPECIAL = "~=#{}:"
# placeholders for escaped characters while parsing (Unicode private use area)
_PLACEHOLDERS = {
    "\\": "\ue000",
    "~": "\ue001",
    "=": "\ue002",
    "#": "\ue003",
    "{": "\ue004",
    "}": "\ue005",
    ":": "\ue006",
}
_RESTORE = {v: k for k, v in _PLACEHOLDERS.items()}

# --------------------------------------------------------------------------------------------------- writing


def escape(text: str) -> str:
    text = (text or "").replace("\\", "\\\\")
    for char in _SPECIAL:
        text = text.replace(char, "\\" + char)
    return text.replace("\n", "\\n")


def _comment_value(text: str) -> str:
    return (text or "").replace("\\", "\\\\").replace("\n", "\\n")


def _weight(value: float) -> str:
    return f"{value:.5f}".rstrip("0").rstrip(".")


def _with_feedback(text: str, why: str | None) -> str:
    return escape(text) + (f"#{escape(why)}" if why else "")


def write_gift(items: list[dict]) -> tuple[str, list[str]]:
    """(GIFT text, ids of the items left out). Ordering items have no GIFT form and are left out.

    Items are expected to be valid (see ``validate_item``); an unknown type raises ``ValueError``.
    """
    blocks: list[str] = []
    skipped: list[str] = []
    for raw in items:
        item = normalize_item(raw)
        kind = item.get("type")
        if kind == "ordering":
            skipped.append(item.get("id", ""))
            continue
        lines = []
        meta = []
        for key in ("id", "framework", "competence", "level"):
            if item.get(key) not in (None, ""):
                meta.append(f"{key}={item[key]}")
        if item.get("groups"):
            meta.append("groups=" + ",".join(item["groups"]))
        if item.get("use"):
            meta.append(f"use={item['use']}")
        if meta:
            lines.append("// kns: " + " ".join(meta))
        if item.get("source_note"):
            lines.append("// kns-source: " + _comment_value(item["source_note"]))
        if item.get("image"):
            lines.append("// kns-image: " + _comment_value(item["image"]))
        title = f"::{escape(item['id'])}::" if item.get("id") else ""
        answer_lines: list[str] = []
        if kind in ("single_choice", "multiple_response"):
            options = item.get("options", [])
            if kind == "single_choice":
                for option in options:
                    marker = "=" if option["correct"] else "~"
                    if not option["correct"] and option.get("credit"):
                        marker += f"%{_weight(100 * option['credit'])}%"
                    answer_lines.append(marker + _with_feedback(option["text"], option.get("why")))
            else:
                for option, weight in zip(options, option_fractions(kind, options)):
                    answer_lines.append(f"~%{_weight(weight)}%" + _with_feedback(option["text"], option.get("why")))
        elif kind == "true_false":
            by_text = {o["text"]: o for o in item.get("options", [])}
            true_correct = by_text.get(TRUE_TEXT, {}).get("correct", False)
            right = by_text.get(TRUE_TEXT if true_correct else FALSE_TEXT, {})
            wrong = by_text.get(FALSE_TEXT if true_correct else TRUE_TEXT, {})
            answer = "T" if true_correct else "F"
            if wrong.get("why") or right.get("why"):
                answer += "#" + escape(wrong.get("why", ""))
                if right.get("why"):
                    answer += "#" + escape(right["why"])
            answer_lines.append(answer)
        elif kind == "matching":
            for pair in item.get("pairs", []):
                answer_lines.append(f"={escape(pair['left'])} -> {escape(pair['right'])}")
            for distractor in item.get("distractors", []):
                answer_lines.append(f"= -> {escape(distractor)}")
        elif kind == "short_text":
            for accepted in item.get("answers", []):
                answer_lines.append("=" + escape(accepted))
            for partial in item.get("partial_answers", []):
                answer_lines.append(f"=%{_weight(100 * partial['credit'])}%" + escape(partial["text"]))
        elif kind == "numeric":
            if item.get("partial_numbers"):
                answer_lines.append(f"#={format_number(item.get('answer'))}:{format_number(item.get('tolerance', 0))}")
                for partial in item["partial_numbers"]:
                    answer_lines.append(
                        f"=%{_weight(100 * partial['credit'])}%{format_number(partial['answer'])}:"
                        f"{format_number(partial['tolerance'])}"
                    )
            else:
                answer_lines.append(f"#{format_number(item.get('answer'))}:{format_number(item.get('tolerance', 0))}")
            # GIFT has no units: they are not written (see docs/item-formats.md)
        else:
            raise ValueError(f"Câu hỏi {item.get('id') or ''}: loại '{kind}' không ghi được ra GIFT")
        if item.get("explanation"):
            answer_lines.append("####" + escape(item["explanation"]))
        lines.append(f"{title}{escape(item.get('stem', ''))} {{")
        lines.extend(answer_lines)
        lines.append("}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + ("\n" if blocks else ""), skipped


# --------------------------------------------------------------------------------------------------- reading


def _protect(text: str) -> str:
    """Escaped characters → placeholders, so that the structure can be parsed with plain string operations."""

    def replace(match: re.Match) -> str:
        char = match.group(1)
        if char == "n":
            return "\n"
        return _PLACEHOLDERS.get(char, match.group(0))

    return re.sub(r"\\([\\~=#{}:n])", replace, text)


def _restore(text: str, html: bool = False) -> str:
    for placeholder, char in _RESTORE.items():
        text = text.replace(placeholder, char)
    if html:
        return html_to_text(text)[0]
    return clean_text(text)


def _restore_raw(text: str) -> str:
    for placeholder, char in _RESTORE.items():
        text = text.replace(placeholder, char)
    return text


def _unescape_comment(text: str) -> str:
    return re.sub(r"\\([\\n])", lambda m: "\n" if m.group(1) == "n" else "\\", text)


def _split_blocks(text: str) -> list[tuple[int, list[str], list[str]]]:
    """(first line number, comment lines, question lines) of each question; blank lines separate questions."""
    blocks = []
    comments: list[str] = []
    lines: list[str] = []
    start = 0
    for number, line in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1):
        stripped = line.strip()
        if not stripped:
            if lines:
                blocks.append((start, comments, lines))
                comments, lines = [], []
            continue
        if stripped.startswith("//"):
            if not lines:
                comments.append(stripped[2:].strip())
            continue
        if not lines:
            start = number
        lines.append(line)
    if lines:
        blocks.append((start, comments, lines))
    return blocks


def _split_feedback(text: str) -> tuple[str, str | None]:
    before, sep, after = text.partition("#")
    return before, (after if sep else None)


def read_gift(text: str) -> tuple[list[dict], list[Problem]]:
    """Items and problems from a GIFT text. Never raises on bad content."""
    problems: list[Problem] = []
    candidates: list[tuple[dict, str]] = []
    if isinstance(text, bytes):
        text = text.decode("utf-8-sig", errors="replace")
    text = (text or "").lstrip("\ufeff")
    number = 0
    category = ""
    for line_number, comments, lines in _split_blocks(text):
        body = "\n".join(lines).strip()
        if body.startswith("$CATEGORY:") and len(lines) == 1:
            category = clean_text(body[len("$CATEGORY:") :])
            continue
        number += 1
        try:
            candidate = _read_question(body, comments, number, line_number, problems, category)
        except Exception:  # noqa: BLE001 - one odd question must not stop the file
            problems.append(
                Problem(
                    f"Câu hỏi {number} (dòng {line_number})", "không đọc được câu hỏi: nội dung không đúng cú pháp GIFT"
                )
            )
            continue
        if candidate is not None:
            candidates.append(candidate)
    return finish(candidates, problems), problems


_MOODLE_META = re.compile(r"\[(id|tag):([^\]]*)\]")


def _moodle_meta(comment: str, meta: dict) -> None:
    """Moodle's own comment lines: ``// [id:ABC-1]`` (the ID number) and ``// [tag:kns-competence:4.2]``."""
    groups = []
    for kind, value in _MOODLE_META.findall(comment):
        value = value.strip()
        if kind == "id" and value:
            meta.setdefault("moodle_id", value)
        elif kind == "tag" and value.lower().startswith("kns-") and ":" in value:
            key, _, tag_value = value[4:].partition(":")
            key, tag_value = key.strip().lower(), tag_value.strip()
            if key == "group":
                groups.append(tag_value)
            elif key == "level":
                parsed = parse_number(tag_value)
                meta.setdefault("level", parsed if parsed is not None else tag_value)
            elif key in ("id", "framework", "competence", "use"):
                meta.setdefault(key, tag_value)
    if groups:
        meta.setdefault("groups", groups)


def _read_question(
    body: str, comments: list[str], number: int, line_number: int, problems: list[Problem], category: str = ""
):
    meta: dict = {}
    for comment in comments:
        if comment.startswith("[") or "[id:" in comment or "[tag:" in comment:
            _moodle_meta(comment, meta)
        if comment.startswith("kns-source:"):
            meta["source_note"] = _unescape_comment(comment[len("kns-source:") :].strip())
        elif comment.startswith("kns-image:"):
            meta["image"] = _unescape_comment(comment[len("kns-image:") :].strip())
        elif comment.startswith("kns:"):
            for token in comment[4:].split():
                key, _, value = token.partition("=")
                if key == "groups":
                    meta["groups"] = [g for g in value.split(",") if g]
                elif key == "level":
                    number_value = parse_number(value)
                    meta["level"] = number_value if number_value is not None else value
                elif key in ("id", "framework", "competence", "use"):
                    meta[key] = value

    work = _protect(body)
    title = ""
    if work.startswith("::"):
        end = work.find("::", 2)
        if end != -1:
            title = work[2:end]
            work = work[end + 2 :]
    base_location = f"Câu hỏi {number} (dòng {line_number})"
    open_at = work.find("{")
    close_at = work.rfind("}")
    if open_at == -1 or close_at < open_at:
        problems.append(
            Problem(
                item_location(base_location, _restore(work)),
                "thiếu phần đáp án trong ngoặc nhọn { … }; đã bỏ qua (câu mô tả không được nhập)",
            )
        )
        return None
    before, answer_text, after = work[:open_at], work[open_at + 1 : close_at], work[close_at + 1 :]
    html = False
    format_match = re.match(r"\s*\[(html|moodle|plain|markdown)\]", before)
    if format_match:
        html = format_match.group(1) == "html"
        before = before[format_match.end() :]
    stem = _restore(before, html)
    if after.strip():
        stem = f"{stem} _____ {_restore(after, html)}".strip()
    location = item_location(base_location, stem)
    notes: list[str] = []

    def note(message: str) -> None:  # something lost: the item still comes in, as a draft carrying the note
        notes.append(message)

    item: dict = {}
    for key in ("id", "framework", "competence", "level", "groups"):
        if key in meta:
            item[key] = meta[key]
    if "id" not in item and meta.get("moodle_id"):
        item["id"] = meta["moodle_id"]
    if "id" not in item and re.fullmatch(r"KNS-[\w.\-]+", _restore(title)):
        item["id"] = _restore(title)
    item["stem"] = stem
    if "competence" not in item and category:
        item["category"] = category
    if html:
        for source in html_to_text(_restore_raw(before))[2]:
            note(
                f"ảnh trong câu hỏi ({shorten(source, 50)}) chưa được nhập (GIFT không chứa tệp ảnh); "
                "hãy đưa ảnh lên và gắn lại"
            )

    general = None
    if "####" in answer_text:
        answer_text, general = answer_text.split("####", 1)
    answer_text = answer_text.strip()

    if answer_text.startswith(">"):
        # Moodle's ordering plugin writes its own GIFT extension; GIFT itself has no ordering question. Never guess.
        problems.append(
            Problem(
                location,
                "câu sắp xếp (qtype_ordering) không có dạng GIFT chuẩn nên không được "
                "nhập; hãy xuất câu này từ Moodle ở định dạng Moodle XML",
            )
        )
        return None
    if not answer_text:
        problems.append(
            Problem(
                location,
                "loại 'essay' (tự luận) chưa được hỗ trợ; dùng một trong: trắc nghiệm, đúng/sai, ghép cặp, "
                "trả lời ngắn, số",
            )
        )
        return None
    if answer_text.startswith("#"):
        item["type"] = "numeric"
        spec = answer_text[1:].strip()

        def number_spec(text: str) -> tuple:
            text = _restore(_split_feedback(text)[0].strip())
            if ".." in text:
                low, _, high = text.partition("..")
                low_n, high_n = parse_number(low), parse_number(high)
                if low_n is not None and high_n is not None:
                    return (low_n + high_n) / 2, abs(high_n - low_n) / 2
                return text, 0
            value, _, tolerance = text.partition(":")
            parsed = parse_number(value)
            parsed_tolerance = parse_number(tolerance) if tolerance.strip() else 0
            return (
                parsed if parsed is not None else value.strip(),
                abs(parsed_tolerance) if parsed_tolerance is not None else tolerance.strip(),
            )

        if spec.startswith("="):
            full, partial = [], []
            for choice in (c.strip() for c in re.split(r"(?=[=~])", spec) if c.strip()):
                weight_match = re.match(r"=%(-?\d+(?:[.,]\d+)?)%", choice)
                weight = (
                    float(weight_match.group(1).replace(",", "."))
                    if weight_match
                    else (100.0 if choice.startswith("=") else 0.0)
                )
                body_text = choice[weight_match.end() :] if weight_match else choice[1:]
                if weight >= 99.99:
                    full.append(body_text)
                elif weight > 0:
                    number_value, tolerance = number_spec(body_text)
                    partial.append({"answer": number_value, "tolerance": tolerance, "credit": round(weight / 100, 6)})
            if len(full) > 1:
                note(
                    f"chỉ giữ đáp số đúng đầu tiên; {len(full) - 1} đáp số đúng khác bị bỏ, hãy gộp vào sai số nếu cần"
                )
            if partial:
                item["partial_numbers"] = partial
            spec = full[0] if full else ""
        item["answer"], item["tolerance"] = number_spec(spec)
    elif "~" in answer_text:
        chunks = [c for c in re.split(r"(?=[=~])", answer_text) if c.strip()]
        single = any(c.startswith("=") for c in chunks)
        item["type"] = "single_choice" if single else "multiple_response"
        options = []
        fractions: list[float] = []
        for chunk in chunks:
            marker, rest = chunk[0], chunk[1:]
            weight = None
            weight_match = re.match(r"\s*%(-?\d+(?:[.,]\d+)?)%", rest)
            if weight_match:
                weight = float(weight_match.group(1).replace(",", "."))
                rest = rest[weight_match.end() :]
            text_part, why = _split_feedback(rest)
            if marker == "=":
                correct, weight = True, 100.0
            elif weight is None:
                correct, weight = False, 0.0
            elif single:
                correct = weight >= 99.99
            else:
                correct = weight > 0
            fractions.append(weight)
            option = {"text": _restore(text_part, html), "correct": correct}
            if why and _restore(why, html):
                option["why"] = _restore(why, html)
            options.append(option)
        set_option_credits(options, single=single, fractions=fractions, note=note)
        item["options"] = options
    elif "=" in answer_text and "->" in answer_text:
        item["type"] = "matching"
        pairs, distractors = [], []
        for chunk in re.split(r"(?==)", answer_text):
            chunk = chunk.strip()
            if not chunk:
                continue
            left, arrow, right = chunk[1:].partition("->")
            if not arrow:
                note(f"cặp ghép «{_restore(chunk[1:])}» thiếu dấu '->'")
                continue
            if not _restore(left, html):
                if _restore(right):
                    distractors.append(_restore(right))
                continue
            pairs.append({"left": _restore(left, html), "right": _restore(right)})
        if distractors:
            item["distractors"] = distractors
        item["pairs"] = pairs
    elif re.fullmatch(r"(T|TRUE|F|FALSE)(#.*)?", answer_text, flags=re.S | re.I):
        item["type"] = "true_false"
        letter, _, feedback = answer_text.partition("#")
        is_true = letter.upper() in ("T", "TRUE")
        wrong_why, _, right_why = feedback.partition("#")
        right = {"text": TRUE_TEXT if is_true else FALSE_TEXT, "correct": True}
        wrong = {"text": FALSE_TEXT if is_true else TRUE_TEXT, "correct": False}
        if _restore(wrong_why):
            wrong["why"] = _restore(wrong_why, html)
        if _restore(right_why):
            right["why"] = _restore(right_why, html)
        item["options"] = [right, wrong] if is_true else [wrong, right]
    else:
        item["type"] = "short_text"
        accepted, partial_answers = [], []
        for chunk in re.split(r"(?==)", answer_text):
            chunk = chunk.strip()
            if not chunk:
                continue
            if chunk.startswith("="):
                chunk = chunk[1:]
            weight_match = re.match(r"\s*%(-?\d+(?:[.,]\d+)?)%", chunk)
            weight = 100.0
            if weight_match:
                weight = float(weight_match.group(1).replace(",", "."))
                chunk = chunk[weight_match.end() :]
            value = _restore(_split_feedback(chunk)[0])
            if not value or weight <= 0:
                continue  # Moodle's «anything else» (=%0%*) earns nothing: nothing to keep
            if weight >= 99.99:
                accepted.append(value)
            else:
                partial_answers.append({"text": value, "credit": round(weight / 100, 6)})
        item["answers"] = accepted
        if partial_answers:
            item["partial_answers"] = partial_answers
    if general is not None and _restore(general, html):
        item["explanation"] = _restore(general, html)
    for key in ("source_note", "image", "use"):
        if key in meta:
            item[key] = meta[key]
    if notes:
        item["notes"] = notes
    return item, location
