"""What the credentials app adds to the site shell: links in the main menu and a panel on «Trang của tôi»."""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from kynangso.accounts import api as accounts
from kynangso.credentials import selectors
from kynangso.people import api as people


def nav_links(request) -> list[tuple[str, str]]:
    """(label, url) pairs for the main menu: everyone may check a certificate; holders see theirs."""
    links = []
    user = request.user
    if user.is_authenticated:
        if people.person_for_user(user):
            links.append((_("Chứng nhận của tôi"), reverse("credentials:mine")))
        if accounts.has_capability(user, accounts.capabilities.CREDENTIALS_REVOKE):
            links.append((_("Quản lý chứng nhận"), reverse("credentials:manage")))
    links.append((_("Kiểm tra chứng nhận"), reverse("credentials:check")))
    return links


def dashboard_panel(request) -> str | None:
    """«Chứng nhận của tôi» on the holder's dashboard."""
    person = people.person_for_user(request.user)
    if person is None:
        return None
    credentials = list(selectors.credentials_of(person)[:5])
    return render_to_string("credentials/_dashboard_panel.html", {"credentials": credentials}, request=request)
