"""The integration app's configuration."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationConfig(AppConfig):
    name = "kynangso.integration"
    verbose_name = _("Học trên nền tảng khác")
