from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OidcConfig(AppConfig):
    name = "kynangso.oidc"
    label = "oidc"
    verbose_name = _("Đăng nhập bằng định danh điện tử")
