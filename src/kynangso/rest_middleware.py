"""JSON for every error answer under /api/v1/: the URL resolver, Django's method and 500 handlers and other
middleware answer in HTML (or with an empty body); an API client must get the same JSON error body everywhere. And
no NUL character in an API request: PostgreSQL text cannot hold one, so it would end in a 500."""

import json

from django.http import HttpResponse
from django.utils.translation import gettext as _

from kynangso.rest_errors import error_body

API_PREFIX = "/api/v1/"


def _message(status: int) -> tuple[str, str]:
    """The error code and Vietnamese message for a status that reached us without a JSON body."""
    if status == 404:
        return "not_found", _("Không tìm thấy: đường dẫn API này không tồn tại. Xem danh sách tại /api/v1/docs.")
    if status == 405:
        return "method_not_allowed", _("Phương thức HTTP này không được hỗ trợ ở đường dẫn này.")
    if status == 403:
        return "forbidden", _("Không có quyền thực hiện yêu cầu này.")
    if status == 400:
        return "bad_request", _("Yêu cầu không hợp lệ.")
    if status == 413:
        return "too_large", _("Nội dung yêu cầu quá lớn.")
    if status == 415:
        return "unsupported_media_type", _("Kiểu nội dung không được hỗ trợ: hãy gửi application/json.")
    if status == 429:
        return "rate_limited", _("Quá nhiều yêu cầu. Vui lòng thử lại sau.")
    if status >= 500:
        return "server_error", _("Lỗi máy chủ. Sự cố đã được ghi lại; vui lòng thử lại sau.")
    return "error", _("Yêu cầu không thực hiện được.")


def _is_json(response) -> bool:
    return response.get("Content-Type", "").split(";")[0].strip() in {"application/json", "application/problem+json"}


class JsonErrorsForApiMiddleware:
    """Turn any non-JSON error answer under /api/v1/ into the API's error body (kynangso.rest_errors) with the
    same status.

    Headers a client needs (Allow on 405, Retry-After, WWW-Authenticate) are kept; the HTML body (Django's 404
    page, its debug page, a 405 with no body) is dropped, so no traceback or setting ever reaches an API client;
    Django has already logged an unhandled error (logger `django.request`) before its 500 answer gets here.
    """

    KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate", "Vary", "Content-Language")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(API_PREFIX) or response.status_code < 400 or _is_json(response):
            return response
        code, message = _message(response.status_code)
        replacement = HttpResponse(
            json.dumps(error_body(response.status_code, message, code=code), ensure_ascii=False),
            status=response.status_code,
            content_type="application/json; charset=utf-8",
        )
        for header in self.KEPT_HEADERS:
            if header in response:
                replacement[header] = response[header]
        return replacement


def _carries_nul(request) -> bool:
    """A NUL character in the path (already decoded from %00), in the query string (still %00) or, escaped, in a JSON
    body (a raw one is not JSON at all). Other bodies (file uploads) are not read here: they may be large, and their
    files are not text."""
    if "\x00" in request.path_info or "%00" in request.META.get("QUERY_STRING", ""):
        return True
    content_type = request.META.get("CONTENT_TYPE", "").split(";")[0].strip()
    return content_type == "application/json" and b"\\u0000" in request.body


class RefuseNulForApiMiddleware:
    """Answer 400 (`invalid`) to an API request that carries a NUL character anywhere it could reach the database.

    No name, code, password or search term contains one; on PostgreSQL a text value with one fails in the driver
    (a 500 that tests/rest/test_schemathesis.py found in several places: unit search, sign-in), so the request is
    refused once, here, before any view or service sees it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(API_PREFIX) and _carries_nul(request):
            return HttpResponse(
                json.dumps(
                    error_body(400, _("Yêu cầu chứa ký tự NUL (mã 0), không được chấp nhận."), code="invalid"),
                    ensure_ascii=False,
                ),
                status=400,
                content_type="application/json; charset=utf-8",
            )
        return self.get_response(request)
