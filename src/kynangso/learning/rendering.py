"""Lesson Markdown to safe HTML: markdown-it-py with raw HTML turned off, images resolved to the lesson's own files
and sized for phones, then nh3 (an allow-list sanitiser) as the last word on what may reach a browser. Illustrations
(SVG, already sanitised by `illustrations`) are put in after nh3, in place of a marker it leaves alone (ADR 0044)."""

import secrets
from html import escape

import nh3
from markdown_it import MarkdownIt

from kynangso.learning.illustrations import labelled

_ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h2",
    "h3",
    "h4",
    "strong",
    "em",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "img",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
_ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height", "loading", "decoding"},
    "ol": {"start"},
    "th": {"align"},
    "td": {"align"},
}
_URL_SCHEMES = {"http", "https", "mailto", "tel"}


def _parser() -> MarkdownIt:
    # "js-default" is CommonMark with raw HTML disabled and the link validator on; tables help step lists.
    return MarkdownIt("js-default", {"linkify": False, "typographer": False}).enable("table")


def _demote_headings(tokens) -> None:
    """The lesson title is the page's h1, so a lesson's «# …» becomes h2 and nothing goes deeper than h4."""
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            level = min(int(token.tag[1]) + 1, 4) if token.tag == "h1" else min(int(token.tag[1]), 4)
            token.tag = f"h{level}"


def image_references(text: str) -> list[tuple[str, str]]:
    """(source, alt text) of every image the Markdown shows, in order."""
    return [
        (str(child.attrGet("src") or ""), child.content.strip())
        for token in _parser().parse(text or "")
        for child in token.children or []
        if child.type == "image"
    ]


def render_lesson_markdown(
    text: str, *, images: dict[str, dict] | None = None, illustrations: dict[str, str] | None = None
) -> str:
    """Sanitised HTML of a lesson's Markdown. `images` maps a file name used in the text to {"url", "width",
    "height"} of the uploaded, phone-sized image; an image naming no such file keeps its URL only if it is http(s).
    `illustrations` maps a name used in the text («images/x.svg») to its sanitised SVG, inlined as a figure named
    by the image's alt text."""
    images = images or {}
    illustrations = illustrations or {}
    md = _parser()
    tokens = md.parse(text or "")
    _demote_headings(tokens)
    figures: dict[str, tuple[str, str]] = {}
    nonce = secrets.token_hex(8)  # markers no lesson text can forge
    for token in tokens:
        for child in token.children or []:
            if child.type != "image":
                continue
            source = str(child.attrGet("src") or "")
            if source in illustrations:
                marker = f"ILLUSTRATION{nonce}N{len(figures)}"
                figures[marker] = (escape(source), labelled(illustrations[source], child.content.strip()))
                child.type, child.tag, child.content, child.children = "text", "", marker, None
                continue
            known = images.get(source)
            if known:
                child.attrSet("src", known["url"])
                if known.get("width") and known.get("height"):
                    child.attrSet("width", str(known["width"]))
                    child.attrSet("height", str(known["height"]))
            child.attrSet("loading", "lazy")
            child.attrSet("decoding", "async")
    html = clean_html(md.renderer.render(tokens, md.options, {}))
    for marker, (source, svg) in figures.items():
        html = html.replace(f"<p>{marker}</p>", f'<figure class="illustration" data-image="{source}">{svg}</figure>')
        html = html.replace(marker, f'<span class="illustration" data-image="{source}">{svg}</span>')
    return html


def clean_html(html: str) -> str:
    """Keep only the tags, attributes and URL schemes a lesson needs; drop scripts and styles with their content."""
    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes=_URL_SCHEMES,
        clean_content_tags={"script", "style"},
        link_rel="noopener noreferrer",
    )
