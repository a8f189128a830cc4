"""Moodle XML (https://docs.moodle.org/en/Moodle_XML_format): write the item bank for Moodle, read Moodle exports.

Mapping: single_choice → ``multichoice`` with ``<single>true``; multiple_response → ``multichoice`` with
``<single>false`` (the right options share 100 %, each wrong one takes away 100 % / number of wrong ones);
true_false → ``truefalse``; ordering → ``ordering`` (the qtype_ordering plugin, answers in the right order);
matching → ``matching``; short_text → ``shortanswer`` (``usecase`` 0); numeric → ``numerical`` with tolerance.
The item's id, framework, competence, level, groups and use go in ``<tags>`` (``kns-id:KNS-4.2-001``,
``kns-competence:4.2`` …), the id also in ``<name>`` and ``<idnumber>``; explanation → ``generalfeedback`` with
the source note as a last ``<p class="kns-source">`` paragraph; an option's ``why`` → that answer's ``feedback``; the
image → an ``<img>`` at the end of the question text. One category question per competence is written
(``$course$/top/KNS/TT02-2025/4.2``); on reading, categories are ignored.
"""

from __future__ import annotations

import base64
import binascii
import html
import re
import urllib.parse
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

from .validation import (
    FALSE_TEXT,
    TRUE_TEXT,
    Problem,
    clean_text,
    finish,
    format_number,
    item_location,
    normalize_item,
    option_credits,
    option_fractions,
    parse_number,
    shorten,
)

SUPPORTED_QTYPES = ("multichoice", "truefalse", "ordering", "matching", "shortanswer", "numerical")
TAG_PREFIX = "kns-"
SOURCE_CLASS = "kns-source"
SOURCE_LABEL = "Nguồn: "

# --------------------------------------------------------------------------------------------------- text ↔ html


def _line_to_html(line: str) -> str:
    body = line.lstrip(" ")
    return "&nbsp;" * (len(line) - len(body)) + html.escape(body, quote=False)


def text_to_html(text: str) -> str:
    """Plain text → HTML: blank-line separated paragraphs become ``<p>``, single line breaks ``<br>``, a line's
    indentation non-breaking spaces (HTML would collapse it; code in a question needs it)."""
    paragraphs = [p for p in re.split(r"\n\s*\n", clean_text(text)) if p.strip()]
    return "".join("<p>" + "<br>".join(_line_to_html(line) for line in p.split("\n")) + "</p>" for p in paragraphs)


_BLOCK_TAGS = {
    "p",
    "div",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "tr",
    "blockquote",
    "pre",
    "section",
    "article",
    "header",
    "footer",
    "dl",
    "dt",
    "dd",
    "figure",
    "figcaption",
    "hr",
}
_SKIP_TAGS = {"script", "style", "head", "title", "template", "noscript"}
_VOID_TAGS = {"br", "img", "hr", "input", "meta", "link", "area", "base", "col", "embed", "source", "track", "wbr"}


class _TextExtractor(HTMLParser):
    """Plain text out of (possibly untidy) HTML: tags dropped, entities decoded, script/style contents skipped.

    Paragraph-like elements give blank lines, ``<br>`` a line break; ``<img src>`` is collected; the contents of an
    element with class ``kns-source`` go to ``source`` instead of the text.
    """

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.source_parts: list[str] = []
        self.images: list[str] = []
        self.skip_depth = 0
        self.stack: list[tuple[str, bool]] = []  # (tag, opened a kns-source element)
        self.source_depth = 0

    def _out(self) -> list[str]:
        return self.source_parts if self.source_depth else self.parts

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in _SKIP_TAGS:
            self.skip_depth += 1
            return
        if tag == "br":
            self._out().append("\n")
            return
        if tag == "img":
            if attrs.get("src"):
                self.images.append(attrs["src"].strip())
            return
        if tag in ("td", "th"):
            self._out().append(" ")
        if tag == "li":  # a list keeps one item per line, marked
            self._out().append("\n• ")
        if tag in _BLOCK_TAGS:
            self._out().append("\n\n")
        if tag in _VOID_TAGS:
            return
        is_source = SOURCE_CLASS in (attrs.get("class") or "").split()
        if is_source:
            self.source_depth += 1
        self.stack.append((tag, is_source))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in _VOID_TAGS and tag not in _SKIP_TAGS:
            self.handle_endtag(tag)
        elif tag in _SKIP_TAGS:
            self.skip_depth -= 1

    def handle_endtag(self, tag):
        if tag in _SKIP_TAGS:
            self.skip_depth = max(0, self.skip_depth - 1)
            return
        if tag in _VOID_TAGS:
            return
        if tag in _BLOCK_TAGS:
            self._out().append("\n\n")
        # close up to the matching open tag (HTML is often not well-formed)
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                for _, was_source in self.stack[index:]:
                    if was_source:
                        self.source_depth = max(0, self.source_depth - 1)
                del self.stack[index:]
                break

    def handle_data(self, data):
        if self.skip_depth:
            return
        # Non-breaking spaces are kept (a line's indentation, see `_tidy`); other runs of blanks are one space.
        self._out().append(re.sub(r"[ \t\r\n\f]+", " ", data))


def _tidy(parts: list[str]) -> str:
    """Blanks collapsed and lines stripped, except a line's leading non-breaking spaces: `text_to_html` writes
    indentation (code in a question) that way, and it comes back as spaces."""
    lines = []
    for line in "".join(parts).split("\n"):
        indent = len(line) - len(line.lstrip("\u00a0"))
        body = re.sub(r" {2,}", " ", line.replace("\u00a0", " ")).strip()
        lines.append(" " * indent + body if body else "")
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return clean_text(text)


def html_to_text(markup: str) -> tuple[str, str, list[str]]:
    """(text, source note, image sources) from HTML."""
    parser = _TextExtractor()
    try:
        parser.feed(markup or "")
        parser.close()
    except Exception:  # HTMLParser is lenient; never let odd markup stop an import
        return clean_text(re.sub(r"<[^>]*>", " ", markup or "")), "", []
    source = _tidy(parser.source_parts)
    if source.startswith(SOURCE_LABEL.strip()):
        source = source[len(SOURCE_LABEL.strip()) :].strip()
    return _tidy(parser.parts), source, parser.images


# --------------------------------------------------------------------------------------------------- writing


def _sub(parent, tag, text=None, **attrs):
    element = ET.SubElement(parent, tag, {k: v for k, v in attrs.items() if v is not None})
    if text is not None:
        element.text = text
    return element


def _text_field(parent, tag, text, fmt="html"):
    element = _sub(parent, tag, format=fmt)
    _sub(element, "text", text)
    return element


def _fraction(value: float) -> str:
    text = f"{value:.5f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _tags(item: dict) -> list[str]:
    tags = []
    if item.get("id"):
        tags.append(f"{TAG_PREFIX}id:{item['id']}")
    if item.get("framework"):
        tags.append(f"{TAG_PREFIX}framework:{item['framework']}")
    if item.get("competence"):
        tags.append(f"{TAG_PREFIX}competence:{item['competence']}")
    if item.get("level") is not None:
        tags.append(f"{TAG_PREFIX}level:{item['level']}")
    for group in item.get("groups") or []:
        tags.append(f"{TAG_PREFIX}group:{group}")
    if item.get("use"):
        tags.append(f"{TAG_PREFIX}use:{item['use']}")
    return tags


def _feedback(parent, why: str | None):
    _text_field(parent, "feedback", text_to_html(why or ""))


def _combined_feedback(question):
    _text_field(question, "correctfeedback", "<p>Chính xác.</p>")
    _text_field(question, "partiallycorrectfeedback", "<p>Đúng một phần.</p>")
    _text_field(question, "incorrectfeedback", "<p>Chưa đúng.</p>")


_DATA_URI = re.compile(r"^data:(image/(?:png|jpeg|gif|webp));base64,([A-Za-z0-9+/=\s]+)$")
_EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/webp": "webp"}


def _image_file(image: str, load_image) -> tuple[str, bytes] | None:
    """(file name, bytes) of the item's image to embed in the file: a data: URI, or what `load_image` reads."""
    match = _DATA_URI.match(image)
    if match:
        try:
            data = base64.b64decode("".join(match.group(2).split()), validate=True)
        except (binascii.Error, ValueError):
            return None
        return f"anh.{_EXTENSIONS[match.group(1)]}", data
    data = load_image(image) if load_image else None
    if data and image_type(data):
        name = re.sub(r"[^\w.\-]", "_", image.rsplit("/", 1)[-1].split("?")[0]) or "anh"
        if "." not in name:
            name += "." + _EXTENSIONS[image_type(data)]
        return name, data
    return None


def _question(quiz, qtype: str, item: dict, load_image=None):
    question = _sub(quiz, "question", type=qtype)
    name = _sub(question, "name")
    _sub(name, "text", item.get("id") or shorten(item.get("stem", ""), 60) or "Câu hỏi")
    stem_html = text_to_html(item.get("stem", ""))
    embedded = _image_file(item["image"], load_image) if item.get("image") else None
    if embedded:
        stem_html += f'<p><img src="@@PLUGINFILE@@/{urllib.parse.quote(embedded[0])}" alt=""></p>'
    elif item.get("image"):
        stem_html += f'<p><img src="{html.escape(item["image"], quote=True)}" alt=""></p>'
    stem_field = _text_field(question, "questiontext", stem_html)
    if embedded:
        _sub(
            stem_field,
            "file",
            base64.b64encode(embedded[1]).decode("ascii"),
            name=embedded[0],
            path="/",
            encoding="base64",
        )
    general = text_to_html(item.get("explanation", ""))
    if item.get("source_note"):
        general += (
            f'<p class="{SOURCE_CLASS}">{html.escape(SOURCE_LABEL)}'
            f"{html.escape(item['source_note'], quote=False).replace(chr(10), '<br>')}</p>"
        )
    _text_field(question, "generalfeedback", general)
    _sub(question, "defaultgrade", "1.0000000")
    _sub(question, "penalty", "0.0000000" if qtype in ("truefalse",) else "0.3333333")
    _sub(question, "hidden", "0")
    _sub(question, "idnumber", item.get("id", ""))
    return question


def _finish_question(question, item):
    tags = _tags(item)
    if tags:
        tags_element = _sub(question, "tags")
        for tag in tags:
            _sub(_sub(tags_element, "tag"), "text", tag)


def write_moodle_xml(items: list[dict], load_image=None) -> bytes:
    """The items as a Moodle XML question file (UTF-8), one category per framework/competence.

    Images are embedded as Moodle files (``@@PLUGINFILE@@`` with base64): a ``data:`` image always, another image
    when ``load_image(path)`` returns its bytes (the back office reads our static files); else the ``<img>`` keeps
    the path. Items are expected to be valid (see ``validate_item``); an unknown type raises ``ValueError``.
    """
    quiz = ET.Element("quiz")
    current_category = None
    ordered = sorted(
        (normalize_item(i) for i in items), key=lambda i: (i.get("framework", ""), i.get("competence", ""))
    )
    for item in ordered:
        category = "$course$/top/KNS"
        if item.get("framework"):
            category += f"/{item['framework']}"
        if item.get("competence"):
            category += f"/{item['competence']}"
        if category != current_category:
            current_category = category
            cat = _sub(quiz, "question", type="category")
            _sub(_sub(cat, "category"), "text", category)
            _text_field(cat, "info", "", fmt="moodle_auto_format")
            _sub(cat, "idnumber", "")
        kind = item.get("type")
        if kind in ("single_choice", "multiple_response"):
            question = _question(quiz, "multichoice", item, load_image)
            single = kind == "single_choice"
            _sub(question, "single", "true" if single else "false")
            _sub(question, "shuffleanswers", "true")
            _sub(question, "answernumbering", "abc")
            _sub(question, "showstandardinstruction", "0")
            _combined_feedback(question)
            _sub(question, "shownumcorrect")
            options = item.get("options", [])
            for option, fraction in zip(options, option_fractions(kind, options)):
                answer = _sub(question, "answer", fraction=_fraction(fraction), format="html")
                _sub(answer, "text", html.escape(option["text"], quote=False).replace("\n", "<br>"))
                _feedback(answer, option.get("why"))
        elif kind == "true_false":
            question = _question(quiz, "truefalse", item, load_image)
            by_text = {o["text"]: o for o in item.get("options", [])}
            for moodle_text, our_text in (("true", TRUE_TEXT), ("false", FALSE_TEXT)):
                option = by_text.get(our_text, {})
                answer = _sub(
                    question, "answer", fraction="100" if option.get("correct") else "0", format="moodle_auto_format"
                )
                _sub(answer, "text", moodle_text)
                _feedback(answer, option.get("why"))
        elif kind == "ordering":
            question = _question(quiz, "ordering", item, load_image)
            _sub(question, "layouttype", "VERTICAL")
            _sub(question, "selecttype", "ALL")
            _sub(question, "selectcount", "0")
            _sub(question, "gradingtype", "ABSOLUTE_POSITION")
            _sub(question, "showgrading", "SHOW")
            _sub(question, "numberingstyle", "none")
            _combined_feedback(question)
            _sub(question, "shownumcorrect")
            for position, step in enumerate(item.get("sequence", []), start=1):
                answer = _sub(question, "answer", fraction=f"{position}.0000000", format="html")
                _sub(answer, "text", html.escape(step, quote=False).replace("\n", "<br>"))
        elif kind == "matching":
            question = _question(quiz, "matching", item, load_image)
            _sub(question, "shuffleanswers", "true")
            _combined_feedback(question)
            _sub(question, "shownumcorrect")
            for pair in item.get("pairs", []):
                sub = _sub(question, "subquestion", format="html")
                _sub(sub, "text", text_to_html(pair["left"]))
                _sub(_sub(sub, "answer"), "text", pair["right"])
            for distractor in item.get("distractors", []):  # Moodle's form: a subquestion without text
                sub = _sub(question, "subquestion", format="html")
                _sub(sub, "text", "")
                _sub(_sub(sub, "answer"), "text", distractor)
        elif kind == "short_text":
            question = _question(quiz, "shortanswer", item, load_image)
            _sub(question, "usecase", "1" if item.get("case_sensitive") else "0")
            accepted_all = [(a, 100.0) for a in item.get("answers", [])]
            accepted_all += [(a["text"], 100.0 * a["credit"]) for a in item.get("partial_answers", [])]
            for accepted, fraction in accepted_all:
                answer = _sub(question, "answer", fraction=_fraction(fraction), format="moodle_auto_format")
                _sub(answer, "text", accepted)
                _feedback(answer, "")
        elif kind == "numeric":
            question = _question(quiz, "numerical", item, load_image)
            numbers = [(item.get("answer"), item.get("tolerance", 0), 100.0)]
            numbers += [(p["answer"], p["tolerance"], 100.0 * p["credit"]) for p in item.get("partial_numbers", [])]
            for value, tolerance, fraction in numbers:
                answer = _sub(question, "answer", fraction=_fraction(fraction), format="moodle_auto_format")
                _sub(answer, "text", format_number(value))
                _feedback(answer, "")
                _sub(answer, "tolerance", format_number(tolerance))
            if item.get("units"):
                units = _sub(question, "units")
                for unit in item["units"]:
                    element = _sub(units, "unit")
                    _sub(element, "multiplier", format_number(unit["multiplier"]))
                    _sub(element, "unit_name", unit["unit"])
            _sub(question, "unitgradingtype", "0")
            _sub(question, "unitpenalty", "0.1000000")
            _sub(question, "showunits", "3")
            _sub(question, "unitsleft", "0")
        else:
            raise ValueError(f"Câu hỏi {item.get('id') or ''}: loại '{kind}' không ghi được ra Moodle XML")
        _finish_question(question, item)
    ET.indent(quiz, space="  ")
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(quiz, encoding="utf-8", xml_declaration=False) + b"\n"
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


MAX_IMAGE_BYTES = 256 * 1024
_IMAGE_TYPES = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)


def image_type(data: bytes) -> str:
    """The MIME type of a PNG, JPEG, GIF or WebP image by its first bytes; "" for anything else (SVG included)."""
    for magic, mime in _IMAGE_TYPES:
        if data.startswith(magic):
            return mime
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return ""


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
        for option, credit in zip(options, option_credits(single, fractions, [o["correct"] for o in options])):
            if credit is not None:
                option["credit"] = credit
        if any("credit" in o for o in options):
            note(
                "câu có điểm từng phần (như trong Moodle); chỉ được tính một phần điểm ở chuẩn chọn «chấm điểm "
                "từng phần», các chuẩn khác chấm đúng hết hoặc không"
            )
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
