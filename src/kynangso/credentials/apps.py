"""The credentials app: signed, verifiable certificates of passed standards and completed courses."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CredentialsConfig(AppConfig):
    name = "kynangso.credentials"
    verbose_name = _("Chứng nhận kỹ năng số")

    def ready(self):
        from kynangso.assessment import api as assessment
        from kynangso.credentials import jobs, selectors
        from kynangso.learning import api as learning

        assessment.on_standard_passed(jobs.standard_passed)
        # The result page (assessment) and the learning path link to certificates through this port (ADR 0037).
        assessment.ports.standard_certificate_urls.provide(selectors.standard_certificate_urls)
        learning.on_course_completed(jobs.course_completed)
