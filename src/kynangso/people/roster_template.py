"""The files the roster import hands out: the blank template with its sheet of unit codes, and the uploaded file
back with each bad row shaded and its reasons (national IDs masked).
"""

from pathlib import Path

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from kynangso.accounts import api as accounts
from kynangso.orgs import api as orgs
from kynangso.people.identity import clean_national_id, mask_national_id
from kynangso.people.roster_reading import COLUMNS, HEADERS, NAME_PARTS, REQUIRED, TEMPLATE_EXAMPLE
from kynangso.tabular import read_table, save_workbook, set_cell, write_xlsx


def write_template(target, *, actor) -> None:
    """The blank roster template with Vietnamese headers (the optional team column explained in a note) and one
    example row, and a second sheet «Mã đơn vị» listing the active units in `actor`'s scope (every unit for
    `accounts.SYSTEM`) with their codes, kinds and whether each may be a place of residence. The import reads the
    first sheet holding the template's columns, so the second sheet is never read as data."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Danh sách"
    for column, (name, header, _a) in enumerate(COLUMNS, start=1):
        cell = set_cell(sheet, 1, column, header)
        cell.font = Font(bold=True)
        if name == "community_team":
            cell.comment = Comment(
                _(
                    "Chỉ ghi cho thành viên tổ công nghệ số cộng đồng: mã của tổ (loại «Tổ công nghệ số cộng đồng» "
                    "ở trang «Mã đơn vị»). Người này được ghi là thành viên của tổ từ ngày ở cột «Thuộc nhóm từ "
                    "ngày»; nơi công tác, học tập giữ nguyên."
                ),
                "Kỹ năng số",
            )
    for column, value in enumerate(TEMPLATE_EXAMPLE, start=1):
        set_cell(sheet, 2, column, value)
    for column, width in enumerate([26, 18, 14, 20, 16, 18, 22, 30, 22, 22], start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"
    codes = workbook.create_sheet("Mã đơn vị")
    for column, header in enumerate(
        [_("Mã đơn vị"), _("Tên đơn vị"), _("Loại đơn vị"), _("Dùng làm nơi cư trú")], start=1
    ):
        set_cell(codes, 1, column, header).font = Font(bold=True)
    for row_number, unit in enumerate(_units_for_template(actor), start=2):
        set_cell(codes, row_number, 1, unit.code)
        set_cell(codes, row_number, 2, unit.name)
        set_cell(codes, row_number, 3, str(unit.get_kind_display()))
        set_cell(codes, row_number, 4, _("có") if unit.kind in orgs.RESIDENCE_KINDS else _("không"))
    for column, width in enumerate([16, 40, 26, 20], start=1):
        codes.column_dimensions[get_column_letter(column)].width = width
    codes.freeze_panes = "A2"
    save_workbook(workbook, target)


def roster_unit_codes(*, actor) -> list[dict]:
    """The active units in `actor`'s scope as the roster names them: code, name, and whether it may be a place of
    residence (commune-level units first)."""
    units = [
        {"code": u.code, "name": u.name, "residence": u.kind in orgs.RESIDENCE_KINDS}
        for u in _units_for_template(actor)
    ]
    return sorted(units, key=lambda unit: (not unit["residence"], unit["code"]))


def _units_for_template(actor) -> list:
    if accounts.is_system(actor):
        return list(orgs.units(active_only=True))
    scope = accounts.scope_unit_ids(actor, accounts.capabilities.PEOPLE_IMPORT)
    return list(orgs.units(active_only=True).filter(id__in=scope))


def _masked_id(text: str) -> str:
    digits = clean_national_id(text)
    return mask_national_id(digits[-3:]) if len(digits) > 3 else digits


def write_error_report(source: Path, errors: list[tuple[int, str]], target, *, data: bytes | None = None) -> None:
    """The uploaded file again, every row kept, each bad row shaded with its reasons in a last column.

    National IDs are masked (the last three digits are kept to find the row): the report is written to disk and the
    person fixing the file has the source file anyway.
    """
    table = read_table(Path(source), HEADERS, REQUIRED, data=data, parts=NAME_PARTS, include_hidden=True)
    by_line = dict(errors)
    columns = table.columns

    def shown(values: dict, column: str) -> str:
        return _masked_id(values[column]) if column == "national_id" else values[column]

    write_xlsx(
        target,
        headers=[{n: h for n, h, _a in COLUMNS}[c] for c in columns],
        rows=[[shown(values, c) for c in columns] for values in table.rows],
        row_errors={i: by_line[line] for i, line in enumerate(table.line_numbers) if line in by_line},
        error_header=_("Lỗi cần sửa"),
        title="Danh sách",
    )
