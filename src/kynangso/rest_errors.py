"""The one error body of the REST API, `{"code", "message", "field"?, "errors"?}`, and its place in the schema.

Every answer under /api/v1/ that is not a success carries this body, whoever produced it: the exception handlers of
kynangso.rest, the token endpoint, and the middleware that replaces Django's HTML pages. `detail` repeats `message`
for the clients written against the first version of the API; it is deprecated and will be removed in v2.
"""

from ninja import Field, Schema

#: The machine-readable code of an error that did not bring its own (DomainError.code), by HTTP status.
DEFAULT_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "duplicate",
    413: "too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
    500: "server_error",
}


class FieldErrorOut(Schema):
    field: str = Field(
        ...,
        description="Tên trường của yêu cầu (ví dụ evidence_url, target_groups.0.group); rỗng "
        "nếu lỗi thuộc về toàn bộ nội dung.",
    )
    message: str = Field(..., description="Lỗi của trường này, bằng tiếng Việt.")
    type: str = Field(..., description="Loại lỗi, ổn định cho máy đọc (missing, string_too_long, extra_forbidden…).")


class ErrorOut(Schema):
    """The body of every error answer of the API."""

    code: str = Field(
        ...,
        description="Mã lỗi ổn định cho máy đọc, ví dụ not_found, forbidden, duplicate, "
        "validation_error, rate_limited, not_authenticated.",
    )
    message: str = Field(
        ...,
        description="Thông báo cho người dùng, bằng tiếng Việt; không bao giờ nêu người hay "
        "đơn vị mà người gọi không được xem.",
    )
    detail: str = Field(
        ...,
        description="Như message; giữ cho các chương trình viết theo phiên bản đầu, sẽ bỏ ở v2.",
        json_schema_extra={"deprecated": True},
    )
    field: str | None = Field(None, description="Trường của yêu cầu gây ra lỗi, nếu có.")
    errors: list[FieldErrorOut] | None = Field(None, description="Với 422: lỗi của từng trường.")


def error_body(
    status: int, message: str, *, code: str | None = None, field: str | None = None, errors: list[dict] | None = None
) -> dict:
    """The error body for `status`; `code` defaults to the status's own code."""
    message = str(message)
    body = {"code": code or DEFAULT_CODES.get(status, "error"), "message": message, "detail": message}
    if field:
        body["field"] = field
    if errors is not None:
        body["errors"] = errors
    return body


_DESCRIPTIONS = {
    400: "Yêu cầu bị từ chối theo quy tắc nghiệp vụ, hoặc nội dung không đọc được.",
    401: "Chưa xác thực: thiếu mã truy cập, mã hết hạn hoặc đã thu hồi.",
    403: "Đã xác thực nhưng không có quyền tại đơn vị này.",
    404: "Không tìm thấy, hoặc nằm ngoài phạm vi của người gọi (hai trường hợp không được phân biệt).",
    409: "Xung đột: đã tồn tại, hoặc trạng thái không cho phép (ví dụ bài thi đã nộp).",
    422: "Yêu cầu không khớp với lược đồ; errors liệt kê lỗi của từng trường.",
    429: "Quá nhiều yêu cầu hoặc tài khoản tạm khóa; thử lại sau.",
}
WRITE_METHODS = {"post", "put", "patch", "delete"}


def error_statuses(method: str, operation: dict) -> set[int]:
    """The error statuses an operation can answer, from what the schema already says about it.

    Authenticated operations: 401 (no valid token), 403 (no right at that unit) and 404 (an object or the caller's
    own record outside scope). Any input (parameters or a body): 400 (a business rule) and 422 (the schema). A write
    by an authenticated caller: 409 (a duplicate or a state that forbids it). 429 only where an operation declares
    it itself (the token endpoint, registering a person)."""
    statuses = set()
    has_input = bool(operation.get("parameters")) or "requestBody" in operation
    if has_input:
        statuses |= {400, 422}
    if operation.get("security"):
        statuses |= {401, 403, 404}
        if method in WRITE_METHODS:
            statuses |= {400, 409}
    if any(p.get("in") == "path" for p in operation.get("parameters", [])):
        statuses.add(404)
    return statuses


def document_errors(schema: dict) -> dict:
    """Declare ErrorOut as a component and list it under every operation for every status it can return."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    error_schema = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
    for name, definition in error_schema.pop("$defs", {}).items():
        components.setdefault(name, definition)
    components["ErrorOut"] = error_schema
    reference = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
    for path_item in schema.get("paths", {}).values():
        for method, operation in path_item.items():
            # django-ninja keys responses by int; JSON wants one key per status, so every key becomes a string.
            responses = {str(status): entry for status, entry in operation.get("responses", {}).items()}
            operation["responses"] = responses
            declared = {int(status) for status in responses if str(status).isdigit()}
            for status in sorted(error_statuses(method, operation) | {s for s in declared if s >= 400}):
                entry = responses.setdefault(str(status), {})
                entry["description"] = _DESCRIPTIONS.get(status, entry.get("description", ""))
                entry["content"] = reference
    return schema
