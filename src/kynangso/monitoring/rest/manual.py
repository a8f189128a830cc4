"""Manual values over the API, as on the pages: a unit submits (or corrects) its figure, the unit above approves or
returns it; each caller sees only the values they may enter or decide on."""

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from kynangso.accounts import api as accounts
from kynangso.errors import DomainError
from kynangso.monitoring import api as monitoring
from kynangso.monitoring.rest.schemas import ManualValueIn, ManualValueOut, ReturnIn, manual_out
from kynangso.monitoring.rest.scope import Year, require, unit_in_scope
from kynangso.rest_inputs import BoundedLimitOffsetPagination, ObjectId

router = Router()
caps = accounts.capabilities


def _require_manual(user) -> None:
    require(
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
    require(request.auth, caps.INDICATORS_ENTER, message=_("Bạn không có quyền nhập số liệu chỉ tiêu."))
    chosen = unit_in_scope(request.auth, unit, caps.INDICATORS_ENTER)
    return [
        manual_out(value)
        for value in monitoring.manual_values(unit_id=chosen.pk, year=year or timezone.localdate().year)
    ]


@router.get("/manual-values/pending", response=list[ManualValueOut], summary="Số liệu nhập tay chờ tôi duyệt")
@paginate(BoundedLimitOffsetPagination)
def list_pending_manual_values(request):
    """Như trang phê duyệt: số liệu đã gửi của các đơn vị có đơn vị cấp trên trong phạm vi duyệt của bạn."""
    require(request.auth, caps.INDICATORS_APPROVE, message=_("Bạn không có quyền duyệt số liệu chỉ tiêu."))
    return [manual_out(value) for value in monitoring.pending_approvals(user=request.auth)]


@router.get("/manual-values/{value_id}", response=ManualValueOut, summary="Một số liệu nhập tay")
def read_manual_value(request, value_id: ObjectId):
    _require_manual(request.auth)
    return manual_out(_manual_value_or_404(request.auth, value_id))


@router.post("/manual-values", response={201: ManualValueOut}, summary="Gửi (hoặc sửa) số liệu nhập tay")
def submit_manual_value(request, payload: ManualValueIn):
    """Ghi giá trị của đơn vị cho một chỉ số nhập tay và gửi lên cấp trên duyệt; sửa được đến khi được duyệt
    (số liệu đã duyệt bị khóa: 400 với mã locked)."""
    require(request.auth, caps.INDICATORS_ENTER, message=_("Bạn không có quyền nhập số liệu chỉ tiêu."))
    unit = unit_in_scope(request.auth, payload.unit_id, caps.INDICATORS_ENTER, field="unit_id")
    entered = monitoring.submit_manual_value(
        indicator_code=payload.indicator,
        unit_id=unit.pk,
        year=payload.year,
        value=payload.value,
        note=payload.note,
        actor=request.auth,
    )
    return Status(201, manual_out(monitoring.manual_value_by_id(entered.pk)))


@router.post("/manual-values/{value_id}/approve", response=ManualValueOut, summary="Duyệt số liệu nhập tay")
def approve_manual_value(request, value_id: ObjectId):
    """Đơn vị cấp trên duyệt số liệu đang chờ; từ đó số liệu bị khóa."""
    require(request.auth, caps.INDICATORS_APPROVE, message=_("Bạn không có quyền duyệt số liệu chỉ tiêu."))
    found = _manual_value_or_404(request.auth, value_id)
    monitoring.approve_manual_value(value_id=found.pk, actor=request.auth)
    return manual_out(monitoring.manual_value_by_id(found.pk))


@router.post("/manual-values/{value_id}/return", response=ManualValueOut, summary="Trả lại số liệu nhập tay")
def return_manual_value(request, value_id: ObjectId, payload: ReturnIn):
    """Đơn vị cấp trên trả số liệu đang chờ về đơn vị, kèm ý kiến cần sửa gì."""
    require(request.auth, caps.INDICATORS_APPROVE, message=_("Bạn không có quyền duyệt số liệu chỉ tiêu."))
    found = _manual_value_or_404(request.auth, value_id)
    monitoring.return_manual_value(value_id=found.pk, comment=payload.comment, actor=request.auth)
    return manual_out(monitoring.manual_value_by_id(found.pk))
