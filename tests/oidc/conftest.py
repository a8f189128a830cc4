"""The real OpenID provider the sign-in tests run against, and our settings pointing at it."""

import pytest

from tests.oidc.provider import OpenIdProvider, RunningProvider

SITE = "http://127.0.0.1:8000"


@pytest.fixture
def provider(settings):
    """A provider on a loopback port, with us registered as its client, and us configured to use it."""
    op = OpenIdProvider(redirect_uris=(SITE + "/dang-nhap/dinh-danh/tra-ve/",), post_logout_uris=(SITE + "/",))
    with RunningProvider(op) as running:
        settings.SITE_URL = SITE
        settings.OIDC_ISSUER = running.issuer
        settings.OIDC_DISCOVERY_URL = running.issuer + "/.well-known/openid-configuration"
        settings.OIDC_CLIENT_ID = running.client_id
        settings.OIDC_CLIENT_SECRET = running.client_secret
        settings.OIDC_SCOPES = "openid profile"
        settings.OIDC_NATIONAL_ID_CLAIM = "so_dinh_danh"
        settings.OIDC_BUTTON_LABEL = ""
        settings.OIDC_UNKNOWN_ID = "refuse"
        settings.OIDC_HOLDING_UNIT = ""
        yield running
