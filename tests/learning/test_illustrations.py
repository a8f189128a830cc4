"""Lesson illustrations: an SVG drawn for a lesson reaches the page inline and harmless, named by its alt text, and a
course whose picture has no words, or no file, does not load (ADR 0044)."""

import shutil

import pytest

from kynangso.accounts.api import SYSTEM
from kynangso.errors import DomainError
from kynangso.learning import api as learning
from kynangso.learning.illustrations import MAX_SVG_BYTES, sanitise_svg
from tests.learning.conftest import FIXTURE_COURSE

HOSTILE = """<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="200"
  height="100" onload="alert(1)"><script>alert(2)</script><style>rect{fill:red}</style>
  <rect width="10" height="10" onclick="alert(3)" style="fill:#f00;stroke:url(https://example.com/x)"/>
  <use xlink:href="https://example.com/sprite.svg#icon"/><image href="https://example.com/p.png"/>
  <foreignObject><p>HTML</p></foreignObject><a href="javascript:alert(4)"><text x="1">Bấm</text></a>
  <rect width="5" height="5" fill="url(https://example.com/#g)"/></svg>"""


def clean(markup: str) -> str:
    return sanitise_svg(markup.encode(), name="thu.svg", id_prefix="bai-thu")


def test_scripts_handlers_styles_and_html_never_survive_in_a_drawing():
    svg = clean(HOSTILE)
    for forbidden in ("script", "alert", "onload", "onclick", "<style", "foreignObject", "<p>", "javascript"):
        assert forbidden not in svg
    assert "<text" in svg and "Bấm" in svg  # the link is dropped, the words it wrapped are kept


def test_nothing_in_a_drawing_points_outside_it():
    svg = clean(HOSTILE)
    assert "example.com" not in svg and "<image" not in svg and "href" not in svg


def test_an_inline_style_becomes_presentation_attributes_the_csp_allows():
    svg = clean(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect style="fill:#fff4d6; '
        'stroke:#a36b00" width="1" height="1"/></svg>'
    )
    assert 'fill="#fff4d6"' in svg and 'stroke="#a36b00"' in svg and "style" not in svg


def test_ids_and_references_inside_a_drawing_are_renamed_so_two_drawings_can_share_a_page():
    svg = clean(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 9 9"><defs><marker id="m"/></defs>'
        '<line marker-end="url(#m)"/><use href="#m"/></svg>'
    )
    assert 'id="bai-thu-m"' in svg and 'marker-end="url(#bai-thu-m)"' in svg and 'href="#bai-thu-m"' in svg


def test_a_drawing_without_a_viewbox_gets_one_from_its_size_and_scales_to_the_phone():
    svg = clean('<svg xmlns="http://www.w3.org/2000/svg" width="300" height="120"><rect width="1" height="1"/></svg>')
    assert 'viewBox="0 0 300 120"' in svg and 'width="300"' not in svg


@pytest.mark.parametrize(
    "data",
    [
        b"<html><body>no</body></html>",
        b"not xml at all",
        b'<!DOCTYPE svg [<!ENTITY x "y">]><svg xmlns="http://www.w3.org/2000/svg">&x;</svg>',
    ],
)
def test_a_file_that_is_not_a_plain_svg_is_refused(data):
    with pytest.raises(DomainError) as caught:
        sanitise_svg(data, name="hong.svg", id_prefix="p")
    assert caught.value.code == "illustration" and "hong.svg" in caught.value.message


def test_a_drawing_too_heavy_for_the_page_budget_is_refused():
    shapes = '<rect width="1" height="1" fill="#123456"/>' * (MAX_SVG_BYTES // 30)
    with pytest.raises(DomainError, match="KB"):
        clean(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 9 9">{shapes}</svg>')


def test_a_loaded_lesson_shows_its_drawing_inline_named_by_its_alt_text(pupils_course):
    lesson = pupils_course.published_version.lessons()[0]
    html = lesson["html"]
    assert '<figure class="illustration" data-image="images/chia-se.svg">' in html
    assert 'role="img" aria-label="Ba bước chia sẻ tài liệu: mở tài liệu, bấm Chia sẻ, nhập tên bạn cùng nhóm"' in html
    assert "<img" not in html and "<title>" not in html  # the alt text names the drawing, once
    assert 'fill="#fff4d6"' in html  # the drawing's own style attribute, made CSP-proof


def copy_of_fixture(tmp_path):
    folder = tmp_path / "hoc-sinh-thu"
    shutil.copytree(FIXTURE_COURSE, folder)
    return folder


def test_a_lesson_image_without_alt_text_stops_the_course_loading_with_a_clear_message(courses, tmp_path):
    folder = copy_of_fixture(tmp_path)
    lesson = folder / "01-lam-bai-nhom-tren-mang.md"
    lesson.write_text(
        lesson.read_text(encoding="utf-8").replace("![Ba bước", "![](images/chia-se.svg) ![Ba bước"), encoding="utf-8"
    )
    with pytest.raises(DomainError) as caught:
        learning.load_course_dir(folder, actor=SYSTEM)
    assert "thiếu lời mô tả" in caught.value.message and "01-lam-bai-nhom-tren-mang.md" in caught.value.message


def test_a_lesson_naming_a_drawing_that_is_not_there_does_not_load(courses, tmp_path):
    folder = copy_of_fixture(tmp_path)
    (folder / "images" / "chia-se.svg").unlink()
    with pytest.raises(DomainError, match="images/chia-se.svg"):
        learning.load_course_dir(folder, actor=SYSTEM)


def test_a_changed_drawing_publishes_a_new_version(pupils_course, tmp_path):
    folder = copy_of_fixture(tmp_path)
    drawing = folder / "images" / "chia-se.svg"
    drawing.write_text(drawing.read_text(encoding="utf-8").replace("#e8f1fb", "#ffffff"), encoding="utf-8")
    course, published = learning.load_course_dir(folder, actor=SYSTEM)
    assert published and 'fill="#ffffff"' in course.published_version.lessons()[0]["html"]
