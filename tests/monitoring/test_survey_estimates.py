"""A survey indicator («ước lượng từ khảo sát») on the dashboard and in the indicator API: its value carries the
95% interval, and the target is judged against the interval (đạt / chưa đạt / chưa thể kết luận)."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from kynangso.accounts import api as accounts
from kynangso.accounts.models import Role
from kynangso.monitoring import api as monitoring
from kynangso.monitoring.models import Target
from kynangso.monitoring.status import verdict
from kynangso.survey.models import Estimate, Questionnaire, Survey
from tests.factories import make_user
from tests.monitoring.conftest import make_indicator

YEAR = 2025


def estimate_for(unit, *, value, low, high, respondents=900, reason=""):
    questionnaire = Questionnaire.objects.create(
        code="ky-nang-so-nguoi-dan", version=1, title="Khảo sát", definition={}, digest="x"
    )
    survey = Survey.objects.create(
        questionnaire=questionnaire,
        unit=unit,
        year=YEAR,
        reference_day=datetime.date(YEAR, 12, 31),
        seed=1,
        psu_count=40,
        persons_per_psu=25,
        drawn_at=timezone.now(),
        estimated_at=timezone.now(),
    )
    Estimate.objects.create(
        survey=survey,
        domain="all",
        respondents=respondents,
        psus=40,
        value=value,
        standard_error=0.02,
        ci_low=low,
        ci_high=high,
        suppressed_reason=reason,
        calibrated=True,
        computed_at=timezone.now(),
    )


@pytest.fixture
def surveyed(province):
    from kynangso.plans import api as plans

    indicator = make_indicator(
        "nguoi-truong-thanh-ky-nang-so-khao-sat",
        name="Tỷ lệ có kỹ năng số (khảo sát)",
        measure="percent",
        kind="survey",
        survey_code="ky-nang-so-nguoi-dan",
        applies_to=["province"],
    )
    plan = plans.create_plan(
        key="kh-khao-sat",
        number_symbol="1/KH-UBND",
        title="Kế hoạch",
        issuing_body="UBND",
        issued_year=YEAR,
        period_start=datetime.date(YEAR, 1, 1),
        period_end=datetime.date(YEAR, 12, 31),
        owner_unit=province.root,
    )
    return indicator, plan


def test_the_target_is_judged_against_the_whole_interval():
    assert verdict(Decimal(80), Decimal("81.0"), Decimal("86.0")) == "met"
    assert verdict(Decimal(80), Decimal("80.0"), Decimal("86.0")) == "met"
    assert verdict(Decimal(80), Decimal("70.0"), Decimal("79.9")) == "not_met"
    assert verdict(Decimal(80), Decimal("76.0"), Decimal("84.0")) == "cannot_tell"
    assert verdict(None, Decimal("76.0"), Decimal("84.0")) == ""


def test_the_dashboard_shows_the_estimate_with_its_interval_and_says_it_cannot_tell(
    surveyed, province, provincial_admin
):
    indicator, plan = surveyed
    Target.objects.create(plan=plan, indicator=indicator, unit=province.root, year=YEAR, value=80)
    estimate_for(province.root, value=0.7812, low=0.7534, high=0.809)
    [status] = monitoring.indicator_statuses(plan_id=plan.pk, unit_id=province.root.pk, year=YEAR)
    assert (status.value, status.ci_low, status.ci_high) == (Decimal("78.1"), Decimal("75.3"), Decimal("80.9"))
    assert status.verdict == "cannot_tell" and status.at_risk
    client = Client()
    client.force_login(provincial_admin)
    html = client.get(f"/theo-doi/don-vi/{province.root.pk}/?ke-hoach={plan.pk}&nam={YEAR}").content.decode()
    assert "Khoảng tin cậy 95%: từ <strong>75,3%</strong> đến <strong>80,9%</strong>" in html
    assert "Chưa thể kết luận" in html and "Khoảng tin cậy nghĩa là gì?" in html


def test_an_interval_wholly_above_the_target_is_met_and_a_suppressed_estimate_says_why(
    surveyed, province, provincial_admin
):
    indicator, plan = surveyed
    Target.objects.create(plan=plan, indicator=indicator, unit=province.root, year=YEAR, value=60)
    estimate_for(province.root, value=0.70, low=0.66, high=0.74)
    [status] = monitoring.indicator_statuses(plan_id=plan.pk, unit_id=province.root.pk, year=YEAR)
    assert status.verdict == "met" and not status.at_risk
    Estimate.objects.update(value=None, ci_low=None, ci_high=None, suppressed_reason="too_few_respondents")
    client = Client()
    client.force_login(provincial_admin)
    html = client.get(f"/theo-doi/don-vi/{province.root.pk}/?ke-hoach={plan.pk}&nam={YEAR}").content.decode()
    assert "Không công bố số liệu" in html


def test_the_indicator_api_returns_the_interval(surveyed, province):
    estimate_for(province.root, value=0.7812, low=0.7534, high=0.809)
    reader = make_user("doc_api", Role.PROVINCIAL_ADMIN, province.root)
    token = accounts.issue_api_token(user=reader, name="api")[1]
    reply = Client().get(
        f"/api/v1/monitoring/values?unit={province.root.pk}&indicator="
        f"nguoi-truong-thanh-ky-nang-so-khao-sat&period_from={YEAR}",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert reply.status_code == 200, reply.content
    [row] = reply.json()["items"]
    assert (row["value"], row["ci_low"], row["ci_high"]) == ("78.1", "75.3", "80.9")
    assert row["standard_error"] == "2.00"


def test_the_annual_report_carries_the_interval_and_the_verdict(surveyed, province):
    from kynangso.reports.documents import IndicatorLine
    from kynangso.reports.figures import indicator_row

    indicator, plan = surveyed
    Target.objects.create(plan=plan, indicator=indicator, unit=province.root, year=YEAR, value=80)
    estimate_for(province.root, value=0.7812, low=0.7534, high=0.809)
    [status] = monitoring.indicator_statuses(plan_id=plan.pk, unit_id=province.root.pk, year=YEAR)
    row = indicator_row(status)
    assert (row["ci_low"], row["ci_high"], row["verdict"]) == ("75.3", "80.9", "cannot_tell")
    assert IndicatorLine(row=row).interval_text == "75,3% – 80,9%"
