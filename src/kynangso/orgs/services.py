"""State changes of the organisation tree: creating, moving and merging units, keeping the closure table true, denominators."""

import datetime
import re

from django.db import connection, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from kynangso.errors import DomainError
from kynangso.orgs import events
from kynangso.orgs.models import (
    COMMUNE_LEVEL_KINDS,
    DenominatorKind,
    OrgUnit,
    OrgUnitClosure,
    OrgUnitEvent,
    SchoolLevel,
    UnitEventKind,
    UnitKind,
)
from kynangso.text import has_control_characters

_CLOSURE_TABLE = OrgUnitClosure._meta.db_table
_UNIT_TABLE = OrgUnit._meta.db_table


def rebuild_closure() -> None:
    """Recompute the whole closure table in one recursive query (portable SQL: SQLite and PostgreSQL).

    The effective parent of a unit is its successor when it was merged, else its parent.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {_CLOSURE_TABLE}")
        cursor.execute(
            f"""
            WITH RECURSIVE tree(ancestor_id, descendant_id, depth) AS (
                SELECT id, id, 0 FROM {_UNIT_TABLE}
                UNION ALL
                SELECT tree.ancestor_id, unit.id, tree.depth + 1
                FROM tree JOIN {_UNIT_TABLE} unit
                  ON COALESCE(unit.successor_id, unit.parent_id) = tree.descendant_id
                WHERE tree.depth < 32
            )
            INSERT INTO {_CLOSURE_TABLE} (ancestor_id, descendant_id, depth)
            SELECT ancestor_id, descendant_id, depth FROM tree
            """
        )


#: Unit codes as official lists write them: letters, digits and . _ / - (no spaces, no invisible characters).
UNIT_CODE_PATTERN = r"^[A-Za-z0-9._/-]{1,32}$"


def _check_code_and_name(*, code: str | None = None, name: str | None = None) -> None:
    if code is not None and not re.fullmatch(UNIT_CODE_PATTERN, code.strip()):
        raise DomainError(
            _(
                "Mã đơn vị chỉ gồm chữ cái không dấu, chữ số và các dấu . _ / - (tối đa 32 ký tự, "
                "không có khoảng trắng)."
            ),
            field="code",
        )
    if name is not None and has_control_characters(name):
        raise DomainError(_("Tên đơn vị có ký tự điều khiển không nhìn thấy được; hãy gõ lại tên."), field="name")


def _check_fields(*, kind: str, school_level: str) -> None:
    if kind not in UnitKind.values:
        raise DomainError(_("Loại đơn vị không hợp lệ: %(kind)s.") % {"kind": kind}, field="kind")
    if school_level and school_level not in SchoolLevel.values:
        raise DomainError(_("Cấp học không hợp lệ: %(level)s.") % {"level": school_level}, field="school_level")
    if school_level and kind != UnitKind.SCHOOL:
        raise DomainError(_("Chỉ cơ sở giáo dục mới có cấp học."), field="school_level")


def _ensure_not_in_subtree(unit: OrgUnit, new_parent: OrgUnit) -> None:
    if OrgUnitClosure.objects.filter(ancestor=unit, descendant=new_parent).exists():
        raise DomainError(
            _("Không thể đặt «%(parent)s» làm cấp trên của «%(unit)s» vì nó nằm trong đơn vị này.")
            % {"parent": new_parent.name, "unit": unit.name},
            field="parent",
        )


@transaction.atomic
def create_unit(
    *,
    code: str,
    name: str,
    kind: str,
    parent: OrgUnit | None = None,
    school_level: str = "",
    state_owned: bool = False,
    valid_from: datetime.date | None = None,
) -> OrgUnit:
    """Create a unit under `parent` and add its rows to the closure table."""
    _check_fields(kind=kind, school_level=school_level)
    if not code.strip() or not name.strip():
        raise DomainError(_("Mã và tên đơn vị không được để trống."))
    _check_code_and_name(code=code, name=name)
    if OrgUnit.objects.filter(code=code.strip()).exists():
        raise DomainError(_("Mã đơn vị %(code)s đã tồn tại.") % {"code": code}, field="code", code="duplicate")
    if parent is not None and not parent.is_active:
        raise DomainError(_("Đơn vị cấp trên «%(name)s» đã hết hiệu lực.") % {"name": parent.name}, field="parent")
    _check_parent_kind(kind, parent)
    unit = OrgUnit.objects.create(
        code=code,
        name=name,
        kind=kind,
        parent=parent,
        school_level=school_level,
        state_owned=state_owned,
        valid_from=valid_from,
    )
    rows = [OrgUnitClosure(ancestor_id=unit.id, descendant_id=unit.id, depth=0)]
    if parent is not None:
        rows += [
            OrgUnitClosure(ancestor_id=ancestor_id, descendant_id=unit.id, depth=depth + 1)
            for ancestor_id, depth in OrgUnitClosure.objects.filter(descendant=parent).values_list(
                "ancestor_id", "depth"
            )
        ]
    OrgUnitClosure.objects.bulk_create(rows)
    if kind in (UnitKind.HAMLET, UnitKind.COMMUNITY_TEAM):  # a new hamlet or team changes the hamlets' figures
        events.announce([unit.pk, unit.parent_id], "created")
    return unit


def _check_parent_kind(kind: str, parent: OrgUnit | None) -> None:
    """A hamlet lies in a commune-level unit; a community digital team works in a hamlet or a commune-level unit."""
    if kind == UnitKind.HAMLET and (parent is None or parent.kind not in COMMUNE_LEVEL_KINDS):
        raise DomainError(
            _("Thôn, ấp, khóm, bản, tổ dân phố phải thuộc một xã, phường, thị trấn hoặc đặc khu."), field="parent"
        )
    if kind == UnitKind.COMMUNITY_TEAM and (
        parent is None or (parent.kind not in COMMUNE_LEVEL_KINDS and parent.kind != UnitKind.HAMLET)
    ):
        raise DomainError(
            _("Tổ công nghệ số cộng đồng phải thuộc một thôn, ấp, khóm, tổ dân phố hoặc một xã, phường."),
            field="parent",
        )


@transaction.atomic
def update_unit(
    *,
    unit: OrgUnit,
    name: str | None = None,
    kind: str | None = None,
    school_level: str | None = None,
    state_owned: bool | None = None,
) -> OrgUnit:
    """Change a unit's descriptive fields (not its place in the tree: see `move_unit` and `merge_units`)."""
    new_kind = kind if kind is not None else unit.kind
    new_level = school_level if school_level is not None else unit.school_level
    _check_fields(kind=new_kind, school_level=new_level)
    if name is not None:
        if not name.strip():
            raise DomainError(_("Tên đơn vị không được để trống."), field="name")
        _check_code_and_name(name=name)
        unit.name = name
    unit.kind = new_kind
    unit.school_level = new_level
    if state_owned is not None:
        unit.state_owned = state_owned
    unit.save()
    return unit


@transaction.atomic
def move_unit(
    *, unit: OrgUnit, new_parent: OrgUnit | None, effective_date: datetime.date, legal_basis: str = "", recorded_by=None
) -> OrgUnit:
    """Give `unit` a new parent from `effective_date` on (e.g. communes moved to the province when districts ended)."""
    if new_parent is not None:
        if not new_parent.is_active:
            raise DomainError(_("Đơn vị cấp trên «%(name)s» đã hết hiệu lực.") % {"name": new_parent.name})
        _ensure_not_in_subtree(unit, new_parent)
    OrgUnitEvent.objects.create(
        unit=unit,
        kind=UnitEventKind.MOVED,
        effective_date=effective_date,
        previous_parent=unit.parent,
        new_parent=new_parent,
        legal_basis=legal_basis,
        recorded_by=recorded_by,
    )
    events.announce([unit.pk, unit.parent_id, new_parent.pk if new_parent else None], "moved")
    unit.parent = new_parent
    unit.save(update_fields=["parent"])
    rebuild_closure()
    return unit


@transaction.atomic
def merge_units(
    *, sources: list[OrgUnit], into: OrgUnit, effective_date: datetime.date, legal_basis: str = "", recorded_by=None
) -> OrgUnit:
    """Merge `sources` into `into` on `effective_date`.

    Each source ends the day before, points to its successor, and from then on everything recorded under it
    (people, results, children) counts under the successor; the source and its history stay queryable.
    """
    if not sources:
        raise DomainError(_("Chưa chọn đơn vị nào để sáp nhập."))
    if not into.is_active:
        raise DomainError(_("Đơn vị tiếp nhận «%(name)s» đã hết hiệu lực.") % {"name": into.name})
    for source in sources:
        if source.pk == into.pk:
            raise DomainError(_("Không thể sáp nhập một đơn vị vào chính nó."))
        if not source.is_active:
            raise DomainError(_("Đơn vị «%(name)s» đã được sáp nhập hoặc giải thể trước đó.") % {"name": source.name})
        _ensure_not_in_subtree(source, into)
    day_before = effective_date - datetime.timedelta(days=1)
    for source in sources:
        if source.valid_from and source.valid_from > day_before:
            raise DomainError(_("Ngày sáp nhập phải sau ngày bắt đầu hiệu lực của «%(name)s».") % {"name": source.name})
        OrgUnitEvent.objects.create(
            unit=source,
            kind=UnitEventKind.MERGED,
            effective_date=effective_date,
            previous_parent=source.parent,
            successor=into,
            legal_basis=legal_basis,
            recorded_by=recorded_by,
        )
        source.successor = into
        source.valid_to = day_before
        source.save(update_fields=["successor", "valid_to"])
    _add_denominators_into(sources, into, effective_date)
    rebuild_closure()
    events.announce([into.pk] + [s.pk for s in sources] + [s.parent_id for s in sources], "merged")
    return into


def _add_denominators_into(sources: list[OrgUnit], into: OrgUnit, effective_date: datetime.date) -> None:
    """After a merger every record of the sources counts under the successor, so its recorded denominators must
    count the sources' people too: where the successor has its own figure for a year and kind, the sources' figures
    for it are added (a successor without its own figure already sums its subtree, sources included)."""
    from kynangso.orgs.models import UnitDenominator

    own = {(d.year, d.kind): d for d in UnitDenominator.objects.select_for_update().filter(unit=into)}
    for row in UnitDenominator.objects.filter(unit__in=sources).order_by("year", "kind", "unit__code"):
        target = own.get((row.year, row.kind))
        if target is None:
            continue
        target.value += row.value
        note = _("cộng %(value)s của «%(name)s» khi sáp nhập ngày %(date)s") % {
            "value": row.value,
            "name": row.unit.name,
            "date": effective_date.strftime("%d/%m/%Y"),
        }
        target.source = f"{target.source}; {note}" if target.source else note
        target.source = target.source[: UnitDenominator._meta.get_field("source").max_length]
        target.save(update_fields=["value", "source"])


@transaction.atomic
def dissolve_unit(*, unit: OrgUnit, effective_date: datetime.date, legal_basis: str = "", recorded_by=None) -> OrgUnit:
    """End a unit that has no successor (e.g. a district on 1 July 2025). Its active children must be moved first."""
    if not unit.is_active:
        raise DomainError(_("Đơn vị «%(name)s» đã được sáp nhập hoặc giải thể trước đó.") % {"name": unit.name})
    day_before = effective_date - datetime.timedelta(days=1)
    if unit.valid_from and unit.valid_from > day_before:
        raise DomainError(_("Ngày giải thể phải sau ngày bắt đầu hiệu lực của «%(name)s».") % {"name": unit.name})
    # A child whose own end falls on or after this date would be left under a unit that no longer exists.
    if unit.children.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=effective_date), successor__isnull=True
    ).exists():
        raise DomainError(
            _("Đơn vị «%(name)s» vẫn còn đơn vị trực thuộc đang hoạt động; hãy chuyển hoặc sáp nhập chúng trước.")
            % {"name": unit.name}
        )
    OrgUnitEvent.objects.create(
        unit=unit,
        kind=UnitEventKind.DISSOLVED,
        effective_date=effective_date,
        previous_parent=unit.parent,
        legal_basis=legal_basis,
        recorded_by=recorded_by,
    )
    unit.valid_to = day_before
    unit.save(update_fields=["valid_to"])
    events.announce([unit.pk, unit.parent_id], "dissolved")
    return unit


def set_denominator(*, unit: OrgUnit, year: int, kind: str, value: int, source: str = "", updated_by=None):
    """Record (or correct) a unit's yearly denominator such as its working-age residents."""
    from kynangso.orgs.models import UnitDenominator

    if kind not in DenominatorKind.values:
        raise DomainError(_("Loại mẫu số không hợp lệ: %(kind)s.") % {"kind": kind}, field="kind")
    if value < 0:
        raise DomainError(_("Số lượng không được âm."), field="value")
    if not 2000 <= year <= 2100:
        raise DomainError(_("Năm không hợp lệ: %(year)s.") % {"year": year}, field="year")
    denominator, _created = UnitDenominator.objects.update_or_create(
        unit=unit, year=year, kind=kind, defaults={"value": value, "source": source, "updated_by": updated_by}
    )
    events.announce([unit.pk], "denominator")
    return denominator
