"""Reading an IMS Common Cartridge (1.0 to 1.3) back into a course draft: its organisation becomes sections and
lessons, each web page's HTML becomes lesson Markdown, its SVG drawings become sanitised illustrations. Used for our
own packages (a province re-importing another's course) and for simple packages from other LMSs. The draft is not
published: an editor checks it, tags its competences and publishes it (ADR 0044)."""

import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import PurePosixPath
from typing import BinaryIO
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.db import transaction
from django.utils.translation import gettext as _

from kynangso.accounts import api as accounts
from kynangso.errors import DomainError, ErrorCode
from kynangso.learning.illustrations import sanitise_svg
from kynangso.learning.models import Course, Lesson, Section

MAX_PACKAGE_BYTES = 50 * 1024 * 1024  # uncompressed: a course of text and drawings is far smaller
MAX_MEMBER_BYTES = 2 * 1024 * 1024


@dataclass
class CartridgeLesson:
    title: str
    body: str  # Markdown
    illustrations: dict[str, bytes] = field(default_factory=dict)  # «images/x.svg» → the SVG file


@dataclass
class CartridgeSection:
    title: str
    lessons: list[CartridgeLesson] = field(default_factory=list)


@dataclass
class Cartridge:
    title: str
    summary: str
    licence: str
    sections: list[CartridgeSection]


def _fail(reason: str) -> DomainError:
    return DomainError(
        _("Không đọc được gói Common Cartridge: %(reason)s") % {"reason": reason}, code=ErrorCode.NOT_A_CARTRIDGE
    )


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(element: Element, name: str) -> list[Element]:
    return [child for child in element if _local(child.tag) == name]


def _find(element: Element, *path: str) -> Element | None:
    for name in path:
        found = _children(element, name)
        if not found:
            return None
        element = found[0]
    return element


def _lang_text(element: Element | None) -> str:
    if element is None:
        return ""
    strings = [child for child in element.iter() if _local(child.tag) == "string"]
    return " ".join((strings[0].text if strings else element.text or "").split())


class _Package:
    """The zip, read with limits: members by name only, no path leaving the package, sizes capped."""

    def __init__(self, source: BinaryIO):
        try:
            self.zip = zipfile.ZipFile(source)
        except zipfile.BadZipFile as exc:
            raise _fail(_("tệp không phải gói zip.")) from exc
        if sum(info.file_size for info in self.zip.infolist()) > MAX_PACKAGE_BYTES:
            raise _fail(_("gói quá lớn."))

    def read(self, name: str) -> bytes:
        normal = posixpath.normpath(name)
        if normal.startswith(("../", "/")) or normal == "..":
            raise _fail(_("đường dẫn «%(name)s» ra ngoài gói.") % {"name": name})
        try:
            info = self.zip.getinfo(normal)
        except KeyError as exc:
            raise _fail(_("gói thiếu tệp «%(name)s».") % {"name": name}) from exc
        if info.file_size > MAX_MEMBER_BYTES:
            raise _fail(_("tệp «%(name)s» quá lớn.") % {"name": name})
        return self.zip.read(info)


class _MarkdownWriter(HTMLParser):
    """The Markdown of a lesson page's body: headings, paragraphs, lists, emphasis, links and images; everything
    else is kept as its text. Scripts, styles and the page's own title and licence footer are left out."""

    _SKIPPED = {"script", "style", "head", "title", "footer", "nav", "svg"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.line: list[str] = []
        self.lists: list[list] = []  # [kind, counter]
        self.skipping = 0
        self.href: list[str] = []
        self.in_body_title = False

    def _flush(self, prefix: str = "") -> None:
        text = re.sub(r"[ \t\r\n]+", " ", "".join(self.line)).strip()
        self.line = []
        if text:
            self.blocks.append(prefix + text)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in self._SKIPPED:
            self.skipping += 1
            return
        if self.skipping:
            return
        if tag == "h1":
            self.in_body_title = True  # the page's h1 is the lesson title, kept in the organisation
        elif tag in ("p", "div", "figure", "blockquote", "table", "tr") or re.fullmatch(r"h[2-6]", tag):
            self._flush()
        elif tag in ("ul", "ol"):
            self._flush()
            self.lists.append([tag, 0])
        elif tag == "li":
            self._flush()
        elif tag in ("strong", "b"):
            self.line.append("**")
        elif tag in ("em", "i"):
            self.line.append("*")
        elif tag == "br":
            self.line.append(" ")
        elif tag == "a":
            self.href.append(attributes.get("href") or "")
            self.line.append("[")
        elif tag == "img":
            self.line.append(f"![{attributes.get('alt') or ''}]({attributes.get('src') or ''})")
        if re.fullmatch(r"h[2-6]", tag):
            self.line.append("#" * int(tag[1]) + " ")

    def handle_endtag(self, tag):
        if tag in self._SKIPPED:
            self.skipping = max(0, self.skipping - 1)
            return
        if self.skipping:
            return
        if tag == "h1":
            self.in_body_title = False
            self.line = []
        elif tag in ("p", "div", "figure", "blockquote", "table", "tr") or re.fullmatch(r"h[2-6]", tag):
            self._flush()
        elif tag == "li" and self.lists:
            kind = self.lists[-1]
            kind[1] += 1
            self._flush(f"{kind[1]}. " if kind[0] == "ol" else "- ")
        elif tag in ("ul", "ol") and self.lists:
            self._flush()
            self.lists.pop()
        elif tag in ("strong", "b"):
            self.line.append("**")
        elif tag in ("em", "i"):
            self.line.append("*")
        elif tag == "a" and self.href:
            self.line.append(f"]({self.href.pop()})")

    def handle_data(self, data):
        if not self.skipping:
            self.line.append(data)

    def markdown(self) -> str:
        self._flush()
        out, previous_item = [], False
        for block in self.blocks:
            item = block.startswith("- ") or bool(re.match(r"\d+\. ", block))
            if out and not (item and previous_item):
                out.append("")
            out.append(block)
            previous_item = item
        return "\n".join(out) + "\n"


def html_to_markdown(html: str) -> str:
    """Markdown for the body of an HTML page (see `_MarkdownWriter` for what is kept)."""
    writer = _MarkdownWriter()
    writer.feed(html)
    writer.close()
    return writer.markdown()


def read_cartridge(source: BinaryIO) -> Cartridge:
    """The course in a Common Cartridge package: title, summary, licence, and its web-content lessons in the order
    of the organisation. Resources of other kinds (quizzes, forums, links) are left out."""
    package = _Package(source)
    try:
        manifest = fromstring(package.read("imsmanifest.xml"), forbid_dtd=True)
    except (ParseError, DefusedXmlException) as exc:
        raise _fail(_("imsmanifest.xml không đọc được.")) from exc
    if _local(manifest.tag) != "manifest":
        raise _fail(_("imsmanifest.xml không phải bản kê của gói."))
    lom = _find(manifest, "metadata", "lom")
    title = _lang_text(_find(lom, "general", "title")) if lom is not None else ""
    summary = _lang_text(_find(lom, "general", "description")) if lom is not None else ""
    licence = _lang_text(_find(lom, "rights", "description")) if lom is not None else ""
    resources = {
        resource.get("identifier"): resource
        for resource in _children(_find(manifest, "resources") or Element("resources"), "resource")
    }
    organization = _find(manifest, "organizations", "organization")
    if organization is None:
        raise _fail(_("gói không có phần tổ chức (organization) nào."))
    root = _children(organization, "item")
    sections: list[CartridgeSection] = []
    for top in _children(root[0], "item") if root else []:
        children = _children(top, "item")
        section = CartridgeSection(
            title=" ".join((_find(top, "title").text or "").split()) if _find(top, "title") is not None else title
        )
        for item in children or [top]:
            lesson = _lesson(package, item, resources)
            if lesson is not None:
                section.lessons.append(lesson)
        if section.lessons:
            sections.append(section)
    if not sections:
        raise _fail(_("gói không có bài học dạng trang web nào."))
    return Cartridge(title=title or sections[0].title, summary=summary, licence=licence, sections=sections)


def _lesson(package: _Package, item: Element, resources: dict) -> CartridgeLesson | None:
    resource = resources.get(item.get("identifierref"))
    if resource is None or resource.get("type") != "webcontent":
        return None
    href = resource.get("href") or next((f.get("href") for f in _children(resource, "file")), "")
    if not href or not href.lower().endswith((".html", ".htm")):
        return None
    page = package.read(href).decode("utf-8", errors="replace")
    title_element = _find(item, "title")
    body = html_to_markdown(page)
    folder = PurePosixPath(href).parent
    illustrations = {}
    for source in re.findall(r"!\[[^\]]*\]\(([^)\s]+\.svg)\)", body):
        if "://" not in source:
            illustrations[source] = package.read(str(folder / source))
    return CartridgeLesson(
        title=" ".join((title_element.text or "").split()) if title_element is not None else "",
        body=body,
        illustrations=illustrations,
    )


@transaction.atomic
def import_cartridge(source: BinaryIO, *, code: str, actor) -> Course:
    """A new course draft, `code`, from the Common Cartridge in `source`, as `actor` (who must be allowed to review
    content). Its lessons carry no competences yet and nothing is published."""
    if not accounts.is_system(actor) and not accounts.has_capability(actor, accounts.capabilities.CONTENT_REVIEW):
        raise DomainError(_("Bạn không có quyền nhập khóa học."), code=ErrorCode.FORBIDDEN)
    if Course.objects.filter(code=code).exists():
        raise DomainError(_("Đã có khóa học mã «%(code)s».") % {"code": code}, code=ErrorCode.DUPLICATE)
    cartridge = read_cartridge(source)
    summary = cartridge.summary
    if cartridge.licence:
        summary = f"{summary}\n\n{cartridge.licence}".strip()
    course = Course.objects.create(
        code=code, title=cartridge.title[:255], summary=summary, updated_by=accounts.recorded_user(actor)
    )
    for section_order, part in enumerate(cartridge.sections, start=1):
        section = Section.objects.create(
            course=course, title=part.title[:255] or cartridge.title[:255], order=section_order
        )
        for order, lesson in enumerate(part.lessons, start=1):
            key = f"bai-{section_order:02d}-{order:02d}"
            Lesson.objects.create(
                course=course,
                section=section,
                key=key,
                order=order,
                title=lesson.title[:255],
                body=lesson.body,
                illustrations={
                    name: sanitise_svg(data, name=name, id_prefix=f"{key}-{PurePosixPath(name).stem}")
                    for name, data in lesson.illustrations.items()
                },
            )
    return course
