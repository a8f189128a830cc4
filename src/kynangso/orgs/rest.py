"""REST endpoints of the organisation tree: searching, reading, creating and editing units within the caller's scope."""

import datetime
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import ConfigDict, StrictBool

from kynangso.accounts import api as accounts
from kynangso.errors import DomainError
from kynangso.orgs import api as orgs
from kynangso.rest_inputs import BoundedLimitOffsetPagination, InputSchema, ObjectId, StrictObjectId, not_nullable

router = Router(tags=["orgs"])
caps = accounts.capabilities

UnitKindValue = Literal[tuple(orgs.UnitKind.values)]
SchoolLevelValue = Literal[tuple(["", *orgs.SchoolLevel.values])]


class UnitOut(Schema):
    id: int
    code: str = Field(..., description="Mã đơn vị.")
    name: str = Field(..., description="Tên đơn vị.")
    kind: str = Field(..., description="Loại đơn vị (mã).")
    kind_label: str = Field(..., description="Loại đơn vị, tên tiếng Việt.")
    parent_id: int | None = Field(None, description="Đơn vị cấp trên.")
    school_level: str = Field(..., description="Cấp học (chỉ với cơ sở giáo dục).")
    state_owned: bool = Field(..., description="Doanh nghiệp nhà nước.")
    valid_from: datetime.date | None = Field(None, description="Hiệu lực từ ngày.")
    valid_to: datetime.date | None = Field(None, description="Hiệu lực đến ngày (đơn vị đã sáp nhập hoặc giải thể).")
    successor_id: int | None = Field(None, description="Đơn vị kế thừa sau sáp nhập.")
    is_active: bool = Field(..., description="Còn hiệu lực.")

    @staticmethod
    def resolve_kind_label(unit) -> str:
        return str(unit.get_kind_display())


class UnitCreate(Schema):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "code": "THPT-PH-01",
                    "name": "Trường THPT Phú Hòa",
                    "kind": "school",
                    "parent_id": 12,
                    "school_level": "upper_secondary",
                }
            ]
        },
    )

    code: str = Field(
        ...,
        min_length=1,
        max_length=32,
        pattern=orgs.UNIT_CODE_PATTERN,
        description="Mã đơn vị, không trùng với đơn vị khác: chữ cái không dấu, chữ số, . _ / -.",
    )
    name: str = Field(..., min_length=1, max_length=255, pattern=r"\S", description="Tên đơn vị.")
    kind: UnitKindValue = Field(..., description="Loại đơn vị.")
    parent_id: StrictObjectId | None = Field(
        None, description="Đơn vị cấp trên; cần quyền sửa đổi đơn vị tại đó. Để trống chỉ dành cho quản trị hệ thống."
    )
    school_level: SchoolLevelValue = Field("", description="Cấp học (chỉ với cơ sở giáo dục).")
    state_owned: StrictBool = Field(False, description="Doanh nghiệp nhà nước.")
    valid_from: datetime.date | None = Field(None, description="Hiệu lực từ ngày.")


class UnitUpdate(InputSchema):
    # Fields left out are left unchanged; none of them may be null.
    name: str = Field(
        None, min_length=1, max_length=255, pattern=r"\S", description="Tên đơn vị.", json_schema_extra=not_nullable
    )
    kind: UnitKindValue = Field(None, description="Loại đơn vị.", json_schema_extra=not_nullable)
    school_level: SchoolLevelValue = Field(
        None, description="Cấp học; chuỗi rỗng để bỏ.", json_schema_extra=not_nullable
    )
    state_owned: StrictBool = Field(None, description="Doanh nghiệp nhà nước.", json_schema_extra=not_nullable)


def _visible_units(user, *, query: str = "", kind: str = ""):
    units = orgs.units(query=query, kind=kind)
    scope = accounts.scope_unit_ids(user, caps.UNITS_VIEW)
    return units if scope is None else units.filter(id__in=scope)


def _unit_or_404(user, unit_id: int, message=None):
    """The unit if `user` may see it; otherwise 404, whether or not it exists."""
    unit = _visible_units(user).filter(pk=unit_id).first()
    if unit is None:
        raise DomainError(message or _("Không tìm thấy đơn vị này."), code="not_found")
    return unit


def _require_change(user, unit) -> None:
    if not accounts.has_capability(user, caps.UNITS_CHANGE, unit.pk):
        raise DomainError(
            _("Bạn không có quyền sửa đổi đơn vị tại «%(unit)s».") % {"unit": unit.name}, code="forbidden"
        )


@router.get("", response=list[UnitOut], summary="Tìm đơn vị")
@paginate(BoundedLimitOffsetPagination)
def list_units(
    request,
    q: str = Query("", description="Tên (không cần dấu) hoặc mã đơn vị."),
    kind: UnitKindValue | None = Query(None, description="Loại đơn vị."),
):
    """Các đơn vị trong phạm vi được xem của bạn, sắp theo mã."""
    return _visible_units(request.auth, query=q, kind=kind or "")


@router.get("/{unit_id}", response=UnitOut, summary="Xem một đơn vị")
def read_unit(request, unit_id: ObjectId):
    return _unit_or_404(request.auth, unit_id)


@router.post("", response={201: UnitOut}, summary="Tạo đơn vị")
def create_unit(request, payload: UnitCreate):
    """Tạo đơn vị mới dưới một đơn vị cấp trên nơi bạn có quyền sửa đổi đơn vị."""
    user = request.auth
    if payload.parent_id is None:
        if accounts.scope_unit_ids(user, caps.UNITS_CHANGE) is not None:
            raise DomainError(
                _("Chỉ quản trị hệ thống mới tạo được đơn vị không có cấp trên."), field="parent_id", code="forbidden"
            )
        parent = None
    else:
        parent = _unit_or_404(user, payload.parent_id, _("Không tìm thấy đơn vị cấp trên."))
        _require_change(user, parent)
    unit = orgs.create_unit(parent=parent, **payload.dict(exclude={"parent_id"}))
    return Status(201, unit)


@router.patch("/{unit_id}", response=UnitOut, summary="Sửa thông tin đơn vị")
def update_unit(request, unit_id: ObjectId, payload: UnitUpdate):
    """Sửa tên, loại, cấp học hoặc tính chất nhà nước của đơn vị; chỉ các trường gửi lên được thay đổi."""
    unit = _unit_or_404(request.auth, unit_id)
    _require_change(request.auth, unit)
    return orgs.update_unit(unit=unit, **payload.dict(exclude_unset=True))
