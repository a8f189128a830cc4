"""What the survey app adds to the site shell: menu links for those who run the survey or take its interviews."""

from django.urls import reverse
from django.utils.translation import gettext as _

from kynangso.accounts import api as accounts

caps = accounts.capabilities


def nav_links(request) -> list[tuple[str, str]]:
    links = []
    if accounts.has_capability(request.user, caps.SURVEY_MANAGE):
        links.append((_("Khảo sát kỹ năng số"), reverse("survey:index")))
    if accounts.has_capability(request.user, caps.SURVEY_INTERVIEW):
        links.append((_("Phỏng vấn khảo sát"), reverse("survey:mine")))
    return links


def dashboard_panel(request) -> str | None:
    return None
