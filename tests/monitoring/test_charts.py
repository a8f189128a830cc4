"""Indicator charts: SVG drawn by matplotlib with its text kept as text, the same bytes for the same figures."""

import datetime
from decimal import Decimal

from kynangso.monitoring import charts

POINTS = [
    (datetime.date(2026, 3, 31), Decimal("12.5")),
    (datetime.date(2026, 6, 30), Decimal("25")),
    (datetime.date(2026, 9, 30), Decimal("37.5")),
]


def test_a_trend_chart_is_an_svg_whose_labels_stay_text():
    svg = charts.trend_chart_svg(
        points=POINTS,
        measure="percent",
        target=Decimal("70"),
        target_date=datetime.date(2026, 12, 31),
        projection=Decimal("50"),
    )
    assert svg.startswith("<svg")
    assert "<text" in svg
    for label in ("Thực hiện", "Dự báo", "Chỉ tiêu", "100,0%"):
        assert label in svg


def test_the_same_figures_give_the_same_chart_and_other_figures_another():
    first = charts.trend_chart_svg(points=POINTS, measure="percent", target=Decimal("70"))
    again = charts.trend_chart_svg(points=list(POINTS), measure="percent", target=Decimal("70"))
    other = charts.trend_chart_svg(points=POINTS[:2], measure="percent", target=Decimal("70"))
    assert first == again
    assert first != other


def test_a_chart_is_drawn_once_and_then_served_from_the_cache(monkeypatch):
    drawn = []
    original = charts._draw_progress
    monkeypatch.setattr(charts, "_draw_progress", lambda *args: drawn.append(args) or original(*args))
    rows = [("Xã An Bình", Decimal("6"), Decimal("8")), ("Phường Bình Minh", Decimal("9"), None)]
    charts.progress_chart_svg(rows=rows, measure="count")
    svg = charts.progress_chart_svg(rows=rows, measure="count")
    assert len(drawn) == 1
    assert "Xã An Bình" in svg and "Phường Bình Minh" in svg


def test_counts_use_the_vietnamese_thousands_separator():
    svg = charts.progress_chart_svg(rows=[("Tỉnh", Decimal("12345"), Decimal("20000"))], measure="count")
    assert "12.345" in svg


def _texts(svg: str) -> list[str]:
    import html
    import re

    return [html.unescape(text) for text in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]


def test_long_labels_are_wrapped_whole_so_two_indicators_never_read_alike():
    """Issue 18: labels cut at 40 characters read identically in the annual report."""
    first = "Tỷ lệ người dân từ 15 tuổi trở lên có kỹ năng số cơ bản ở khu vực nông thôn"
    second = "Tỷ lệ người dân từ 15 tuổi trở lên có kỹ năng số cơ bản ở khu vực thành thị"
    svg = charts.progress_chart_svg(
        rows=[(first, Decimal("40"), Decimal("60")), (second, Decimal("55"), Decimal("60"))], measure="percent"
    )
    words = " ".join(_texts(svg)).split()
    for label in (first, second):
        joined = " ".join(words)
        assert " ".join(label.split()[-3:]) in joined, label  # the end of each label is printed too
    assert "nông" in words and "thôn" in words and "thành" in words and "thị" in words


def test_large_counts_get_few_axis_numbers_that_do_not_run_together():
    """Issue 18: «250.000500.000…» on the axis of a consolidated report."""
    rows = [(f"Xã {number}", Decimal(number * 250_000), None) for number in range(1, 5)]
    texts = _texts(charts.progress_chart_svg(rows=rows, measure="count"))
    axis_numbers = [text for text in texts if text.replace(".", "").isdigit()]  # bar values start with a space
    assert 3 <= len(axis_numbers) <= 5, axis_numbers


def test_a_chart_without_any_figure_says_there_is_no_data_yet():
    empty = charts.progress_chart_svg(
        rows=[("Xã An Bình", None, Decimal("8")), ("Phường Bình Minh", None, None)], measure="count"
    )
    assert charts.NO_DATA in _texts(empty) and "Xã An Bình" not in empty
    assert charts.NO_DATA in _texts(charts.trend_chart_svg(points=[], measure="percent"))
