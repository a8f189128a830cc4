"""The learning-pages benchmark still runs (a small catalogue; one lesson in Chromium), so `benchmarks/run` does not
rot. Structural facts only, never times."""

import io
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.management import call_command

from benchmarks import learning_pages


def test_catalogue_part_times_the_page_against_the_bare_listing(db):
    out = io.StringIO()
    results = learning_pages.run_catalogue(courses=20, rounds=2, out=out)
    assert results.ok, results.errors
    assert results.generated == 20 and results.courses == 20
    assert results.shown == 20 and results.bare_shown == 20
    assert all(learning_pages.course_title(index) in results.page_html for index in range(20))
    assert len(results.page.seconds) == 2 and len(results.bare.seconds) == 2
    assert results.page.median_ms > 0 and results.bare.median_ms > 0 and results.ratio > 0
    assert results.page_bytes > results.bare_bytes > 0
    assert results.few_courses == 5 and results.queries == results.queries_few > 0
    assert results.bare_queries == 1
    text = out.getvalue()
    assert "Danh mục hiển thị trong" in text and "lần danh sách trần" in text
    assert "số truy vấn không tăng theo số khóa học" in text


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_lesson_part_counts_the_requests_and_bytes_of_a_lesson_page(live_server):
    call_command("load-content", stdout=io.StringIO())
    lesson_paths = learning_pages.prepare_learner()
    # In a thread of its own: no other Playwright event loop (the browser tests' session fixture) is in the way.
    with ThreadPoolExecutor(max_workers=1) as pool:
        results = pool.submit(
            learning_pages.measure_lesson_pages, base_url=live_server.url, lesson_paths=lesson_paths, sweep=False
        ).result(timeout=300)
    assert results.ok, results.cold.errors + results.warm.errors
    cold = results.cold
    assert cold.title == "Nhận biết lừa đảo và bảo vệ tài khoản"
    assert cold.requests > 0 and cold.total_bytes > 0 and cold.body_bytes > 0
    assert [r.kind for r in cold.counted].count("Document") == 1
    assert any(r.kind == "Stylesheet" for r in cold.counted)
    assert cold.html_gzip_bytes > 0
    assert results.warm.requests > 0 and results.warm.url != cold.url
    lines = []
    learning_pages.report_lessons(results, lines.append)
    assert any(line.startswith("Mục tiêu (dưới 150 KB và dưới 10 yêu cầu") for line in lines)
