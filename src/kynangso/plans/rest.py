"""REST endpoints of the plans app (/api/v1/plans/): my tasks, one occurrence, and reporting on it. Thin: the
same selectors and services as the pages."""

import datetime
from typing import Literal

from django.http import Http404
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from pydantic import ConfigDict

from kynangso.plans import reporting, selectors, visibility
from kynangso.plans.models import OccurrenceStatus, OutputKind
from kynangso.rest_inputs import ObjectId, whole_number

router = Router(tags=["plans"])


StatusValue = Literal[tuple(OccurrenceStatus.values)]
OutputKindValue = Literal[tuple(OutputKind.values)]


class OccurrenceOut(Schema):
    id: int
    plan: str = Field(..., description="Số, ký hiệu của kế hoạch (hoặc mã tệp nếu chưa có số).")
    task_code: str
    task_title: str
    lead_unit: str
    period_start: datetime.date
    period_end: datetime.date
    due_on: datetime.date
    status: StatusValue = Field(..., description="not_started, in_progress, done hoặc cancelled.")
    state: str = Field(
        ...,
        description="Như status, nhưng kỳ chưa xong đã quá hạn (theo giờ Việt Nam) là overdue; "
        "kỳ chưa bắt đầu là upcoming.",
    )
    state_label: str
    progress: int
    narrative: str
    outputs: dict[str, int] = Field(..., description="Số lượng kết quả của đơn vị chủ trì theo loại.")
    can_report: bool


class MyTasksOut(Schema):
    today: datetime.date
    late: list[OccurrenceOut]
    due_soon: list[OccurrenceOut]


OutputCount = whole_number(0, 1_000_000_000)


class ReportIn(Schema):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "status": "in_progress",
                    "progress": 60,
                    "narrative": "Đã tổ chức 3 lớp bồi dưỡng kỹ năng số.",
                    "outputs": {"training_courses": 3},
                    "evidence_url": "https://xaphuhoa.gov.vn/tin-tuc/lop-ky-nang-so",
                },
                {"status": "cancelled", "cancel_reason": "Nhiệm vụ được gộp vào kế hoạch năm sau."},
            ]
        },
    )

    status: StatusValue = Field(..., description="Tình trạng: not_started, in_progress, done hoặc cancelled.")
    progress: whole_number(0, 100) | None = Field(None, description="Tiến độ, phần trăm (0–100); với done luôn là 100.")
    narrative: str = Field("", max_length=20_000, description="Nội dung đã thực hiện.")
    cancel_reason: str = Field("", max_length=2_000, description="Lý do không thực hiện (bắt buộc với cancelled).")
    outputs: dict[OutputKindValue, OutputCount] = Field(
        default_factory=dict, description="Loại kết quả → số lượng (số nguyên không âm)."
    )
    evidence_url: str = Field(
        "",
        max_length=2_000,
        pattern=r"^(https?://\S+)?$",
        description="Đường dẫn minh chứng, bắt đầu bằng https:// hoặc http://.",
    )


def _out(occurrence, user, today) -> dict:
    task = occurrence.task
    state = selectors.occurrence_state(occurrence, today)
    outputs = {row.kind: row.count for row in occurrence.outputs.all() if row.unit_id == task.lead_unit_id}
    return {
        "id": occurrence.pk,
        "plan": task.plan.number_symbol or task.plan.key,
        "task_code": task.code,
        "task_title": task.title,
        "lead_unit": task.lead_unit_label,
        "period_start": occurrence.period_start,
        "period_end": occurrence.period_end,
        "due_on": occurrence.due_on,
        "status": occurrence.status,
        "state": state.key,
        "state_label": state.label,
        "progress": occurrence.progress,
        "narrative": occurrence.narrative,
        "outputs": outputs,
        "can_report": visibility.may_report(user, occurrence),
    }


@router.get("/my-tasks", response=MyTasksOut, summary="Nhiệm vụ của tôi: quá hạn và sắp đến hạn")
def my_tasks(request, horizon_days: int = Query(90, ge=0, le=366, description="Số ngày tới cần xem (0–366).")):
    today = timezone.localdate()
    tasks = selectors.my_tasks(request.auth, today, horizon_days=horizon_days)
    return {
        "today": today,
        "late": [_out(o, request.auth, today) for o in tasks.late],
        "due_soon": [_out(o, request.auth, today) for o in tasks.due_soon],
    }


def _occurrence(user, occurrence_id):
    occurrence = visibility.occurrence_for(user, occurrence_id)
    if occurrence is None:
        raise Http404
    return occurrence


@router.get("/occurrences/{occurrence_id}", response=OccurrenceOut, summary="Một kỳ thực hiện của nhiệm vụ")
def occurrence(request, occurrence_id: ObjectId):
    return _out(_occurrence(request.auth, occurrence_id), request.auth, timezone.localdate())


@router.post(
    "/occurrences/{occurrence_id}/report",
    response=OccurrenceOut,
    summary="Báo cáo kỳ thực hiện (đơn vị chủ trì); tệp minh chứng tải lên qua trang web",
)
def report(request, occurrence_id: ObjectId, payload: ReportIn):
    found = _occurrence(request.auth, occurrence_id)
    reporting.submit_report(
        occurrence=found,
        user=request.auth,
        status=payload.status,
        progress=payload.progress,
        narrative=payload.narrative,
        outputs=payload.outputs,
        cancel_reason=payload.cancel_reason,
        evidence_url=payload.evidence_url,
    )
    return _out(_occurrence(request.auth, occurrence_id), request.auth, timezone.localdate())
