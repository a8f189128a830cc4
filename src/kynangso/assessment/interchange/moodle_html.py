"""Text ↔ the HTML of Moodle question fields (paragraphs, line breaks, the source note) and the images
embedded in it as data URIs: shared by the Moodle XML writer and reader and by GIFT.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from .validation import clean_text

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
