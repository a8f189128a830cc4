from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "kynangso.monitoring"
    verbose_name = _("Theo dõi, đánh giá và báo cáo")

    def ready(self):
        from kynangso.learning import api as learning
        from kynangso.monitoring import api as monitoring
        from kynangso.monitoring import rollup
        from kynangso.orgs import api as orgs
        from kynangso.people import api as people
        from kynangso.plans import api as plans

        # Changes the incremental roll-up cannot see by time reach it as after-commit events naming both sides'
        # units (ADR 0045): the next run recounts them and their ancestors.
        people.on_people_changed(rollup.units_changed)
        orgs.on_units_changed(rollup.units_changed)
        learning.on_attendance_changed(rollup.attendance_changed)

        # The emulation ranking (plans, below monitoring) weighs progress towards targets through this port.
        plans.ports.target_attainment.provide(monitoring.target_attainment)
