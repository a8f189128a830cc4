from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveyConfig(AppConfig):
    name = "kynangso.survey"
    verbose_name = _("Khảo sát kỹ năng số")
