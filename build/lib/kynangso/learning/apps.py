from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "kynangso.learning"
    verbose_name = _("Học tập và bồi dưỡng")

    def ready(self):
        from kynangso.assessment import api as assessment
        from kynangso.learning import paths
        from kynangso.people import api as people

        def lessons_for(codes, person):
            return paths.lessons_for_competences(codes, groups=people.current_groups(person))

        # The result page (assessment, below learning) suggests lessons through this port (ADR 0037).
        assessment.ports.lessons_for_competences.provide(lessons_for)
