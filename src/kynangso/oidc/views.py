"""The sign-in pages of the provider: go to it, come back from it (the code exchanged and the ID token checked),
and log out of both. The lockout and the address throttle of password logins hold here too (ADR 0020, 0041)."""

import logging

from authlib.common.errors import AuthlibBaseError
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib import auth
from django.contrib.auth import views as auth_views
from django.contrib.auth.signals import user_login_failed
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from joserfc.errors import JoseError
from requests import RequestException

from kynangso.errors import DomainError
from kynangso.oidc import client, services

logger = logging.getLogger(__name__)

NEXT_KEY = "oidc_next"
SIGNED_IN_WITH_PROVIDER = "oidc_signed_in"  # only a flag: the ID token, which carries the national ID, is not kept
PASSWORD_BACKEND = "kynangso.accounts.backends.IdentifierBackend"
LEEWAY_SECONDS = 60  # clock difference allowed between the provider and us when checking exp and iat


def _callback_url() -> str:
    return settings.SITE_URL + reverse("oidc:callback")


def _refused(request, message: str, status: int = 403):
    return render(request, "oidc/refused.html", {"message": message}, status=status)


def _unavailable(request):
    return _refused(
        request,
        _("Chưa kết nối được với nhà cung cấp định danh. Hãy thử lại sau ít phút, hoặc đăng nhập bằng mật khẩu."),
        status=502,
    )


@never_cache
@require_GET
def start(request):
    """Send the browser to the provider, with state, nonce and a PKCE challenge kept in the session."""
    if not client.is_configured():
        raise Http404
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    target = request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        request.session[NEXT_KEY] = target
    else:
        request.session.pop(NEXT_KEY, None)
    try:
        return client.provider().authorize_redirect(request, _callback_url())
    except (client.ProviderMisconfigured, RequestException, AuthlibBaseError, ValueError):
        logger.exception("OIDC provider could not be reached or is misconfigured")
        return _unavailable(request)


def _address_credentials(request) -> dict:
    """The lockout key of failed callbacks from this address (kept by axes only as a keyed digest).

    An answer that fails verification names no account we could charge, so it counts against its address: after
    KYNANGSO_LOGIN_FAILURE_LIMIT of them within the cool-off time the callback pauses for that address, and they add
    to the address throttle of password logins (ADR 0020).
    """
    AxesProxyHandler.update_request(request)
    return {"username": f"oidc {request.axes_ip_address}"}


@never_cache
@require_GET
def callback(request):
    """Exchange the code, check the ID token (signature from the provider's keys, issuer, audience, expiry, nonce),
    then log in the account of the person it names, unless that account or this address is locked."""
    if not client.is_configured():
        raise Http404
    address = _address_credentials(request)
    if AxesProxyHandler.is_locked(request, address):
        request.login_address_throttled = True  # the lockout page words it as a pause for this network
        return get_lockout_response(request, None, address)
    if request.GET.get("error"):  # the person cancelled at the provider, or it refused: nothing was proven
        return _refused(request, _("Bạn chưa đăng nhập xong ở nhà cung cấp định danh. Hãy thử lại."), status=400)
    try:
        token = client.provider().authorize_access_token(request, leeway=LEEWAY_SECONDS)
        claims = token.get("userinfo")
        if not claims:
            raise JoseError("no ID token")
    except (client.ProviderMisconfigured, RequestException):
        logger.exception("OIDC provider could not be reached or is misconfigured")
        return _unavailable(request)
    except (AuthlibBaseError, JoseError, ValueError, KeyError) as error:
        logger.warning("OIDC callback refused: %s", type(error).__name__)
        request.login_address_throttled = True  # if this failure reaches the limit, axes answers for the network
        user_login_failed.send(sender=__name__, credentials=address, request=request)
        return _refused(
            request,
            _(
                "Không xác minh được thông tin đăng nhập từ nhà cung cấp định danh, nên chưa thể "
                "đăng nhập. Hãy bấm đăng nhập lại từ đầu."
            ),
        )
    try:
        user = services.account_for_claims(claims=claims)
    except DomainError as error:
        logger.info("OIDC sign-in refused: %s", error.code)
        return _refused(request, error.message)
    if AxesProxyHandler.is_locked(request, {"username": user.username}):
        return get_lockout_response(request, None, {"username": user.username})
    target = request.session.pop(NEXT_KEY, "") or reverse(settings.LOGIN_REDIRECT_URL)
    auth.login(request, user, backend=PASSWORD_BACKEND)  # axes writes the AccessLog row: who, when, from where
    request.session[SIGNED_IN_WITH_PROVIDER] = True
    logger.info("OIDC sign-in of account %s", user.pk)
    return HttpResponseRedirect(target)


class LogoutView(auth_views.LogoutView):
    """Log out here and, after a sign-in with the provider that offers it, at the provider too (RP-initiated
    logout, with our client id: the ID token is not kept, so there is no id_token_hint)."""

    def post(self, request, *args, **kwargs):
        with_provider = bool(request.session.get(SIGNED_IN_WITH_PROVIDER))
        response = super().post(request, *args, **kwargs)
        if not (with_provider and client.is_configured()):
            return response
        try:
            provider = client.provider()
            if not provider.load_server_metadata().get("end_session_endpoint"):
                return response
            url = provider.create_logout_url(
                post_logout_redirect_uri=settings.SITE_URL + reverse(settings.LOGOUT_REDIRECT_URL),
                client_id=settings.OIDC_CLIENT_ID,
            )["url"]
        except (client.ProviderMisconfigured, RequestException, AuthlibBaseError, ValueError):
            logger.exception("OIDC provider could not be reached for logout")
            return response
        return HttpResponseRedirect(url)
