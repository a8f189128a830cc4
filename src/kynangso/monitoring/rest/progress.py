"""Progress against a plan's targets (/progress): for a unit, or its direct children, each indicator the plan sets a
target for, with the value, the target (own, inherited or allocated), the gap, the projection to the year's end
and the at-risk flag, as the dashboards show them (docs/monitoring.md states the projection model and the rule)."""

from typing import Literal

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router

from kynangso.accounts import api as accounts
from kynangso.errors import DomainError, ErrorCode
from kynangso.monitoring import api as monitoring
from kynangso.monitoring.rest.schemas import ProgressAnswer
from kynangso.monitoring.rest.scope import Year, require_view, unit_in_scope
from kynangso.orgs import api as orgs
from kynangso.rest_inputs import ObjectId

router = Router()
caps = accounts.capabilities


def _plan(plan_id: int | None) -> tuple[int, str, str]:
    """The plan asked for, or the newest followed one (monitoring.followed_plan: an unfollowed plan is 404)."""
    found = monitoring.followed_plan(plan_id)
    if found is None:
        raise DomainError(_("Chưa có kế hoạch nào được theo dõi."), code=ErrorCode.NOT_FOUND)
    return found


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
