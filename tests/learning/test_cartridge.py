"""The open e-library's package: each published course as an IMS Common Cartridge 1.1 that validates against the
1EdTech schema, carries its licence, and reads back into a course draft with the same lessons and drawings."""

import io
import os
import re
import zipfile
from pathlib import Path

import pytest

from kynangso.accounts.api import SYSTEM
from kynangso.errors import DomainError
from kynangso.learning import cartridge, cartridge_import
from kynangso.learning.courses import publish_course
from kynangso.learning.models import Course

# The 1EdTech (IMS GLC) Common Cartridge 1.1 schemas, not copied into the project (their licence asks each
# distributor to register) and shipped by no package of PyPI, npm or Debian (docs/learning.md): beside the checkout
# in ../shared/schemas/ims-cc-1.1, or where KYNANGSO_CC_SCHEMAS points (the folder of ccv1p1_*.xsd and xml.xsd that
# Moodle keeps in backup/cc/schemas11).
SCHEMAS = Path(
    os.environ.get("KYNANGSO_CC_SCHEMAS")
    or Path(__file__).resolve().parents[2].parent / "shared" / "schemas" / "ims-cc-1.1"
)
MANIFEST_SCHEMA = "ccv1p1_imscp_v1p2_v1p0.xsd"


def package_of(course) -> zipfile.ZipFile:
    buffer = io.BytesIO()
    cartridge.write_cartridge(course.published_version, buffer)
    buffer.seek(0)
    return zipfile.ZipFile(buffer)


def test_every_course_manifest_is_valid_against_the_common_cartridge_schema(courses, pupils_course):
    if not (SCHEMAS / MANIFEST_SCHEMA).is_file():
        pytest.skip(f"IMS Common Cartridge 1.1 schemas not found in {SCHEMAS}")
    from lxml import etree

    schema = etree.XMLSchema(etree.parse(str(SCHEMAS / MANIFEST_SCHEMA)))
    shipped = [course for course in courses.values() if course.published_version is not None]
    assert len(shipped) >= 12
    for course in [pupils_course, *shipped]:  # the fixture carries reviews, so the LOM lifeCycle is checked too
        manifest = etree.fromstring(package_of(course).read("imsmanifest.xml"))
        assert schema.validate(manifest), f"{course.code}: {schema.error_log}"


def test_the_package_has_a_page_per_lesson_and_its_drawings_as_files(pupils_course):
    package = package_of(pupils_course)
    names = package.namelist()
    assert "imsmanifest.xml" in names
    assert "bai-01/01-lam-bai-nhom-tren-mang.html" in names and "bai-01/images/chia-se.svg" in names
    page = package.read("bai-01/01-lam-bai-nhom-tren-mang.html").decode()
    assert '<img src="images/chia-se.svg" alt="Ba bước chia sẻ tài liệu' in page and "<svg" not in page
    svg = package.read("bai-01/images/chia-se.svg").decode()
    assert svg.startswith("<?xml") and 'xmlns="http://www.w3.org/2000/svg"' in svg and "aria-label" not in svg
    from lxml import etree

    etree.fromstring(page.encode())  # every page is well-formed XHTML, whatever LMS reads it
    etree.fromstring(svg.encode())


def test_the_lesson_reviews_travel_in_the_manifest_and_on_the_lesson_page(pupils_course):
    package = package_of(pupils_course)
    manifest = package.read("imsmanifest.xml").decode()
    assert "<lomimscc:value>educational validator</lomimscc:value>" in manifest
    assert "<lomimscc:entity>Nguyễn Thị Lan (giáo viên)</lomimscc:entity>" in manifest
    assert "<lomimscc:dateTime>2026-11-20</lomimscc:dateTime>" in manifest
    page = package.read("bai-01/01-lam-bai-nhom-tren-mang.html").decode()
    assert "Bài đã được Nguyễn Thị Lan (giáo viên) duyệt ngày 20/11/2026." in page


def test_the_licence_is_in_the_manifest_metadata_and_on_every_page(basic):
    package = package_of(basic)
    manifest = package.read("imsmanifest.xml").decode()
    assert "<lomimscc:copyrightAndOtherRestrictions><lomimscc:value>yes" in manifest
    assert "CC BY 4.0" in manifest and cartridge.LICENCE_URL in manifest
    pages = [name for name in package.namelist() if name.endswith(".html")]
    assert len(pages) == 10
    assert all("CC BY 4.0" in package.read(name).decode() for name in pages)


def test_every_lesson_is_a_webcontent_resource_in_the_organisation_in_order(basic):
    from lxml import etree

    manifest = etree.fromstring(package_of(basic).read("imsmanifest.xml"))
    ns = {"cc": cartridge.CC_NAMESPACE}
    titles = manifest.xpath("//cc:organization/cc:item/cc:item/cc:item/cc:title/text()", namespaces=ns)
    assert titles == [lesson["title"] for lesson in basic.published_version.lessons()]
    resources = manifest.xpath("//cc:resource", namespaces=ns)
    assert {resource.get("type") for resource in resources} == {"webcontent"}
    hrefs = set(package_of(basic).namelist())
    assert all(file.get("href") in hrefs for file in manifest.xpath("//cc:file", namespaces=ns))


def test_a_package_reads_back_into_a_draft_with_the_same_lessons_and_drawings(pupils_course, basic):
    for original in (pupils_course, basic):
        buffer = io.BytesIO()
        cartridge.write_cartridge(original.published_version, buffer)
        buffer.seek(0)
        draft = cartridge_import.import_cartridge(buffer, code=f"nhap-{original.code}", actor=SYSTEM)
        assert draft.published_version is None and draft.title == original.published_version.title
        assert "CC BY 4.0" in draft.summary
        draft.competences.create(competence_code="2.4", level=1)
        version = publish_course(course=draft, actor=SYSTEM)
        before, after = original.published_version.lessons(), version.lessons()
        assert [lesson["title"] for lesson in after] == [lesson["title"] for lesson in before]
        assert [section["title"] for section in version.outline["sections"]] == [
            section["title"] for section in original.published_version.outline["sections"]
        ]
        for old, new in zip(before, after, strict=True):
            assert _words(new["html"]) == _words(old["html"])
            assert new["html"].count('role="img"') == old["html"].count('role="img"')


def _words(html: str) -> list[str]:
    without_drawings = re.sub(r"<svg .*?</svg>", "", html, flags=re.DOTALL)
    return re.sub(r"<[^>]+>", " ", without_drawings).split()


def test_a_round_tripped_drawing_is_the_same_drawing(pupils_course):
    buffer = io.BytesIO()
    cartridge.write_cartridge(pupils_course.published_version, buffer)
    buffer.seek(0)
    draft = cartridge_import.import_cartridge(buffer, code="nhap-hinh", actor=SYSTEM)
    drawing = draft.lessons.get().illustrations["images/chia-se.svg"]
    original = pupils_course.lessons.get().illustrations["images/chia-se.svg"]

    def unprefixed(svg):  # each load prefixes the drawing's ids with the lesson and drawing it belongs to
        return re.sub(r'(id="|#)[\w-]*mui-ten', r"\1mui-ten", svg)

    assert "mui-ten" in original and unprefixed(drawing) == unprefixed(original)


def hostile_package(members: dict[str, bytes]) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, data in members.items():
            package.writestr(name, data)
    buffer.seek(0)
    return buffer


MANIFEST = (
    b'<?xml version="1.0"?><manifest xmlns="http://www.imsglobal.org/xsd/imsccv1p3/imscp_v1p1" '
    b'identifier="m"><organizations><organization identifier="o" structure="rooted-hierarchy"><item '
    b'identifier="r"><item identifier="i" identifierref="R"><title>Bai</title></item></item></organization>'
    b'</organizations><resources><resource identifier="R" type="webcontent" href="%s"><file href="%s"/>'
    b"</resource></resources></manifest>"
)


def test_a_page_outside_the_package_is_never_read(db):
    source = hostile_package({"imsmanifest.xml": MANIFEST % (b"../../etc/passwd.html", b"../../etc/passwd.html")})
    with pytest.raises(DomainError, match="ra ngoài gói") as caught:
        cartridge_import.read_cartridge(source)
    assert caught.value.code == "not_a_cartridge"


def test_a_manifest_with_an_entity_is_refused(db):
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
        b"<manifest>&b;</manifest>"
    )
    with pytest.raises(DomainError, match="imsmanifest.xml"):
        cartridge_import.read_cartridge(hostile_package({"imsmanifest.xml": bomb}))


def test_a_file_that_is_not_a_zip_is_refused(db):
    with pytest.raises(DomainError, match="zip"):
        cartridge_import.read_cartridge(io.BytesIO(b"PK not really"))


def test_another_lms_page_with_scripts_becomes_plain_markdown(db):
    page = (
        b"<html><head><title>x</title><script>alert(1)</script></head><body><h1>Bai</h1><p>Mot <strong>hai"
        b"</strong> <a href='https://dichvucong.gov.vn'>ba</a>.</p><ul><li>Bon</li><li>Nam</li></ul>"
        b"<script>steal()</script><p onclick='x()'>Sau</p></body></html>"
    )
    read = cartridge_import.read_cartridge(
        hostile_package({"imsmanifest.xml": MANIFEST % (b"a.html", b"a.html"), "a.html": page})
    )
    lesson = read.sections[0].lessons[0]
    assert lesson.title == "Bai"
    assert lesson.body == "Mot **hai** [ba](https://dichvucong.gov.vn).\n\n- Bon\n- Nam\n\nSau\n"


def test_only_a_content_reviewer_may_import(db, province):
    from kynangso.accounts.models import Role
    from tests.factories import make_user

    learner = make_user("hoc_vien", Role.LEARNER, province.a)
    with pytest.raises(DomainError) as caught:
        cartridge_import.import_cartridge(io.BytesIO(b""), code="x", actor=learner)
    assert caught.value.code == "forbidden" and not Course.objects.filter(code="x").exists()


def test_the_import_command_makes_a_draft_from_a_package_file(pupils_course, tmp_path):
    from django.core.management import call_command

    path = tmp_path / "khoa.imscc"
    with path.open("wb") as handle:
        cartridge.write_cartridge(pupils_course.published_version, handle)
    out = io.StringIO()
    call_command("import-cartridge", str(path), "--code", "ban-sao", stdout=out)
    draft = Course.objects.get(code="ban-sao")
    assert draft.published_version is None and draft.lessons.count() == 1
    assert "Đã tạo bản nháp" in out.getvalue()
