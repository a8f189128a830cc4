"""Import of the official administrative-unit list (code, name, level, parent code) from CSV or XLSX, all or nothing."""

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from kynangso.errors import DomainError
from kynangso.orgs import events
from kynangso.orgs.models import OrgUnit, UnitKind
from kynangso.orgs.services import rebuild_closure
from kynangso.tabular import read_table
from kynangso.text import search_key

HEADERS = {
    "code": ["Mã", "Mã đơn vị", "Mã ĐVHC", "code"],
    "name": ["Tên", "Tên đơn vị", "Tên ĐVHC", "name"],
    "level": ["Cấp", "Loại", "Loại đơn vị", "level", "kind"],
    "parent_code": ["Mã cấp trên", "Mã đơn vị cấp trên", "Mã tỉnh", "parent_code", "parent"],
}

# Names the official list uses for each level, compared without diacritics or case; our kind codes work as well.
_LEVELS = {
    "tinh": UnitKind.PROVINCE,
    "thanh pho trung uong": UnitKind.PROVINCE,
    "thanh pho truc thuoc trung uong": UnitKind.PROVINCE,
    "huyen": UnitKind.DISTRICT,
    "quan": UnitKind.DISTRICT,
    "thi xa": UnitKind.DISTRICT,
    "thanh pho thuoc tinh": UnitKind.DISTRICT,
    "xa": UnitKind.COMMUNE,
    "phuong": UnitKind.WARD,
    "thi tran": UnitKind.TOWNSHIP,
    "dac khu": UnitKind.SPECIAL_ZONE,
    **{kind.value: kind for kind in UnitKind},
    **{search_key(kind.label): kind for kind in UnitKind},
}


@dataclass
class UnitImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


def import_units(path: Path) -> UnitImportReport:
    """Create or update units from the file. Any bad row means nothing changes; every bad row is reported."""
    table = read_table(Path(path), HEADERS, required=["code", "name", "level"])
    report = UnitImportReport()
    existing = {unit.code: unit for unit in OrgUnit.objects.all()}
    in_file: dict[str, int] = {}
    parsed = []
    for row, line in zip(table.rows, table.line_numbers):
        problems = []
        code, name = row["code"], row["name"]
        kind = _LEVELS.get(search_key(row["level"]))
        parent_code = row.get("parent_code", "")
        if not code:
            problems.append(_("thiếu mã đơn vị"))
        if not name:
            problems.append(_("thiếu tên đơn vị"))
        if kind is None:
            problems.append(_("cấp «%(level)s» không hợp lệ") % {"level": row["level"]})
        if code in in_file:
            problems.append(_("mã %(code)s trùng với dòng %(line)s") % {"code": code, "line": in_file[code]})
        if parent_code and parent_code == code:
            problems.append(_("đơn vị không thể là cấp trên của chính nó"))
        in_file.setdefault(code, line)
        parsed.append((line, code, name, kind, parent_code, problems))
    for line, _code, _name, _kind, parent_code, problems in parsed:
        if parent_code and parent_code not in in_file and parent_code not in existing:
            problems.append(_("không tìm thấy đơn vị cấp trên có mã %(code)s") % {"code": parent_code})
        if problems:
            report.errors.append((line, "; ".join(problems)))
    if report.errors:
        return report

    with transaction.atomic():
        units = dict(existing)
        unchanged = set()
        for _line, code, name, kind, _parent, _problems in parsed:
            unit = units.get(code)
            if unit is None:
                units[code] = OrgUnit.objects.create(code=code, name=name, kind=kind)
                report.created += 1
            elif unit.name != name or unit.kind != kind:
                unit.name, unit.kind = name, kind
                unit.save()
                report.updated += 1
            else:
                unchanged.add(code)
        changed_parents, moved_units = [], set()
        for _line, code, _name, _kind, parent_code, _problems in parsed:
            unit = units[code]
            parent_id = units[parent_code].id if parent_code else None
            if unit.parent_id != parent_id:
                moved_units.update((unit.id, unit.parent_id, parent_id))  # recounted with their old and new parents
                unit.parent_id = parent_id
                changed_parents.append(unit)
                if code in unchanged:  # a unit that only moved was still changed
                    unchanged.discard(code)
                    report.updated += 1
        report.unchanged = len(unchanged)
        if changed_parents:
            OrgUnit.objects.bulk_update(changed_parents, ["parent"])
        _check_acyclic(units)
        rebuild_closure()
        events.announce(moved_units, "moved")
    return report


def _check_acyclic(units: dict[str, OrgUnit]) -> None:
    by_id = {unit.id: unit for unit in units.values()}
    for unit in by_id.values():
        seen, current = set(), unit
        while current.parent_id:
            if current.id in seen:
                raise DomainError(
                    _("Danh mục đơn vị tạo thành vòng lặp cấp trên tại mã %(code)s.") % {"code": unit.code}
                )
            seen.add(current.id)
            current = by_id.get(current.parent_id) or OrgUnit.objects.get(pk=current.parent_id)
