"""What a report document shows, in the Vietnamese administrative style (Nghị định 30/2020/NĐ-CP): the header
block, the place-and-date line, indicator tables with charts, and the consolidated report of a province."""

import base64
import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from kynangso.monitoring import api as monitoring
from kynangso.monitoring.api import charts
from kynangso.numbers import figure_text, round_figure
from kynangso.orgs import api as orgs
from kynangso.reports import figures, selectors
from kynangso.reports.models import AnnualReport

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
ROLE_LABELS = {"lead": "Chủ trì", "cooperate": "Phối hợp"}


# «Phú Hòa, ngày 05 tháng 12 năm 2026»: the rule is the letterhead's, shared with certificates.
date_line = orgs.date_line


def svg_data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


@dataclass
class IndicatorLine:
    """One indicator in a document: the frozen row and its texts and chart."""

    row: dict
    chart_uri: str = ""

    @property
    def measure(self):
        return self.row["measure"]

    def text(self, name):
        return figure_text(figures.shown(self.row, name), self.measure)

    @property
    def value_text(self):
        return self.text("value")

    @property
    def target_text(self):
        return self.text("target")

    @property
    def interval_text(self) -> str:
        """A survey estimate's 95% interval («75,3% – 80,9%»); empty for other indicators."""
        low, high = figures.as_decimal(self.row.get("ci_low")), figures.as_decimal(self.row.get("ci_high"))
        if low is None or high is None:
            return ""
        return f"{figure_text(low, self.measure)} – {figure_text(high, self.measure)}"

    @property
    def gap_text(self):
        return self.text("gap")

    @property
    def projection_text(self):
        return self.text("projection")

    @property
    def progress_percent(self):
        value, target = figures.shown(self.row, "value"), figures.as_decimal(self.row.get("target"))
        if value is None or target is None:
            return None
        return round_figure(100 if target <= 0 else max(0, min(value / target, 1)) * 100, "count")


def indicator_lines(rows: list[dict], *, year: int, with_charts: bool) -> list[IndicatorLine]:
    lines = []
    for row in rows:
        uri = ""
        if with_charts and row.get("trend"):
            svg = charts.trend_chart_svg(
                points=[(datetime.date.fromisoformat(day), Decimal(value)) for day, value in row["trend"]],
                measure=row["measure"],
                target=figures.as_decimal(row.get("target")),
                target_date=datetime.date(row.get("target_year") or year, 12, 31),
                projection=figures.as_decimal(row.get("projection")),
            )
            uri = svg_data_uri(svg)
        lines.append(IndicatorLine(row=row, chart_uri=uri))
    return lines


def task_lines(rows: list[dict]) -> list[dict]:
    return [{**row, "role_label": ROLE_LABELS.get(row.get("role"), row.get("role") or "")} for row in rows]


def text_sections(report: AnnualReport) -> list[tuple[str, str]]:
    """The report's free-text sections that are filled in, as (heading, text)."""
    return [
        (heading, text)
        for heading, text in (
            ("Đánh giá chung", report.general_assessment),
            ("Kết quả nổi bật", report.results_narrative),
            ("Tồn tại, hạn chế và nguyên nhân", report.shortcomings),
            ("Phương hướng, nhiệm vụ năm tới", report.next_year_tasks),
            ("Kiến nghị, đề xuất", report.proposals),
        )
        if text.strip()
    ]


def unit_document(report: AnnualReport, *, with_charts: bool = True) -> dict:
    """The template context of one unit's report."""
    lines = indicator_lines(report.indicator_rows, year=report.year, with_charts=with_charts)
    overview = ""
    if with_charts and lines:
        overview = (
            svg_data_uri(
                charts.progress_chart_svg(
                    rows=[
                        (line.row["name"], figures.shown(line.row, "value"), figures.as_decimal(line.row.get("target")))
                        for line in lines
                        if line.measure == "percent"
                    ],
                    measure="percent",
                )
            )
            if any(line.measure == "percent" for line in lines)
            else ""
        )
    return {
        "report": report,
        "national_title": NATIONAL_TITLE,
        "motto": MOTTO,
        "date_line": date_line(report.place_name, report.issued_on),
        "issuing_lines": orgs.agency_lines(report.issuing_body),
        "indicators": lines,
        "tasks": task_lines(report.task_rows),
        "overview_chart": overview,
        "as_of": report.figures_as_of,
        "sections": text_sections(report),
    }


@dataclass
class ConsolidatedReport:
    """The province's report with its units: the province's own figures, each unit's, and who has reported."""

    province: object
    year: int
    plan_id: int | None
    header: AnnualReport | None
    indicators: list[IndicatorLine]
    unit_names: list[str] = field(default_factory=list)
    unit_values: list[list[str]] = field(default_factory=list)  # one row per unit, one text per indicator
    unit_numbers: list[list] = field(default_factory=list)  # the same as Decimals (or None) for spreadsheets
    completeness: list = field(default_factory=list)
    as_of: datetime.datetime | None = None
    charts: list[tuple[str, str]] = field(default_factory=list)  # (indicator name, data URI) by unit

    @property
    def unit_rows(self) -> list[tuple[str, list[str]]]:
        return list(zip(self.unit_names, self.unit_values, strict=True))


def consolidated_report(
    *, province, year: int, plan_id: int | None, with_charts: bool = True, today: datetime.date | None = None
) -> ConsolidatedReport:
    """Build the province's consolidated report for `year` from live monitoring figures and the unit reports.

    The table by unit lists the province's reporting units (communes, wards, departments: selectors.REPORTING_KINDS)."""
    header = AnnualReport.objects.filter(unit=province, year=year).first()
    statuses = monitoring.indicator_statuses(plan_id=plan_id, unit_id=province.pk, year=year) if plan_id else []
    rows = figures.with_outside([figures.indicator_row(status) for status in statuses], unit_id=province.pk, year=year)
    result = ConsolidatedReport(
        province=province,
        year=year,
        plan_id=plan_id,
        header=header,
        indicators=indicator_lines(rows, year=year, with_charts=with_charts),
    )
    by_unit: dict[int, dict] = {}
    names: dict[int, str] = {}
    reporting = set(selectors.reporting_units(province).values_list("pk", flat=True))
    for row in rows:
        for unit_id, unit_name, status in monitoring.child_unit_statuses(
            plan_id=plan_id, unit_id=province.pk, year=year, indicator_code=row["code"]
        ):
            if unit_id not in reporting:  # schools, enterprises… report through their own channels
                continue
            names[unit_id] = unit_name
            by_unit.setdefault(unit_id, {})[row["code"]] = status.value
        if with_charts:
            unit_rows = [
                (names[unit_id], values.get(row["code"]), figures.as_decimal(row.get("target")))
                for unit_id, values in by_unit.items()
                if row["code"] in values
            ]
            if unit_rows:
                result.charts.append(
                    (row["name"], svg_data_uri(charts.progress_chart_svg(rows=unit_rows, measure=row["measure"])))
                )
    for unit_id, values in by_unit.items():
        result.unit_names.append(names[unit_id])
        numbers = [values.get(row["code"]) for row in rows]
        result.unit_numbers.append(numbers)
        result.unit_values.append(
            [figure_text(number, row["measure"]) for number, row in zip(numbers, rows, strict=True)]
        )
    result.completeness = selectors.completeness(province=province, year=year, today=today)
    computed = [status.computed_at for status in statuses if status.computed_at]
    result.as_of = max(computed) if computed else timezone.now()
    return result
