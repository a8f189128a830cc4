"""What django-axes records about failed logins and when it refuses one (ADR 0005, ADR 0020).

Three things on top of axes' per-account lockout: failures are recorded without any of the request's data (so a
malformed body cannot break the count, and no typed value is kept), an identifier that names no account is stored
as a keyed digest, and an address with very many recent failures is throttled for accounts never logged in from it.
"""

import hashlib
import hmac
import ipaddress
import unicodedata
from datetime import timedelta

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt, AccessLog
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db.models import Sum
from django.http import QueryDict
from django.utils import timezone

# Django's username validator allows letters, digits and @.+-_ only, so no account's name starts with this.
UNKNOWN_IDENTIFIER_PREFIX = "#"


def identifier_digest(identifier: str) -> str:
    """The lockout key of an identifier that names no account: a keyed digest, never the typed text.

    A mistyped national ID or phone is personal data; the digest still lets repeated tries of one identifier
    share one counter. The key is derived from KYNANGSO_DATA_KEY for this purpose only.
    """
    normalised = "".join(unicodedata.normalize("NFC", identifier).split()).lower()
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"kynangso", info=b"failed-login identifier").derive(
        settings.DATA_KEY.encode()
    )
    return UNKNOWN_IDENTIFIER_PREFIX + hmac.new(key, normalised.encode(), hashlib.sha256).hexdigest()


def client_ip_address(request) -> str | None:
    """The caller's address: REMOTE_ADDR, or the entry of X-Forwarded-For written by the last trusted proxy.

    Only the proxies we run (KYNANGSO_TRUSTED_PROXY_COUNT of them) append to X-Forwarded-For truthfully; entries
    further left are whatever the client sent, so trusting them would let an attacker pick a new address per try.
    """
    proxies = settings.LOGIN_TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            try:  # the table's column is an address: a made-up value (a miscounted proxy chain) must not reach it
                return str(ipaddress.ip_address(forwarded[-proxies]))
            except ValueError:
                pass
    return request.META.get("REMOTE_ADDR")


class _WithoutRequestData:
    """The request as axes' failure handler sees it: attributes pass through, but no query string and no body.

    axes copies GET and POST into AccessAttempt (and reads POST by parsing the body, which raises on e.g. a
    multipart body without a boundary, so the failure went unrecorded). Nothing the caller typed is kept.
    """

    GET = QueryDict()
    POST = QueryDict()

    def __init__(self, request):
        object.__setattr__(self, "_request", request)

    def __getattr__(self, name):
        return getattr(self._request, name)

    def __setattr__(self, name, value):
        setattr(self._request, name, value)


def address_is_throttled(request, credentials) -> bool:
    """Whether this login must be refused because the caller's address has failed too often.

    Many residents share one address (a commune office, a mobile carrier's NAT), so the limit is far above the
    per-account one, and an account that has logged in from this address recently is never held back by it: a
    password sprayer is stopped, the regulars of the office are not.
    """
    limit = settings.LOGIN_ADDRESS_FAILURE_LIMIT
    address = getattr(request, "axes_ip_address", None)
    if not limit or not address:
        return False
    failures = (
        AccessAttempt.objects.filter(
            ip_address=address,
            attempt_time__gte=get_cool_off_threshold(request),
        ).aggregate(total=Sum("failures_since_start"))["total"]
        or 0
    )
    if failures < limit:
        return False
    known_since = timezone.now() - timedelta(days=settings.LOGIN_KNOWN_ADDRESS_DAYS)
    username = get_client_username(request, credentials)
    return not AccessLog.objects.filter(username=username, ip_address=address, attempt_time__gte=known_since).exists()


class LoginAttemptHandler(AxesDatabaseHandler):
    """axes' database handler with the per-address throttle, recording failures without the request's data."""

    def is_locked(self, request, credentials=None) -> bool:
        if super().is_locked(request, credentials):
            return True
        if address_is_throttled(request, credentials):
            request.login_address_throttled = True  # lets the token endpoint word its answer
            return True
        return False

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        if request is not None:
            request = _WithoutRequestData(request)
        return super().user_login_failed(sender, credentials, request=request, **kwargs)
