"""REST endpoints of people: masked lists and records within the caller's scope, audited reading of personal data,
registering and editing a person."""
import datetime
from typing import Literal

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import ConfigDict

from kynangso.accounts import api as accounts
from kynangso.errors import DomainError
from kynangso.orgs import api as orgs
from kynangso.people import api as people

router = Router(tags=["Người dân, cán bộ"])
caps = accounts.capabilities

SexValue = Literal[tuple(people.Sex.values)]
TargetGroupValue = Literal[tuple(people.TargetGroup.values)]


class UnitRef(Schema):
    id: int
    code: str = Field(..., description="Mã đơn vị.")
    name: str = Field(..., description="Tên đơn vị.")


class PersonSummary(Schema):
    """What a list or a record shows: identity data masked, birth date reduced to the year."""

    id: int
    full_name: str = Field(..., description="Họ và tên.")
    birth_year: int = Field(..., description="Năm sinh (ngày sinh đầy đủ chỉ có trong dữ liệu cá nhân).")
    sex: SexValue = Field(..., description="Giới tính.")
    national_id_masked: str = Field(..., description="Số định danh cá nhân, đã che, chỉ hiện ba số cuối.")
    phone_masked: str = Field(..., description="Số điện thoại, đã che.")
    residence_unit: UnitRef = Field(..., description="Nơi cư trú.")
    workplace_unit: UnitRef | None = Field(None, description="Nơi công tác, học tập.")

    @staticmethod
    def resolve_birth_year(person) -> int:
        return person.birth_date.year

    @staticmethod
    def resolve_national_id_masked(person) -> str:
        return people.mask_national_id(person.national_id_last_digits)

    @staticmethod
    def resolve_phone_masked(person) -> str:
        return people.mask_phone(person.phone)


class PersonOut(PersonSummary):
    target_groups: list[TargetGroupValue] = Field(..., description="Các nhóm đối tượng hiện tại.")
    has_account: bool = Field(..., description="Đã có tài khoản đăng nhập.")
    created_at: datetime.datetime = Field(..., description="Ngày tạo.")
    updated_at: datetime.datetime = Field(..., description="Cập nhật lần cuối.")

    @staticmethod
    def resolve_target_groups(person) -> list[str]:
        return sorted(people.current_groups(person))

    @staticmethod
    def resolve_has_account(person) -> bool:
        return person.user_id is not None


class PersonalDataOut(Schema):
    national_id: str = Field(..., description="Số định danh cá nhân đầy đủ.")
    phone: str = Field(..., description="Số điện thoại đầy đủ.")
    birth_date: datetime.date = Field(..., description="Ngày sinh.")


class TargetGroupIn(Schema):
    model_config = ConfigDict(extra="forbid")

    group: TargetGroupValue = Field(..., description="Nhóm đối tượng.")
    valid_from: datetime.date = Field(..., description="Từ ngày.")
    valid_to: datetime.date | None = Field(None, description="Đến ngày; để trống nếu còn thuộc nhóm.")


class PersonCreate(Schema):
    model_config = ConfigDict(extra="forbid")

    full_name: str = Field(..., max_length=150, description="Họ và tên.")
    birth_date: datetime.date = Field(..., description="Ngày sinh, dạng NNNN-TT-NN.")
    sex: SexValue = Field(..., description="Giới tính.")
    national_id: str = Field(
        ..., max_length=32, description="Số định danh cá nhân (12 chữ số), khớp năm sinh và giới tính.")
    phone: str = Field("", max_length=20, description="Số điện thoại di động, ví dụ 0912345678.")
    residence_unit_id: int = Field(..., description="Nơi cư trú; phải nằm trong phạm vi bạn quản lý.")
    workplace_unit_id: int | None = Field(None, description="Nơi công tác, học tập.")
    target_groups: list[TargetGroupIn] = Field([], description="Các nhóm đối tượng.")


class PersonUpdate(Schema):
    model_config = ConfigDict(extra="forbid")

    full_name: str | None = Field(None, max_length=150, description="Họ và tên.")
    phone: str | None = Field(None, max_length=20, description="Số điện thoại; chuỗi rỗng để xóa.")
    residence_unit_id: int | None = Field(None, description="Nơi cư trú mới.")
    workplace_unit_id: int | None = Field(None, description="Nơi công tác, học tập mới; null để bỏ.")


def _person_or_404(user, person_id: int):
    """The person if `user` may see them; otherwise 404, whether or not they exist."""
    person = people.people_in_scope(user, caps.PEOPLE_VIEW).filter(pk=person_id).first()
    if person is None:
        raise DomainError(_("Không tìm thấy người này."), code="not_found")
    return person


def _unit(unit_id: int, field: str):
    unit = orgs.units().filter(pk=unit_id).first()
    if unit is None:
        raise DomainError(_("Không có đơn vị nào mang số %(id)s.") % {"id": unit_id}, field=field)
    return unit


@router.get("", response=list[PersonSummary], summary="Danh sách người")
@paginate(LimitOffsetPagination, max_limit=500)
def list_people(
    request,
    q: str = Query("", description="Họ tên (không cần dấu), số định danh đầy đủ hoặc số điện thoại."),
    unit: int | None = Query(None, description="Chỉ người cư trú hoặc công tác trong đơn vị này và cấp dưới."),
    group: TargetGroupValue | None = Query(None, description="Chỉ người hiện thuộc nhóm đối tượng này."),
):
    """Người trong phạm vi được xem của bạn; số định danh, số điện thoại đã che, ngày sinh chỉ hiện năm."""
    return people.search_people(people.people_in_scope(request.auth, caps.PEOPLE_VIEW),
                                query=q, unit_id=unit, group=group or "")


@router.get("/{person_id}", response=PersonOut, summary="Xem một người")
def read_person(request, person_id: int):
    """Hồ sơ một người, với dữ liệu định danh đã che."""
    return _person_or_404(request.auth, person_id)


# Bearer token only: reading writes an audit record, and a cross-site request can carry a session cookie
# (an <img> pointing here would log a false reading in the user's name) but never an Authorization header.
@router.get("/{person_id}/personal-data", response=PersonalDataOut, summary="Xem dữ liệu cá nhân đầy đủ",
            auth=accounts.BearerTokenAuth())
def read_personal_data(request, person_id: int, response: HttpResponse):
    """Số định danh, số điện thoại và ngày sinh đầy đủ. Mỗi lần xem được ghi vào nhật ký truy cập dữ liệu cá nhân
    (Nghị định 13/2023/NĐ-CP)."""
    person = _person_or_404(request.auth, person_id)
    data = people.reveal_personal_data(person=person, actor=request.auth, channel=people.AccessChannel.API,
                                       ip_address=request.META.get("REMOTE_ADDR"))
    response["Cache-Control"] = "no-store"
    return data


@router.post("", response={201: PersonOut}, summary="Đăng ký một người")
def register_person(request, payload: PersonCreate):
    """Một số định danh chỉ ứng với một người: đăng ký lại cùng số sẽ bị từ chối (409)."""
    person = people.register_person(
        full_name=payload.full_name,
        birth_date=payload.birth_date,
        sex=payload.sex,
        national_id=payload.national_id,
        phone=payload.phone,
        residence_unit=_unit(payload.residence_unit_id, "residence_unit_id"),
        workplace_unit=_unit(payload.workplace_unit_id, "workplace_unit_id") if payload.workplace_unit_id else None,
        target_groups=[(g.group, g.valid_from, g.valid_to) for g in payload.target_groups],
        actor=request.auth,
    )
    return Status(201, person)


@router.patch("/{person_id}", response=PersonOut, summary="Sửa thông tin một người")
def update_person(request, person_id: int, payload: PersonUpdate):
    """Sửa họ tên, số điện thoại, nơi cư trú hoặc nơi công tác; chỉ các trường gửi lên được thay đổi.
    Ngày sinh, giới tính và số định danh là thông tin định danh, không sửa ở đây."""
    person = _person_or_404(request.auth, person_id)
    changes = payload.dict(exclude_unset=True)
    if "residence_unit_id" in changes and changes["residence_unit_id"] is None:
        raise DomainError(_("Nơi cư trú không được để trống."), field="residence_unit_id")
    residence_id = changes.get("residence_unit_id")
    workplace_id = changes.get("workplace_unit_id")
    return people.update_person(
        person=person,
        actor=request.auth,
        full_name=changes.get("full_name"),
        phone=changes.get("phone"),
        residence_unit=_unit(residence_id, "residence_unit_id") if residence_id else None,
        workplace_unit=_unit(workplace_id, "workplace_unit_id") if workplace_id else None,
        clear_workplace="workplace_unit_id" in changes and workplace_id is None,
    )
