"""Figures a province can sign (issue 17): the dashboard explains its projection and its at-risk rule, says when a
period is not over («tạm tính đến dd/mm») and leaves it out of the projection, refuses a plan it does not follow,
shows the counts that have no target, and lets a keyboard reach its scrolling tables."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from kynangso.accounts.models import Role
from kynangso.monitoring import api as monitoring
from kynangso.monitoring.models import IndicatorValue, RollupState
from kynangso.monitoring.status import project
from kynangso.plans import api as plans
from tests.factories import make_user
from tests.monitoring.conftest import at, make_indicator

pytestmark = pytest.mark.django_db
D = datetime.date
YEAR = 2026


@pytest.fixture
def counted(province):
    """A rate with a 50% target for 2026, counted monthly on 4 December 2026: January to November complete
    (20% rising by 2 points a month to 40%), December counted up to the 4th only (an early 10%). Beside it,
    two counts the plan sets no target for: people who passed (12) and certificates issued (9)."""
    rate = make_indicator(
        "ty-le-dat-chuan",
        name="Tỷ lệ người dân đạt chuẩn",
        measure="percent",
        source="passed_standard",
        attribution="residence",
        period_mode="cumulative",
        denominator="unit_denominator",
        denominator_kind="working_age_residents",
        order=1,
    )
    passed = make_indicator(
        "so-nguoi-dat-chuan",
        name="Số người đạt chuẩn kỹ năng số",
        measure="count",
        source="passed_standard",
        attribution="residence",
        period_mode="cumulative",
        order=2,
    )
    issued = make_indicator(
        "so-chung-nhan-da-cap",
        name="Số chứng nhận kỹ năng số đã cấp",
        measure="count",
        source="credentials_issued",
        attribution="residence",
        period_mode="cumulative",
        order=3,
    )
    plan = plans.create_plan(
        key="ke-hoach-giai-thich",
        number_symbol="8/KH-UBND",
        title="Kế hoạch giải thích",
        issuing_body="UBND tỉnh Thử nghiệm",
        issued_year=2025,
        period_start=D(2025, 1, 1),
        period_end=D(2030, 12, 31),
    )
    monitoring.Target.objects.create(plan_id=plan.pk, indicator=rate, unit=province.root, year=YEAR, value=50)
    december_4th = at(YEAR, 12, 4, 6)
    for month in range(1, 12):
        end = D(YEAR, month + 1, 1) - datetime.timedelta(days=1)
        IndicatorValue.objects.create(
            indicator=rate,
            unit_id=province.root.pk,
            period_end=end,
            numerator=18 + 2 * month,
            denominator=100,
            computed_at=at(YEAR, month + 1, 1) if month < 11 else december_4th,
        )
    for indicator, numerator in ((rate, 10), (passed, 12), (issued, 9)):
        IndicatorValue.objects.create(
            indicator=indicator,
            unit_id=province.root.pk,
            period_end=D(YEAR, 12, 31),
            numerator=numerator,
            denominator=100 if indicator is rate else None,
            computed_at=december_4th,
        )
    RollupState.objects.create(full_computed_at=december_4th, watermark=december_4th, last_run_at=december_4th)
    return plan


def dashboard(client, unit, **params):
    return client.get(reverse("monitoring:unit", args=[unit.pk]), {"nam": YEAR, **params})


def test_the_current_month_is_marked_provisional_and_not_fitted(counted, province):
    (status,) = monitoring.indicator_statuses(plan_id=counted.pk, unit_id=province.root.pk, year=YEAR)
    assert (status.value, status.partial_until) == (Decimal("10.0"), D(YEAR, 12, 4))
    # A straight line through June–November (30%…40%, two points a month) reaches about 42% on 31 December;
    # the early December 10% taken as year-end data would have pulled it far below.
    complete = [(end, value) for end, value in status.trend if end.month < 12][-6:]
    assert status.projection == project(complete, YEAR, "percent", cumulative=True)
    assert status.projection == Decimal("42.0")
    assert project(status.trend, YEAR, "percent", cumulative=True) != status.projection
    assert status.at_risk is True  # 42,0 is below 50


def test_the_dashboard_says_the_value_is_provisional_and_explains_projection_and_risk(
    client, counted, province, provincial_admin
):
    client.force_login(provincial_admin)
    page = dashboard(client, province.root).content.decode()
    card = page[page.index('data-indicator="ty-le-dat-chuan"') :]
    assert 'data-testid="partial">tạm tính đến 04/12</span>' in card
    assert "31/12/2026 (tạm tính đến 04/12)" in card  # the trend's table marks the partial month too
    explained = card[card.index('data-testid="explain"') :]
    assert "bình phương nhỏ nhất" in explained and "6 kỳ trọn vẹn gần nhất" in explained
    assert "kỳ đang diễn ra là số tạm tính nên không dùng" in explained
    assert "Có nguy cơ không đạt khi dự báo thấp hơn chỉ tiêu" in explained


def test_an_unknown_plan_is_not_found_instead_of_another_plans_figures(client, counted, province, provincial_admin):
    client.force_login(provincial_admin)
    assert dashboard(client, province.root, **{"ke-hoach": 999}).status_code == 404
    assert dashboard(client, province.root, **{"ke-hoach": "abc"}).status_code == 404
    ranking = reverse("monitoring:ranking", args=[province.root.pk])
    assert client.get(ranking, {"nam": YEAR, "ke-hoach": 999}).status_code == 404
    assert dashboard(client, province.root, **{"ke-hoach": counted.pk}).status_code == 200
    assert dashboard(client, province.root).status_code == 200  # none asked for: the first followed plan


def test_counts_without_a_target_are_in_the_units_figures_table(client, counted, province, provincial_admin):
    client.force_login(provincial_admin)
    page = dashboard(client, province.root).content.decode()
    table = page[page.index('data-testid="counts"') :]
    table = table[: table.index("</table>")]
    assert "Số người đạt chuẩn kỹ năng số" in table and "Số chứng nhận kỹ năng số đã cấp" in table
    assert '<td class="num">12 <span class="hint">(tạm tính đến 04/12)</span>' in table
    assert "Tỷ lệ người dân đạt chuẩn" not in table  # it has a target: it has its card


def test_the_scrolling_tables_of_the_dashboard_and_the_ranking_take_the_keyboard(
    client, counted, province, provincial_admin
):
    client.force_login(provincial_admin)
    pages = [
        dashboard(client, province.root).content.decode(),
        client.get(reverse("monitoring:ranking", args=[province.root.pk]), {"nam": YEAR}).content.decode(),
    ]
    for page in pages:
        for region in page.split('class="table-scroll"')[1:]:
            opening = region[: region.index(">")]
            assert 'tabindex="0"' in opening and 'role="region"' in opening and "aria-label=" in opening


def test_the_approver_sees_who_entered_a_value_and_cannot_approve_their_own(client, province, provincial_admin):
    make_indicator("chien-dich", name="Số chiến dịch truyền thông", measure="count", kind="manual")
    colleague = make_user("pho_chu_tich_tinh", Role.PROVINCIAL_ADMIN, province.root)
    colleague.first_name, colleague.last_name = "Lan", "Trần Thị"
    colleague.save()
    own = monitoring.submit_manual_value(
        indicator_code="chien-dich", unit_id=province.root.pk, year=YEAR, value=4, note="", actor=provincial_admin
    )
    client.force_login(provincial_admin)
    page = client.get(reverse("monitoring:approvals")).content.decode()
    assert "Người nhập: admin_tinh" in page
    assert 'data-testid="four-eyes"' in page
    assert reverse("monitoring:decide", args=[own.pk]) + '"' not in page.split('data-testid="four-eyes"')[0][-400:]
    client.post(reverse("monitoring:decide", args=[own.pk]), {"action": "approve"})
    own.refresh_from_db()
    assert own.status == "submitted"

    client.force_login(colleague)
    client.post(reverse("monitoring:decide", args=[own.pk]), {"action": "approve"})
    own.refresh_from_db()
    assert (own.status, own.entered_by, own.decided_by) == ("approved", provincial_admin, colleague)
    entry = client.get(reverse("monitoring:entry", args=[province.root.pk, YEAR])).content.decode()
    assert "Người nhập: admin_tinh; người duyệt: Lan Trần Thị" in entry


def test_a_value_no_later_run_had_to_touch_is_counted_up_to_the_watermark(counted, province):
    # An incremental run on 2 January 2027 found nothing new in the province: December's value, computed on the
    # 4th, now holds for the whole month and is no longer provisional.
    RollupState.objects.update(watermark=at(YEAR + 1, 1, 2))
    (status,) = monitoring.indicator_statuses(plan_id=counted.pk, unit_id=province.root.pk, year=YEAR)
    assert (status.partial_until, status.partial_days) == (None, {})
