"""Public interface of the oidc app: whether a provider is configured, the button's label, the logout view."""

from django.conf import settings
from django.utils.translation import gettext as _

from kynangso.oidc.client import is_configured
from kynangso.oidc.views import LogoutView

__all__ = ["LogoutView", "is_configured", "sign_in_label"]


def sign_in_label() -> str | None:
    """The label of the login page's button for the provider (KYNANGSO_OIDC_BUTTON_LABEL), or None when no
    provider is configured."""
    if not is_configured():
        return None
    return settings.OIDC_BUTTON_LABEL or _("Đăng nhập bằng VNeID")
