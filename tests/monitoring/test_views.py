"""Monitoring pages: the dashboard with drill-down and its scope, the ranking, the public figures, manual entry."""

import pytest
from django.urls import reverse

from kynangso.accounts.models import Role
from kynangso.monitoring import api as monitoring
from tests.factories import make_user
from tests.reports.conftest import YEAR, followed, writer_b  # noqa: F401  (the shared scenario)

pytestmark = pytest.mark.django_db


def unit_page(client, unit, **params):
    return client.get(reverse("monitoring:unit", args=[unit.pk]), {"nam": YEAR, **params})


def test_the_provincial_admin_starts_on_the_province_dashboard(client, followed, province, provincial_admin):
    client.force_login(provincial_admin)
    response = client.get(reverse("monitoring:dashboard"))
    assert response.url == reverse("monitoring:unit", args=[province.root.pk])


def test_the_province_dashboard_shows_value_target_gap_risk_and_the_chart_as_a_table(
    client, followed, province, provincial_admin
):
    client.force_login(provincial_admin)
    page = unit_page(client, province.root).content.decode()
    card = page[page.index('data-indicator="chien-dich"') : page.index('data-indicator="truong-stem"')]
    assert '<span class="big-figure" data-testid="value">15</span>' in card
    assert "<strong>20</strong>" in card and "<strong>5</strong>" in card  # target and gap
    assert 'value="75"' in card  # progress bar: 15 of 20
    assert "Có nguy cơ không đạt" in card
    assert 'src="data:image/svg+xml;base64,' in card
    assert "Xem biểu đồ dạng bảng" in card and "31/12/2025" in card and "31/12/2026" in card
    assert "Số liệu tính đến" in page


def test_the_drill_down_lists_the_children_with_links(client, followed, province, provincial_admin):
    client.force_login(provincial_admin)
    page = unit_page(client, province.root, **{"chi-so": "chien-dich"}).content.decode()
    children = page[page.index('id="don-vi-truc-thuoc"') :]
    assert reverse("monitoring:unit", args=[province.a.pk]) in children
    assert "Xã An Bình" in children and "Phường Bình Minh" in children


def test_a_commune_dashboard_shows_its_own_target(client, followed, province, provincial_admin):
    client.force_login(provincial_admin)
    page = unit_page(client, province.a).content.decode()
    card = page[page.index('data-indicator="chien-dich"') : page.index('data-indicator="truong-stem"')]
    assert 'data-testid="value">6</span>' in card and "<strong>8</strong>" in card
    stem = page[page.index('data-indicator="truong-stem"') :]
    assert "Chỉ tiêu theo Tỉnh Thử nghiệm" in stem


def test_a_commune_admin_sees_only_their_subtree(client, followed, province, commune_admin):
    client.force_login(commune_admin)
    assert client.get(reverse("monitoring:dashboard")).url == reverse("monitoring:unit", args=[province.a.pk])
    assert unit_page(client, province.a).status_code == 200
    assert unit_page(client, province.root).status_code == 404
    assert unit_page(client, province.b).status_code == 404


def test_people_without_indicator_rights_do_not_see_the_dashboard(client, followed, province):
    client.force_login(make_user("hotro", Role.HELPER, province.a))
    assert (
        client.get(reverse("monitoring:dashboard")).status_code == 403
    )  # one rule for every page (accounts.require_capability)


def test_the_ranking_puts_the_unit_nearest_its_target_first(client, followed, province, provincial_admin):
    client.force_login(provincial_admin)
    page = client.get(
        reverse("monitoring:ranking", args=[province.root.pk]), {"nam": YEAR, "chi-so": "chien-dich"}
    ).content.decode()
    # B: 9 of the province's 20 (45%); A: 6 of its own 8 (75%); the department has no value.
    assert page.index("Xã An Bình") < page.index("Phường Bình Minh") < page.index("Sở Khoa học và Công nghệ")


def test_the_public_page_shows_the_headline_figures_without_login(client, followed, province, settings):
    page = client.get(reverse("monitoring:public")).content.decode()
    assert "Số liệu chuyển đổi số: Tỉnh Thử nghiệm" in page
    assert "Số chiến dịch truyền thông về kỹ năng số" in page


def test_a_unit_enters_a_manual_value_and_the_parent_returns_it_with_a_comment(
    client, followed, province, provincial_admin
):
    writer = make_user("admin_so", Role.UNIT_ADMIN, province.department)
    client.force_login(writer)
    entry = reverse("monitoring:entry", args=[province.department.pk, YEAR])
    assert "Số chiến dịch truyền thông về kỹ năng số" in client.get(entry).content.decode()
    client.post(entry, {"indicator": "chien-dich", "value": "4", "note": "Theo báo cáo quý"})
    value = monitoring.manual_values(unit_id=province.department.pk, year=YEAR)[0]
    assert value.status == "submitted"

    client.force_login(provincial_admin)
    assert "Theo báo cáo quý" in client.get(reverse("monitoring:approvals")).content.decode()
    client.post(reverse("monitoring:decide", args=[value.pk]), {"action": "return", "comment": "Thiếu minh chứng."})

    client.force_login(writer)
    page = client.get(entry).content.decode()
    assert "Thiếu minh chứng." in page


def test_a_commune_admin_cannot_enter_values_for_another_commune(client, followed, province, commune_admin):
    client.force_login(commune_admin)
    assert client.get(reverse("monitoring:entry", args=[province.b.pk, YEAR])).status_code == 404


def test_the_menu_offers_the_dashboard_and_the_public_figures(client, followed, province, provincial_admin):
    assert "Số liệu chuyển đổi số" in client.get("/").content.decode()
    client.force_login(provincial_admin)
    home = client.get(reverse("web:dashboard")).content.decode()
    assert "Theo dõi chỉ tiêu" in home and "Báo cáo năm" in home


def test_a_merged_units_page_says_where_it_went_and_links_there(client, followed, province, provincial_admin):
    import datetime

    from kynangso.orgs import api as orgs

    orgs.merge_units(sources=[province.b], into=province.a, effective_date=datetime.date(YEAR, 7, 1))
    client.force_login(provincial_admin)
    page = unit_page(client, province.b).content.decode()
    notice = page[page.index('data-testid="merged"') :]
    notice = notice[: notice.index("</p>")]
    assert "đã sáp nhập (đến hết ngày 30/06/" in notice and province.a.name in notice
    assert reverse("monitoring:unit", args=[province.a.pk]) in notice
    assert 'data-testid="merged"' not in unit_page(client, province.a).content.decode()
