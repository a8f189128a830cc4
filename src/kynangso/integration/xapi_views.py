"""The xAPI statements resource under /xapi/ (xAPI 1.0.3 and 2.0): HTTP Basic credentials of a platform, the
X-Experience-API-Version header, POST/PUT to store, GET by id or by the standard filters with `more` pages. Thin:
parsing and answering; storing, voiding and counting are the services'."""

import base64
import binascii
import datetime
import json
from urllib.parse import parse_qsl, urlencode

from django.core import signing
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from kynangso.errors import DomainError, ErrorCode, http_status
from kynangso.integration import selectors, services
from kynangso.integration import statements as xapi

MAX_BODY_BYTES = 2 * 1024 * 1024  # one request's statements; a platform sends larger batches in several requests
_MORE_SALT = "kynangso.integration.more"
_FILTERS = {
    "agent",
    "verb",
    "activity",
    "registration",
    "since",
    "until",
    "limit",
    "ascending",
    "format",
    "attachments",
    "related_activities",
    "related_agents",
}
_BY_ID = {"statementId", "voidedStatementId"}


def _error(message: str, status: int, version: str = "1.0.3") -> JsonResponse:
    response = JsonResponse({"message": message, "code": status}, status=status)
    response["X-Experience-API-Version"] = version
    if status == 401:
        response["WWW-Authenticate"] = 'Basic realm="xAPI"'
    return response


def _platform(request):
    header = request.headers.get("Authorization", "")
    if not header.lower().startswith("basic "):
        return None
    try:
        username, _sep, secret = base64.b64decode(header[6:].strip()).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    return services.platform_for_credentials(username, secret)


def _bool(value: str, name: str) -> bool:
    if value not in ("true", "false"):
        raise xapi.invalid(_("Tham số %(name)s phải là true hoặc false.") % {"name": name})
    return value == "true"


def _moment(value: str, name: str):
    moment = parse_datetime(value)
    if moment is None:
        raise xapi.invalid(_("Tham số %(name)s phải là thời điểm ISO 8601.") % {"name": name})
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment, datetime.UTC)


def _query(params) -> selectors.StatementQuery:
    unknown = set(params) - _FILTERS - _BY_ID
    if unknown:
        raise xapi.invalid(_("Tham số không được hỗ trợ: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    for name in ("related_activities", "related_agents", "attachments"):
        if name in params and _bool(params[name], name):
            raise xapi.invalid(_("Hệ thống chưa hỗ trợ %(name)s=true.") % {"name": name})
    if params.get("format", "exact") not in ("exact", "ids", "canonical"):
        raise xapi.invalid(_("Tham số format phải là exact, ids hoặc canonical."))
    actor_key = ""
    if "agent" in params:
        try:
            actor_key = xapi.actor_key(json.loads(params["agent"]))
        except ValueError as exc:
            raise xapi.invalid(_("Tham số agent phải là một tác nhân dạng JSON.")) from exc
    limit = selectors.MAX_LIMIT
    if "limit" in params:
        if not params["limit"].isdigit():
            raise xapi.invalid(_("Tham số limit phải là số nguyên không âm."))
        limit = min(int(params["limit"]) or selectors.MAX_LIMIT, selectors.MAX_LIMIT)
    return selectors.StatementQuery(
        actor_key=actor_key,
        verb=params.get("verb", ""),
        activity=params.get("activity", ""),
        registration=xapi.parse_id(params["registration"]) if "registration" in params else None,
        since=_moment(params["since"], "since") if "since" in params else None,
        until=_moment(params["until"], "until") if "until" in params else None,
        limit=limit,
        ascending=_bool(params.get("ascending", "false"), "ascending"),
    )


def _statements_result(request, platform, query_text: str, after=None) -> dict:
    """The StatementResult of one page: the statements and `more`, a signed link to the next page carrying the
    original filters and the position after this page (so no page is skipped or repeated while statements come)."""
    query = _query(dict(parse_qsl(query_text, keep_blank_values=True)))
    page, next_after = selectors.statement_page(platform, query, after=after)
    more = ""
    if next_after is not None:
        token = signing.dumps(
            {"p": platform.pk, "q": query_text, "a": list(next_after)}, salt=_MORE_SALT, compress=True
        )
        more = f"{request.path}?{urlencode({'more': token})}"
    return {"statements": [row.document for row in page], "more": more}


def _get(request, platform):
    params = {key: request.GET[key] for key in request.GET}
    if "more" in params:
        if len(params) > 1:
            raise xapi.invalid(_("Tham số more không đi cùng tham số khác."))
        try:
            state = signing.loads(params["more"], salt=_MORE_SALT)
        except signing.BadSignature as exc:
            raise xapi.invalid(_("Tham số more không hợp lệ.")) from exc
        if state["p"] != platform.pk:
            raise DomainError(_("Trang tiếp theo này không thuộc nền tảng của bạn."), code=ErrorCode.FORBIDDEN)
        return JsonResponse(_statements_result(request, platform, state["q"], tuple(state["a"])))
    by_id = _BY_ID & set(params)
    if by_id:
        if len(by_id) > 1 or set(params) - by_id - {"format", "attachments"}:
            raise xapi.invalid(_("Khi hỏi theo statementId hoặc voidedStatementId chỉ được kèm format, attachments."))
        name = by_id.pop()
        statement = selectors.statement_by_id(platform, xapi.parse_id(params[name]), voided=name == "voidedStatementId")
        if statement is None:
            return None
        response = JsonResponse(statement.document)
        response["Last-Modified"] = http_date(statement.stored_at.timestamp())
        return response
    return JsonResponse(_statements_result(request, platform, request.GET.urlencode()))


def _body(request):
    if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BODY_BYTES:
        return None, _error(
            _("Yêu cầu quá lớn: tối đa %(size)s MB; hãy gửi thành nhiều lần.")
            % {"size": MAX_BODY_BYTES // (1024 * 1024)},
            413,
        )
    if request.content_type != "application/json":
        return None, _error(_("Nội dung phải là JSON (Content-Type: application/json)."), 400)
    try:
        return json.loads(request.body), None
    except (ValueError, UnicodeDecodeError):
        return None, _error(_("Nội dung không phải JSON hợp lệ."), 400)


@csrf_exempt
def statements(request):
    """GET, HEAD, POST and PUT on the statements resource."""
    version = request.headers.get("X-Experience-API-Version", "")
    answer_version = "2.0.0" if version.startswith("2.") else "1.0.3"
    if request.method not in ("GET", "HEAD", "POST", "PUT"):
        response = _error(_("Phương thức không được hỗ trợ."), 405, answer_version)
        response["Allow"] = "GET, HEAD, POST, PUT"
        return response
    platform = _platform(request)
    if platform is None:
        return _error(_("Cần tên đăng nhập và mật khẩu xAPI hợp lệ của nền tảng (HTTP Basic)."), 401, answer_version)
    if not xapi.VERSION_PATTERN.match(version):
        return _error(_("Thiếu hoặc sai tiêu đề X-Experience-API-Version (ví dụ 1.0.3)."), 400, answer_version)
    try:
        if request.method in ("GET", "HEAD"):
            response = _get(request, platform)
            if response is None:
                return _error(_("Không tìm thấy bản ghi."), 404, answer_version)
            if request.method == "HEAD":
                response.content = b""
        else:
            documents, refused = _body(request)
            if refused is not None:
                refused["X-Experience-API-Version"] = answer_version
                return refused
            home_page = request.build_absolute_uri("/")
            if request.method == "PUT":
                if "statementId" not in request.GET or set(request.GET) - {"statementId"}:
                    raise xapi.invalid(_("PUT cần đúng một tham số statementId."))
                services.store_statements(
                    platform=platform,
                    documents=[documents],
                    home_page=home_page,
                    statement_id=xapi.parse_id(request.GET["statementId"]),
                )
                response = HttpResponse(status=204)
            else:
                if request.GET:
                    raise xapi.invalid(_("POST không nhận tham số trên địa chỉ."))
                batch = documents if isinstance(documents, list) else [documents]
                ids = services.store_statements(platform=platform, documents=batch, home_page=home_page)
                response = JsonResponse([str(i) for i in ids], safe=False)
    except DomainError as exc:
        return _error(exc.message, http_status(exc.code), answer_version)
    response["X-Experience-API-Version"] = answer_version
    response["X-Experience-API-Consistent-Through"] = timezone.now().isoformat()
    return response


def about(request):
    """The About resource: which versions of the specification this LRS speaks (public, no credentials)."""
    response = JsonResponse({"version": ["1.0.3", "2.0.0"]})
    response["X-Experience-API-Version"] = "1.0.3"
    return response
