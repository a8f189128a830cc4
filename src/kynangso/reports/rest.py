"""REST endpoints of annual reports (/api/v1/reports/): the reports a caller may see with their status, one report
with its frozen figures, and its XLSX or PDF. Thin: the same selectors and exports as the pages, the same scope
(no report right anywhere is 403, a report outside scope is 404)."""
import datetime
from decimal import Decimal
from typing import Annotated, Literal

from annotated_types import Ge, Le
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate

from kynangso.accounts import api as accounts
from kynangso.errors import DomainError
from kynangso.reports import exports, selectors
from kynangso.rest_inputs import BoundedLimitOffsetPagination, ObjectId
from kynangso.text import search_key

router = Router(tags=["reports"])
caps = accounts.capabilities

StatusValue = Literal["draft", "submitted", "returned", "approved"]
FormatValue = Literal["xlsx", "pdf"]
CONTENT_TYPES = {"xlsx": exports.XLSX_CONTENT_TYPE, "pdf": "application/pdf"}


class UnitRef(Schema):
    id: int
    code: str = Field(..., description="Mã đơn vị.")
    name: str = Field(..., description="Tên đơn vị.")


class ReportSummary(Schema):
    id: int
    unit: UnitRef = Field(..., description="Đơn vị lập báo cáo.")
    year: int = Field(..., description="Năm báo cáo.")
    status: StatusValue = Field(..., description="draft (đang soạn), submitted (đã gửi, chờ duyệt), returned (bị "
                                                 "trả lại) hoặc approved (đã duyệt).")
    status_label: str = Field(..., description="Trạng thái, bằng lời.")
    title: str = Field(..., description="Trích yếu.")
    number_symbol: str = Field(..., description="Số, ký hiệu.")
    due_on: datetime.date = Field(..., description="Hạn gửi (15 tháng 12).")
    first_submitted_at: datetime.datetime | None = Field(None, description="Gửi lần đầu lúc.")
    submitted_at: datetime.datetime | None = Field(None, description="Gửi lần gần nhất lúc.")
    decided_at: datetime.datetime | None = Field(None, description="Duyệt hoặc trả lại lúc.")
    figures_as_of: datetime.datetime | None = Field(None, description="Số liệu tính đến.")

    @staticmethod
    def resolve_status_label(report) -> str:
        return str(report.get_status_display())

    @staticmethod
    def resolve_due_on(report) -> datetime.date:
        return selectors.due_date(report.year)


class FigureOut(Schema):
    """One indicator as frozen in the report when it was prepared (it does not change under the reader)."""

    code: str = Field(..., description="Mã chỉ số.")
    name: str = Field(..., description="Tên chỉ số.")
    measure: str = Field(..., description="percent hoặc count.")
    value: Decimal | None = Field(None, description="Giá trị.")
    numerator: int | None = None
    denominator: int | None = None
    target: Decimal | None = Field(None, description="Chỉ tiêu.")
    target_year: int | None = Field(None, description="Năm của chỉ tiêu.")
    target_inherited_from: str | None = Field(None, description="Đơn vị cấp trên có chỉ tiêu được dùng.")
    gap: Decimal | None = Field(None, description="Chỉ tiêu − giá trị.")
    progress: float | None = Field(None, description="Giá trị / chỉ tiêu (0–1).")
    projection: Decimal | None = Field(None, description="Dự báo cuối năm của chỉ tiêu.")
    at_risk: bool = Field(False, description="Có nguy cơ không đạt.")
    computed_at: datetime.datetime | None = Field(None, description="Số liệu tính đến.")


class TaskOut(Schema):
    plan: str = Field(..., description="Kế hoạch.")
    code: str = Field(..., description="Mã nhiệm vụ.")
    title: str = Field(..., description="Nhiệm vụ.")
    role: str = Field(..., description="lead (chủ trì) hoặc cooperate (phối hợp).")
    due: int = Field(0, description="Số kỳ đến hạn trong năm.")
    done: int = Field(0, description="Số kỳ đã xong.")
    overdue: int = Field(0, description="Số kỳ quá hạn.")
    progress: str = Field("", description="Tiến độ gần nhất.")


class EventOut(Schema):
    action: str = Field(..., description="created, edited, refreshed, submitted, returned hoặc approved.")
    comment: str
    at: datetime.datetime


class ReportOut(ReportSummary):
    plan_id: int | None = Field(None, description="Kế hoạch có các chỉ tiêu trong báo cáo.")
    issuing_body: str
    general_assessment: str
    results_narrative: str
    shortcomings: str
    next_year_tasks: str
    proposals: str
    return_comment: str = Field(..., description="Ý kiến của cấp trên khi trả lại.")
    figures: list[FigureOut] = Field(..., description="Số liệu chỉ tiêu của báo cáo.")
    tasks: list[TaskOut] = Field(..., description="Nhiệm vụ của kế hoạch mà đơn vị chủ trì hoặc phối hợp.")
    history: list[EventOut] = Field(..., description="Lịch sử: lập, sửa, gửi, trả lại, duyệt.")

    @staticmethod
    def resolve_figures(report) -> list[dict]:
        return report.indicator_rows or []

    @staticmethod
    def resolve_tasks(report) -> list[dict]:
        return [{key: value for key, value in row.items() if key != "outputs"} | {"progress": row.get("progress") or ""}
                for row in report.task_rows or []]

    @staticmethod
    def resolve_history(report) -> list:
        return list(report.events.all())


def _require_reports(user) -> None:
    if not (accounts.has_capability(user, caps.REPORTS_SUBMIT) or accounts.has_capability(user, caps.REPORTS_APPROVE)):
        raise DomainError(_("Bạn không có quyền lập hoặc duyệt báo cáo năm."), code="forbidden")


def _report_or_404(user, report_id: int):
    _require_reports(user)
    report = selectors.visible_reports(user).filter(pk=report_id).first()
    if report is None:
        raise DomainError(_("Không tìm thấy báo cáo này."), code="not_found")
    return report


@router.get("", response=list[ReportSummary], summary="Báo cáo năm tôi được xem")
@paginate(BoundedLimitOffsetPagination)
def list_annual_reports(
    request,
    year: Annotated[int, Ge(2000), Le(2100)] | None = Query(None, description="Năm báo cáo."),
    status: StatusValue | None = Query(None, description="Trạng thái."),
    unit: ObjectId | None = Query(None, description="Đơn vị lập báo cáo."),
):
    """Báo cáo của các đơn vị mà bạn được lập hoặc duyệt báo cáo, mới nhất trước."""
    _require_reports(request.auth)
    reports = selectors.visible_reports(request.auth).order_by("-year", "unit__code", "id")
    if year is not None:
        reports = reports.filter(year=year)
    if status is not None:
        reports = reports.filter(status=status)
    if unit is not None:
        reports = reports.filter(unit_id=unit)
    return reports


@router.get("/{report_id}", response=ReportOut, summary="Một báo cáo năm, với số liệu")
def read_annual_report(request, report_id: ObjectId):
    """Nội dung, trạng thái, số liệu chỉ tiêu (đóng băng lúc lập hoặc cập nhật) và lịch sử của báo cáo."""
    return _report_or_404(request.auth, report_id)


@router.get("/{report_id}/download/{fmt}", response={200: None}, summary="Tải báo cáo năm (XLSX hoặc PDF)",
            openapi_extra={"responses": {200: {"description": "Tệp báo cáo.", "content": {
                content_type: {"schema": {"type": "string", "format": "binary"}}
                for content_type in CONTENT_TYPES.values()}}}})
def download_annual_report(request, report_id: ObjectId,
                           fmt: FormatValue = Path(..., description="xlsx hoặc pdf.")):
    """Văn bản báo cáo theo thể thức hành chính (Nghị định 30/2020/NĐ-CP), như trên trang web."""
    report = _report_or_404(request.auth, report_id)
    content = exports.unit_report_xlsx(report) if fmt == "xlsx" else exports.unit_report_pdf(report)
    stem = search_key(f"bao-cao-{report.year}-{report.unit.code}").replace(" ", "-")
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    return response
