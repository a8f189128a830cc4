"""What the monitoring app adds to the site shell: links in the main menu and a panel on «Trang của tôi»."""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from kynangso.accounts import api as accounts

caps = accounts.capabilities


def nav_links(request) -> list[tuple[str, str]]:
    """(label, url) pairs for the main menu, for this visitor: the public figures for everyone, the dashboard for
    those who may view indicators."""
    links = []
    if accounts.has_capability(request.user, caps.INDICATORS_VIEW):
        links.append((_("Theo dõi chỉ tiêu"), reverse("monitoring:dashboard")))
    links.append((_("Số liệu chuyển đổi số"), reverse("monitoring:public")))
    return links


def dashboard_panel(request) -> str | None:
    """Links to the dashboard, data entry and the values waiting for this user's approval."""
    user = request.user
    if not accounts.has_capability(user, caps.INDICATORS_VIEW):
        return None
    from kynangso.monitoring import api as monitoring

    pending = (
        len(monitoring.pending_approvals(user=user)) if accounts.has_capability(user, caps.INDICATORS_APPROVE) else 0
    )
    return render_to_string(
        "monitoring/_panel.html",
        {
            "pending": pending,
            "can_enter": accounts.has_capability(user, caps.INDICATORS_ENTER),
            "can_allocate": accounts.has_capability(user, caps.INDICATORS_MANAGE),
        },
        request=request,
    )
