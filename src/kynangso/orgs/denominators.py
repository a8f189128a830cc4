"""Import of yearly denominators (a unit's working-age residents, officials, pupils…) from CSV or XLSX, all or nothing."""

import re
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from kynangso.orgs import events
from kynangso.orgs.importers import UnitImportReport
from kynangso.orgs.models import DenominatorKind, OrgUnit, UnitDenominator
from kynangso.tabular import read_table
from kynangso.text import search_key

HEADERS = {
    "unit_code": ["Mã đơn vị", "Mã", "unit_code"],
    "year": ["Năm", "year"],
    "kind": ["Loại mẫu số", "Mẫu số", "Chỉ tiêu", "kind"],
    "value": ["Số lượng", "Giá trị", "value"],
    "source": ["Nguồn", "Nguồn số liệu", "source"],
}
_COUNT = re.compile(r"[0-9]{1,3}(?:[., ][0-9]{3})+|[0-9]+")
_KINDS = {
    **{kind.value: kind for kind in DenominatorKind},
    **{search_key(kind.label): kind for kind in DenominatorKind},
}


def import_denominators(path: Path, *, updated_by=None) -> UnitImportReport:
    """Create or correct denominators from the file; any bad row means nothing changes and every bad row is reported."""
    table = read_table(Path(path), HEADERS, required=["unit_code", "year", "kind", "value"])
    report = UnitImportReport()
    units = {u.code: u for u in OrgUnit.objects.filter(code__in={row["unit_code"] for row in table.rows})}
    seen: dict[tuple, int] = {}
    parsed = []
    for row, line in zip(table.rows, table.line_numbers):
        problems = []
        unit = units.get(row["unit_code"])
        if unit is None:
            problems.append(_("không có đơn vị mã «%(code)s»") % {"code": row["unit_code"]})
        kind = _KINDS.get(search_key(row["kind"]))
        if kind is None:
            problems.append(_("loại mẫu số «%(kind)s» không có trong danh mục") % {"kind": row["kind"]})
        year = int(row["year"]) if row["year"].isdigit() else None
        if year is None or not 2000 <= year <= 2100:
            problems.append(_("năm «%(year)s» không hợp lệ") % {"year": row["year"]})
        # Thousands may be grouped ("4.512", "4,512", "4 512"); anything else with a separator is a fraction.
        value = int(re.sub(r"\D", "", row["value"])) if _COUNT.fullmatch(row["value"]) else None
        if value is None:
            problems.append(_("số lượng «%(value)s» phải là số nguyên không âm") % {"value": row["value"]})
        key = (row["unit_code"], year, kind)
        if key in seen:
            problems.append(_("trùng với dòng %(line)s") % {"line": seen[key]})
        seen.setdefault(key, line)
        if problems:
            report.errors.append((line, "; ".join(problems)))
        parsed.append((unit, year, kind, value, row.get("source", "")))
    if report.errors:
        return report
    with transaction.atomic():
        existing = {
            (d.unit_id, d.year, d.kind): d for d in UnitDenominator.objects.filter(unit__in=[p[0] for p in parsed])
        }
        for unit, year, kind, value, source in parsed:
            current = existing.get((unit.id, year, kind))
            if current is None:
                UnitDenominator.objects.create(
                    unit=unit, year=year, kind=kind, value=value, source=source, updated_by=updated_by
                )
                report.created += 1
            elif current.value != value or (source and current.source != source):
                current.value, current.source, current.updated_by = value, source or current.source, updated_by
                current.save()
                report.updated += 1
            else:
                report.unchanged += 1
        events.announce([unit.id for unit, *_rest in parsed], "denominator")
    return report
