"""Progress against a plan's targets (/progress): for a unit, or its direct children, each indicator the plan sets a
target for, with the value, the target (own, inherited or allocated), the gap, the projection to the year's end
and the at-risk flag, as the dashboards show them (docs/monitoring.md states the projection model and the rule)."""

import datetime
from decimal import Decimal
from typing import Literal

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from kynangso.accounts import api as accounts
from kynangso.errors import DomainError
from kynangso.monitoring import api as monitoring
from kynangso.monitoring.rest.schemas import MeasureValue, UnitRef
from kynangso.monitoring.rest.scope import Year, require_view, unit_in_scope
from kynangso.orgs import api as orgs
from kynangso.rest_inputs import ObjectId

router = Router()
caps = accounts.capabilities


class PlanRef(Schema):
    id: int
    number_symbol: str = Field(..., description="Số, ký hiệu văn bản kế hoạch.")
    title: str = Field(..., description="Tên kế hoạch.")


class ProgressOut(Schema):
    indicator: str = Field(..., description="Mã chỉ số.")
    indicator_name: str = Field(..., description="Tên chỉ số.")
    unit: UnitRef = Field(..., description="Đơn vị (số liệu của cả địa bàn).")
    year: int = Field(..., description="Năm của số liệu và chỉ tiêu.")
    measure: MeasureValue = Field(..., description="percent hoặc count.")
    value: Decimal | None = Field(None, description="Giá trị, làm tròn một lần như trên trang (null: chưa có).")
    numerator: int | None = Field(None, description="Tử số (chỉ số tính từ dữ liệu).")
    denominator: int | None = Field(None, description="Mẫu số.")
    target: Decimal | None = Field(None, description="Chỉ tiêu của năm cho đơn vị (null: không có chỉ tiêu).")
    target_source: Literal["own", "inherited", "allocated"] | None = Field(
        None,
        description="own: đặt cho chính đơn vị; inherited: theo chỉ tiêu tỷ lệ của đơn vị cấp trên; allocated: "
        "phần được phân bổ từ chỉ tiêu số lượng của đơn vị cấp trên.",
    )
    target_from_unit: str | None = Field(None, description="Tên đơn vị cấp trên có chỉ tiêu được kế thừa/phân bổ.")
    gap: Decimal | None = Field(None, description="Chỉ tiêu − giá trị.")
    progress: float | None = Field(None, description="Giá trị / chỉ tiêu, từ 0 đến 1.")
    projection: Decimal | None = Field(
        None, description="Dự báo cuối năm theo xu hướng các kỳ trước (xem docs/monitoring.md); null: chưa đủ số liệu."
    )
    at_risk: bool = Field(
        ..., description="Có nguy cơ không đạt: dự báo (hoặc giá trị, khi chưa dự báo được) dưới chỉ tiêu."
    )
    partial_until: datetime.date | None = Field(
        None, description="Kỳ chưa kết thúc: số liệu tạm tính đến ngày này, không được coi là cả năm."
    )
    as_of: datetime.datetime | None = Field(None, description="Số liệu tính đến (lần tổng hợp hoặc lúc duyệt).")
    ci_low: Decimal | None = Field(None, description="Ước lượng từ khảo sát: cận dưới khoảng tin cậy 95% (%).")
    ci_high: Decimal | None = Field(None, description="Ước lượng từ khảo sát: cận trên khoảng tin cậy 95% (%).")
    verdict: str = Field("", description="Ước lượng từ khảo sát: kết luận so với chỉ tiêu, bằng lời.")


class ProgressAnswer(Schema):
    plan: PlanRef
    year: int
    rows: list[ProgressOut]


def _plan(plan_id: int | None) -> tuple[int, str, str]:
    """The plan asked for, or the newest followed one; a plan that is not followed is 404, never another's figures."""
    followed = monitoring.monitoring_plans()
    if plan_id is None:
        if not followed:
            raise DomainError(_("Chưa có kế hoạch nào được theo dõi."), code="not_found")
        return followed[0]
    for found in followed:
        if found[0] == plan_id:
            return found
    raise DomainError(_("Không tìm thấy kế hoạch này."), field="plan", code="not_found")


def _row(status, unit, year: int) -> dict:
    source = None
    if status.target is not None:
        source = "allocated" if status.target_allocated_from else "inherited" if status.target_inherited_from else "own"
    return {
        "indicator": status.indicator_code,
        "indicator_name": status.indicator_name,
        "unit": unit,
        "year": year,
        "measure": status.measure,
        "value": status.value,
        "numerator": status.numerator,
        "denominator": status.denominator,
        "target": status.target,
        "target_source": source,
        "target_from_unit": status.target_allocated_from or status.target_inherited_from,
        "gap": status.gap,
        "progress": status.progress,
        "projection": status.projection,
        "at_risk": status.at_risk,
        "partial_until": status.partial_until,
        "as_of": status.computed_at,
        "ci_low": status.ci_low,
        "ci_high": status.ci_high,
        "verdict": status.verdict,
    }


@router.get("/progress", response=ProgressAnswer, summary="Tiến độ so với chỉ tiêu của kế hoạch")
def progress(
    request,
    unit: ObjectId = Query(..., description="Đơn vị; phải nằm trong phạm vi bạn được xem."),
    plan: ObjectId | None = Query(None, description="Kế hoạch; để trống: kế hoạch mới nhất đang theo dõi."),
    year: Year | None = Query(None, description="Năm; mặc định: năm nay."),
    include: Literal["unit", "children"] = Query(
        "unit", description="unit: chỉ đơn vị này; children: thêm từng đơn vị cấp dưới trực tiếp."
    ),
):
    """Mỗi dòng là một chỉ số của kế hoạch tại một đơn vị: giá trị, chỉ tiêu (của đơn vị, kế thừa hay được phân
    bổ), khoảng cách, dự báo cuối năm và cờ «có nguy cơ», như trang theo dõi. Đơn vị cấp dưới thuộc loại mà chỉ số
    không áp dụng (trường học với chỉ số người dân) được bỏ qua."""
    require_view(request.auth)
    chosen = unit_in_scope(request.auth, unit, caps.INDICATORS_VIEW)
    plan_id, number_symbol, title = _plan(plan)
    year = year or timezone.localdate().year
    statuses = monitoring.indicator_statuses(plan_id=plan_id, unit_id=chosen.pk, year=year)
    rows = [_row(status, chosen, year) for status in statuses]
    if include == "children":
        children = {child.pk: child for child in orgs.active_children(chosen.pk)}
        for status in statuses:
            for child_id, _name, child_status in monitoring.child_unit_statuses(
                plan_id=plan_id, unit_id=chosen.pk, year=year, indicator_code=status.indicator_code
            ):
                rows.append(_row(child_status, children[child_id], year))
    return {"plan": {"id": plan_id, "number_symbol": number_symbol, "title": title}, "year": year, "rows": rows}
