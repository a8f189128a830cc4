"""REST endpoints of the plans app (/api/v1/plans/): my tasks, one occurrence, and reporting on it. Thin: the
same selectors and services as the pages."""
import datetime

from django.http import Http404
from django.utils import timezone
from ninja import Field, Router, Schema

from kynangso.plans import selectors, services
from kynangso.plans.models import OutputKind

router = Router(tags=["Kế hoạch"])


class OccurrenceOut(Schema):
    id: int
    plan: str = Field(..., description="Số, ký hiệu của kế hoạch (hoặc mã tệp nếu chưa có số).")
    task_code: str
    task_title: str
    lead_unit: str
    period_start: datetime.date
    period_end: datetime.date
    due_on: datetime.date
    status: str = Field(..., description="not_started, in_progress, done hoặc cancelled.")
    state: str = Field(..., description="Như status, nhưng kỳ chưa xong đã quá hạn (theo giờ Việt Nam) là overdue; "
                                        "kỳ chưa bắt đầu là upcoming.")
    state_label: str
    progress: int
    narrative: str
    outputs: dict[str, int] = Field(..., description="Số lượng kết quả của đơn vị chủ trì theo loại.")
    can_report: bool


class MyTasksOut(Schema):
    today: datetime.date
    late: list[OccurrenceOut]
    due_soon: list[OccurrenceOut]


class ReportIn(Schema):
    status: str = Field(..., description="not_started, in_progress, done hoặc cancelled.")
    progress: int | None = Field(None, ge=0, le=100)
    narrative: str = ""
    cancel_reason: str = ""
    outputs: dict[str, int] = Field(default_factory=dict,
                                    description="Loại → số lượng; loại: " + ", ".join(OutputKind.values))
    evidence_url: str = ""


def _out(occurrence, user, today) -> dict:
    task = occurrence.task
    state = selectors.occurrence_state(occurrence, today)
    outputs = {row.kind: row.count for row in occurrence.outputs.all() if row.unit_id == task.lead_unit_id}
    return {
        "id": occurrence.pk, "plan": task.plan.number_symbol or task.plan.key, "task_code": task.code,
        "task_title": task.title, "lead_unit": task.lead_unit_label, "period_start": occurrence.period_start,
        "period_end": occurrence.period_end, "due_on": occurrence.due_on, "status": occurrence.status,
        "state": state.key, "state_label": state.label, "progress": occurrence.progress,
        "narrative": occurrence.narrative, "outputs": outputs, "can_report": selectors.may_report(user, occurrence),
    }


@router.get("/my-tasks", response=MyTasksOut, summary="Nhiệm vụ của tôi: quá hạn và sắp đến hạn")
def my_tasks(request, horizon_days: int = 90):
    today = timezone.localdate()
    tasks = selectors.my_tasks(request.auth, today, horizon_days=max(0, min(horizon_days, 366)))
    return {"today": today, "late": [_out(o, request.auth, today) for o in tasks.late],
            "due_soon": [_out(o, request.auth, today) for o in tasks.due_soon]}


def _occurrence(user, occurrence_id):
    occurrence = selectors.occurrence_for(user, occurrence_id)
    if occurrence is None:
        raise Http404
    return occurrence


@router.get("/occurrences/{occurrence_id}", response=OccurrenceOut, summary="Một kỳ thực hiện của nhiệm vụ")
def occurrence(request, occurrence_id: int):
    return _out(_occurrence(request.auth, occurrence_id), request.auth, timezone.localdate())


@router.post("/occurrences/{occurrence_id}/report", response=OccurrenceOut,
             summary="Báo cáo kỳ thực hiện (đơn vị chủ trì); tệp minh chứng tải lên qua trang web")
def report(request, occurrence_id: int, payload: ReportIn):
    found = _occurrence(request.auth, occurrence_id)
    services.submit_report(occurrence=found, user=request.auth, status=payload.status, progress=payload.progress,
                           narrative=payload.narrative, outputs=payload.outputs,
                           cancel_reason=payload.cancel_reason, evidence_url=payload.evidence_url)
    return _out(_occurrence(request.auth, occurrence_id), request.auth, timezone.localdate())
