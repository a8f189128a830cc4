"""REST endpoints of monitoring (/api/v1/monitoring/): the indicator catalogue, values by indicator × unit × year
(a plain list and a DHIS2-shaped analytics table), targets, and manual values with their approval. Scoped like the
pages: no capability anywhere is 403, a unit or value outside the caller's scope is 404."""

import datetime
from decimal import Decimal
from typing import Annotated, Literal

from annotated_types import Ge, Le
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import BeforeValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from kynangso.accounts import api as accounts
from kynangso.errors import DomainError
from kynangso.monitoring import api as monitoring
from kynangso.orgs import api as orgs
from kynangso.rest_inputs import (
    BoundedLimitOffsetPagination,
    InputSchema,
    ObjectId,
    StrictObjectId,
    whole_number,
)

router = Router(tags=["monitoring"])
caps = accounts.capabilities

#: A request may ask for at most this many units and years, and this many cells (indicator × unit × year) in all:
#: beyond, it is refused with a message saying how to narrow it, rather than computed for minutes.
MAX_UNITS = 500
MAX_YEARS = 10
MAX_CELLS = 20_000
Year = Annotated[int, Ge(2000), Le(2100)]
MeasureValue = Literal[tuple(monitoring.Measure.values)]
KindValue = Literal[tuple(monitoring.IndicatorKind.values)]
ManualStatusValue = Literal[tuple(monitoring.ManualStatus.values)]
IncludeValue = Literal["unit", "children", "descendants"]


# Answers -------------------------------------------------------------------------------------------------------


class UnitRef(Schema):
    id: int
    code: str = Field(..., description="Mã đơn vị.")
    name: str = Field(..., description="Tên đơn vị.")


class NumeratorOut(Schema):
    source: str = Field(
        ...,
        description="Đếm gì (passed_standard, assessed, trained_online, trained_in_class, "
        "trained, credentials_issued, people).",
    )
    source_label: str = Field(..., description="Đếm gì, bằng lời.")
    target_group: str = Field(..., description="Chỉ đếm người thuộc nhóm đối tượng này; rỗng: mọi người.")
    standard_code: str = Field(..., description="Mã chuẩn (đạt chuẩn, đã dự sát hạch); rỗng: chuẩn bất kỳ.")
    course_code: str = Field(..., description="Mã khóa học trực tuyến; rỗng: khóa bất kỳ.")
    credential_code: str = Field(..., description="Mã thành tích của chứng nhận; rỗng: bất kỳ.")
    age_min: int | None = Field(None, description="Từ tuổi (tính vào ngày cuối kỳ).")
    age_max: int | None = Field(None, description="Đến tuổi (tính cả tuổi này).")
    unit_kind: str = Field(..., description="Chỉ đếm người gắn với đơn vị loại này; rỗng: mọi loại.")
    attribution: str = Field(
        ..., description="Tính người cho đơn vị theo residence (nơi cư trú) hoặc workplace (nơi công tác, học tập)."
    )


class DenominatorOut(Schema):
    source: str = Field(
        ...,
        description="people (số người cùng nhóm, độ tuổi, loại đơn vị) hoặc unit_denominator "
        "(mẫu số theo năm của đơn vị).",
    )
    source_label: str = Field(..., description="Mẫu số, bằng lời.")
    unit_denominator_kind: str = Field(..., description="Với unit_denominator: loại mẫu số của đơn vị.")


class IndicatorOut(Schema):
    code: str = Field(..., description="Mã chỉ số.")
    name: str = Field(..., description="Tên chỉ số.")
    description: str = Field(..., description="Mô tả.")
    measure: MeasureValue = Field(..., description="Đơn vị tính: percent (tỷ lệ %) hoặc count (số lượng).")
    kind: KindValue = Field(
        ...,
        description="computed (tính từ dữ liệu), manual (đơn vị nhập tay, cấp trên "
        "duyệt) hoặc survey (ước lượng từ khảo sát, kèm khoảng tin cậy).",
    )
    period_mode: str = Field(..., description="cumulative (lũy kế đến cuối kỳ) hoặc in_year (trong năm).")
    numerator: NumeratorOut | None = Field(None, description="Tử số (chỉ số tính từ dữ liệu).")
    denominator: DenominatorOut | None = Field(None, description="Mẫu số (chỉ số tỷ lệ tính từ dữ liệu).")


def _indicator_out(indicator) -> dict:
    numerator = denominator = None
    if indicator.kind == monitoring.IndicatorKind.COMPUTED:
        numerator = {
            "source": indicator.source,
            "source_label": indicator.get_source_display(),
            "target_group": indicator.target_group,
            "standard_code": indicator.standard_code,
            "course_code": indicator.course_code,
            "credential_code": indicator.credential_code,
            "age_min": indicator.age_min,
            "age_max": indicator.age_max,
            "unit_kind": indicator.unit_kind,
            "attribution": indicator.attribution,
        }
        if indicator.denominator:
            denominator = {
                "source": indicator.denominator,
                "source_label": indicator.get_denominator_display(),
                "unit_denominator_kind": indicator.denominator_kind,
            }
    return {
        "code": indicator.code,
        "name": indicator.name,
        "description": indicator.description,
        "measure": indicator.measure,
        "kind": indicator.kind,
        "period_mode": indicator.period_mode,
        "numerator": numerator,
        "denominator": denominator,
    }


class ValueOut(Schema):
    indicator: str = Field(..., description="Mã chỉ số.")
    unit: UnitRef = Field(..., description="Đơn vị (số liệu của cả địa bàn, gồm các đơn vị cấp dưới).")
    period: str = Field(..., description="Kỳ: năm, ví dụ 2025.")
    measure: MeasureValue = Field(..., description="percent hoặc count.")
    value: Decimal | None = Field(
        None,
        description="Giá trị: tỷ lệ % (hai chữ số thập phân) hoặc số lượng; null "
        "nếu chưa có số liệu (hoặc mẫu số bằng 0).",
    )
    numerator: int | None = Field(None, description="Tử số (chỉ số tính từ dữ liệu).")
    denominator: int | None = Field(None, description="Mẫu số (chỉ số tỷ lệ tính từ dữ liệu).")
    as_of: datetime.datetime | None = Field(
        None, description="Số liệu tính đến (lần tổng hợp, hoặc lúc duyệt số liệu nhập tay)."
    )
    ci_low: Decimal | None = Field(
        None, description="Chỉ số ước lượng từ khảo sát: cận dưới khoảng tin cậy 95% (%); null với chỉ số khác."
    )
    ci_high: Decimal | None = Field(None, description="Chỉ số ước lượng từ khảo sát: cận trên khoảng tin cậy 95% (%).")
    standard_error: Decimal | None = Field(None, description="Chỉ số ước lượng từ khảo sát: sai số chuẩn (điểm %).")


class AnalyticsHeader(Schema):
    name: str = Field(..., description="dx, ou, pe, value, numerator, denominator hoặc as_of.")
    column: str = Field(..., description="Tên cột, bằng tiếng Việt.")


class AnalyticsItem(Schema):
    name: str = Field(..., description="Tên của mục (chỉ số, đơn vị, kỳ).")


class AnalyticsMeta(Schema):
    items: dict[str, AnalyticsItem] = Field(..., description="Mã → tên của mọi chỉ số, đơn vị và kỳ có trong bảng.")
    dimensions: dict[str, list[str]] = Field(..., description="dx, ou, pe → các mục đã chọn, theo thứ tự.")


class AnalyticsOut(Schema):
    headers: list[AnalyticsHeader]
    rows: list[list[str | None]] = Field(
        ...,
        description="Mỗi hàng: chỉ số × đơn vị × kỳ, theo thứ tự của headers; "
        "mọi ô là chuỗi, null khi chưa có số liệu.",
    )
    meta_data: AnalyticsMeta = Field(..., alias="metaData")
    width: int = Field(..., description="Số cột.")
    height: int = Field(..., description="Số hàng.")


class TargetOut(Schema):
    id: int
    plan_id: int = Field(..., description="Kế hoạch đặt chỉ tiêu.")
    indicator: str = Field(..., description="Mã chỉ số.")
    unit: UnitRef = Field(
        ..., description="Đơn vị được giao chỉ tiêu (đơn vị cấp dưới không có chỉ tiêu riêng thì theo chỉ tiêu này)."
    )
    year: int = Field(..., description="Năm.")
    value: Decimal = Field(..., description="Chỉ tiêu (tỷ lệ % hoặc số lượng).")
    objective_code: str = Field(..., description="Mục tiêu của kế hoạch mà chỉ tiêu đo.")


class ManualEventOut(Schema):
    action: ManualStatusValue = Field(..., description="submitted, approved hoặc returned.")
    value: Decimal = Field(..., description="Giá trị lúc đó.")
    note: str
    comment: str = Field(..., description="Ý kiến khi trả lại.")
    at: datetime.datetime


class ManualValueOut(Schema):
    id: int
    indicator: str = Field(..., description="Mã chỉ số.")
    indicator_name: str = Field(..., description="Tên chỉ số.")
    measure: MeasureValue
    unit: UnitRef
    year: int
    value: Decimal
    note: str = Field(..., description="Ghi chú của đơn vị.")
    status: ManualStatusValue = Field(
        ...,
        description="submitted (chờ duyệt), approved (đã duyệt, bị khóa) hoặc returned (bị trả lại, sửa rồi gửi lại).",
    )
    comment: str = Field(..., description="Ý kiến của cấp trên khi trả lại.")
    entered_at: datetime.datetime
    decided_at: datetime.datetime | None = None
    history: list[ManualEventOut] = Field(..., description="Các bước: gửi, duyệt, trả lại.")


def _manual_out(manual_value) -> dict:
    return {
        "id": manual_value.pk,
        "indicator": manual_value.indicator.code,
        "indicator_name": manual_value.indicator.name,
        "measure": manual_value.indicator.measure,
        "unit": manual_value.unit,
        "year": manual_value.year,
        "value": manual_value.value,
        "note": manual_value.note,
        "status": manual_value.status,
        "comment": manual_value.comment,
        "entered_at": manual_value.entered_at,
        "decided_at": manual_value.decided_at,
        "history": list(manual_value.events.all()),
    }


# Inputs -------------------------------------------------------------------------------------------------------


def _json_number(value):
    """A figure is a JSON number: a string ("", "12,5") or `true` is refused by the schema, not read by a rule."""
    if isinstance(value, (bool, str)):
        raise PydanticCustomError("decimal_type", "Input should be a valid number")
    return value


#: A manual figure: a JSON number from 0 to 999 999 999 999 (the column holds 14 digits, 2 after the point).
FigureNumber = Annotated[
    Decimal,
    Ge(0),
    Le(999_999_999_999),
    BeforeValidator(_json_number),
    WithJsonSchema({"type": "number", "minimum": 0, "maximum": 999_999_999_999}),
]


class ManualValueIn(InputSchema):
    indicator: str = Field(..., min_length=1, max_length=64, description="Mã chỉ số nhập tay.")
    unit_id: StrictObjectId = Field(..., description="Đơn vị; phải nằm trong phạm vi bạn được nhập số liệu.")
    year: whole_number(2000, 2100) = Field(..., description="Năm (2000–2100).")
    value: FigureNumber = Field(..., description="Giá trị: tỷ lệ % (0–100) hoặc số lượng (số nguyên).")
    note: str = Field("", max_length=5_000, description="Ghi chú, nguồn số liệu.")


class ReturnIn(InputSchema):
    comment: str = Field(..., min_length=1, max_length=5_000, description="Lý do trả lại, để đơn vị biết cần sửa gì.")


# Scope ----------------------------------------------------------------------------------------------------------


def _require(user, *capabilities, message: str) -> None:
    """403 when the caller may exercise none of `capabilities` anywhere: checked before any input is looked up."""
    if not any(accounts.has_capability(user, capability) for capability in capabilities):
        raise DomainError(message, code="forbidden")


def _require_view(user) -> None:
    _require(user, caps.INDICATORS_VIEW, message=_("Bạn không có quyền xem số liệu chỉ tiêu."))


def _unit_in_scope(user, unit_id: int, capability: str, field: str = "unit"):
    """The unit if the caller holds `capability` there; otherwise 404 naming nothing, whether it exists or not."""
    unit = orgs.unit_by_id(unit_id)
    if unit is None or not accounts.has_capability(user, capability, unit.pk):
        raise DomainError(_("Không tìm thấy đơn vị này trong phạm vi của bạn."), field=field, code="not_found")
    return unit


def _with_units_below(units, include: str) -> list:
    """The units, then their direct children ("children") or their whole subtrees ("descendants"), each once."""
    found = {unit.pk: unit for unit in units}
    for unit in units:
        if include == "children":
            below = orgs.active_children(unit.pk)
        elif include == "descendants":
            below = orgs.units(within=[unit.pk], active_only=True)[: MAX_UNITS + 1]
        else:
            below = []
        for child in below:
            found.setdefault(child.pk, child)
        if len(found) > MAX_UNITS:
            raise DomainError(
                _("Quá nhiều đơn vị (hơn %(limit)s); hãy chọn đơn vị nhỏ hơn hoặc chỉ lấy cấp dưới trực tiếp.")
                % {"limit": MAX_UNITS},
                field="unit",
                code="invalid",
            )
    return list(found.values())


def _years(first: int, last: int) -> list[int]:
    if last < first:
        raise DomainError(_("Kỳ cuối phải sau hoặc bằng kỳ đầu."), field="period_to", code="invalid")
    if last - first + 1 > MAX_YEARS:
        raise DomainError(
            _("Tối đa %(limit)s năm mỗi lần hỏi.") % {"limit": MAX_YEARS}, field="period_to", code="invalid"
        )
    return list(range(first, last + 1))


def _table(indicator_codes, units, years) -> list:
    indicators = monitoring.indicators(codes=indicator_codes or None)
    if len(indicators) * len(units) * len(years) > MAX_CELLS:
        raise DomainError(
            _("Yêu cầu quá lớn (hơn %(limit)s ô số liệu); hãy chọn ít chỉ số, đơn vị hoặc năm hơn.")
            % {"limit": MAX_CELLS},
            code="invalid",
        )
    return monitoring.indicator_values(
        indicator_codes=[indicator.code for indicator in indicators], unit_ids=[unit.pk for unit in units], years=years
    )


# Indicators and values ------------------------------------------------------------------------------------------


@router.get("/indicators", response=list[IndicatorOut], summary="Danh mục chỉ số")
def list_indicators(request):
    """Các chỉ số đang theo dõi, theo thứ tự của danh mục, với định nghĩa: tỷ lệ hay số lượng, tử số, mẫu số,
    loại đơn vị."""
    _require_view(request.auth)
    return [_indicator_out(indicator) for indicator in monitoring.indicators()]


@router.get("/indicators/{code}", response=IndicatorOut, summary="Định nghĩa một chỉ số")
def read_indicator(request, code: str = Path(..., max_length=64, description="Mã chỉ số.")):
    _require_view(request.auth)
    found = [indicator for indicator in monitoring.indicators() if indicator.code == code]
    if not found:
        raise DomainError(_("Không tìm thấy chỉ số này."), code="not_found")
    return _indicator_out(found[0])


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
    period_from: Year | None = Query(None, description="Từ năm (mặc định: năm nay)."),
    period_to: Year | None = Query(None, description="Đến năm (mặc định: bằng period_from); tối đa 10 năm."),
):
    """Mỗi mục là một chỉ số tại một đơn vị (cả địa bàn) trong một năm: giá trị cuối năm (hoặc đến nay), tử số,
    mẫu số và thời điểm tính. Theo chỉ số, đơn vị, rồi năm."""
    _require_view(request.auth)
    first = period_from or timezone.localdate().year
    years = _years(first, period_to or first)
    units = _with_units_below([_unit_in_scope(request.auth, unit, caps.INDICATORS_VIEW)], include)
    by_id = {found.pk: found for found in units}
    return [
        {
            "indicator": row.indicator_code,
            "unit": by_id[row.unit_id],
            "period": str(row.year),
            "measure": row.measure,
            "value": row.value,
            "numerator": row.numerator,
            "denominator": row.denominator,
            "as_of": row.computed_at,
            "ci_low": row.ci_low,
            "ci_high": row.ci_high,
            "standard_error": row.standard_error,
        }
        for row in _table(indicator, units, years)
    ]


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


def _period(item: str) -> int:
    this_year = timezone.localdate().year
    if item == "THIS_YEAR":
        return this_year
    if item == "LAST_YEAR":
        return this_year - 1
    if len(item) == 4 and item.isdigit() and 2000 <= int(item) <= 2100:
        return int(item)
    raise DomainError(
        _("Kỳ không hợp lệ: chỉ nhận năm (2000–2100), THIS_YEAR hoặc LAST_YEAR."), field="dimension", code="invalid"
    )


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
        units.append(_unit_in_scope(user, int(item), caps.INDICATORS_VIEW, field="dimension"))
    return _with_units_below(units, _OU_KEYWORDS[keywords[0]] if keywords else "unit")


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
        "mặc định năm nay).",
    ),
):
    """Cùng số liệu như /values, trả về dạng bảng: headers, rows (mọi ô là chuỗi) và metaData (tên của mọi mã)."""
    _require_view(request.auth)
    chosen = _dimensions(dimension)
    years = sorted({_period(item) for item in chosen.get("pe") or ["THIS_YEAR"]})
    if len(years) > MAX_YEARS:
        raise DomainError(
            _("Tối đa %(limit)s năm mỗi lần hỏi.") % {"limit": MAX_YEARS}, field="dimension", code="invalid"
        )
    units = _analytics_units(request.auth, chosen["ou"])
    rows = _table(chosen.get("dx"), units, years)
    indicators = {indicator.code: indicator.name for indicator in monitoring.indicators(codes=chosen.get("dx") or None)}
    items = {code: {"name": name} for code, name in indicators.items()}
    items.update({str(unit.pk): {"name": unit.name} for unit in units})
    items.update({str(year): {"name": str(year)} for year in years})
    table = [
        [
            row.indicator_code,
            str(row.unit_id),
            str(row.year),
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
                "pe": [str(year) for year in years],
            },
        },
        "width": len(_HEADERS),
        "height": len(table),
    }


# Targets --------------------------------------------------------------------------------------------------------


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
    _require_view(request.auth)
    scope = accounts.scope_unit_ids(request.auth, caps.INDICATORS_VIEW)
    if unit is not None:
        chosen = _unit_in_scope(request.auth, unit, caps.INDICATORS_VIEW)
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


# Manual values --------------------------------------------------------------------------------------------------


def _require_manual(user) -> None:
    _require(
        user,
        caps.INDICATORS_ENTER,
        caps.INDICATORS_APPROVE,
        message=_("Bạn không có quyền nhập hoặc duyệt số liệu chỉ tiêu."),
    )


def _manual_value_or_404(user, value_id: int):
    """The value if the caller may enter values at its unit or decide on them (at its parent); otherwise 404."""
    manual_value = monitoring.manual_value_by_id(value_id)
    if manual_value is None or not (
        accounts.has_capability(user, caps.INDICATORS_ENTER, manual_value.unit_id)
        or accounts.has_capability(user, caps.INDICATORS_APPROVE, monitoring.approver_unit_id(manual_value.unit))
    ):
        raise DomainError(_("Không tìm thấy số liệu này."), code="not_found")
    return manual_value


@router.get("/manual-values", response=list[ManualValueOut], summary="Số liệu nhập tay của một đơn vị")
@paginate(BoundedLimitOffsetPagination)
def list_manual_values(
    request,
    unit: ObjectId = Query(..., description="Đơn vị; phải nằm trong phạm vi bạn được nhập số liệu."),
    year: Year | None = Query(None, description="Năm (mặc định: năm nay)."),
):
    """Như trang nhập số liệu: các giá trị của đơn vị trong năm, với trạng thái và lịch sử."""
    _require(request.auth, caps.INDICATORS_ENTER, message=_("Bạn không có quyền nhập số liệu chỉ tiêu."))
    chosen = _unit_in_scope(request.auth, unit, caps.INDICATORS_ENTER)
    return [
        _manual_out(value)
        for value in monitoring.manual_values(unit_id=chosen.pk, year=year or timezone.localdate().year)
    ]


@router.get("/manual-values/pending", response=list[ManualValueOut], summary="Số liệu nhập tay chờ tôi duyệt")
@paginate(BoundedLimitOffsetPagination)
def list_pending_manual_values(request):
    """Như trang phê duyệt: số liệu đã gửi của các đơn vị có đơn vị cấp trên trong phạm vi duyệt của bạn."""
    _require(request.auth, caps.INDICATORS_APPROVE, message=_("Bạn không có quyền duyệt số liệu chỉ tiêu."))
    return [_manual_out(value) for value in monitoring.pending_approvals(user=request.auth)]


@router.get("/manual-values/{value_id}", response=ManualValueOut, summary="Một số liệu nhập tay")
def read_manual_value(request, value_id: ObjectId):
    _require_manual(request.auth)
    return _manual_out(_manual_value_or_404(request.auth, value_id))


@router.post("/manual-values", response={201: ManualValueOut}, summary="Gửi (hoặc sửa) số liệu nhập tay")
def submit_manual_value(request, payload: ManualValueIn):
    """Ghi giá trị của đơn vị cho một chỉ số nhập tay và gửi lên cấp trên duyệt; sửa được đến khi được duyệt
    (số liệu đã duyệt bị khóa: 400 với mã locked)."""
    _require(request.auth, caps.INDICATORS_ENTER, message=_("Bạn không có quyền nhập số liệu chỉ tiêu."))
    unit = _unit_in_scope(request.auth, payload.unit_id, caps.INDICATORS_ENTER, field="unit_id")
    entered = monitoring.submit_manual_value(
        indicator_code=payload.indicator,
        unit_id=unit.pk,
        year=payload.year,
        value=payload.value,
        note=payload.note,
        actor=request.auth,
    )
    return Status(201, _manual_out(monitoring.manual_value_by_id(entered.pk)))


@router.post("/manual-values/{value_id}/approve", response=ManualValueOut, summary="Duyệt số liệu nhập tay")
def approve_manual_value(request, value_id: ObjectId):
    """Đơn vị cấp trên duyệt số liệu đang chờ; từ đó số liệu bị khóa."""
    _require(request.auth, caps.INDICATORS_APPROVE, message=_("Bạn không có quyền duyệt số liệu chỉ tiêu."))
    found = _manual_value_or_404(request.auth, value_id)
    monitoring.approve_manual_value(value_id=found.pk, actor=request.auth)
    return _manual_out(monitoring.manual_value_by_id(found.pk))


@router.post("/manual-values/{value_id}/return", response=ManualValueOut, summary="Trả lại số liệu nhập tay")
def return_manual_value(request, value_id: ObjectId, payload: ReturnIn):
    """Đơn vị cấp trên trả số liệu đang chờ về đơn vị, kèm ý kiến cần sửa gì."""
    _require(request.auth, caps.INDICATORS_APPROVE, message=_("Bạn không có quyền duyệt số liệu chỉ tiêu."))
    found = _manual_value_or_404(request.auth, value_id)
    monitoring.return_manual_value(value_id=found.pk, comment=payload.comment, actor=request.auth)
    return _manual_out(monitoring.manual_value_by_id(found.pk))
