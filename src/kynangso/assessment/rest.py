"""REST endpoints of the assessment: my standards, start an attempt, read it (never with keys), save an answer,
submit, read the result."""

import datetime
from typing import Any, Literal

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from kynangso.assessment import answering, cat, engine, presentation, scoring, selectors
from kynangso.assessment.models import AttemptStatus, Standard, StandardMode
from kynangso.errors import DomainError
from kynangso.people import api as people
from kynangso.rest_inputs import InputSchema, ObjectId, Position

router = Router(tags=["assessment"])


class StandardOut(Schema):
    code: str
    name: str
    target_group: str
    time_limit_minutes: int
    pass_percent: int
    passed: bool = Field(..., description="Người gọi đã đạt chuẩn này chưa.")
    open_attempt_id: int | None = Field(None, description="Lượt thi đang làm dở, nếu có.")


class StartIn(InputSchema):
    model_config = ConfigDict(json_schema_extra={"examples": [{"standard_code": "CHUAN-NGUOI-DAN"}]})

    standard_code: str = Field(..., min_length=1, max_length=32, description="Mã chuẩn, ví dụ CHUAN-NGUOI-DAN.")


class Choice(Schema):
    id: str
    text: str


class ItemOut(Schema):
    position: int
    type: str = Field(
        ..., description="single_choice, multiple_response, true_false, ordering, matching, short_text hoặc numeric."
    )
    type_label: str
    stem: str
    image: str
    options: list[Choice] | None = Field(None, description="Phương án (theo thứ tự hiển thị đã xáo trộn).")
    steps: list[Choice] | None = Field(None, description="Các bước cần sắp xếp (đã xáo trộn).")
    lefts: list[Choice] | None = None
    rights: list[Choice] | None = None
    answer: dict[str, Any] | None = Field(None, description="Câu trả lời đã lưu.")
    answered_at: str | None = None
    locked: bool = Field(
        False, description="Bài thích ứng: câu đã xác nhận, không sửa được nữa (không cho biết đúng hay sai)."
    )


class AttemptOut(Schema):
    id: int
    standard: str
    status: Literal[tuple(AttemptStatus.values)]
    mode: Literal[tuple(StandardMode.values)] = Field(
        ...,
        description="fixed (đề theo ma trận) hoặc adaptive (thích ứng: từng câu một; trả lời câu "
        "cuối rồi gọi …/next để sang câu tiếp).",
    )
    deadline: str = Field(..., description="Hạn nộp bài (ISO 8601), do máy chủ giữ.")
    seconds_left: int
    answered: int
    total: int
    assisted: bool
    items: list[ItemOut]


class AnswerIn(InputSchema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"answer": {"choice": "c"}},
                {"answer": {"choices": ["a", "d"]}},
                {"answer": {"number": "3,5"}},
            ]
        }
    )

    answer: dict[str, Any] = Field(
        ...,
        description=(
            'Theo loại câu: {"choice": id} (một lựa chọn, đúng/sai); {"choices": [id, …]} (nhiều lựa chọn); '
            '{"order": [id, …]} (sắp xếp); {"pairs": {id trái: id phải}} (ghép cặp); {"text": "…"} (trả lời ngắn); '
            '{"number": "3,5"} (số). Các id là id của riêng lượt thi này, đọc từ bài thi; chúng khác nhau giữa '
            "các lượt thi."
        ),
    )
    given_at: datetime.datetime | None = Field(
        None,
        description=(
            "Thời điểm người thi chọn câu trả lời trên thiết bị (ISO 8601 có múi giờ, theo đồng hồ máy chủ mà thiết bị "
            "ước lượng). Ứng dụng giữ câu trả lời khi mất mạng rồi gửi lại thì gửi kèm trường này: câu trả lời chọn "
            "trước hạn nộp vẫn được tính nếu đến trong 2 phút sau hạn, và khi hai thiết bị cùng trả lời một câu thì "
            "câu chọn sau được giữ (ADR 0034). Bỏ trống: tính là lúc máy chủ nhận."
        ),
    )


class SavedOut(Schema):
    position: int
    answered_at: str
    revision: int = Field(..., description="Số lần câu này đã được lưu.")


class ProfileEntry(Schema):
    code: str
    name: str
    total: int = Field(..., description="Số câu của miền / năng lực này trong đề.")
    reported: bool = Field(
        ...,
        description="Có đủ câu hỏi để đánh giá riêng không (ít nhất "
        f"{scoring.MIN_ITEMS_PER_VERDICT} câu); nếu không, correct, percent và "
        "met để trống.",
    )
    correct: int | None = None
    percent: float | None = None
    met: bool | None = None
    note: str | None = Field(None, description="Lý do không đánh giá riêng, nếu có.")


class ResultOut(Schema):
    id: int
    standard: str
    submitted_at: str
    auto_submitted: bool
    assisted: bool
    score_percent: float
    passed: bool
    mode: str = Field(
        ...,
        description="fixed hoặc adaptive; với bài thích ứng, điểm là tỷ lệ câu đúng kỳ vọng trên "
        "toàn bộ ngân hàng đã hiệu chỉnh ở năng lực ước lượng.",
    )
    theta: float | None = Field(None, description="Năng lực ước lượng (thang IRT), chỉ với bài thích ứng.")
    theta_se: float | None = Field(None, description="Sai số chuẩn của năng lực ước lượng.")
    domains: list[ProfileEntry]
    competences: list[ProfileEntry]


def _person(request):
    person = people.person_for_user(request.auth)
    if person is None:
        raise DomainError(_("Tài khoản chưa gắn với hồ sơ người dân, cán bộ."), code="forbidden")
    return person


def _attempt(request, attempt_id: int, *, taking: bool = True, late: bool = True):
    attempt = selectors.attempt_for_user(attempt_id, request.auth)
    if attempt is None or (taking and not selectors.may_take(attempt, request.auth)):
        raise Http404
    return engine.refresh_if_expired(attempt, late=late)


def _result(attempt) -> dict:
    return {
        "id": attempt.pk,
        "standard": attempt.standard.name,
        "submitted_at": attempt.submitted_at.isoformat(),
        "auto_submitted": attempt.auto_submitted,
        "assisted": attempt.assisted_by_id is not None,
        "score_percent": attempt.score_percent,
        "passed": attempt.passed,
        "mode": attempt.mode,
        "theta": attempt.theta,
        "theta_se": attempt.theta_se,
        **scoring.taker_profile(attempt.profile),
    }


@router.get("/standards", response=list[StandardOut], summary="Các chuẩn tôi cần đạt")
def my_standards(request):
    person = _person(request)
    return [
        {
            "code": s.code,
            "name": s.name,
            "target_group": s.target_group,
            "time_limit_minutes": s.time_limit_minutes,
            "pass_percent": s.pass_percent,
            "passed": selectors.has_passed(person, s.code),
            "open_attempt_id": getattr(engine.open_attempt(person, s), "pk", None),
        }
        for s in selectors.standards_for_person(person)
    ]


@router.post("/attempts", response={201: AttemptOut}, summary="Bắt đầu (hoặc tiếp tục) một lượt thi")
def start(request, payload: StartIn):
    person = _person(request)
    standard = Standard.objects.filter(code=payload.standard_code, is_active=True).first()
    not_found = DomainError(
        _("Không có chuẩn này cho nhóm đối tượng của bạn."), field="standard_code", code="not_found"
    )
    if standard is None:
        raise not_found
    try:  # the target-group rule is the engine's, as for the exam page and the helper's start
        attempt = engine.start_attempt(person=person, standard=standard, started_by=request.auth)
    except DomainError as exc:
        if exc.code == "not_eligible":
            raise not_found from exc
        raise
    return Status(201, presentation.taker_view(attempt))


@router.get(
    "/attempts/{attempt_id}",
    response=AttemptOut,
    summary="Đọc bài thi (không bao giờ kèm đáp án); status = submitted khi đã nộp, xem /result",
)
def read(request, attempt_id: ObjectId):
    return presentation.taker_view(_attempt(request, attempt_id))


def _aware(moment: datetime.datetime | None) -> datetime.datetime | None:
    """The device time of an answer; one written without a zone is read as UTC (the schema asks for a zone)."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=datetime.UTC)


@router.put("/attempts/{attempt_id}/answers/{position}", response=SavedOut, summary="Lưu câu trả lời của một câu")
def save(request, attempt_id: ObjectId, position: Position, payload: AnswerIn):
    # The exam-day hot path: two queries after authentication (the item, then one conditional UPDATE … RETURNING).
    try:
        saved = answering.save_answer_as(
            user=request.auth,
            attempt_id=attempt_id,
            position=position,
            answer=payload.answer,
            given_at=_aware(payload.given_at),
        )
    except DomainError as exc:
        if exc.code in {"submitted", "expired", "locked", "superseded"}:
            raise DomainError(exc.message, code="duplicate") from exc
        raise
    return {"position": saved.position, "answered_at": saved.answered_at.isoformat(), "revision": saved.revision}


@router.post(
    "/attempts/{attempt_id}/next",
    response=AttemptOut,
    summary="Bài thích ứng: xác nhận câu hiện tại và nhận câu tiếp (hoặc bài tự nộp khi đã đo đủ)",
)
def next_item(request, attempt_id: ObjectId):
    attempt = _attempt(request, attempt_id)
    if attempt.status == AttemptStatus.SUBMITTED:
        raise DomainError(_("Bài thi đã nộp; xem kết quả."), code="duplicate")
    return presentation.taker_view(cat.advance(attempt=attempt, user=request.auth))


@router.post("/attempts/{attempt_id}/submit", response=ResultOut, summary="Nộp bài (gọi lại nhiều lần vẫn an toàn)")
def submit(request, attempt_id: ObjectId):
    attempt = _attempt(request, attempt_id)
    return _result(engine.submit_attempt(attempt=attempt))


@router.get("/attempts/{attempt_id}/result", response=ResultOut, summary="Kết quả và hồ sơ năng lực")
def result(request, attempt_id: ObjectId):
    # After the deadline, asking for the result submits at once (as the result page does; ADR 0034).
    attempt = _attempt(request, attempt_id, taking=False, late=False)
    if attempt.status != AttemptStatus.SUBMITTED:
        raise DomainError(_("Bài thi chưa nộp."), code="not_found")
    return _result(attempt)
