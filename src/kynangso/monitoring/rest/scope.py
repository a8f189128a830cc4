"""Who may ask the indicator API and about what: capabilities (403), units in scope (404 naming nothing), the units
below a unit, the periods (years, or months as DHIS2 writes them), the size of a request, and the table of
values the endpoints answer from."""

from typing import Annotated, Literal

from annotated_types import Ge, Le
from django.utils.translation import gettext as _
from ninja import Field

from kynangso.accounts import api as accounts
from kynangso.errors import DomainError
from kynangso.monitoring import api as monitoring
from kynangso.orgs import api as orgs

caps = accounts.capabilities

#: A request may ask for at most this many units and years, and this many cells (indicator × unit × year) in all:
#: beyond, it is refused with a message saying how to narrow it, rather than computed for minutes.
MAX_UNITS = 500
MAX_YEARS = 10
MAX_MONTHS = 24
MAX_CELLS = 20_000
Year = Annotated[int, Ge(2000), Le(2100)]
#: A period of /values: a year (2025) or, as DHIS2 writes it, a month (202603).
Period = Annotated[str, Field(pattern=r"^[0-9]{4}([0-9]{2})?$", max_length=6)]
IncludeValue = Literal["unit", "children", "descendants"]


def require(user, *capabilities, message: str) -> None:
    """403 when the caller may exercise none of `capabilities` anywhere: checked before any input is looked up."""
    if not any(accounts.has_capability(user, capability) for capability in capabilities):
        raise DomainError(message, code="forbidden")


def require_view(user) -> None:
    require(user, caps.INDICATORS_VIEW, message=_("Bạn không có quyền xem số liệu chỉ tiêu."))


def unit_in_scope(user, unit_id: int, capability: str, field: str = "unit"):
    """The unit if the caller holds `capability` there; otherwise 404 naming nothing, whether it exists or not."""
    unit = orgs.unit_by_id(unit_id)
    if unit is None or not accounts.has_capability(user, capability, unit.pk):
        raise DomainError(_("Không tìm thấy đơn vị này trong phạm vi của bạn."), field=field, code="not_found")
    return unit


def with_units_below(units, include: str) -> list:
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


def years_between(first: int, last: int) -> list[int]:
    if last < first:
        raise DomainError(_("Kỳ cuối phải sau hoặc bằng kỳ đầu."), field="period_to", code="invalid")
    if last - first + 1 > MAX_YEARS:
        raise DomainError(
            _("Tối đa %(limit)s năm mỗi lần hỏi.") % {"limit": MAX_YEARS}, field="period_to", code="invalid"
        )
    return list(range(first, last + 1))


def months_between(first: tuple[int, int], last: tuple[int, int]) -> list[tuple[int, int]]:
    """(year, month) from `first` to `last`, both included, at most MAX_MONTHS of them."""
    if last < first:
        raise DomainError(_("Kỳ cuối phải sau hoặc bằng kỳ đầu."), field="period_to", code="invalid")
    months = []
    year, month = first
    while (year, month) <= last and len(months) <= MAX_MONTHS:
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    if len(months) > MAX_MONTHS:
        raise DomainError(
            _("Tối đa %(limit)s tháng mỗi lần hỏi.") % {"limit": MAX_MONTHS}, field="period_to", code="invalid"
        )
    return months


def month_period(text: str, field: str) -> tuple[int, int] | None:
    """(year, month) of a DHIS2 monthly period `YYYYMM` (202603), None if `text` is not six digits; a month out of
    range is refused."""
    if len(text) != 6 or not text.isdigit():
        return None
    year, month = int(text[:4]), int(text[4:])
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise DomainError(
            _("Kỳ không hợp lệ: tháng viết NNNNTT, ví dụ 202603 (năm 2000–2100, tháng 01–12)."),
            field=field,
            code="invalid",
        )
    return year, month


def value_table(indicator_codes, units, years, months=()) -> list:
    indicators = monitoring.indicators(codes=indicator_codes or None)
    if len(indicators) * len(units) * (len(years) + len(months)) > MAX_CELLS:
        raise DomainError(
            _("Yêu cầu quá lớn (hơn %(limit)s ô số liệu); hãy chọn ít chỉ số, đơn vị hoặc năm hơn.")
            % {"limit": MAX_CELLS},
            code="invalid",
        )
    return monitoring.indicator_values(
        indicator_codes=[indicator.code for indicator in indicators],
        unit_ids=[unit.pk for unit in units],
        years=years,
        months=months,
    )
