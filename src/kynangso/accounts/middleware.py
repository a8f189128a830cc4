"""Steps a logged-in user must take before anything else: the two-factor code when they have a device, enrolling
one when their role requires it, and a new password when theirs no longer meets the rules (ADR 0021).

Enforced here rather than in the login view, so that every way of logging in (the site, the back office's own
login page) leads through the same steps.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from kynangso.accounts import two_factor

PASSWORD_CHANGE_REQUIRED = "kns_password_change_required"


class AccountSecurityMiddleware:
    """Must come after django_otp's OTPMiddleware, which tells whether the session's device was verified."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not self._always_allowed(request.path):
            step = self._required_step(request, user)
            if step is not None and request.path != step:
                return redirect(f"{step}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _always_allowed(path: str) -> bool:
        allowed = (reverse("web:logout"), reverse("set_language"), reverse("web:text_size"), "/" + settings.STATIC_URL)
        return path.startswith(allowed)

    @staticmethod
    def _required_step(request, user) -> str | None:
        if not user.is_verified():
            if two_factor.has_confirmed_device(user):
                return reverse("accounts:two_factor_verify")
            if two_factor.two_factor_required(user):
                return reverse("accounts:two_factor")
        if request.session.get(PASSWORD_CHANGE_REQUIRED):
            return reverse("accounts:password_change")
        return None
