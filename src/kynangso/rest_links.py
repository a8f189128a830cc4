"""OpenAPI links of the API's main flows, so that a client generator or a tool (Schemathesis' stateful tests) can
chain the calls: start an attempt → save an answer → submit → read the result; enrol → record a lesson seen; read
my tasks → report on an occurrence; a credential of mine → its verification; a manual figure submitted → read,
approved or returned."""

PREFIX = "/api/v1"

#: (from path, method, status) → {link name: (to path, method, parameters, description)}
FLOWS = {
    ("/assessment/attempts", "post", "201"): {
        "SaveAnswer": (
            "/assessment/attempts/{attempt_id}/answers/{position}",
            "put",
            {"attempt_id": "$response.body#/id", "position": "$response.body#/items/0/position"},
            "Lưu câu trả lời cho câu đầu tiên của lượt thi vừa bắt đầu.",
        ),
        "ReadAttempt": (
            "/assessment/attempts/{attempt_id}",
            "get",
            {"attempt_id": "$response.body#/id"},
            "Đọc lại bài thi.",
        ),
        "Submit": (
            "/assessment/attempts/{attempt_id}/submit",
            "post",
            {"attempt_id": "$response.body#/id"},
            "Nộp bài.",
        ),
    },
    ("/assessment/attempts/{attempt_id}/answers/{position}", "put", "200"): {
        "Submit": (
            "/assessment/attempts/{attempt_id}/submit",
            "post",
            {"attempt_id": "$request.path.attempt_id"},
            "Nộp bài sau khi lưu câu trả lời.",
        ),
    },
    ("/assessment/attempts/{attempt_id}/submit", "post", "200"): {
        "Result": (
            "/assessment/attempts/{attempt_id}/result",
            "get",
            {"attempt_id": "$response.body#/id"},
            "Kết quả và hồ sơ năng lực của bài vừa nộp.",
        ),
    },
    ("/assessment/attempts/{attempt_id}", "get", "200"): {
        "Submit": (
            "/assessment/attempts/{attempt_id}/submit",
            "post",
            {"attempt_id": "$response.body#/id"},
            "Nộp bài.",
        ),
    },
    ("/learning/courses/{code}/enrolment", "post", "201"): {
        "LessonSeen": (
            "/learning/courses/{code}/lessons/{lesson_id}/seen",
            "put",
            {"code": "$request.path.code", "lesson_id": "$response.body#/resume_lesson_id"},
            "Ghi nhận đã xem bài học tiếp theo của khóa vừa ghi danh.",
        ),
    },
    ("/plans/occurrences/{occurrence_id}", "get", "200"): {
        "Report": (
            "/plans/occurrences/{occurrence_id}/report",
            "post",
            {"occurrence_id": "$response.body#/id"},
            "Báo cáo kỳ thực hiện này.",
        ),
    },
    ("/people", "post", "201"): {
        "ReadPerson": ("/people/{person_id}", "get", {"person_id": "$response.body#/id"}, "Xem người vừa đăng ký."),
        "UpdatePerson": (
            "/people/{person_id}",
            "patch",
            {"person_id": "$response.body#/id"},
            "Sửa thông tin người vừa đăng ký.",
        ),
    },
    ("/units", "post", "201"): {
        "ReadUnit": ("/units/{unit_id}", "get", {"unit_id": "$response.body#/id"}, "Xem đơn vị vừa tạo."),
        "UpdateUnit": ("/units/{unit_id}", "patch", {"unit_id": "$response.body#/id"}, "Sửa đơn vị vừa tạo."),
    },
    ("/monitoring/manual-values", "post", "201"): {
        "ReadManualValue": (
            "/monitoring/manual-values/{value_id}",
            "get",
            {"value_id": "$response.body#/id"},
            "Xem lại số liệu vừa gửi.",
        ),
        "ApproveManualValue": (
            "/monitoring/manual-values/{value_id}/approve",
            "post",
            {"value_id": "$response.body#/id"},
            "Đơn vị cấp trên duyệt số liệu vừa gửi.",
        ),
        "ReturnManualValue": (
            "/monitoring/manual-values/{value_id}/return",
            "post",
            {"value_id": "$response.body#/id"},
            "Đơn vị cấp trên trả lại số liệu vừa gửi.",
        ),
    },
    ("/auth/token", "post", "201"): {
        "RevokeToken": ("/auth/tokens/{token_id}", "delete", {"token_id": "$response.body#/id"}, "Thu hồi mã vừa lấy."),
    },
}


def add_links(schema: dict) -> dict:
    """Add the links of FLOWS to the responses they start from (operations missing from the schema are skipped)."""
    paths = schema.get("paths", {})
    for (path, method, status), links in FLOWS.items():
        response = paths.get(PREFIX + path, {}).get(method, {}).get("responses", {}).get(status)
        if response is None:
            continue
        for name, (target_path, target_method, parameters, description) in links.items():
            target = paths.get(PREFIX + target_path, {}).get(target_method)
            if target is None:
                continue
            response.setdefault("links", {})[name] = {
                "operationId": target["operationId"],
                "parameters": parameters,
                "description": description,
            }
    return schema
