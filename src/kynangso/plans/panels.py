"""What the plans app adds to the site shell: «Kế hoạch» in the main menu and a panel of my due and late tasks."""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kynangso.accounts import api as accounts
from kynangso.plans import selectors

PANEL_ITEMS = 5


def nav_links(request) -> list[tuple[str, str]]:
    """(label, url) pairs for the main menu, for this visitor."""
    if accounts.has_capability(request.user, accounts.capabilities.PLANS_VIEW):
        return [(_("Kế hoạch"), reverse("plans:index"))]
    return []


def dashboard_panel(request) -> str | None:
    """HTML of this app's panel on the visitor's dashboard, or None."""
    if not accounts.has_capability(request.user, accounts.capabilities.PLANS_VIEW):
        return None
    today = timezone.localdate()
    tasks = selectors.my_tasks(request.user, today)
    items = (tasks.late + tasks.due_soon)[:PANEL_ITEMS]
    return render_to_string("plans/_panel.html", {"late": tasks.late, "items": items, "today": today}, request=request)
