"""Reading Moodle XML exports (see `moodle_xml` for the mapping): safe parsing (no DTD or entities), each
supported question type back to an item, and a Vietnamese problem for each question or field that cannot be taken.
"""

from __future__ import annotations

import base64
import binascii
import re
import urllib.parse
import xml.etree.ElementTree as ET

from .moodle_html import MAX_IMAGE_BYTES, html_to_text, image_type
from .moodle_xml import SUPPORTED_QTYPES, TAG_PREFIX
from .validation import (
    FALSE_TEXT,
    TRUE_TEXT,
    Problem,
    clean_text,
    finish,
    item_location,
    parse_number,
    set_option_credits,
    shorten,
)

# --------------------------------------------------------------------------------------------------- reading


def _is_unsafe(data: bytes) -> bool:
    """A DTD or entity declaration anywhere (also in UTF-16/32, whose ASCII has zero bytes between)."""
    probe = data.replace(b"\x00", b"").lower()
    return b"<!doctype" in probe or b"<!entity" in probe


def _field(element, path: str) -> tuple[str, str]:
    """(raw text, format) of a ``<tag format=…><text>…</text></tag>`` field."""
    found = element.find(path)
    if found is None:
        return "", ""
    text_element = found.find("text")
    raw = text_element.text if text_element is not None and text_element.text else ""
    if text_element is None and found.text and found.text.strip():
        raw = found.text
    return raw, found.get("format", "")


def _plain(raw: str, fmt: str) -> tuple[str, str, list[str]]:
    """Plain text of a Moodle text in any format (HTML is stripped, also in auto-format texts that contain it)."""
    if fmt == "html" or (fmt in ("", "moodle_auto_format") and re.search(r"<[a-zA-Z/!]", raw or "")):
        return html_to_text(raw)
    return clean_text(raw), "", []


def _fraction_of(answer) -> float:
    value = parse_number(answer.get("fraction", "0") or "0")
    return float(value) if value is not None else 0.0


def _read_tags(question) -> dict:
    found: dict = {}
    groups = []
    for tag in question.findall("tags/tag"):
        text_element = tag.find("text")
        text = clean_text(text_element.text if text_element is not None else tag.text)
        if not text.lower().startswith(TAG_PREFIX) or ":" not in text:
            continue
        key, _, value = text[len(TAG_PREFIX) :].partition(":")
        key, value = key.strip().lower(), value.strip()
        if key == "group":
            groups.append(value)
        elif key == "level":
            number = parse_number(value)
            found["level"] = number if number is not None else value
        elif key in ("id", "framework", "competence", "use"):
            found[key] = value
    if groups:
        found["groups"] = groups
    return found


def read_moodle_xml(data: bytes) -> tuple[list[dict], list[Problem]]:
    """Items and problems from a Moodle XML question file. Never raises on bad content.

    Files with a DOCTYPE or entity declarations are refused as a whole. Questions of types kynangso has no
    counterpart for (essay, description, cloze, calculated, drag-and-drop…) are reported and left out.
    """
    problems: list[Problem] = []
    if isinstance(data, str):
        data = data.encode("utf-8")
    if _is_unsafe(data or b""):
        return [], [
            Problem("Tệp", "tệp XML có khai báo DOCTYPE/ENTITY nên bị từ chối vì lý do an toàn; hãy xuất lại từ Moodle")
        ]
    try:
        root = ET.fromstring(data)
    except ET.ParseError as error:  # its own text is English; the place is what helps
        line, column = getattr(error, "position", (0, 0))
        return [], [Problem("Tệp", f"không đọc được XML: lỗi cú pháp ở dòng {line}, cột {column + 1}")]
    except Exception:  # noqa: BLE001 - anything else a broken file may cause
        return [], [Problem("Tệp", "không đọc được XML: tệp bị hỏng hoặc không phải tệp XML")]
    if root.tag != "quiz":
        return [], [Problem("Tệp", f"không phải tệp câu hỏi Moodle XML (thẻ gốc là <{root.tag}>, cần <quiz>)")]

    candidates: list[tuple[dict, str]] = []
    number = 0
    category = ""
    for question in root.findall("question"):
        qtype = (question.get("type") or "").strip()
        if qtype == "category":
            category = clean_text(question.findtext("category/text") or question.findtext("category") or "")
            continue
        question.set("kns-category", category)
        number += 1
        try:
            candidate = _read_question(question, qtype, number, problems)
        except Exception:  # noqa: BLE001 - one odd question must not stop the file
            problems.append(
                Problem(f"Câu hỏi {number}", "không đọc được câu hỏi: nội dung không đúng cấu trúc Moodle XML")
            )
            continue
        if candidate is not None:
            candidates.append(candidate)
    items = finish(candidates, problems)
    return items, problems


_UNSUPPORTED_NAMES = {
    "essay": "tự luận",
    "description": "mô tả (không phải câu hỏi)",
    "multianswer": "cloze (nhiều chỗ trống)",
    "calculated": "tính toán",
    "calculatedsimple": "tính toán đơn giản",
    "calculatedmulti": "tính toán nhiều lựa chọn",
    "gapselect": "chọn từ điền vào chỗ trống",
    "ddwtos": "kéo thả từ vào chỗ trống",
    "ddimageortext": "kéo thả lên ảnh",
    "ddmarker": "kéo thả điểm đánh dấu",
    "randomsamatch": "ghép cặp ngẫu nhiên",
    "random": "câu ngẫu nhiên",
}


def _unsupported(qtype: str) -> str:
    """Why a question of a type we cannot hold is left out, naming the Moodle type (never echoing odd text)."""
    safe = re.sub(r"[^A-Za-z0-9_-]", "", qtype)[:40] or "?"
    label = _UNSUPPORTED_NAMES.get(safe)
    named = f"loại '{safe}' ({label})" if label else f"loại '{safe}'"
    return f"{named} chưa được hỗ trợ nên không được nhập; kynangso nhận: {', '.join(SUPPORTED_QTYPES)}"


def _category_path(question) -> str:
    return clean_text(question.get("kns-category") or "")


def _embedded_image(text_field, source: str) -> tuple[str, str]:
    """(data: URI, "") of the ``@@PLUGINFILE@@/name`` file embedded in a Moodle text, or ("", why not)."""
    name = urllib.parse.unquote(source[len("@@PLUGINFILE@@") :].lstrip("/")).split("?")[0]
    label = shorten(name, 40) or "?"
    files = [] if text_field is None else text_field.findall("file")
    found = next((f for f in files if (f.get("name") or "") == name.rsplit("/", 1)[-1]), None)
    if found is None:
        return "", f"ảnh {label} không có trong tệp (thiếu phần <file>); hãy đưa ảnh lên và gắn lại"
    try:
        data = base64.b64decode("".join((found.text or "").split()), validate=True)
    except (binascii.Error, ValueError):
        return "", f"ảnh {label} trong tệp bị hỏng; hãy đưa ảnh lên và gắn lại"
    mime = image_type(data)
    if not mime:
        return "", f"ảnh {label} không phải ảnh PNG, JPEG, GIF hay WebP nên không được nhập"
    if len(data) > MAX_IMAGE_BYTES:
        return "", f"ảnh {label} lớn hơn {MAX_IMAGE_BYTES // 1024} KB nên không được nhập; hãy thu nhỏ ảnh rồi gắn lại"
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}", ""


def _read_question(question, qtype: str, number: int, problems: list[Problem]):
    raw_stem, stem_format = _field(question, "questiontext")
    stem, _, images = _plain(raw_stem, stem_format)
    name, _ = _field(question, "name")
    location = item_location(f"Câu hỏi {number}", stem or clean_text(name))
    notes: list[str] = []

    def note(message: str) -> None:  # something lost: the item still comes in, as a draft carrying the note
        notes.append(message)

    if qtype not in SUPPORTED_QTYPES:
        problems.append(Problem(location, _unsupported(qtype)))
        return None

    item: dict = {}
    category = _category_path(question)
    tags = _read_tags(question)
    idnumber = clean_text(question.findtext("idnumber") or "")
    item_id = tags.get("id") or idnumber
    if item_id:
        item["id"] = item_id
    for key in ("framework", "competence", "level", "groups"):
        if key in tags:
            item[key] = tags[key]
    item["stem"] = stem
    for source in images:
        if "image" in item:
            note(f"câu hỏi chỉ giữ một ảnh; ảnh {shorten(source, 50)} không được nhập")
        elif source.startswith("@@PLUGINFILE@@"):
            embedded, problem = _embedded_image(question.find("questiontext"), source)
            if embedded:
                item["image"] = embedded
            else:
                note(problem)
        elif re.match(r"^(https?://|/(?!/))", source, flags=re.I):  # shown autoescaped; no other scheme
            item["image"] = source
        else:
            note(
                f"ảnh {shorten(source, 50)} không phải ảnh đính kèm hay đường dẫn http(s) nên không được nhập; "
                "hãy đưa ảnh lên và gắn lại"
            )
    raw_general, general_format = _field(question, "generalfeedback")
    explanation, source_note, _ = _plain(raw_general, general_format)
    if explanation:
        item["explanation"] = explanation
    if source_note:
        item["source_note"] = source_note
    if "use" in tags:
        item["use"] = tags["use"]

    answers = question.findall("answer")

    def answer_text(answer) -> str:
        raw, fmt = _field(answer, ".")
        return _plain(raw, fmt or "moodle_auto_format")[0]

    def answer_feedback(answer) -> str:
        raw, fmt = _field(answer, "feedback")
        return _plain(raw, fmt)[0]

    if qtype == "multichoice":
        single = (question.findtext("single") or "true").strip().lower() in ("true", "1")
        item["type"] = "single_choice" if single else "multiple_response"
        options = []
        fractions = [_fraction_of(answer) for answer in answers]
        for answer, fraction in zip(answers, fractions):
            option = {"text": answer_text(answer), "correct": fraction >= 99.99 if single else fraction > 0}
            why = answer_feedback(answer)
            if why:
                option["why"] = why
            options.append(option)
        set_option_credits(options, single=single, fractions=fractions, note=note)
        item["options"] = options
    elif qtype == "truefalse":
        item["type"] = "true_false"
        options = {TRUE_TEXT: {"text": TRUE_TEXT, "correct": False}, FALSE_TEXT: {"text": FALSE_TEXT, "correct": False}}
        for answer in answers:
            value = answer_text(answer).strip().lower()
            key = (
                TRUE_TEXT if value in ("true", "đúng", "1") else FALSE_TEXT if value in ("false", "sai", "0") else None
            )
            if key is None:
                continue
            options[key]["correct"] = _fraction_of(answer) >= 99.99
            why = answer_feedback(answer)
            if why:
                options[key]["why"] = why
        item["options"] = [options[TRUE_TEXT], options[FALSE_TEXT]]
    elif qtype == "ordering":
        item["type"] = "ordering"
        steps = [(index, _fraction_of(answer), answer_text(answer)) for index, answer in enumerate(answers)]
        positions = [fraction for _, fraction, _ in steps]
        if len(set(positions)) == len(positions) and all(p > 0 for p in positions):
            steps.sort(key=lambda step: step[1])
        item["sequence"] = [text for _, _, text in steps]
    elif qtype == "matching":
        item["type"] = "matching"
        pairs, distractors = [], []
        for sub in question.findall("subquestion"):
            raw, fmt = _field(sub, ".")
            left = _plain(raw, fmt or "html")[0]
            right = clean_text(sub.findtext("answer/text") or "")
            if not left:
                if right:
                    distractors.append(right)
                continue
            pairs.append({"left": left, "right": right})
        if distractors:
            item["distractors"] = distractors
        item["pairs"] = pairs
    elif qtype == "shortanswer":
        item["type"] = "short_text"
        accepted = [answer_text(a) for a in answers if _fraction_of(a) >= 99.99]
        partial = [
            {"text": answer_text(a), "credit": round(_fraction_of(a) / 100, 6)}
            for a in answers
            if 0 < _fraction_of(a) < 99.99
        ]
        if partial:
            item["partial_answers"] = partial
        if any("*" in a for a in accepted + [p["text"] for p in partial]):
            note("đáp án có ký tự đại diện '*' được giữ nguyên như chữ thường; hãy kiểm tra lại")
        if (question.findtext("usecase") or "0").strip() == "1":
            item["case_sensitive"] = True
        item["answers"] = accepted
    elif qtype == "numerical":
        item["type"] = "numeric"

        def number_and_tolerance(answer):
            value, tolerance_text = answer_text(answer), answer.findtext("tolerance") or "0"
            number_value, tolerance = parse_number(value), parse_number(tolerance_text)
            return (
                number_value if number_value is not None else value,
                abs(tolerance) if tolerance is not None else tolerance_text,
            )

        full = [a for a in answers if _fraction_of(a) >= 99.99 and answer_text(a) != "*"]
        if full:
            item["answer"], item["tolerance"] = number_and_tolerance(full[0])
            if len(full) > 1:
                note(
                    f"chỉ giữ đáp số đúng đầu tiên; {len(full) - 1} đáp số đúng khác của Moodle bị bỏ, hãy gộp "
                    "vào sai số nếu cần"
                )
        partial = []
        for answer in answers:
            if 0 < _fraction_of(answer) < 99.99 and answer_text(answer) != "*":
                number_value, tolerance = number_and_tolerance(answer)
                partial.append(
                    {"answer": number_value, "tolerance": tolerance, "credit": round(_fraction_of(answer) / 100, 6)}
                )
        if partial:
            item["partial_numbers"] = partial
        units = []
        for unit in question.findall("units/unit"):
            name = clean_text(unit.findtext("unit_name") or "")
            multiplier = parse_number(unit.findtext("multiplier") or "")
            units.append({"unit": name, "multiplier": multiplier if multiplier is not None else 0})
        if units:
            item["units"] = units
            if (question.findtext("unitgradingtype") or "0").strip() not in ("", "0"):
                note(
                    "Moodle trừ điểm khi thiếu hoặc sai đơn vị; ở kynangso đơn vị không bắt buộc, đơn vị lạ "
                    "thì không được điểm"
                )
    if not tags.get("competence") and category:
        item["category"] = category
    if notes:
        item["notes"] = notes
    return item, location
