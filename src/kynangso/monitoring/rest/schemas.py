"""What the indicator API answers and accepts: indicators with their definitions, values, the DHIS2-shaped analytics
table, targets and manual values (with their history), and the bodies a manual value is submitted or returned with."""

import datetime
from decimal import Decimal
from typing import Annotated, Literal

from annotated_types import Ge, Le
from ninja import Field, Schema
from pydantic import BeforeValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from kynangso.monitoring import api as monitoring
from kynangso.rest_inputs import InputSchema, StrictObjectId, whole_number

MeasureValue = Literal[tuple(monitoring.Measure.values)]
KindValue = Literal[tuple(monitoring.IndicatorKind.values)]
ManualStatusValue = Literal[tuple(monitoring.ManualStatus.values)]


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


def indicator_out(indicator) -> dict:
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
    period: str = Field(..., description="Kỳ: năm (2025) hoặc tháng (202603).")
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


def manual_out(manual_value) -> dict:
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
