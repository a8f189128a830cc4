"""The first middleware of the stack: gives the request its id, times it, counts it in the metrics and writes one
access line without personal data (health and metrics probes only at debug level)."""

import logging
import time

from kynangso.operations import logs, metrics

access_log = logging.getLogger("kynangso.access")
QUIET_ROUTES = frozenset({"healthz", "readyz", "metrics"})


class OperationsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = logs.new_request_id(request.headers.get(logs.REQUEST_ID_HEADER))
        request.request_id = request_id
        token = logs.bind_request_id(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            seconds = time.perf_counter() - started
            match = getattr(request, "resolver_match", None)
            route = match.route if match else None
            metrics.observe(method=request.method, route=route, status=response.status_code, seconds=seconds)
            response.headers[logs.REQUEST_ID_HEADER] = request_id
            level = logging.DEBUG if route in QUIET_ROUTES else logging.INFO
            access_log.log(
                level,
                "%s %s %s %.1f ms",
                request.method,
                route or metrics.UNMATCHED,
                response.status_code,
                seconds * 1000,
                extra={
                    "method": request.method,
                    "route": route or metrics.UNMATCHED,
                    "status": response.status_code,
                    "duration_ms": round(seconds * 1000, 1),
                },
            )
            return response
        finally:
            logs.unbind_request_id(token)
