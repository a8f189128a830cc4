"""The plans menu link and the dashboard panel."""

import datetime

from django.test import RequestFactory

from kynangso.accounts.models import Role
from kynangso.plans import panels
from tests.factories import make_user


def request_for(user):
    request = RequestFactory().get("/trang-cua-toi/")
    request.user = user
    return request


def test_menu_has_plans_for_users_with_plans_view_only(campaign):
    assert panels.nav_links(request_for(campaign.lead_user)) == [("Kế hoạch", "/ke-hoach/")]
    assert panels.nav_links(request_for(make_user("hoc_vien", Role.LEARNER, campaign.province.a))) == []


def test_dashboard_panel_counts_late_tasks_and_links_them(campaign, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: datetime.date(campaign.year, 4, 2))

    html = panels.dashboard_panel(request_for(campaign.lead_user))

    assert "1 nhiệm vụ quá hạn" in html and "III.1.a" in html
    assert panels.dashboard_panel(request_for(make_user("hoc_vien", Role.LEARNER, campaign.province.a))) is None
