"""Rounding once (issue 17, ADR 0039): 10 of 107 is 9,3458…% and reads 9,3% and 81 of 186 is 43,548…% and reads
43,5%, on the dashboard, in its chart, in the spreadsheet and in the PDF alike; never 9,4% and 43,6% by way of
the two-decimal 9,35 and 43,55."""

import base64
import datetime
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kynangso.monitoring import api as monitoring
from kynangso.monitoring.models import IndicatorValue, RollupState
from kynangso.plans import api as plans
from kynangso.reports import api as reports
from kynangso.reports.documents import IndicatorLine
from tests.monitoring.conftest import at, make_indicator
from tests.reports.pdf import pdf_text

pytestmark = pytest.mark.django_db
YEAR = 2026
RATE = "Tỷ lệ người dân đạt chuẩn (thử làm tròn)"
YEAR_END = datetime.date(YEAR, 12, 31)


@pytest.fixture
def rates(province):
    """Commune A: 10 of 107 passed; ward B: 81 of 186; the province 91 of 293 (31,06%); target 50% for 2026.
    The year's values were counted on 2 January of the next year, so no period is partial."""
    indicator = make_indicator(
        "ty-le-thu",
        name=RATE,
        measure="percent",
        source="passed_standard",
        attribution="residence",
        period_mode="cumulative",
        denominator="unit_denominator",
        denominator_kind="working_age_residents",
    )
    plan = plans.create_plan(
        key="ke-hoach-lam-tron",
        number_symbol="7/KH-UBND",
        title="Kế hoạch làm tròn",
        issuing_body="UBND tỉnh Thử nghiệm",
        issued_year=2025,
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2030, 12, 31),
    )
    monitoring.Target.objects.create(
        plan_id=plan.pk, indicator=indicator, unit=province.root, year=YEAR, value=Decimal(50)
    )
    counted = at(YEAR + 1, 1, 2)
    for unit, numerator, denominator in ((province.root, 91, 293), (province.a, 10, 107), (province.b, 81, 186)):
        IndicatorValue.objects.create(
            indicator=indicator,
            unit_id=unit.pk,
            period_end=YEAR_END,
            numerator=numerator,
            denominator=denominator,
            computed_at=counted,
        )
    RollupState.objects.create(full_computed_at=counted, watermark=counted, last_run_at=counted)
    return plan


def svg_texts(data_uri: str) -> str:
    return base64.b64decode(data_uri.split(",", 1)[1]).decode()


def test_the_stored_counts_stay_exact_and_the_value_is_rounded_once(rates, province):
    (a,) = monitoring.indicator_statuses(plan_id=rates.pk, unit_id=province.a.pk, year=YEAR)
    (b,) = monitoring.indicator_statuses(plan_id=rates.pk, unit_id=province.b.pk, year=YEAR)
    assert (a.numerator, a.denominator, a.value) == (10, 107, Decimal("9.3"))
    assert (b.numerator, b.denominator, b.value) == (81, 186, Decimal("43.5"))
    assert (a.gap, b.gap) == (Decimal("40.7"), Decimal("6.5"))  # the target minus the figure as shown


def test_the_dashboard_table_and_its_chart_read_the_same(client, rates, province, provincial_admin):
    client.force_login(provincial_admin)
    page = client.get(
        reverse("monitoring:unit", args=[province.root.pk]), {"nam": YEAR, "ke-hoach": rates.pk}
    ).content.decode()
    children = page[page.index('id="don-vi-truc-thuoc"') :]
    assert "9,3%" in children and "43,5%" in children
    assert "9,4%" not in children and "43,6%" not in children
    chart = svg_texts(re.search(r'<img src="(data:image/svg\+xml;base64,[^"]+)"', children).group(1))
    assert "9,3%" in chart and "43,5%" in chart
    assert "9,4%" not in chart and "43,6%" not in chart


def test_a_communes_card_shows_the_figure_rounded_once(client, rates, province, provincial_admin):
    client.force_login(provincial_admin)
    page = client.get(
        reverse("monitoring:unit", args=[province.a.pk]), {"nam": YEAR, "ke-hoach": rates.pk}
    ).content.decode()
    assert 'data-testid="value">9,3%</span>' in page
    assert "10 trên 107" in page


def test_the_spreadsheets_hold_the_figures_as_read(rates, province, provincial_admin, commune_admin):
    report = reports.start_report(unit=province.a, year=YEAR, actor=commune_admin, plan_id=rates.pk)
    sheet = load_workbook(io.BytesIO(reports.unit_report_xlsx(report)))["Báo cáo"]
    row = next(row for row in sheet.iter_rows(values_only=True) if row[1] == RATE)
    assert (row[3], row[5], row[6], row[7]) == (9.3, 40.7, 10, 107)

    consolidated = reports.consolidated_report(
        province=province.root, year=YEAR, plan_id=rates.pk, with_charts=False, today=datetime.date(YEAR, 12, 20)
    )
    book = load_workbook(io.BytesIO(reports.province_report_xlsx(consolidated)))
    units = {row[1]: row[2] for row in book["Theo đơn vị"].iter_rows(min_row=3, values_only=True)}
    assert (units["Xã An Bình"], units["Phường Bình Minh"]) == (9.3, 43.5)


def test_the_pdfs_text_and_charts_agree_with_the_page(rates, province, commune_admin):
    report = reports.start_report(unit=province.a, year=YEAR, actor=commune_admin, plan_id=rates.pk)
    text = pdf_text(reports.unit_report_pdf(report))
    assert "9,3%" in text and "9,4%" not in text

    consolidated = reports.consolidated_report(
        province=province.root, year=YEAR, plan_id=rates.pk, today=datetime.date(YEAR, 12, 20)
    )
    text = pdf_text(reports.province_report_pdf(consolidated))
    assert "9,3%" in text and "43,5%" in text
    assert "9,4%" not in text and "43,6%" not in text
    ((_name, chart),) = consolidated.charts
    assert "9,3%" in svg_texts(chart) and "43,5%" in svg_texts(chart)


def test_a_report_frozen_with_two_decimals_reads_from_its_exact_counts():
    # Reports frozen before rounding once kept «9.35» beside 10/107: the exact counts decide, not the old value.
    line = IndicatorLine(
        row={"measure": "percent", "value": "9.35", "numerator": 10, "denominator": 107, "target": "50.00"}
    )
    assert line.value_text == "9,3%"


def test_a_chart_label_rounds_like_the_table():
    # 36,25 read 36,2 on the PDF's chart (binary float, half to even) and 36,3 in its table.
    svg = monitoring.charts.progress_chart_svg(rows=[("Xã An Bình", Decimal("36.25"), None)], measure="percent")
    assert "36,3%" in svg and "36,2%" not in svg
