"""Lesson illustrations: SVG drawings made for the project, sanitised to an allow-list (no script, no event handler,
no external reference, no foreignObject, no style sheet) and inlined in the lesson's HTML, so a picture costs the
page no request (ADR 0044)."""

import re
from html import escape
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.utils.translation import gettext as _

from kynangso.errors import DomainError, ErrorCode

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
XLINK_NAMESPACE = "http://www.w3.org/1999/xlink"
#: One illustration after sanitising. Three of them and the lesson text still fit the 150 KB page budget.
MAX_SVG_BYTES = 40_000

_ELEMENTS = {
    "svg",
    "g",
    "defs",
    "title",
    "desc",
    "path",
    "rect",
    "circle",
    "ellipse",
    "line",
    "polyline",
    "polygon",
    "text",
    "tspan",
    "use",
    "symbol",
    "marker",
    "linearGradient",
    "radialGradient",
    "stop",
    "clipPath",
    "mask",
    "pattern",
}
#: Dropped with everything inside them: they run code, load something or carry HTML.
_DROPPED_WITH_CONTENT = {
    "script",
    "style",
    "foreignObject",
    "image",
    "iframe",
    "animate",
    "set",
    "animateMotion",
    "animateTransform",
    "audio",
    "video",
    "metadata",
    "switch",
}
#: Kept for their children only (a link around a shape keeps the shape, not the link).
_UNWRAPPED = {"a"}
_ATTRIBUTES = {
    "id",
    "viewBox",
    "preserveAspectRatio",
    "width",
    "height",
    "x",
    "y",
    "x1",
    "y1",
    "x2",
    "y2",
    "cx",
    "cy",
    "r",
    "rx",
    "ry",
    "d",
    "points",
    "transform",
    "dx",
    "dy",
    "rotate",
    "textLength",
    "lengthAdjust",
    "fill",
    "fill-opacity",
    "fill-rule",
    "stroke",
    "stroke-width",
    "stroke-opacity",
    "stroke-linecap",
    "stroke-linejoin",
    "stroke-dasharray",
    "stroke-dashoffset",
    "stroke-miterlimit",
    "opacity",
    "color",
    "font-family",
    "font-size",
    "font-weight",
    "font-style",
    "text-anchor",
    "dominant-baseline",
    "alignment-baseline",
    "letter-spacing",
    "text-decoration",
    "white-space",
    "clip-path",
    "clip-rule",
    "mask",
    "marker-start",
    "marker-mid",
    "marker-end",
    "markerWidth",
    "markerHeight",
    "refX",
    "refY",
    "orient",
    "markerUnits",
    "offset",
    "stop-color",
    "stop-opacity",
    "gradientUnits",
    "gradientTransform",
    "fx",
    "fy",
    "spreadMethod",
    "patternUnits",
    "patternContentUnits",
    "patternTransform",
    "clipPathUnits",
    "maskUnits",
    "maskContentUnits",
    "href",
    "display",
    "visibility",
    "vector-effect",
    "shape-rendering",
    "paint-order",
}
_URL = re.compile(r"url\(\s*['\"]?([^'\")]*)['\"]?\s*\)", re.IGNORECASE)
_UNSAFE_VALUE = re.compile(r"javascript:|data:|expression\(|@import|<", re.IGNORECASE)


def _local(name: str) -> tuple[str, str]:
    """(namespace, local name) of an ElementTree tag or attribute name."""
    if name.startswith("{"):
        namespace, _brace, local = name[1:].partition("}")
        return namespace, local
    return "", name


def _fail(name: str, reason: str) -> DomainError:
    return DomainError(
        _("Hình minh họa «%(name)s» không dùng được: %(reason)s") % {"name": name, "reason": reason},
        code=ErrorCode.ILLUSTRATION,
    )


class _Sanitiser:
    def __init__(self, name: str, id_prefix: str):
        self.name = name
        self.prefix = re.sub(r"[^A-Za-z0-9_-]", "-", id_prefix)

    def _ref(self, value: str) -> str | None:
        """A reference inside the drawing («#id»), renamed with the prefix; None for anything pointing outside."""
        value = value.strip()
        if not value.startswith("#") or len(value) < 2:
            return None
        return f"#{self.prefix}-{value[1:]}"

    def _value(self, name: str, value: str) -> str | None:
        if _UNSAFE_VALUE.search(value):
            return None
        if name == "id":
            return f"{self.prefix}-{value.strip()}"
        if name == "href":
            return self._ref(value)
        if "url(" in value.lower():
            refs = [self._ref(target) for target in _URL.findall(value)]
            if not refs or any(ref is None for ref in refs):
                return None
            return _URL.sub(lambda match: f"url({self._ref(match.group(1))})", value)
        return value

    def _attributes(self, element: Element) -> list[tuple[str, str]]:
        kept: dict[str, str] = {}
        declarations: list[tuple[str, str]] = []
        for raw_name, raw_value in element.attrib.items():
            namespace, name = _local(raw_name)
            if namespace and namespace != XLINK_NAMESPACE:
                continue
            if name == "style":
                # CSP forbids inline styles: a style attribute becomes presentation attributes where SVG has them.
                for declaration in raw_value.split(";"):
                    prop, _colon, prop_value = declaration.partition(":")
                    declarations.append((prop.strip(), prop_value.strip()))
                continue
            declarations.append((name, raw_value))
        for name, value in declarations:
            if name.lower().startswith("on") or name not in _ATTRIBUTES or not value:
                continue
            safe = self._value(name, value)
            if safe is not None:
                kept.setdefault(name, safe)
        return list(kept.items())

    def element(self, element: Element, out: list[str]) -> None:
        namespace, tag = _local(element.tag)
        if namespace != SVG_NAMESPACE and namespace != "":
            return
        if tag in _UNWRAPPED:
            self.children(element, out)
            return
        if tag in _DROPPED_WITH_CONTENT or tag not in _ELEMENTS:
            return
        attributes = "".join(f' {name}="{escape(value)}"' for name, value in self._attributes(element))
        out.append(f"<{tag}{attributes}>")
        self.children(element, out)
        out.append(f"</{tag}>")

    def children(self, element: Element, out: list[str]) -> None:
        if element.text and element.text.strip():
            out.append(escape(element.text))
        for child in element:
            self.element(child, out)
            if child.tail and child.tail.strip():
                out.append(escape(child.tail))


def sanitise_svg(data: bytes, *, name: str, id_prefix: str) -> str:
    """The drawing in `data` as inline SVG markup that is safe in a lesson page: allow-listed elements and
    attributes only, ids renamed with `id_prefix` (several drawings share one page), no size on the root so it
    scales to the phone. Raises DomainError (code «illustration») for a file that is not SVG or is too heavy."""
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (ParseError, DefusedXmlException, ValueError) as exc:
        raise _fail(name, _("tệp không phải SVG hợp lệ.")) from exc
    namespace, tag = _local(root.tag)
    if tag != "svg" or namespace not in (SVG_NAMESPACE, ""):
        raise _fail(name, _("tệp không phải SVG."))
    sanitiser = _Sanitiser(name, id_prefix)
    attributes = dict(sanitiser._attributes(root))
    width, height = attributes.pop("width", ""), attributes.pop("height", "")
    if "viewBox" not in attributes:
        if not (re.fullmatch(r"[\d.]+", width) and re.fullmatch(r"[\d.]+", height)):
            raise _fail(name, _("hình cần có viewBox (hoặc width và height bằng số) để co giãn theo màn hình."))
        attributes["viewBox"] = f"0 0 {width} {height}"
    attributes.pop("id", None)
    head = "".join(f' {key}="{escape(value)}"' for key, value in attributes.items())
    out = [f'<svg xmlns="{SVG_NAMESPACE}"{head}>']
    for child in root:
        if _local(child.tag)[1] != "title":  # the alt text of the lesson becomes the drawing's accessible name
            sanitiser.element(child, out)
    out.append("</svg>")
    markup = "".join(out)
    if len(markup.encode("utf-8")) > MAX_SVG_BYTES:
        raise _fail(
            name, _("hình nặng quá %(kb)s KB sau khi làm sạch; hãy vẽ đơn giản hơn.") % {"kb": MAX_SVG_BYTES // 1000}
        )
    return markup


def labelled(markup: str, alt: str) -> str:
    """The sanitised drawing announced as one image named by the lesson's alt text."""
    return markup.replace("<svg ", f'<svg role="img" aria-label="{escape(alt)}" focusable="false" ', 1)
