"""A resident clicks «Đăng nhập bằng VNeID» on the login page, passes through the identity provider (a real one on a
loopback port) and lands on her own page; logging out sends her to the provider's end-session page and back."""

import datetime

import pytest

from kynangso import settings as project_settings
from tests.browser.helpers import screenshot
from tests.factories import make_national_id, make_person
from tests.oidc.provider import OpenIdProvider, RunningProvider

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
BIRTH = datetime.date(1962, 11, 3)


@pytest.fixture
def provider_for_live_server(settings, live_server):
    site = live_server.url
    op = OpenIdProvider(redirect_uris=(site + "/dang-nhap/dinh-danh/tra-ve/",), post_logout_uris=(site + "/",))
    with RunningProvider(op) as running:
        settings.SITE_URL = site
        settings.OIDC_ISSUER = running.issuer
        settings.OIDC_DISCOVERY_URL = running.issuer + "/.well-known/openid-configuration"
        settings.OIDC_CLIENT_ID, settings.OIDC_CLIENT_SECRET = running.client_id, running.client_secret
        settings.OIDC_NATIONAL_ID_CLAIM = "so_dinh_danh"
        settings.OIDC_BUTTON_LABEL = ""
        settings.OIDC_UNKNOWN_ID = "refuse"
        # what settings.py does at start-up when a provider is configured
        settings.CONTENT_SECURITY_POLICY = project_settings.csp_allowing_provider(
            settings.CONTENT_SECURITY_POLICY, running.issuer
        )
        yield running


def test_a_resident_signs_in_with_vneid_from_the_login_page_and_logs_out_of_both(
    page_for, province, provider_for_live_server
):
    number = make_national_id(BIRTH, "female", serial=5150)
    make_person(province.a, "Đặng Thị Hoa", birth_date=BIRTH, sex="female", national_id=number)
    provider_for_live_server.signs_in(so_dinh_danh=number, name="Đặng Thị Hoa")
    page = page_for(360, 740)

    page.goto(page.base_url + "/dang-nhap/")
    screenshot(page, "login-with-vneid-360")
    page.get_by_role("link", name="Đăng nhập bằng VNeID").click()
    page.wait_for_url(page.base_url + "/trang-cua-toi/")

    assert "Xin chào, Đặng Thị Hoa" in page.inner_text("main")
    screenshot(page, "dashboard-after-vneid-360")

    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url(page.base_url + "/?**")
    assert provider_for_live_server.logouts and "Đăng nhập" in page.inner_text("body")
