from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrameworksConfig(AppConfig):
    name = "kynangso.frameworks"
    verbose_name = _("Khung năng lực số")
