"""The operations app: what an operator needs to run the site (health, metrics, logs, backups)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    name = "kynangso.operations"
    verbose_name = _("Vận hành")
