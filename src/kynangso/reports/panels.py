"""What the reports app adds to the site shell: links in the main menu and a panel on «Trang của tôi»."""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kynangso.accounts import api as accounts

caps = accounts.capabilities


def _reports_user(user) -> bool:
    return accounts.has_capability(user, caps.REPORTS_SUBMIT) or accounts.has_capability(user, caps.REPORTS_APPROVE)


def nav_links(request) -> list[tuple[str, str]]:
    """(label, url) pairs for the main menu, for this visitor."""
    return [(_("Báo cáo năm"), reverse("reports:index"))] if _reports_user(request.user) else []


def dashboard_panel(request) -> str | None:
    """The reports waiting for the user's decision and the due date of this year's report."""
    user = request.user
    if not _reports_user(user):
        return None
    from kynangso.reports import selectors

    year = timezone.localdate().year
    return render_to_string(
        "reports/_panel.html",
        {
            "awaiting": selectors.awaiting_decision(user).count(),
            "due": selectors.due_date(year),
            "year": year,
        },
        request=request,
    )
