"""Moodle XML (https://docs.moodle.org/en/Moodle_XML_format): writing the item bank for Moodle; reading Moodle
exports is `moodle_xml_reading`, the HTML of the fields `moodle_html`.

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

from .moodle_html import SOURCE_CLASS, SOURCE_LABEL, image_type, text_to_html
from .validation import FALSE_TEXT, TRUE_TEXT, format_number, normalize_item, option_fractions, shorten

SUPPORTED_QTYPES = ("multichoice", "truefalse", "ordering", "matching", "shortanswer", "numerical")
TAG_PREFIX = "kns-"


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
