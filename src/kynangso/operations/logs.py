"""Request ids and structured logs. Each request gets an id (the proxy's X-Request-ID when it is a plain token, else
a new one), sent back in the response and added to every log record made while the request runs, so one line of
nginx's log leads to the application's lines. Log records carry no personal data: the access line has the method,
the route pattern (never the path or the query string), the status and the time taken."""

import contextvars
import logging
import re
import uuid

REQUEST_ID_HEADER = "X-Request-ID"
_REQUEST_ID = contextvars.ContextVar("request_id", default="-")
_ACCEPTED = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def new_request_id(offered: str | None) -> str:
    """The proxy's id if it is a plain token of 8-64 characters, else a fresh one (a header is never trusted raw)."""
    if offered and _ACCEPTED.match(offered):
        return offered
    return uuid.uuid4().hex


def bind_request_id(request_id: str) -> contextvars.Token:
    return _REQUEST_ID.set(request_id)


def unbind_request_id(token: contextvars.Token) -> None:
    _REQUEST_ID.reset(token)


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record (`-` outside a request: jobs, commands)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _REQUEST_ID.get()
        return True
