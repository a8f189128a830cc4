from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "kynangso.assessment"
    verbose_name = _("Sát hạch kỹ năng số")
