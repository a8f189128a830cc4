"""REST endpoints of annual reports (/api/v1/reports/): the reports a caller may see with their status, one report
with its frozen figures, and its XLSX or PDF; a province's completeness and its consolidated report. Thin: the same
selectors and exports as the pages, the same scope (no report right anywhere is 403, a report or a province outside
scope is 404)."""

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
from kynangso.reports import documents, exports, figures, selectors
from kynangso.reports.models import AnnualReport
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
    status: StatusValue = Field(
        ...,
        description="draft (đang soạn), submitted (đã gửi, chờ duyệt), returned (bị trả lại) hoặc approved (đã duyệt).",
    )
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
        return [
            {key: value for key, value in row.items() if key != "outputs"} | {"progress": row.get("progress") or ""}
            for row in report.task_rows or []
        ]

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


class CompletenessRowOut(Schema):
    unit: UnitRef = Field(..., description="Đơn vị phải gửi báo cáo.")
    report_id: int | None = Field(None, description="Báo cáo của đơn vị; null nếu chưa lập.")
    status: StatusValue | None = Field(None, description="Trạng thái; null nếu chưa lập.")
    status_label: str = Field(..., description="Trạng thái, bằng lời («Chưa lập» nếu chưa có).")
    submitted_on: datetime.date | None = Field(None, description="Ngày gửi lần đầu (giờ Việt Nam).")
    late: bool = Field(..., description="Gửi sau hạn, hoặc chưa gửi khi đã quá hạn.")


class ProvinceStatusOut(Schema):
    province: UnitRef
    year: int
    due_on: datetime.date = Field(..., description="Hạn gửi.")
    submitted: int = Field(..., description="Số đơn vị đã gửi.")
    late: int = Field(..., description="Số đơn vị gửi muộn hoặc quá hạn chưa gửi.")
    units: list[CompletenessRowOut]


def _province_or_404(user, province_id: int):
    _require_reports(user)
    province = selectors.reporting_roots().filter(pk=province_id).first()
    if province is None or not accounts.has_capability(user, caps.REPORTS_APPROVE, province.pk):
        raise DomainError(_("Không tìm thấy tỉnh này trong phạm vi của bạn."), code="not_found")
    return province


def _download(content: bytes, fmt: str, stem: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{search_key(stem).replace(" ", "-")}.{fmt}"'
    return response


_FILE_RESPONSE = {
    "responses": {
        200: {
            "description": "Tệp báo cáo.",
            "content": {
                content_type: {"schema": {"type": "string", "format": "binary"}}
                for content_type in CONTENT_TYPES.values()
            },
        }
    }
}
ReportYear = Annotated[int, Ge(2000), Le(2100)]


@router.get(
    "/provinces/{province_id}/{year}",
    response=ProvinceStatusOut,
    summary="Tình hình gửi báo cáo năm của các đơn vị trong tỉnh",
)
def province_report_status(request, province_id: ObjectId, year: ReportYear):
    """Mỗi đơn vị phải báo cáo (xã, phường, sở, ngành) với trạng thái báo cáo và việc gửi đúng hạn; cần quyền duyệt
    báo cáo tại tỉnh."""
    province = _province_or_404(request.auth, province_id)
    rows = selectors.completeness(province=province, year=year)
    return {
        "province": province,
        "year": year,
        "due_on": selectors.due_date(year),
        "submitted": sum(1 for row in rows if row.submitted_on),
        "late": sum(1 for row in rows if row.late),
        "units": [
            {
                "unit": row.unit,
                "report_id": row.report.pk if row.report else None,
                "status": row.report.status if row.report else None,
                "status_label": str(row.status_label),
                "submitted_on": row.submitted_on,
                "late": row.late,
            }
            for row in rows
        ],
    }


@router.get(
    "/provinces/{province_id}/{year}/download/{fmt}",
    response={200: None},
    openapi_extra=_FILE_RESPONSE,
    summary="Tải báo cáo tổng hợp của tỉnh (XLSX hoặc PDF)",
)
def download_province_report(
    request, province_id: ObjectId, year: ReportYear, fmt: FormatValue = Path(..., description="xlsx hoặc pdf.")
):
    """Báo cáo tổng hợp của tỉnh, tính tại thời điểm tải (có ghi «số liệu tính đến»), như trên trang web."""
    province = _province_or_404(request.auth, province_id)
    header = AnnualReport.objects.filter(unit=province, year=year).first()
    plan_id = header.plan_id if header and header.plan_id else figures.default_plan_id()
    consolidated = documents.consolidated_report(
        province=province, year=year, plan_id=plan_id, with_charts=fmt == "pdf"
    )
    content = exports.province_report_xlsx(consolidated) if fmt == "xlsx" else exports.province_report_pdf(consolidated)
    return _download(content, fmt, f"bao-cao-tong-hop-{year}-{province.code}")


@router.get("", response=list[ReportSummary], summary="Báo cáo năm tôi được xem")
@paginate(BoundedLimitOffsetPagination)
def list_annual_reports(
    request,
    year: ReportYear | None = Query(None, description="Năm báo cáo."),
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


@router.get(
    "/{report_id}/download/{fmt}",
    response={200: None},
    openapi_extra=_FILE_RESPONSE,
    summary="Tải báo cáo năm (XLSX hoặc PDF)",
)
def download_annual_report(request, report_id: ObjectId, fmt: FormatValue = Path(..., description="xlsx hoặc pdf.")):
    """Văn bản báo cáo theo thể thức hành chính (Nghị định 30/2020/NĐ-CP), như trên trang web."""
    report = _report_or_404(request.auth, report_id)
    content = exports.unit_report_xlsx(report) if fmt == "xlsx" else exports.unit_report_pdf(report)
    return _download(content, fmt, f"bao-cao-{report.year}-{report.unit.code}")
