"""The one guard for pages that need a capability (issue 14: it existed three times, answering differently).

The rule, the same on pages, the REST API and the admin: a user who holds the capability nowhere is refused with
403 (they are logged in; the page exists but is not theirs to use); an object outside the units where they hold it
is answered 404 by the view's scoped lookup (they must not learn that it exists). Anonymous users go to the login.
"""

import functools

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from kynangso.accounts.scope import has_capability


def require_capability(capability: str):
    """Let the view run only for a logged-in user holding `capability` somewhere; others get 403."""

    def decorator(view):
        @functools.wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if not has_capability(request.user, capability):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
