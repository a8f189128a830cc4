from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "kynangso.monitoring"
    verbose_name = _("Theo dõi, đánh giá và báo cáo")
