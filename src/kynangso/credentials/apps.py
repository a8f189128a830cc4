from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CredentialsConfig(AppConfig):
    name = "kynangso.credentials"
    verbose_name = _("Chứng nhận kỹ năng số")
