from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "kynangso.monitoring"
    verbose_name = _("Theo dõi, đánh giá và báo cáo")

    def ready(self):
        from kynangso.monitoring import api as monitoring
        from kynangso.plans import api as plans

        # The emulation ranking (plans, below monitoring) weighs progress towards targets through this port.
        plans.ports.target_attainment.provide(monitoring.target_attainment)
