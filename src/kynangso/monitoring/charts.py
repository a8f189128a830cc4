"""Charts of indicators drawn by matplotlib as SVG, the same image on the page and in the PDF (ADR 0018), cached."""

import datetime
import hashlib
import io
import textwrap
from decimal import Decimal

import matplotlib

matplotlib.use("Agg")  # no display on a server; must come before pyplot is imported

from django.core.cache import cache  # noqa: E402
from matplotlib import dates as mdates  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from kynangso.numbers import figure_vietnamese, vietnamese_number  # noqa: E402

CACHE_SECONDS = 24 * 3600
CHART_VERSION = "7"  # bump to invalidate cached charts when the drawing changes
INK, BRAND, TARGET, RISK, GRID = "#1a1a1a", "#0b5cab", "#2e7d32", "#c62828", "#d0d7de"
STYLE = {
    "svg.fonttype": "none",  # text stays text: searchable, sharp, and rendered with the page's own fonts
    "svg.hashsalt": "kynangso",  # stable element ids, so equal charts give equal bytes (and cache hits)
    "font.family": ["DejaVu Sans", "Liberation Sans", "sans-serif"],
    "font.size": 10,
    "axes.edgecolor": GRID,
    "axes.labelcolor": INK,
    "xtick.color": INK,
    "ytick.color": INK,
}


def _cached(kind: str, payload: tuple, draw) -> str:
    key = "chart:" + hashlib.sha256(repr((CHART_VERSION, kind, payload)).encode()).hexdigest()
    svg = cache.get(key)
    if svg is None:
        svg = draw()
        cache.set(key, svg, CACHE_SECONDS)
    return svg


def _svg(figure: Figure) -> str:
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "kynangso"}):
        figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    text = buffer.getvalue()
    return text[text.index("<svg") :]  # drop the XML prolog and doctype, so it can sit inside HTML


def _number(value: float, measure: str) -> str:
    """A figure on a chart, rounded by the same rule as the tables (a float here is a figure already rounded for
    people or an axis tick, read as the decimal it prints as)."""
    return figure_vietnamese(value, measure)


def trend_chart_svg(
    *,
    points,
    measure: str,
    target: Decimal | None = None,
    target_date: datetime.date | None = None,
    projection: Decimal | None = None,
) -> str:
    """A line of the indicator's values over time, the target as a line, and the projection as a dashed segment.

    `points` are (date, value) pairs in time order. Returns an SVG document without prolog."""
    points = tuple((day, float(value)) for day, value in points)
    payload = (
        points,
        measure,
        None if target is None else float(target),
        target_date,
        None if projection is None else float(projection),
    )
    return _cached("trend", payload, lambda: _draw_trend(*payload))


def _draw_trend(points, measure, target, target_date, projection) -> str:
    if not points and target is None:
        return _no_data_svg()
    with matplotlib.rc_context(STYLE):
        figure = Figure(figsize=(4.6, 2.5))
        axes = figure.add_subplot()
        if points:
            days = [day for day, _v in points]
            values = [value for _d, value in points]
            axes.plot(days, values, color=BRAND, linewidth=2, marker="o", markersize=3, label="Thực hiện")
            if projection is not None and target_date is not None:
                axes.plot(
                    [days[-1], target_date],
                    [values[-1], projection],
                    color=BRAND,
                    linestyle="--",
                    linewidth=1.5,
                    label="Dự báo",
                )
        if target is not None:
            axes.axhline(target, color=TARGET, linewidth=1.2, linestyle=":", label="Chỉ tiêu")
        if measure == "percent":
            axes.set_ylim(0, 100)
        else:
            axes.set_ylim(bottom=0)
            axes.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
        axes.yaxis.set_major_formatter(lambda value, _pos: _number(value, measure))
        _date_axis(axes, [day for day, _v in points] + ([target_date] if target_date else []))
        axes.grid(axis="y", color=GRID, linewidth=0.6)
        axes.spines[["top", "right"]].set_visible(False)
        if points or target is not None:
            axes.legend(loc="upper left", frameon=False, fontsize=8, ncols=3)
        figure.tight_layout()
        return _svg(figure)


def _date_axis(axes, days) -> None:
    """Years on the axis when the chart spans years (yearly values), months otherwise; a lone point gets its year."""
    if not days:
        return
    if all((day.month, day.day) == (12, 31) for day in days):  # yearly values: one labelled tick per year
        axes.set_xticks(sorted(set(days)), [str(day.year) for day in sorted(set(days))])
        first, last = min(days), max(days)
        margin = datetime.timedelta(days=max(60, (last - first).days // 10))
        axes.set_xlim(first - margin, last + margin)
        return
    first, last = min(days), max(days)
    if (last - first).days < 60:
        first, last = datetime.date(first.year, 1, 1), datetime.date(last.year, 12, 31)
    margin = datetime.timedelta(days=max(15, (last - first).days // 20))
    axes.set_xlim(first - margin, last + margin)
    if (last - first).days > 800:
        axes.xaxis.set_major_locator(mdates.YearLocator())
        axes.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    else:
        axes.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=3, maxticks=6))
        axes.xaxis.set_major_formatter(mdates.DateFormatter("%m/%Y"))


NO_DATA = "Chưa có số liệu"


def _wrapped(label: str, width: int = 30) -> str:
    """The whole label on as many lines as it needs, broken between words: a cut label can read like another."""
    return "\n".join(textwrap.wrap(label, width)) or label


def _no_data_svg() -> str:
    """A small panel saying «Chưa có số liệu» where a chart has nothing to draw."""
    with matplotlib.rc_context(STYLE):
        figure = Figure(figsize=(4.6, 0.8))
        axes = figure.add_subplot()
        axes.set_axis_off()
        axes.text(0.5, 0.5, NO_DATA, ha="center", va="center", fontsize=10, color=INK, style="italic")
        return _svg(figure)


def progress_chart_svg(*, rows, measure: str) -> str:
    """Horizontal bars of value per unit (or indicator) with each one's target marked.

    `rows` are (label, value or None, target or None) in display order."""
    payload = (
        tuple(
            (label, None if value is None else float(value), None if target is None else float(target))
            for label, value, target in rows
        ),
        measure,
    )
    return _cached("progress", payload, lambda: _draw_progress(*payload))


def _draw_progress(rows, measure) -> str:
    if all(value is None for _l, value, _t in rows):
        return _no_data_svg()
    with matplotlib.rc_context(STYLE):
        compact = len(rows) > 12  # long lists (every commune of a province) must still fit an A4 page
        labels = [_wrapped(label) for label, _v, _t in rows][::-1]
        lines = max(label.count("\n") + 1 for label in labels)
        height = 0.9 + (0.24 if compact else 0.4) * max(len(rows), 1) * (1 + 0.45 * (lines - 1))
        figure = Figure(figsize=(4.6, height))
        axes = figure.add_subplot()
        values = [value or 0 for _l, value, _t in rows][::-1]
        colours = [RISK if target is not None and (value or 0) < target else BRAND for _l, value, target in rows][::-1]
        positions = range(len(rows))
        axes.barh(list(positions), values, color=colours, height=0.7 if compact else 0.6)
        for position, (_label, value, target) in zip(positions, rows[::-1], strict=True):
            if target is not None:
                axes.plot([target, target], [position - 0.4, position + 0.4], color=TARGET, linewidth=2)
            axes.text(
                value or 0,
                position,
                " " + ("—" if value is None else _number(value, measure)),
                va="center",
                fontsize=8,
                color=INK,
            )
        axes.set_yticks(list(positions), labels, fontsize=8 if compact else None)
        if measure == "percent":
            axes.set_xlim(0, 110)
            axes.set_xticks([0, 25, 50, 75, 100])
        else:
            # Few ticks: «250.000» and «500.000» side by side must not run into each other.
            axes.xaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))
        # Whole percents on the axis («25%», not «25,0%»), so neighbouring numbers keep a gap between them.
        axes.xaxis.set_major_formatter(
            lambda value, _pos: vietnamese_number(value, 0) + "%" if measure == "percent" else _number(value, measure)
        )
        axes.grid(axis="x", color=GRID, linewidth=0.6)
        axes.spines[["top", "right"]].set_visible(False)
        figure.tight_layout()
        return _svg(figure)
