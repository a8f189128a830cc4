"""/healthz, /readyz and /metrics: answers for machines (load balancer, systemd, Prometheus), in JSON or the
Prometheus text format, never cached."""

import hmac
import ipaddress
import os

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST

from kynangso.operations import health, metrics


@never_cache
@require_GET
def healthz(request):
    """Liveness: the process answers. Nothing else is touched, so a slow database never restarts a healthy node."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request):
    """Readiness: 200 when every check passes, else 503 with the failing checks."""
    checks = health.readiness()
    ready = all(check.ok for check in checks)
    body = {
        "status": "ok" if ready else "unavailable",
        "checks": {check.name: {"ok": check.ok, "detail": check.detail} for check in checks},
    }
    return JsonResponse(body, status=200 if ready else 503)


def metrics_allowed(request) -> bool:
    """With KYNANGSO_METRICS_TOKEN set, only `Authorization: Bearer <token>`; without it, only loopback clients and
    never in production (behind a proxy every client looks like loopback)."""
    token = os.environ.get("KYNANGSO_METRICS_TOKEN", "")
    if token:
        offered = request.headers.get("Authorization", "")
        return hmac.compare_digest(offered.encode(), f"Bearer {token}".encode())
    if settings.PRODUCTION:
        return False
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False


@never_cache
@require_GET
def metrics_view(request):
    if not metrics_allowed(request):
        return JsonResponse({"status": "forbidden"}, status=403)
    return HttpResponse(metrics.exposition(), content_type=CONTENT_TYPE_LATEST)
