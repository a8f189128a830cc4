"""Services and selectors of manual indicator values: a unit submits, its parent approves (then it is locked) or
returns it with a comment; every step is kept in the value's history (like DHIS2's data approval). Four eyes: the
official who entered a value never approves it (ADR 0039)."""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kynangso.accounts import api as accounts
from kynangso.errors import DomainError, ErrorCode
from kynangso.monitoring.models import (
    Indicator,
    IndicatorKind,
    ManualStatus,
    ManualValue,
    ManualValueEvent,
    Measure,
)
from kynangso.orgs import api as orgs


def _unit(unit_id: int):
    unit = orgs.unit_by_id(unit_id)
    if unit is None:
        raise DomainError(_("Không tìm thấy đơn vị."), code="not_found")
    return unit


def _clean_value(value, indicator: Indicator) -> Decimal:
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise DomainError(_("Giá trị phải là một số."), field="value") from None
    if not number.is_finite() or number < 0:
        raise DomainError(_("Giá trị phải là một số không âm."), field="value")
    if indicator.measure == Measure.PERCENT and number > 100:
        raise DomainError(_("Tỷ lệ không được lớn hơn 100%."), field="value")
    if indicator.measure == Measure.COUNT and number != number.to_integral_value():
        raise DomainError(_("Số lượng phải là số nguyên."), field="value")
    return number.quantize(Decimal("0.01"))


def approver_unit_id(unit) -> int:
    """The unit whose approvers decide on `unit`'s values: its parent (the province approves its own)."""
    return unit.parent_id or unit.pk


def _event(manual_value: ManualValue, action: str, actor, comment: str = "") -> None:
    ManualValueEvent.objects.create(
        manual_value=manual_value,
        action=action,
        value=manual_value.value,
        note=manual_value.note,
        comment=comment,
        actor=actor,
        at=timezone.now(),
    )


@transaction.atomic
def submit_manual_value(*, indicator_code: str, unit_id: int, year: int, value, note: str = "", actor) -> ManualValue:
    """Enter (or correct, while not yet approved) a unit's value for a manual indicator and send it for approval."""
    indicator = Indicator.objects.filter(code=indicator_code, is_active=True).first()
    if indicator is None:
        raise DomainError(_("Không tìm thấy chỉ số %(code)s.") % {"code": indicator_code}, code="not_found")
    if indicator.kind != IndicatorKind.MANUAL:
        raise DomainError(
            _("Chỉ số «%(name)s» được tính tự động từ dữ liệu, không nhập tay.") % {"name": indicator.name},
            field="indicator",
        )
    unit = _unit(unit_id)
    if not accounts.has_capability(actor, accounts.capabilities.INDICATORS_ENTER, unit.pk):
        raise DomainError(
            _("Bạn không có quyền nhập số liệu cho đơn vị «%(unit)s».") % {"unit": unit.name}, code="forbidden"
        )
    if not 2000 <= int(year) <= 2100:
        raise DomainError(_("Năm không hợp lệ: %(year)s.") % {"year": year}, field="year")
    number = _clean_value(value, indicator)
    existing = ManualValue.objects.select_for_update().filter(indicator=indicator, unit=unit, year=year).first()
    if existing is not None and existing.status == ManualStatus.APPROVED:
        raise DomainError(_("Số liệu này đã được duyệt và bị khóa; không sửa được nữa."), code="locked")
    manual_value = existing or ManualValue(indicator=indicator, unit=unit, year=year)
    manual_value.value = number
    manual_value.note = (note or "").strip()
    manual_value.status = ManualStatus.SUBMITTED
    manual_value.entered_by = actor
    manual_value.entered_at = timezone.now()
    manual_value.decided_by = None
    manual_value.decided_at = None
    manual_value.save()
    _event(manual_value, ManualStatus.SUBMITTED, actor)
    return manual_value


def _decidable(value_id: int, actor) -> ManualValue:
    manual_value = (
        ManualValue.objects.select_for_update().select_related("unit", "indicator").filter(pk=value_id).first()
    )
    if manual_value is None:
        raise DomainError(_("Không tìm thấy số liệu."), code="not_found")
    if not accounts.has_capability(
        actor, accounts.capabilities.INDICATORS_APPROVE, approver_unit_id(manual_value.unit)
    ):
        raise DomainError(
            _("Chỉ đơn vị cấp trên của «%(unit)s» mới duyệt được số liệu này.") % {"unit": manual_value.unit.name},
            code="forbidden",
        )
    if manual_value.status != ManualStatus.SUBMITTED:
        raise DomainError(_("Số liệu này không ở trạng thái chờ duyệt."), code="state")
    return manual_value


@transaction.atomic
def approve_manual_value(*, value_id: int, actor) -> ManualValue:
    """Approve a submitted value (the parent unit's approver, never the official who entered it); it is locked from
    then on, with who entered it and who approved it both kept."""
    manual_value = _decidable(value_id, actor)
    if manual_value.entered_by_id is not None and manual_value.entered_by_id == actor.pk:
        raise DomainError(
            _(
                "Bạn đã nhập số liệu này nên không thể tự duyệt: cần một cán bộ khác có quyền duyệt "
                "của đơn vị cấp trên duyệt (nguyên tắc bốn mắt)."
            ),
            code=ErrorCode.FOUR_EYES,
        )
    manual_value.status = ManualStatus.APPROVED
    manual_value.decided_by = actor
    manual_value.decided_at = timezone.now()
    manual_value.comment = ""
    manual_value.save()
    _event(manual_value, ManualStatus.APPROVED, actor)
    return manual_value


@transaction.atomic
def return_manual_value(*, value_id: int, comment: str, actor) -> ManualValue:
    """Send a submitted value back to its unit with a comment saying what to fix."""
    comment = (comment or "").strip()
    if not comment:
        raise DomainError(_("Hãy ghi lý do trả lại để đơn vị biết cần sửa gì."), field="comment")
    manual_value = _decidable(value_id, actor)
    manual_value.status = ManualStatus.RETURNED
    manual_value.decided_by = actor
    manual_value.decided_at = timezone.now()
    manual_value.comment = comment
    manual_value.save()
    _event(manual_value, ManualStatus.RETURNED, actor, comment)
    return manual_value


def manual_values(*, unit_id: int, year: int) -> list[ManualValue]:
    """The unit's manual values of the year, with their indicator and history prefetched."""
    return list(
        ManualValue.objects.filter(unit_id=unit_id, year=year)
        .select_related("indicator", "unit", "entered_by", "decided_by")
        .prefetch_related("events__actor")
        .order_by("indicator__order", "indicator__code")
    )


def pending_approvals(*, user) -> list[ManualValue]:
    """Submitted values waiting for `user`: those of units whose parent lies in the user's approval scope (including
    the ones the user entered, shown as such: another approver must decide those)."""
    scope = accounts.scope_unit_ids(user, accounts.capabilities.INDICATORS_APPROVE)
    qs = ManualValue.objects.filter(status=ManualStatus.SUBMITTED).select_related("indicator", "unit", "entered_by")
    if scope is not None:
        qs = qs.filter(Q(unit__parent_id__in=scope) | Q(unit__parent__isnull=True, unit_id__in=scope))
    return list(qs.order_by("entered_at", "id"))


def approved_manual_figures(*, indicator: Indicator, unit_ids, years) -> dict[tuple[int, int], tuple]:
    """(unit id, year) → (value, decided_at) for each unit: its own approved value, or for a count indicator the sum
    of its direct children's approved values when it has none of its own."""
    unit_ids = list(unit_ids)
    own = {
        (v.unit_id, v.year): (v.value, v.decided_at)
        for v in ManualValue.objects.filter(
            indicator=indicator, unit_id__in=unit_ids, year__in=list(years), status=ManualStatus.APPROVED
        )
    }
    if indicator.measure != Measure.COUNT:
        return own
    children = orgs.closure_rows().filter(ancestor_id__in=unit_ids, depth=1)
    parent_of = {row["descendant_id"]: row["ancestor_id"] for row in children}
    figures = dict(own)
    summed: dict[tuple[int, int], list] = {}
    for v in ManualValue.objects.filter(
        indicator=indicator, unit_id__in=list(parent_of), year__in=list(years), status=ManualStatus.APPROVED
    ):
        key = (parent_of[v.unit_id], v.year)
        total = summed.setdefault(key, [Decimal(0), None])
        total[0] += v.value
        total[1] = max(filter(None, [total[1], v.decided_at]))
    for key, (value, decided_at) in summed.items():
        figures.setdefault(key, (value, decided_at))
    return figures
