"""The REST API root (django-ninja) under /api/v1/: authentication, error mapping, and each app's router."""

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from kynangso.accounts import api as accounts
from kynangso.accounts.rest import router as accounts_router
from kynangso.assessment.rest import router as assessment_router
from kynangso.credentials.rest import router as credentials_router
from kynangso.errors import DomainError, http_status
from kynangso.learning.rest import router as learning_router
from kynangso.monitoring.rest import router as monitoring_router
from kynangso.orgs.rest import router as orgs_router
from kynangso.people.rest import router as people_router
from kynangso.plans.rest import router as plans_router
from kynangso.reports.rest import router as reports_router
from kynangso.rest_errors import document_errors, error_body
from kynangso.rest_links import add_links


class KynangsoApi(NinjaAPI):
    """The API whose published schema lists the common error body under every operation and links the main flows;
    done once here rather than in each router's response declarations."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema["tags"] = [{"name": name, "description": description} for name, description in TAGS.items()]
        return add_links(document_errors(schema))

    def get_openapi_operation_id(self, operation) -> str:
        """`<app>_<handler>` (`assessment_start`, `people_read_person`): short, stable and readable as a method name
        in a generated client, unlike django-ninja's default (the whole module path)."""
        module = operation.view_func.__module__  # kynangso.<app>.rest
        return f"{module.split('.')[1]}_{operation.view_func.__name__}"


#: Each router's tag is its app's name (ASCII, so generated clients get plain module names); its Vietnamese
#: description is what the documentation pages show.
TAGS = {
    "accounts": "Xác thực: lấy, liệt kê và thu hồi mã truy cập.",
    "orgs": "Đơn vị hành chính và cơ quan, theo phạm vi của người gọi.",
    "people": "Người dân, cán bộ: đăng ký, tra cứu, sửa; dữ liệu cá nhân chỉ khi có quyền và được ghi nhật ký.",
    "assessment": "Sát hạch kỹ năng số: bắt đầu lượt thi, lưu câu trả lời, nộp bài, xem kết quả.",
    "learning": "Học tập: khóa học, ghi danh, ghi nhận bài đã xem.",
    "credentials": "Chứng nhận: của tôi, và kiểm tra một chứng nhận (công khai).",
    "plans": "Kế hoạch: nhiệm vụ của đơn vị và báo cáo từng kỳ.",
    "monitoring": "Theo dõi chỉ tiêu.",
    "reports": "Báo cáo định kỳ.",
}


api = KynangsoApi(
    title="Kỹ Năng Số API",
    version="1",
    description="API của nền tảng Kỹ Năng Số. Xác thực bằng mã Bearer lấy từ POST /api/v1/auth/token, "
    "hoặc bằng phiên đăng nhập của trang web (khi đó yêu cầu thay đổi dữ liệu cần mã CSRF).",
    urls_namespace="api",
    auth=[accounts.BearerTokenAuth(), accounts.SessionCookieAuth()],
)


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    status = http_status(exc.code)
    return api.create_response(
        request, error_body(status, exc.message, code=str(exc.code), field=exc.field), status=status
    )


@api.exception_handler(AuthenticationError)
def authentication_error(request, exc):
    response = api.create_response(
        request,
        error_body(
            401,
            _(
                "Chưa xác thực: hãy gửi mã truy cập hợp lệ (Authorization: Bearer …). "
                "Mã có thể đã bị thu hồi hoặc tài khoản đã bị khóa."
            ),
        ),
        status=401,
    )
    response["WWW-Authenticate"] = 'Bearer realm="kynangso"'
    return response


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, error_body(404, _("Không tìm thấy.")), status=404)


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    """Errors raised by django-ninja itself carry English text; ours carry Vietnamese and are kept as they are."""
    message = exc.message
    if message.startswith("Cannot parse request body"):
        message = _("Không đọc được nội dung yêu cầu: hãy gửi JSON hợp lệ.")
    elif exc.status_code == 429:
        message = _("Quá nhiều yêu cầu. Vui lòng thử lại sau.")
    return api.create_response(request, error_body(exc.status_code, message), status=exc.status_code)


def _validation_message(error: dict) -> str:
    """A Vietnamese sentence for one pydantic error; the error type decides, the English text is a last resort."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("Thiếu giá trị bắt buộc.")
    if kind in {"string_type"}:
        return _("Phải là chuỗi ký tự.")
    if kind in {"decimal_type", "decimal_parsing"}:
        return _("Phải là một số.")
    if kind in {"int_type", "int_parsing", "int_from_float"}:
        return _("Phải là số nguyên.")
    if kind in {"bool_type", "bool_parsing"}:
        return _("Phải là true hoặc false.")
    if kind.startswith("date"):
        return _("Ngày không hợp lệ: hãy viết theo dạng NNNN-TT-NN, ví dụ 1985-03-15.")
    if kind in {"literal_error", "enum"}:
        expected = str(ctx.get("expected", "")).replace(" or ", " hoặc ")
        return _("Giá trị không hợp lệ; chỉ nhận: %(expected)s.") % {"expected": expected}
    if kind == "string_too_long":
        return _("Quá dài (tối đa %(limit)s ký tự).") % {"limit": ctx.get("max_length")}
    if kind == "string_too_short":
        return _("Quá ngắn (tối thiểu %(limit)s ký tự).") % {"limit": ctx.get("min_length")}
    if kind == "greater_than_equal":
        return _("Phải lớn hơn hoặc bằng %(limit)s.") % {"limit": ctx.get("ge")}
    if kind == "less_than_equal":
        return _("Phải nhỏ hơn hoặc bằng %(limit)s.") % {"limit": ctx.get("le")}
    if kind == "list_type":
        return _("Phải là một danh sách.")
    if kind in {"dict_type", "model_type", "model_attributes_type"}:
        return _("Phải là một đối tượng JSON.")
    if kind == "extra_forbidden":
        return _("Trường này không có trong API.")
    if kind == "json_invalid":
        return _("Nội dung JSON không hợp lệ.")
    return _("Giá trị không hợp lệ (%(reason)s).") % {"reason": error.get("msg", kind)}


# The first entries of a location are where the value came from and the handler's parameter name.
_LOCATION_SOURCES = {"body", "query", "path", "header", "cookie", "form", "file"}


def _field_name(location) -> str:
    parts = [str(part) for part in location]
    if parts and parts[0] in _LOCATION_SOURCES:
        parts = parts[1:]
        if len(parts) > 1:
            parts = parts[1:]
    return ".".join(parts)


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    errors = [
        {"field": _field_name(error.get("loc", ())), "message": _validation_message(error), "type": error.get("type")}
        for error in exc.errors
    ]
    summary = " ".join(
        f"{error['field']}: {error['message']}" if error["field"] else error["message"] for error in errors
    )
    field = errors[0]["field"] if len(errors) == 1 and errors[0]["field"] else None
    return api.create_response(
        request,
        error_body(
            422, _("Dữ liệu gửi lên không hợp lệ. %(summary)s") % {"summary": summary}, field=field, errors=errors
        ),
        status=422,
    )


api.add_router("/auth", accounts_router)
api.add_router("/units", orgs_router)
api.add_router("/people", people_router)
api.add_router("/assessment", assessment_router)
api.add_router("/learning", learning_router)
api.add_router("/credentials", credentials_router)
api.add_router("/plans", plans_router)
api.add_router("/monitoring", monitoring_router)
api.add_router("/reports", reports_router)
