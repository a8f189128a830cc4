"""The indicator catalogue, values by indicator × unit × period (a list, and a table shaped like DHIS2's analytics
API) and the plans' targets, for the units in the caller's scope."""

import datetime
from typing import Annotated

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Path, Query, Router
from ninja.pagination import paginate

from kynangso.accounts import api as accounts
from kynangso.errors import DomainError
from kynangso.monitoring import api as monitoring
from kynangso.monitoring.rest.schemas import AnalyticsOut, IndicatorOut, TargetOut, ValueOut, indicator_out
from kynangso.monitoring.rest.scope import (
    MAX_MONTHS,
    MAX_YEARS,
    IncludeValue,
    Period,
    Year,
    month_period,
    months_between,
    require_view,
    unit_in_scope,
    value_table,
    with_units_below,
    years_between,
)
from kynangso.orgs import api as orgs
from kynangso.rest_inputs import BoundedLimitOffsetPagination, ObjectId

router = Router()
caps = accounts.capabilities


@router.get("/indicators", response=list[IndicatorOut], summary="Danh mục chỉ số")
def list_indicators(request):
    """Các chỉ số đang theo dõi, theo thứ tự của danh mục, với định nghĩa: tỷ lệ hay số lượng, tử số, mẫu số,
    loại đơn vị."""
    require_view(request.auth)
    return [indicator_out(indicator) for indicator in monitoring.indicators()]


@router.get("/indicators/{code}", response=IndicatorOut, summary="Định nghĩa một chỉ số")
def read_indicator(request, code: str = Path(..., max_length=64, description="Mã chỉ số.")):
    require_view(request.auth)
    found = [indicator for indicator in monitoring.indicators() if indicator.code == code]
    if not found:
        raise DomainError(_("Không tìm thấy chỉ số này."), code="not_found")
    return indicator_out(found[0])


@router.get("/values", response=list[ValueOut], summary="Số liệu chỉ số theo đơn vị và năm")
@paginate(BoundedLimitOffsetPagination)
def list_indicator_values(
    request,
    unit: ObjectId = Query(..., description="Đơn vị; phải nằm trong phạm vi bạn được xem."),
    include: IncludeValue = Query(
        "unit",
        description="unit: chỉ đơn vị này; children: thêm các đơn vị cấp dưới "
        "trực tiếp; descendants: thêm mọi đơn vị cấp dưới (tối đa "
        "500).",
    ),
    indicator: list[Annotated[str, Field(max_length=64)]] = Query(
        [], max_length=50, description="Mã chỉ số (lặp lại để chọn nhiều); để trống: mọi chỉ số đang theo dõi."
    ),
    period_from: Period | None = Query(
        None, description="Từ kỳ: năm (2025) hoặc tháng như DHIS2 (202603); mặc định: năm nay."
    ),
    period_to: Period | None = Query(
        None,
        description="Đến kỳ, cùng kiểu với period_from (mặc định: bằng period_from); tối đa 10 năm hoặc 24 tháng.",
    ),
):
    """Mỗi mục là một chỉ số tại một đơn vị (cả địa bàn) trong một kỳ: giá trị cuối kỳ (hoặc đến nay), tử số,
    mẫu số và thời điểm tính. Theo chỉ số, đơn vị, rồi kỳ. Kỳ tháng: giá trị tổng hợp lưu ở cuối tháng của chỉ số
    tính từ dữ liệu (chỉ số nhập tay và ước lượng khảo sát chỉ có theo năm: null)."""
    require_view(request.auth)
    years, months = _periods(period_from, period_to)
    units = with_units_below([unit_in_scope(request.auth, unit, caps.INDICATORS_VIEW)], include)
    by_id = {found.pk: found for found in units}
    return [
        {
            "indicator": row.indicator_code,
            "unit": by_id[row.unit_id],
            "period": row.period,
            "measure": row.measure,
            "value": row.value,
            "numerator": row.numerator,
            "denominator": row.denominator,
            "as_of": row.computed_at,
            "ci_low": row.ci_low,
            "ci_high": row.ci_high,
            "standard_error": row.standard_error,
        }
        for row in value_table(indicator, units, years, months)
    ]


def _periods(period_from: str | None, period_to: str | None) -> tuple[list[int], list[tuple[int, int]]]:
    """(years, months) between the two periods of /values, both years (2025) or both months (202603)."""
    first_text = period_from or str(timezone.localdate().year)
    last_text = period_to or first_text
    first_month = month_period(first_text, "period_from")
    last_month = month_period(last_text, "period_to")
    if (first_month is None) != (last_month is None):
        raise DomainError(
            _("Kỳ đầu và kỳ cuối phải cùng kiểu: cùng là năm (2025) hoặc cùng là tháng (202603)."),
            field="period_to",
            code="invalid",
        )
    if first_month is not None and last_month is not None:
        return [], months_between(first_month, last_month)
    for text, field in ((first_text, "period_from"), (last_text, "period_to")):
        if not 2000 <= int(text) <= 2100:
            raise DomainError(_("Năm phải từ 2000 đến 2100."), field=field, code="invalid")
    return years_between(int(first_text), int(last_text)), []


_HEADERS = [
    ("dx", gettext_lazy("Chỉ số")),
    ("ou", gettext_lazy("Đơn vị")),
    ("pe", gettext_lazy("Kỳ")),
    ("value", gettext_lazy("Giá trị")),
    ("numerator", gettext_lazy("Tử số")),
    ("denominator", gettext_lazy("Mẫu số")),
    ("as_of", gettext_lazy("Số liệu tính đến")),
]
_OU_KEYWORDS = {"CHILDREN": "children", "DESCENDANTS": "descendants"}


def _dimensions(dimension: list[str]) -> dict[str, list[str]]:
    """`dx:A;B`, `ou:12;CHILDREN`, `pe:2025;2026` → {"dx": ["A", "B"], …}; a dimension given twice is refused."""
    found: dict[str, list[str]] = {}
    for text in dimension:
        name, _colon, items = text.partition(":")
        name = name.strip()
        if name not in ("dx", "ou", "pe") or not items.strip():
            raise DomainError(
                _("Chiều không hợp lệ: hãy viết dx:MÃ_CHỈ_SỐ;MÃ_CHỈ_SỐ, ou:ID_ĐƠN_VỊ hoặc pe:NĂM;NĂM."),
                field="dimension",
                code="invalid",
            )
        if name in found:
            raise DomainError(_("Mỗi chiều (dx, ou, pe) chỉ ghi một lần."), field="dimension", code="invalid")
        found[name] = [item.strip() for item in items.split(";") if item.strip()]
    if not found.get("ou"):
        raise DomainError(_("Hãy chọn đơn vị: dimension=ou:ID_ĐƠN_VỊ."), field="dimension", code="invalid")
    return found


def _period(item: str) -> int | tuple[int, int]:
    """A year, or a (year, month) for a monthly period (202603, THIS_MONTH, LAST_MONTH)."""
    today = timezone.localdate()
    if item == "THIS_YEAR":
        return today.year
    if item == "LAST_YEAR":
        return today.year - 1
    if item == "THIS_MONTH":
        return today.year, today.month
    if item == "LAST_MONTH":
        return (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)
    if len(item) == 4 and item.isdigit() and 2000 <= int(item) <= 2100:
        return int(item)
    month = month_period(item, "dimension")
    if month is not None:
        return month
    raise DomainError(
        _(
            "Kỳ không hợp lệ: chỉ nhận năm (2000–2100), tháng (202603), THIS_YEAR, LAST_YEAR, THIS_MONTH hoặc "
            "LAST_MONTH."
        ),
        field="dimension",
        code="invalid",
    )


def _month_name(year: int, month: int) -> str:
    return _("Tháng %(month)s/%(year)s") % {"month": f"{month:02d}", "year": year}


def _analytics_units(user, items: list[str]) -> list:
    keywords = [item for item in items if item in _OU_KEYWORDS]
    ids = [item for item in items if item not in _OU_KEYWORDS]
    if len(keywords) > 1 or not ids:
        raise DomainError(
            _("Chiều ou: một hoặc nhiều id đơn vị, thêm CHILDREN hoặc DESCENDANTS nếu cần."),
            field="dimension",
            code="invalid",
        )
    units = []
    for item in ids:
        if not item.isdigit() or not 1 <= int(item) < 2**63:
            raise DomainError(_("Chiều ou: id đơn vị phải là số."), field="dimension", code="invalid")
        units.append(unit_in_scope(user, int(item), caps.INDICATORS_VIEW, field="dimension"))
    return with_units_below(units, _OU_KEYWORDS[keywords[0]] if keywords else "unit")


def _text(value) -> str | None:
    """A cell of the analytics table; times as in the rest of the API (ISO 8601, UTC written `Z`)."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return DjangoJSONEncoder().default(value)
    return str(value)


@router.get(
    "/analytics", response=AnalyticsOut, by_alias=True, summary="Bảng số liệu kiểu DHIS2 (chỉ số × đơn vị × kỳ)"
)
def analytics(
    request,
    dimension: list[Annotated[str, Field(max_length=2_000)]] = Query(
        ...,
        max_length=3,
        description="Các chiều, như API analytics của DHIS2: dx:MÃ_CHỈ_SỐ;MÃ_CHỈ_SỐ (để trống: "
        "mọi chỉ số), ou:ID_ĐƠN_VỊ;ID_ĐƠN_VỊ (bắt buộc; thêm ;CHILDREN hoặc "
        ";DESCENDANTS để lấy cả cấp dưới), pe:2025;2026 (năm, THIS_YEAR, LAST_YEAR; "
        "tháng như 202603, THIS_MONTH, LAST_MONTH; mặc định năm nay).",
    ),
):
    """Cùng số liệu như /values, trả về dạng bảng: headers, rows (mọi ô là chuỗi) và metaData (tên của mọi mã)."""
    require_view(request.auth)
    chosen = _dimensions(dimension)
    periods = [_period(item) for item in chosen.get("pe") or ["THIS_YEAR"]]
    years = sorted({period for period in periods if isinstance(period, int)})
    months = sorted({period for period in periods if isinstance(period, tuple)})
    if len(years) > MAX_YEARS or len(months) > MAX_MONTHS:
        raise DomainError(
            _("Tối đa %(years)s năm và %(months)s tháng mỗi lần hỏi.") % {"years": MAX_YEARS, "months": MAX_MONTHS},
            field="dimension",
            code="invalid",
        )
    units = _analytics_units(request.auth, chosen["ou"])
    rows = value_table(chosen.get("dx"), units, years, months)
    indicators = {indicator.code: indicator.name for indicator in monitoring.indicators(codes=chosen.get("dx") or None)}
    items = {code: {"name": name} for code, name in indicators.items()}
    items.update({str(unit.pk): {"name": unit.name} for unit in units})
    items.update({str(year): {"name": str(year)} for year in years})
    items.update({f"{year}{month:02d}": {"name": _month_name(year, month)} for year, month in months})
    table = [
        [
            row.indicator_code,
            str(row.unit_id),
            row.period,
            _text(row.value),
            _text(row.numerator),
            _text(row.denominator),
            _text(row.computed_at),
        ]
        for row in rows
    ]
    return {
        "headers": [{"name": name, "column": str(column)} for name, column in _HEADERS],
        "rows": table,
        "metaData": {
            "items": items,
            "dimensions": {
                "dx": list(indicators),
                "ou": [str(u.pk) for u in units],
                "pe": [str(year) for year in years] + [f"{year}{month:02d}" for year, month in months],
            },
        },
        "width": len(_HEADERS),
        "height": len(table),
    }


@router.get("/targets", response=list[TargetOut], summary="Chỉ tiêu theo kế hoạch, đơn vị, chỉ số, năm")
@paginate(BoundedLimitOffsetPagination)
def list_targets(
    request,
    plan: ObjectId | None = Query(None, description="Chỉ chỉ tiêu của kế hoạch này."),
    unit: ObjectId | None = Query(
        None,
        description="Chỉ chỉ tiêu giao cho đơn vị này (và cấp dưới, nếu "
        "descendants=true); để trống: mọi đơn vị trong phạm vi.",
    ),
    descendants: bool = Query(False, description="Cùng đơn vị, lấy cả chỉ tiêu của các đơn vị cấp dưới."),
    indicator: list[Annotated[str, Field(max_length=64)]] = Query([], max_length=50, description="Mã chỉ số."),
    year: Year | None = Query(None, description="Năm."),
):
    """Chỉ tiêu đặt cho các đơn vị trong phạm vi bạn được xem. Đơn vị không có chỉ tiêu riêng theo chỉ tiêu của
    đơn vị cấp trên gần nhất (xem docs/monitoring.md)."""
    require_view(request.auth)
    scope = accounts.scope_unit_ids(request.auth, caps.INDICATORS_VIEW)
    if unit is not None:
        chosen = unit_in_scope(request.auth, unit, caps.INDICATORS_VIEW)
        scope = orgs.subtree_unit_ids([chosen.pk]) if descendants else [chosen.pk]
    return [
        {
            "id": target.pk,
            "plan_id": target.plan_id,
            "indicator": target.indicator.code,
            "unit": target.unit,
            "year": target.year,
            "value": target.value,
            "objective_code": target.objective_code,
        }
        for target in monitoring.targets(unit_ids=scope, plan_id=plan, indicator_codes=indicator, year=year)
    ]
