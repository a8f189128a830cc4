"""Services for targets (per plan, indicator, unit and year) and for loading the indicator catalogue and the seed
plans' targets from YAML files in monitoring/data/."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml
from django.db import transaction
from django.utils.translation import gettext as _

from kynangso.errors import DomainError
from kynangso.monitoring.definitions import definition_errors
from kynangso.monitoring.models import TERRITORIAL_KINDS, Indicator, Measure, Target
from kynangso.numbers import vietnamese_number
from kynangso.orgs import api as orgs
from kynangso.plans import api as plans

DATA_DIR = Path(__file__).resolve().parent / "data"
CATALOGUE_FILE = DATA_DIR / "indicators.yaml"
_INDICATOR_FIELDS = (
    "name",
    "description",
    "measure",
    "kind",
    "source",
    "target_group",
    "standard_code",
    "course_code",
    "credential_code",
    "age_min",
    "age_max",
    "unit_kind",
    "attribution",
    "period_mode",
    "denominator",
    "denominator_kind",
    "applies_to",
    "order",
    "counts_outside_learning",
    "survey_code",
)


def set_target(
    *, plan, indicator: Indicator, unit, year: int, value, objective_code: str = "", note: str = ""
) -> Target:
    """Record (or correct) a plan's target for an indicator at a unit in a year."""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise DomainError(_("Chỉ tiêu phải là một số."), field="value") from None
    if not number.is_finite() or number < 0:
        raise DomainError(_("Chỉ tiêu phải là một số không âm."), field="value")
    if indicator.measure == Measure.PERCENT and number > 100:
        raise DomainError(_("Chỉ tiêu tỷ lệ không được lớn hơn 100%."), field="value")
    if not 2000 <= int(year) <= 2100:
        raise DomainError(_("Năm không hợp lệ: %(year)s.") % {"year": year}, field="year")
    target, _created = Target.objects.update_or_create(
        plan=plan,
        indicator=indicator,
        unit=unit,
        year=year,
        defaults={"value": number, "objective_code": objective_code, "note": note},
    )
    return target


TYPED = "typed"  # allocation_basis of a share the province typed itself rather than computed from a figure


@dataclass(frozen=True)
class AllocationShare:
    """One child unit's share of an allocated count target, as it would be (or was) recorded."""

    unit: object  # an orgs OrgUnit directly below the target's unit
    value: int
    basis: str  # a denominator kind, or TYPED
    figure: int | None  # the unit's recorded figure of the basis (None for a typed share)


def allocation_children(target: Target) -> list:
    """The units a target can be shared among: the active units directly below its unit that its indicator applies
    to (a residents' count is not shared with a department)."""
    return [unit for unit in orgs.active_children(target.unit_id) if target.indicator.applies_to_kind(unit.kind)]


def preview_allocation(*, target: Target, basis: str, typed: dict[int, object] | None = None) -> list[AllocationShare]:
    """What allocating `target` would record, written nowhere: a share for each unit directly below its unit that has
    no target of its own. Units in `typed` (unit id → value) get the value typed; the others share what remains by
    their recorded figures of `basis` (a denominator kind) for the target's year, adding up exactly (largest
    remainders). Raises DomainError with a Vietnamese message naming only those units when it cannot be done."""
    indicator = target.indicator
    if indicator.measure != Measure.COUNT:
        raise DomainError(
            _("Chỉ tiêu tỷ lệ đã áp dụng cho mọi đơn vị cấp dưới; chỉ phân bổ chỉ tiêu số lượng."), code="invalid"
        )
    children = allocation_children(target)
    if not children:
        raise DomainError(_("Đơn vị này không có đơn vị cấp dưới để phân bổ chỉ tiêu."), code="invalid")
    own = {
        row.unit_id: row.value
        for row in Target.objects.filter(
            plan=target.plan, indicator=indicator, year=target.year, unit__in=children
        ).exclude(allocated_from=target)
    }
    typed_values = _typed_values(typed or {}, children, own)
    sharing = [unit for unit in children if unit.pk not in own and unit.pk not in typed_values]
    remaining = int(target.value) - int(sum(own.values())) - sum(typed_values.values())
    if remaining < 0:
        raise DomainError(
            _("Tổng chỉ tiêu của các đơn vị cấp dưới vượt chỉ tiêu chung %(over)s.")
            % {"over": vietnamese_number(-remaining)},
            code="invalid",
        )
    shares = [AllocationShare(unit, typed_values[unit.pk], TYPED, None) for unit in children if unit.pk in typed_values]
    if not sharing:
        if remaining:
            raise DomainError(
                _(
                    "Tổng các giá trị đã nhập còn thiếu %(left)s so với chỉ tiêu chung; hãy nhập đủ hoặc để trống một "
                    "đơn vị để chia phần còn lại."
                )
                % {"left": vietnamese_number(remaining)},
                code="invalid",
            )
        return shares
    if basis not in orgs.DenominatorKind.values:
        raise DomainError(_("Loại mẫu số không hợp lệ: %(kind)s.") % {"kind": basis}, field="basis")
    figures = {
        row["unit_id"]: row["value"]
        for row in orgs.denominator_rows().filter(
            unit_id__in=[unit.pk for unit in sharing], year=target.year, kind=basis
        )
    }
    # A commune or ward must have the figure; an office, school or enterprise without it (it has no residents, say)
    # simply gets no share.
    missing = [unit.name for unit in sharing if unit.pk not in figures and unit.kind in TERRITORIAL_KINDS]
    sharing = [unit for unit in sharing if unit.pk in figures]
    if missing:
        raise DomainError(
            _("Chưa có số liệu «%(kind)s» năm %(year)s của: %(units)s. Hãy nhập số liệu trước khi phân bổ.")
            % {"kind": orgs.DenominatorKind(basis).label, "year": target.year, "units": ", ".join(sorted(missing))},
            code="invalid",
        )
    total = sum(figures.values())
    if not sharing or total == 0:
        raise DomainError(
            _("Không thể phân bổ: tổng số liệu «%(kind)s» của các đơn vị cần chia bằng 0.")
            % {"kind": orgs.DenominatorKind(basis).label},
            code="invalid",
        )
    exact = {unit.pk: Decimal(remaining) * figures[unit.pk] / total for unit in sharing}
    computed = {unit_id: int(value) for unit_id, value in exact.items()}
    left = remaining - sum(computed.values())
    for unit_id in sorted(exact, key=lambda u: (-(exact[u] - computed[u]), u))[:left]:
        computed[unit_id] += 1
    shares += [AllocationShare(unit, computed[unit.pk], basis, int(figures[unit.pk])) for unit in sharing]
    order = {unit.pk: index for index, unit in enumerate(children)}
    return sorted(shares, key=lambda share: order[share.unit.pk])


def _typed_values(typed: dict, children, own: dict) -> dict[int, int]:
    """The typed shares, checked: only units directly below, without their own target, whole non-negative numbers.
    Anything keyed by another unit is ignored, so a message never names a unit outside the target's unit."""
    names = {unit.pk: unit.name for unit in children}
    values = {}
    for unit_id, raw in typed.items():
        if unit_id not in names:
            continue
        text = str(raw).strip().replace(".", "").replace(" ", "")
        if not text:
            continue
        if not text.isdigit():
            raise DomainError(
                _("Chỉ tiêu của «%(unit)s» phải là số nguyên không âm.") % {"unit": names[unit_id]}, field="typed"
            )
        if unit_id in own:
            raise DomainError(
                _("«%(unit)s» đã có chỉ tiêu riêng; không nhập thêm khi phân bổ.") % {"unit": names[unit_id]},
                field="typed",
            )
        values[unit_id] = int(text)
    return values


@transaction.atomic
def allocate_target(*, target: Target, basis: str, typed: dict[int, object] | None = None, actor=None) -> list[Target]:
    """Share a count target out among the units directly below its unit (see preview_allocation: by their recorded
    figures of `basis`, e.g. working-age residents, and/or values typed per unit), so that the shares add up exactly
    to the target. A unit that has its own target keeps it. Allocating again replaces the previous allocation; all or
    nothing. Each share records where it came from, on what basis, and who allocated it (`actor`), in its note.
    Percentage targets are not allocated: they pass down as they are (status._targets)."""
    shares = preview_allocation(target=target, basis=basis, typed=typed)
    Target.objects.filter(allocated_from=target).delete()
    who = (actor.get_full_name() or actor.get_username()) if actor is not None else ""
    created = []
    for share in shares:
        if share.basis == TYPED:
            note = _("Phân bổ từ chỉ tiêu của «%(unit)s» năm %(year)s, giá trị nhập riêng.")
        else:
            note = _("Phân bổ từ chỉ tiêu của «%(unit)s» theo tỷ lệ «%(kind)s» năm %(year)s.")
        note = note % {
            "unit": target.unit.name,
            "kind": orgs.DenominatorKind(share.basis).label if share.basis != TYPED else "",
            "year": target.year,
        }
        if who:
            note += " " + _("Người phân bổ: %(who)s.") % {"who": who}
        created.append(
            Target.objects.create(
                plan=target.plan,
                indicator=target.indicator,
                unit=share.unit,
                year=target.year,
                value=share.value,
                objective_code=target.objective_code,
                note=note,
                allocated_from=target,
                allocation_basis=share.basis,
            )
        )
    return created


@transaction.atomic
def load_indicator_catalogue(path: Path = CATALOGUE_FILE) -> int:
    """Create or update the indicators of a catalogue file (by code); returns how many. Invalid ones stop the load."""
    entries = yaml.safe_load(Path(path).read_text(encoding="utf-8"))["indicators"]
    for order, entry in enumerate(entries, start=1):
        fields = {field: entry.get(field) for field in _INDICATOR_FIELDS if field in entry}
        fields.setdefault("order", order)
        for text_field in (
            "source",
            "target_group",
            "standard_code",
            "course_code",
            "credential_code",
            "unit_kind",
            "denominator",
            "denominator_kind",
            "description",
            "survey_code",
        ):
            fields[text_field] = fields.get(text_field) or ""
        indicator = Indicator.objects.filter(code=entry["code"]).first() or Indicator(code=entry["code"])
        for field, value in fields.items():
            setattr(indicator, field, value)
        errors = definition_errors(indicator)
        if errors:
            raise DomainError(
                _("Chỉ số %(code)s không hợp lệ: %(errors)s")
                % {"code": entry["code"], "errors": "; ".join(errors.values())}
            )
        indicator.save()
    return len(entries)


@transaction.atomic
def load_seed_targets(*, unit_code: str | None = None, plan_key: str | None = None) -> list[str]:
    """Load the seed plans' targets (data/targets/*.yaml) for the plans already imported; each file names its plan
    (by key) and its province (by code); `unit_code` puts them on another unit instead (e.g. the demo province).
    Returns one Vietnamese line per file saying what was done."""
    lines = []
    for path in plan_target_files():
        data = target_entries(path)
        if plan_key and data["plan_key"] != plan_key:
            continue
        plan = plans.plan_by_key(data["plan_key"])
        if plan is None:
            lines.append(
                _("%(file)s: chưa có kế hoạch %(key)s, bỏ qua.") % {"file": path.name, "key": data["plan_key"]}
            )
            continue
        code = unit_code or str(data["unit_code"])
        unit = orgs.unit_by_code(code)
        if unit is None:
            lines.append(_("%(file)s: chưa có đơn vị mã %(code)s, bỏ qua.") % {"file": path.name, "code": code})
            continue
        count = copy_targets_from_entries(plan=plan, unit=unit, entries=data["targets"])
        lines.append(
            _("%(file)s: %(count)s chỉ tiêu cho «%(unit)s».") % {"file": path.name, "count": count, "unit": unit.name}
        )
    return lines


def copy_targets_from_entries(*, plan, unit, entries) -> int:
    count = 0
    for entry in entries:
        indicator = Indicator.objects.filter(code=entry["indicator"]).first()
        if indicator is None:
            raise DomainError(_("Chưa có chỉ số %(code)s trong danh mục.") % {"code": entry["indicator"]})
        for year, value in entry["values"].items():
            set_target(
                plan=plan,
                indicator=indicator,
                unit=unit,
                year=int(year),
                value=value,
                objective_code=str(entry.get("objective") or ""),
                note=entry.get("note", ""),
            )
            count += 1
    return count


def plan_target_files() -> list[Path]:
    return sorted((DATA_DIR / "targets").glob("*.yaml"))


def target_entries(path: Path) -> dict:
    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))
