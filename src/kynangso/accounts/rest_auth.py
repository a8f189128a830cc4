"""How REST callers prove who they are: bearer tokens, or the site's session (CSRF-checked) for the browsable docs."""

from django.conf import settings
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from kynangso.accounts.services import user_for_api_token


class BearerTokenAuth(HttpBearer):
    """`Authorization: Bearer kns_…`, a token from POST /api/v1/auth/token."""

    def authenticate(self, request, token):
        return user_for_api_token(token)


class SessionCookieAuth(APIKeyCookie):
    """The Django session of the site, so that the browsable docs work for a logged-in user.

    A request that carries an Authorization header is judged by its token alone: a revoked token must not pass
    because a browser also happens to hold a session. CSRF is checked only when the session is what
    authenticates (a token cannot be sent by a forged cross-site request, a cookie can).
    """

    param_name = settings.SESSION_COOKIE_NAME  # `csrf` stays True: the docs page then sends the CSRF token

    def _get_key(self, request):
        return request.COOKIES.get(self.param_name)  # CSRF is checked below, once the session is what authenticates

    def authenticate(self, request, key):
        if "Authorization" in request.headers:
            return None
        user = request.user
        if not user.is_authenticated:
            return None
        if check_csrf(request) is not None:  # safe methods always pass
            raise HttpError(
                403,
                _(
                    "Yêu cầu bị từ chối: thiếu hoặc sai mã chống giả mạo (CSRF). "
                    "Hãy tải lại trang rồi thử lại, hoặc dùng mã truy cập Bearer."
                ),
            )
        return user
