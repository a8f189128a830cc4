"""Indicator charts: SVG drawn by matplotlib with its text kept as text, the same bytes for the same figures."""
import datetime
from decimal import Decimal

from kynangso.monitoring import charts

POINTS = [(datetime.date(2026, 3, 31), Decimal("12.5")), (datetime.date(2026, 6, 30), Decimal("25")),
          (datetime.date(2026, 9, 30), Decimal("37.5"))]


def test_a_trend_chart_is_an_svg_whose_labels_stay_text():
    svg = charts.trend_chart_svg(points=POINTS, measure="percent", target=Decimal("70"),
                                 target_date=datetime.date(2026, 12, 31), projection=Decimal("50"))
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
