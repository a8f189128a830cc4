"""Lesson Markdown is rendered safely: injected scripts, handlers and javascript: links never reach the page."""

import re

from kynangso.learning.rendering import clean_html, render_lesson_markdown


def test_a_script_tag_in_a_lesson_is_shown_as_text_not_run():
    html = render_lesson_markdown("Xin chào <script>alert('x')</script>")
    assert "<script" not in html and "&lt;script&gt;" in html


def test_raw_html_with_an_onerror_handler_never_becomes_an_element():
    html = render_lesson_markdown('<img src="x" onerror="alert(1)">\n\n![ảnh](x.png" onerror="alert(1))')
    assert not re.search(r"<[a-z]+[^>]*\son\w+=", html)


def test_the_sanitiser_strips_event_handlers_and_script_content():
    html = clean_html('<p onclick="x()">a</p><img src="https://a.vn/b.png" onerror="alert(1)"><script>bad()</script>')
    assert html == '<p>a</p><img src="https://a.vn/b.png">'


def test_javascript_links_are_not_links():
    html = render_lesson_markdown(
        "[bấm](javascript:alert(1)) [bấm](JaVaScRiPt:alert(1)) [ok](https://dichvucong.gov.vn)"
    )
    assert 'href="javascript' not in html.lower()
    assert '<a href="https://dichvucong.gov.vn" rel="noopener noreferrer">ok</a>' in html


def test_a_data_url_image_is_dropped():
    html = render_lesson_markdown("![x](data:image/svg+xml;base64,PHN2Zz4=)")
    assert "<img" not in html and 'src="data:' not in html


def test_an_image_named_after_a_lesson_file_uses_the_phone_sized_file():
    html = render_lesson_markdown(
        "![Màn hình khóa](khoa.jpg)",
        images={"khoa.jpg": {"url": "/media/learning/files/khoa.jpg", "width": 960, "height": 540}},
    )
    assert 'src="/media/learning/files/khoa.jpg"' in html
    assert 'width="960"' in html and 'loading="lazy"' in html and 'alt="Màn hình khóa"' in html


def test_headings_start_below_the_lesson_title():
    html = render_lesson_markdown("# Một\n\n## Hai")
    assert "<h1>" not in html and "<h2>Một</h2>" in html
