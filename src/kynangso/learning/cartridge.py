"""A published course as an IMS Common Cartridge 1.1 package for the open e-library: one web page per lesson, its
illustrations as SVG files beside it, the course's metadata and its CC BY 4.0 licence in the manifest (IEEE LOM) and
on every page. Moodle, Canvas and other LMSs import it (ADR 0044)."""

import re
import zipfile
from html import escape
from typing import BinaryIO
from xml.etree.ElementTree import Element, SubElement, register_namespace, tostring

from django.utils.translation import gettext as _

from kynangso.learning.models import CourseVersion

CC_NAMESPACE = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
LOM_MANIFEST_NAMESPACE = "http://ltsc.ieee.org/xsd/imsccv1p1/LOM/manifest"
XSI_NAMESPACE = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = (
    f"{CC_NAMESPACE} http://www.imsglobal.org/profile/cc/ccv1p1/ccv1p1_imscp_v1p2_v1p0.xsd "
    f"{LOM_MANIFEST_NAMESPACE} http://www.imsglobal.org/profile/cc/ccv1p1/LOM/ccv1p1_lommanifest_v1p0.xsd"
)
LICENCE_NAME = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/deed.vi"
MEDIA_TYPE = "application/vnd.ims.imsccv1p1"
register_namespace("", CC_NAMESPACE)  # the manifest's elements unprefixed, as every cartridge writes them
register_namespace("lomimscc", LOM_MANIFEST_NAMESPACE)
register_namespace("xsi", XSI_NAMESPACE)

_FIGURE = re.compile(r'<(figure|span) class="illustration" data-image="([^"]+)">(<svg .*?</svg>)</\1>', re.DOTALL)
_ARIA_LABEL = re.compile(r'^<svg role="img" aria-label="([^"]*)" focusable="false" ')


def licence_notice(version: CourseVersion) -> str:
    """The sentence every copy of the course carries (package, pages, handout)."""
    return _(
        "«%(title)s», phiên bản %(number)s, nền tảng kynangso. Nội dung được phát hành theo giấy phép Creative "
        "Commons Ghi công 4.0 Quốc tế (CC BY 4.0): được sao chép, chỉnh sửa và dùng lại, kể cả vì mục đích "
        "thương mại, miễn là ghi rõ nguồn. %(url)s"
    ) % {"title": version.title, "number": version.number, "url": LICENCE_URL}


def split_illustrations(html: str, *, folder: str = "images") -> tuple[str, dict[str, tuple[str, str]]]:
    """A lesson's HTML with each inline drawing replaced by an <img> of a file, and the files: {path in the package:
    (svg document, alt text)}. LMS editors and print keep an <img> where they would strip inline SVG."""
    files: dict[str, tuple[str, str]] = {}

    def to_image(match: re.Match) -> str:
        tag, source, svg = match.groups()
        label = _ARIA_LABEL.match(svg)
        alt = label.group(1) if label else ""
        name = f"{folder}/{source.rsplit('/', 1)[-1]}"
        files[name] = ('<?xml version="1.0" encoding="UTF-8"?>\n' + _ARIA_LABEL.sub("<svg ", svg, count=1), alt)
        image = f'<img src="{name}" alt="{alt}" />'
        return f'<figure class="illustration">{image}</figure>' if tag == "figure" else image

    return _FIGURE.sub(to_image, html), files


def lesson_page(version: CourseVersion, lesson: dict, html: str) -> str:
    """A lesson as a stand-alone XHTML page (well-formed, so any LMS's importer reads it)."""
    reviewed = [
        _("Bài đã được %(reviewer)s duyệt ngày %(date)s.")
        % {"reviewer": review["reviewer"], "date": _day(review["date"])}
        for review in version.reviews
        if review["lesson"].rsplit(".", 1)[0] == lesson["key"]
    ]
    reviews = "".join(f"<p><small>{escape(line)}</small></p>" for line in reviewed)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n'
        f'<html xmlns="http://www.w3.org/1999/xhtml" lang="vi" xml:lang="vi">\n<head><meta charset="utf-8" />'
        f"<title>{escape(lesson['title'])}</title>"
        f'<meta name="dcterms.license" content="{LICENCE_URL}" /></head>\n<body>\n'
        f"<h1>{escape(lesson['title'])}</h1>\n{_xhtml(html)}\n"
        f"<footer>{reviews}<p><small>{escape(licence_notice(version))}</small></p></footer>\n</body>\n</html>\n"
    )


def _day(iso: str) -> str:
    return "/".join(reversed(iso.split("-")))


def _xhtml(html: str) -> str:
    """nh3's HTML made well-formed XML: void elements closed."""
    return re.sub(r"<(br|hr|img)([^>]*?)\s*/?>", r"<\1\2 />", html)


def _lang_string(parent: Element, tag: str, text: str) -> None:
    SubElement(
        SubElement(parent, f"{{{LOM_MANIFEST_NAMESPACE}}}{tag}"), f"{{{LOM_MANIFEST_NAMESPACE}}}string", language="vi"
    ).text = text


def _manifest(version: CourseVersion, lessons: list[tuple[str, dict, str, list[str]]]) -> bytes:
    cc, lom = f"{{{CC_NAMESPACE}}}", f"{{{LOM_MANIFEST_NAMESPACE}}}"
    manifest = Element(
        f"{cc}manifest",
        {
            "identifier": f"kynangso-{version.course.code}-v{version.number}",
            f"{{{XSI_NAMESPACE}}}schemaLocation": SCHEMA_LOCATION,
        },
    )
    metadata = SubElement(manifest, f"{cc}metadata")
    SubElement(metadata, f"{cc}schema").text = "IMS Common Cartridge"
    SubElement(metadata, f"{cc}schemaversion").text = "1.1.0"
    record = SubElement(metadata, f"{lom}lom")
    general = SubElement(record, f"{lom}general")
    _lang_string(general, "title", version.title)
    SubElement(general, f"{lom}language").text = "vi"
    _lang_string(general, "description", version.summary or version.title)
    _lang_string(general, "keyword", "kỹ năng số")
    if version.reviews:  # who read each lesson as a teacher of older learners would (LOM lifeCycle, ADR 0044)
        life_cycle = SubElement(record, f"{lom}lifeCycle")
        for review in version.reviews:
            contribute = SubElement(life_cycle, f"{lom}contribute")
            SubElement(SubElement(contribute, f"{lom}role"), f"{lom}value").text = "educational validator"
            SubElement(contribute, f"{lom}entity").text = review["reviewer"]
            date = SubElement(contribute, f"{lom}date")
            SubElement(date, f"{lom}dateTime").text = review["date"]
            _lang_string(date, "description", f"{review['lesson_title']}: {review['changes']}")
    rights = SubElement(record, f"{lom}rights")
    SubElement(SubElement(rights, f"{lom}copyrightAndOtherRestrictions"), f"{lom}value").text = "yes"
    _lang_string(rights, "description", licence_notice(version))
    organization = SubElement(
        SubElement(manifest, f"{cc}organizations"),
        f"{cc}organization",
        identifier="ORG-1",
        structure="rooted-hierarchy",
    )
    root = SubElement(organization, f"{cc}item", identifier="ROOT")
    resources = SubElement(manifest, f"{cc}resources")
    sections: dict[str, Element] = {}
    for index, (section_title, lesson, href, images) in enumerate(lessons, start=1):
        if section_title not in sections:
            sections[section_title] = SubElement(root, f"{cc}item", identifier=f"SECTION-{len(sections) + 1}")
            SubElement(sections[section_title], f"{cc}title").text = section_title
        item = SubElement(
            sections[section_title], f"{cc}item", identifier=f"ITEM-{index}", identifierref=f"RES-{index}"
        )
        SubElement(item, f"{cc}title").text = lesson["title"]
        resource = SubElement(resources, f"{cc}resource", identifier=f"RES-{index}", type="webcontent", href=href)
        SubElement(resource, f"{cc}file", href=href)
        for image in images:
            SubElement(resource, f"{cc}file", href=image)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(manifest, encoding="utf-8", xml_declaration=False)


def write_cartridge(version: CourseVersion, out: BinaryIO) -> None:
    """Write the Common Cartridge (.imscc, a zip) of a published course version to `out`."""
    lessons = []
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as package:
        number = 0
        for section in version.outline.get("sections", []):
            for lesson in section["lessons"]:
                number += 1
                folder = f"bai-{number:02d}"
                html, files = split_illustrations(lesson["html"], folder="images")
                href = f"{folder}/{lesson['key']}.html"
                package.writestr(href, lesson_page(version, lesson, html))
                for name, (svg, _alt) in files.items():
                    package.writestr(f"{folder}/{name}", svg)
                lessons.append((section["title"], lesson, href, [f"{folder}/{name}" for name in files]))
        package.writestr("imsmanifest.xml", _manifest(version, lessons))
