"""REST endpoints of people: masked lists and records within the caller's scope, audited reading of personal data,
registering and editing a person."""

import datetime
from typing import Literal

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import ConfigDict

from kynangso.accounts import api as accounts
from kynangso.errors import DomainError
from kynangso.orgs import api as orgs
from kynangso.people import api as people
from kynangso.rest_errors import ErrorOut
from kynangso.rest_inputs import BoundedLimitOffsetPagination, InputSchema, ObjectId, StrictObjectId, not_nullable

router = Router(tags=["people"])
# Every answer here carries personal data (masked or not): no browser or proxy may keep a copy.
router.add_decorator(cache_control(no_store=True), mode="view")
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


class TargetGroupIn(InputSchema):
    group: TargetGroupValue = Field(..., description="Nhóm đối tượng.")
    valid_from: datetime.date = Field(..., description="Từ ngày.")
    valid_to: datetime.date | None = Field(None, description="Đến ngày; để trống nếu còn thuộc nhóm.")


class PersonCreate(InputSchema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "full_name": "Lê Thị Hoa",
                    "birth_date": "1992-07-20",
                    "sex": "female",
                    "national_id": "001192000123",
                    "phone": "0987654321",
                    "residence_unit_id": 12,
                    "target_groups": [{"group": "farmer", "valid_from": "2025-01-01"}],
                }
            ]
        }
    )

    full_name: str = Field(..., min_length=1, max_length=150, pattern=r"\S", description="Họ và tên.")
    birth_date: datetime.date = Field(..., description="Ngày sinh, dạng NNNN-TT-NN.")
    sex: SexValue = Field(..., description="Giới tính.")
    national_id: str = Field(
        ..., max_length=32, description="Số định danh cá nhân (12 chữ số), khớp năm sinh và giới tính."
    )
    phone: str = Field("", max_length=20, description="Số điện thoại di động, ví dụ 0912345678.")
    residence_unit_id: StrictObjectId = Field(..., description="Nơi cư trú; phải nằm trong phạm vi bạn quản lý.")
    workplace_unit_id: StrictObjectId | None = Field(None, description="Nơi công tác, học tập.")
    target_groups: list[TargetGroupIn] = Field([], max_length=20, description="Các nhóm đối tượng.")


class PersonUpdate(InputSchema):
    # Fields left out are left unchanged; only workplace_unit_id may be null (no workplace).
    full_name: str = Field(
        None, min_length=1, max_length=150, pattern=r"\S", description="Họ và tên.", json_schema_extra=not_nullable
    )
    phone: str = Field(
        None, max_length=20, description="Số điện thoại; chuỗi rỗng để xóa.", json_schema_extra=not_nullable
    )
    residence_unit_id: StrictObjectId = Field(
        None, description="Nơi cư trú mới (không được để trống).", json_schema_extra=not_nullable
    )
    workplace_unit_id: StrictObjectId | None = Field(None, description="Nơi công tác, học tập mới; null để bỏ.")


def _person_or_404(user, person_id: int):
    """The person if `user` may see them; otherwise 404, whether or not they exist."""
    person = people.people_in_scope(user, caps.PEOPLE_VIEW).filter(pk=person_id).first()
    if person is None:
        raise DomainError(_("Không tìm thấy người này."), code="not_found")
    return person


def _require_people_change(user) -> None:
    """Authorization before validation: an account that may register or edit people nowhere learns nothing about
    the units or people it names."""
    if not accounts.has_capability(user, caps.PEOPLE_CHANGE):
        raise DomainError(_("Bạn không có quyền đăng ký hoặc sửa thông tin người dân, cán bộ."), code="forbidden")


def _unit(user, unit_id: int, field: str):
    """The unit if `user` may register or edit people there; otherwise 404 with a message naming nothing, so an
    answer never tells whether a unit outside the caller's scope exists, nor its name."""
    unit = orgs.units().filter(pk=unit_id).first()
    if unit is None or not accounts.has_capability(user, caps.PEOPLE_CHANGE, unit.pk):
        raise DomainError(_("Không tìm thấy đơn vị này trong phạm vi bạn quản lý."), field=field, code="not_found")
    return unit


class PeopleSearch(InputSchema):
    q: str = Field(
        "", max_length=100, description="Họ tên (không cần dấu), số định danh đầy đủ hoặc số điện thoại đầy đủ."
    )
    unit: StrictObjectId | None = Field(
        None, description="Chỉ người cư trú hoặc công tác trong đơn vị này và cấp dưới."
    )
    group: TargetGroupValue | None = Field(None, description="Chỉ người hiện thuộc nhóm đối tượng này.")


@router.get("", response=list[PersonSummary], summary="Danh sách người")
@paginate(BoundedLimitOffsetPagination)
def list_people(
    request,
    q: str = Query(
        "",
        max_length=100,
        description="Họ tên (không cần dấu). Số định danh, số điện thoại: tìm bằng "
        "POST /api/v1/people/search, không đặt trong đường dẫn.",
    ),
    unit: ObjectId | None = Query(None, description="Chỉ người cư trú hoặc công tác trong đơn vị này và cấp dưới."),
    group: TargetGroupValue | None = Query(None, description="Chỉ người hiện thuộc nhóm đối tượng này."),
):
    """Người trong phạm vi được xem của bạn; số định danh, số điện thoại đã che, ngày sinh chỉ hiện năm."""
    # A URL ends up in access logs and proxies: an identifier there would be personal data kept in clear.
    if people.is_identifier_query(q):
        raise DomainError(
            _(
                "Số định danh và số điện thoại không được đặt trong đường dẫn; hãy tìm bằng "
                'POST /api/v1/people/search với nội dung {"q": "…"}.'
            ),
            field="q",
        )
    return people.search_people(
        people.people_in_scope(request.auth, caps.PEOPLE_VIEW), query=q, unit_id=unit, group=group or ""
    )


@router.post("/search", response=list[PersonSummary], summary="Tìm người (kể cả theo số định danh, số điện thoại)")
@paginate(BoundedLimitOffsetPagination)
def search_people(request, payload: PeopleSearch):
    """Như danh sách người, nhưng điều kiện tìm nằm trong nội dung yêu cầu, không nằm trong đường dẫn: dùng để tìm
    theo số định danh đầy đủ hoặc số điện thoại đầy đủ (không tìm theo một phần số)."""
    return people.search_people(
        people.people_in_scope(request.auth, caps.PEOPLE_VIEW),
        query=payload.q,
        unit_id=payload.unit,
        group=payload.group or "",
    )


@router.get("/{person_id}", response=PersonOut, summary="Xem một người")
def read_person(request, person_id: ObjectId):
    """Hồ sơ một người, với dữ liệu định danh đã che."""
    return _person_or_404(request.auth, person_id)


# Bearer token only: reading writes an audit record, and a cross-site request can carry a session cookie
# (an <img> pointing here would log a false reading in the user's name) but never an Authorization header.
@router.get(
    "/{person_id}/personal-data",
    response=PersonalDataOut,
    summary="Xem dữ liệu cá nhân đầy đủ",
    auth=accounts.BearerTokenAuth(),
)
def read_personal_data(request, person_id: ObjectId, response: HttpResponse):
    """Số định danh, số điện thoại và ngày sinh đầy đủ. Mỗi lần xem được ghi vào nhật ký truy cập dữ liệu cá nhân
    (Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15)."""
    person = _person_or_404(request.auth, person_id)
    data = people.reveal_personal_data(
        person=person, actor=request.auth, channel=people.AccessChannel.API, ip_address=request.META.get("REMOTE_ADDR")
    )
    response["Cache-Control"] = "no-store"
    return data


@router.post("", response={201: PersonOut, 429: ErrorOut}, summary="Đăng ký một người")
def register_person(request, payload: PersonCreate):
    """Một số định danh chỉ ứng với một người: đăng ký lại cùng số sẽ bị từ chối (409). Nếu số đã được đăng ký
    ở đơn vị ngoài phạm vi của bạn, câu trả lời không nêu gì về người đó, lần tra được ghi nhật ký, và sau nhiều
    lần như vậy trong một giờ mọi yêu cầu đăng ký bị từ chối (429)."""
    _require_people_change(request.auth)
    person = people.register_person(
        full_name=payload.full_name,
        birth_date=payload.birth_date,
        sex=payload.sex,
        national_id=payload.national_id,
        phone=payload.phone,
        residence_unit=_unit(request.auth, payload.residence_unit_id, "residence_unit_id"),
        workplace_unit=(
            _unit(request.auth, payload.workplace_unit_id, "workplace_unit_id") if payload.workplace_unit_id else None
        ),
        target_groups=[(g.group, g.valid_from, g.valid_to) for g in payload.target_groups],
        actor=request.auth,
        channel=people.AccessChannel.API,
        ip_address=request.META.get("REMOTE_ADDR"),
    )
    return Status(201, person)


@router.patch("/{person_id}", response=PersonOut, summary="Sửa thông tin một người")
def update_person(request, person_id: ObjectId, payload: PersonUpdate):
    """Sửa họ tên, số điện thoại, nơi cư trú hoặc nơi công tác; chỉ các trường gửi lên được thay đổi.
    Ngày sinh, giới tính và số định danh là thông tin định danh, không sửa ở đây."""
    person = _person_or_404(request.auth, person_id)
    changes = payload.dict(exclude_unset=True)
    residence_id = changes.get("residence_unit_id")
    workplace_id = changes.get("workplace_unit_id")
    return people.update_person(
        person=person,
        actor=request.auth,
        full_name=changes.get("full_name"),
        phone=changes.get("phone"),
        residence_unit=_unit(request.auth, residence_id, "residence_unit_id") if residence_id else None,
        workplace_unit=_unit(request.auth, workplace_id, "workplace_unit_id") if workplace_id else None,
        clear_workplace="workplace_unit_id" in changes and workplace_id is None,
    )
