"""Roster import: a spreadsheet of people validated row by row, previewed, then applied all or nothing.

Re-importing the same file changes nothing: a row whose person exists with the same data is left alone.
"""

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from kynangso.accounts import api as accounts
from kynangso.errors import DomainError
from kynangso.orgs import api as orgs
from kynangso.people import events
from kynangso.people.identity import (
    clean_national_id,
    mask_national_id,
    national_id_digest,
    validate_national_id,
    validate_phone,
)
from kynangso.people.models import (
    ChangeField,
    Person,
    PersonChange,
    Sex,
    TargetGroup,
    TargetGroupMembership,
)
from kynangso.people.services import change_rows, check_person_fields, person_row
from kynangso.tabular import read_table, save_workbook, set_cell, write_xlsx
from kynangso.text import search_key

# Our column name, the header of the template, and other headers accepted for it.
COLUMNS = [
    ("full_name", "Họ và tên", {"Họ tên", "Tên", "Họ, tên", "Họ và tên người dân"}),
    ("birth_date", "Ngày sinh (dd/mm/yyyy)", {"Ngày sinh", "Ngày tháng năm sinh", "Ngày, tháng, năm sinh"}),
    ("sex", "Giới tính (Nam/Nữ)", {"Giới tính"}),
    ("national_id", "Số định danh cá nhân", {"Số CCCD", "Số định danh", "CCCD", "Mã định danh", "Số CCCD/ĐDCN"}),
    ("phone", "Số điện thoại", {"Điện thoại", "SĐT"}),
    ("residence_unit", "Mã đơn vị cư trú", {"Mã xã", "Mã xã, phường", "Nơi cư trú", "Đơn vị cư trú"}),
    ("workplace_unit", "Mã đơn vị công tác, học tập", {"Mã đơn vị công tác", "Mã nơi công tác", "Nơi công tác"}),
    ("target_groups", "Nhóm đối tượng", {"Nhóm", "Đối tượng"}),
    ("groups_from", "Thuộc nhóm từ ngày (dd/mm/yyyy)", {"Từ ngày", "Thuộc nhóm từ ngày"}),
]
HEADERS = {name: [header, *sorted(aliases)] for name, header, aliases in COLUMNS}
# A name split over columns as Vietnamese registers keep it: family name, middle name, given name (joined in the
# file's order when at least two of them are present; «Tên» alone is the full name).
NAME_PARTS = {"full_name": [["Họ"], ["Họ đệm", "Tên đệm", "Đệm", "Chữ đệm"], ["Tên"]]}
REQUIRED = ["full_name", "birth_date", "sex", "national_id", "residence_unit"]
TEMPLATE_EXAMPLE = [
    "Nguyễn Văn An",
    "15/03/1985",
    "Nam",
    "001085012345",
    "0912345678",
    "",
    "",
    "Người dân; Nông dân",
    "",
]

_SEX = {"nam": Sex.MALE, "nu": Sex.FEMALE, "male": Sex.MALE, "female": Sex.FEMALE, "m": Sex.MALE, "f": Sex.FEMALE}
_GROUP_ALIASES = {
    "cbccvc": TargetGroup.OFFICIAL,
    "can bo": TargetGroup.OFFICIAL,
    "cong chuc": TargetGroup.OFFICIAL,
    "vien chuc": TargetGroup.OFFICIAL,
    "lanh dao": TargetGroup.LEADER,
    "quan ly": TargetGroup.LEADER,
    "chuyen trach cds": TargetGroup.DX_SPECIALIST,
    "cntt": TargetGroup.DX_SPECIALIST,
    "doan vien": TargetGroup.YOUTH_UNION,
    "thanh nien": TargetGroup.YOUTH_UNION,
    "hoc sinh": TargetGroup.STUDENT,
    "sinh vien": TargetGroup.STUDENT,
    "giao vien": TargetGroup.TEACHER,
    "nguoi lao dong": TargetGroup.EMPLOYEE,
    "nong dan": TargetGroup.FARMER,
    "to cong nghe so cong dong": TargetGroup.COMMUNITY_TEAM,
    "chuyen gia cds": TargetGroup.DX_EXPERT,
}
_GROUPS = {
    **_GROUP_ALIASES,
    **{group.value: group for group in TargetGroup},
    **{search_key(group.label): group for group in TargetGroup},
}


def out_of_scope_message() -> str:
    """What a row gets when its national ID belongs to a person outside the actor's scope (the same for any data)."""
    return _("số định danh đã được đăng ký ở đơn vị khác; đề nghị cấp tỉnh chuyển hồ sơ")


def residence_rule_message() -> str:
    """What a row gets when it would change the name, phone or residence of a person who lives outside the actor's
    scope (the same whatever is stored: it names no value)."""
    return _(
        "người này cư trú ở đơn vị ngoài phạm vi của bạn: chỉ đơn vị nơi cư trú mới được sửa họ tên, số điện "
        "thoại hoặc nơi cư trú"
    )


_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%Y/%m/%d")
_DAY_MONTH = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
# An Excel date stored as its serial number (days since 1899-12-30): five digits are 1927 to 2173; four digits
# would more likely be a year alone, which is not a date.
_EXCEL_SERIAL = re.compile(r"^\d{5}(\.0+)?$")
_BATCH = 1000


@dataclass
class RosterReport:
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    applied: bool = False
    preview: list[dict] = field(default_factory=list)
    header_line: int = 1
    sheet: str = ""
    encoding: str = ""
    joined_columns: dict[str, list[str]] = field(default_factory=dict)
    hidden_lines: list[int] = field(default_factory=list)
    hidden_included: bool = False
    unit_suggestions: list[dict] = field(default_factory=list)
    suggestions_accepted: bool = False

    def as_dict(self) -> dict:
        return {
            "total": self.total,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": [[line, message] for line, message in self.errors],
            "applied": self.applied,
            "preview": self.preview,
            "header_line": self.header_line,
            "sheet": self.sheet,
            "encoding": self.encoding,
            "joined_columns": self.joined_columns,
            "hidden_lines": self.hidden_lines,
            "hidden_included": self.hidden_included,
            "unit_suggestions": [{**entry, "lines": entry["lines"][:50]} for entry in self.unit_suggestions],
            "suggestions_accepted": self.suggestions_accepted,
            "notes": self.notes(with_suggestions=False),
        }

    def notes(self, *, with_suggestions: bool = True) -> list[str]:
        """What the official should know about how the file was read: the sheet and header row used, columns
        joined, hidden rows skipped and (unless the page shows them as a table) the units matched for confirmation;
        Vietnamese, one sentence each."""
        where = (
            _("Đã đọc trang «%(sheet)s», dòng tiêu đề là dòng %(line)s.")
            % {"sheet": self.sheet, "line": self.header_line}
            if self.sheet
            else _("Dòng tiêu đề là dòng %(line)s.") % {"line": self.header_line}
        )
        notes = [where]
        if self.encoding:
            notes.append(_("Tệp CSV được đọc theo bảng mã %(encoding)s.") % {"encoding": self.encoding})
        for headers in self.joined_columns.values():
            notes.append(
                _("Họ và tên được ghép từ các cột: %(columns)s.")
                % {"columns": ", ".join(f"«{h}»" if h else _("(cột không tên)") for h in headers)}
            )
        if self.hidden_lines:
            lines = ", ".join(str(line) for line in self.hidden_lines[:30]) + (
                "…" if len(self.hidden_lines) > 30 else ""
            )
            if self.hidden_included:
                notes.append(
                    _("Đã nhập cả %(count)s dòng đang bị ẩn hoặc bị lọc trong Excel: %(lines)s.")
                    % {"count": len(self.hidden_lines), "lines": lines}
                )
            else:
                notes.append(
                    _(
                        "Bỏ qua %(count)s dòng đang bị ẩn hoặc bị lọc trong Excel: %(lines)s. Nếu cần nhập "
                        "cả những dòng này, hãy hiện chúng trong Excel hoặc chọn «Nhập cả dòng bị ẩn»."
                    )
                    % {"count": len(self.hidden_lines), "lines": lines}
                )
        for entry in self.unit_suggestions if with_suggestions else ():
            notes.append(
                _("«%(given)s» (dòng %(lines)s) → %(name)s, mã %(code)s.")
                % {
                    "given": entry["given"],
                    "lines": ", ".join(map(str, entry["lines"][:10])),
                    "name": entry["name"],
                    "code": entry["code"],
                }
            )
        return notes


@dataclass
class _Row:
    line: int
    full_name: str = ""
    birth_date: datetime.date | None = None
    birth_text: str = ""
    sex: str = ""
    national_id: str = ""
    digest: str = ""
    phone: str = ""
    residence_code: str = ""
    workplace_code: str = ""
    residence: object = None
    workplace: object = None
    groups: list[str] = field(default_factory=list)
    groups_from: datetime.date | None = None
    problems: list[str] = field(default_factory=list)


def parse_date(text: str) -> datetime.date:
    """A date as Vietnamese write it (day first: «1/2/1990» is 1 February), ISO, or an Excel serial number."""
    text = text.strip()
    if _EXCEL_SERIAL.match(text):
        return datetime.date(1899, 12, 30) + datetime.timedelta(days=int(float(text)))
    for fmt in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    if re.fullmatch(r"\d{4}", text):
        raise DomainError(_("«%(value)s» chỉ có năm; hãy ghi đủ ngày/tháng/năm") % {"value": text})
    raise DomainError(_("ngày «%(value)s» không có thật hoặc không đúng dạng dd/mm/yyyy") % {"value": text})


def _month_first_line(rows: list["_Row"]) -> int | None:
    """The first line whose birth date can only be month/day/year («2/13/1990»): the file was then written month
    first, and its other day/month dates cannot be trusted either."""
    for row in rows:
        match = _DAY_MONTH.match(row.birth_text)
        if match and int(match[1]) <= 12 < int(match[2]) <= 31:
            return row.line
    return None


def write_template(target, *, actor) -> None:
    """The blank roster template with Vietnamese headers and one example row, and a second sheet «Mã đơn vị»
    listing the active units in `actor`'s scope (every unit for `accounts.SYSTEM`) with their codes and whether
    each may be a place of residence. The import reads the first sheet holding the template's columns, so the
    second sheet is never read as data."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Danh sách"
    for column, header in enumerate([header for _n, header, _a in COLUMNS], start=1):
        set_cell(sheet, 1, column, header).font = Font(bold=True)
    for column, value in enumerate(TEMPLATE_EXAMPLE, start=1):
        set_cell(sheet, 2, column, value)
    for column, width in enumerate([26, 18, 14, 20, 16, 18, 22, 30, 22], start=1):
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


def _group_names(text: str) -> list[str]:
    """Names separated by ";" or new lines; a name that is not one of ours is split again at its commas, because
    some of our names ("Cán bộ chuyên trách CĐS, CNTT") contain one and people also write "Nông dân, Đoàn viên"."""
    names = []
    for part in re.split(r"[;\n]", text):
        part = part.strip()
        if not part:
            continue
        if search_key(part) in _GROUPS:
            names.append(part)
        else:
            names.extend(piece.strip() for piece in part.split(",") if piece.strip())
    return names


def _is_template_example(values: dict[str, str]) -> bool:
    return clean_national_id(values.get("national_id", "")) == TEMPLATE_EXAMPLE[3] and search_key(
        values.get("full_name", "")
    ) == search_key(TEMPLATE_EXAMPLE[0])


def _parse_row(values: dict[str, str], line: int, today: datetime.date) -> _Row:
    values = {name: values.get(name, "") for name in HEADERS}
    row = _Row(line=line, birth_text=values["birth_date"])
    problems = row.problems
    if _is_template_example(values):
        problems.append(_("đây là dòng ví dụ của tệp mẫu; hãy xóa dòng này trước khi nhập"))
        return row
    try:
        row.birth_date = parse_date(values["birth_date"]) if values["birth_date"] else None
    except DomainError as exc:
        problems.append(_("Ngày sinh: %(problem)s") % {"problem": exc.message})
    row.sex = _SEX.get(search_key(values["sex"]), "")
    try:
        row.full_name = check_person_fields(
            full_name=values["full_name"], birth_date=row.birth_date or today, sex=row.sex or Sex.MALE, today=today
        )
        if not values["birth_date"]:
            problems.append(_("thiếu ngày sinh"))
    except DomainError as exc:
        problems.append(exc.message.rstrip("."))
    if not row.sex:
        problems.append(
            _("giới tính «%(value)s» phải là Nam hoặc Nữ") % {"value": values["sex"]}
            if values["sex"]
            else _("thiếu giới tính (Nam hoặc Nữ)")
        )
    number = clean_national_id(values["national_id"])
    if number.isdigit() and len(number) in (10, 11):  # stored as a number, leading zeros lost
        number = number.zfill(12)
    if number.isdigit() and len(number) == 9:
        problems.append(
            _(
                "số «%(value)s» là số chứng minh nhân dân (CMND) cũ 9 chữ số, không còn được dùng; hãy ghi "
                "số định danh cá nhân 12 chữ số (số trên thẻ căn cước, căn cước công dân hoặc trên VNeID)"
            )
            % {"value": number}
        )
    elif not number:
        problems.append(_("thiếu số định danh cá nhân"))
    else:
        try:
            row.national_id = validate_national_id(number, birth_date=row.birth_date, sex=row.sex or None)
            row.digest = national_id_digest(row.national_id)
        except DomainError as exc:
            problems.append(exc.message.rstrip("."))
    try:
        row.phone = validate_phone(values["phone"])
    except DomainError as exc:
        problems.append(exc.message.rstrip("."))
    row.residence_code = values["residence_unit"]
    row.workplace_code = values["workplace_unit"]
    if not row.residence_code:
        problems.append(
            _("thiếu mã đơn vị cư trú (mã xã, phường, thị trấn hoặc đặc khu: xem trang «Mã đơn vị» của tệp mẫu)")
        )
    for part in _group_names(values["target_groups"]):
        group = _GROUPS.get(search_key(part))
        if group is None:
            problems.append(_("nhóm đối tượng «%(value)s» không có trong danh mục") % {"value": part})
        elif group not in row.groups:
            row.groups.append(group)
    if values["groups_from"]:
        try:
            row.groups_from = parse_date(values["groups_from"])
        except DomainError as exc:
            problems.append(_("Thuộc nhóm từ ngày: %(problem)s") % {"problem": exc.message})
    return row


def import_roster(
    path: Path,
    *,
    actor,
    apply: bool,
    progress=None,
    data: bytes | None = None,
    include_hidden: bool = False,
    accept_suggestions: bool = False,
) -> RosterReport:
    """Validate every row of the file and, when `apply` is true and no row is bad, write all of them in one transaction.

    `actor` (required: a user, or `accounts.SYSTEM`) must manage people at every unit the file names, and only the
    unit of residence changes a person's name, phone or residence (as `update_person`); every change and every new
    person is written to the person's history. `progress(done, total)` is called as rows are checked. With `data`,
    the file's content is `data` (an upload kept encrypted) and `path` only gives its kind.

    Rows hidden or filtered out in Excel are skipped and listed unless `include_hidden`. A unit written by its name,
    or by the code of a unit merged into another, is matched to a unit in the actor's scope and listed in
    `unit_suggestions`; such a row is an error naming the suggestion unless `accept_suggestions` (the official saw
    the list and confirmed it).
    """
    system = accounts.is_system(actor)  # a missing actor fails here, before the file is read
    table = read_table(Path(path), HEADERS, REQUIRED, data=data, parts=NAME_PARTS, include_hidden=include_hidden)
    report = RosterReport(
        total=len(table.rows),
        header_line=table.header_line,
        sheet=table.sheet,
        encoding=table.encoding,
        joined_columns=table.joined,
        hidden_lines=table.hidden_lines,
        hidden_included=include_hidden,
        suggestions_accepted=accept_suggestions,
    )
    today = timezone.localdate()
    progress = progress or (lambda done, total: None)
    rows: list[_Row] = []
    seen: dict[str, int] = {}
    for index, (values, line) in enumerate(zip(table.rows, table.line_numbers)):
        row = _parse_row(values, line, today)
        if row.digest:
            if row.digest in seen:
                row.problems.append(_("trùng số định danh với dòng %(line)s") % {"line": seen[row.digest]})
            else:
                seen[row.digest] = line
        rows.append(row)
        if index % _BATCH == 0:
            progress(index, report.total * 2)
    month_first = _month_first_line(rows)
    if month_first is not None:
        for row in rows:
            match = _DAY_MONTH.match(row.birth_text)
            if match and match[1] != match[2] and int(match[1]) <= 12 and int(match[2]) <= 12:
                row.problems.append(
                    _(
                        "Ngày sinh «%(value)s» có thể bị hiểu sai: tệp có ngày ghi tháng trước ngày (dòng %(line)s). "
                        "Hãy ghi mọi ngày theo ngày/tháng/năm, ví dụ 01/02/1990 là ngày 1 tháng 2"
                    )
                    % {"value": row.birth_text, "line": month_first}
                )
            elif row.line == month_first:
                row.problems.append(
                    _("Ngày sinh «%(value)s» ghi tháng trước ngày (kiểu Mỹ); hãy ghi theo ngày/tháng/năm")
                    % {"value": row.birth_text}
                )

    scope = None if system else accounts.scope_unit_ids(actor, accounts.capabilities.PEOPLE_IMPORT)
    allowed = None if scope is None else set(scope.values_list("descendant_id", flat=True))
    resolver = _UnitResolver(rows, allowed)
    for row in rows:
        if row.residence_code:
            row.residence = resolver.resolve(row, row.residence_code, residence=True, accept=accept_suggestions)
        if row.workplace_code:
            row.workplace = resolver.resolve(row, row.workplace_code, residence=False, accept=accept_suggestions)
    report.unit_suggestions = resolver.suggestions()

    existing = _existing_people([r.digest for r in rows if r.digest])
    open_groups = _open_groups([p["id"] for p in existing.values()])
    creates, updates, new_memberships = [], [], []
    touched_units: set = set()
    for index, row in enumerate(rows):
        if index % _BATCH == 0:
            progress(report.total + index, report.total * 2)
        if row.problems:
            continue
        residence, workplace = row.residence, row.workplace
        current = existing.get(row.digest)
        if current is None:
            creates.append((row, residence, workplace))
            continue
        # Scope first, and one message whatever the row says: comparing the birth date or sex of a person the actor
        # cannot see would answer "is this their birth date?" (an oracle).
        if allowed is not None and not ({current["residence_unit_id"], current["workplace_unit_id"]} & allowed):
            row.problems.append(out_of_scope_message())
            continue
        # A name that differs only by case (a file typed in capitals) keeps the registered spelling.
        same_name = row.full_name.casefold() == current["full_name"].casefold()
        wanted = {
            "full_name": current["full_name"] if same_name else row.full_name,
            "phone": row.phone or current["phone"],
            "residence_unit_id": residence.id,
            "workplace_unit_id": workplace.id if workplace else current["workplace_unit_id"],
        }
        changes = _changes(current, wanted, residence, workplace)
        # Name, phone and residence belong to the unit of residence (as in update_person); a workplace in scope
        # changes only the workplace. Checked before the birth date is compared, with one message whatever is stored.
        # (The row's residence is always in scope, so for a person living elsewhere it is always a move. If a row
        # could ever keep an outside residence, refuse any phone it gives: comparing one would be an oracle.)
        residence_in_scope = allowed is None or current["residence_unit_id"] in allowed
        if not residence_in_scope and any(f != ChangeField.WORKPLACE_UNIT for f, _o, _n in changes):
            row.problems.append(residence_rule_message())
            continue
        if current["birth_date"] != row.birth_date or current["sex"] != row.sex:
            row.problems.append(_("số định danh đã được đăng ký cho một người có ngày sinh hoặc giới tính khác"))
            continue
        missing_groups = [g for g in row.groups if (current["id"], g) not in open_groups]
        changed = bool(changes)
        if changed:
            updates.append((current["id"], wanted, changes))
        for group in missing_groups:
            new_memberships.append((current["id"], group, row.groups_from or today))
        if changed or missing_groups:
            touched_units.update(
                (
                    current["residence_unit_id"],
                    current["workplace_unit_id"],
                    wanted["residence_unit_id"],
                    wanted["workplace_unit_id"],
                )
            )
            report.updated += 1
        else:
            report.unchanged += 1
    report.created = len(creates)
    report.errors = [(row.line, "; ".join(row.problems)) for row in rows if row.problems]
    report.preview = [
        {"line": row.line, "full_name": row.full_name, "unit": residence.name, "groups": row.groups}
        for row, residence, _w in creates[:10]
    ]
    progress(report.total * 2, report.total * 2)
    if report.errors:
        report.created = report.updated = report.unchanged = 0
        return report
    if apply:
        touched_units.update(
            unit.id for _row, residence, workplace in creates for unit in (residence, workplace) if unit
        )
        _apply(creates, updates, new_memberships, today, actor=actor, units=touched_units)
        report.applied = True
    return report


# Prefixes people write before a unit's name: «Xã Tân Phú», «X. Tân Phú», «P. Bình Minh», «TT. Chợ Mới».
_UNIT_PREFIXES = {
    "xa": orgs.UnitKind.COMMUNE,
    "x": orgs.UnitKind.COMMUNE,
    "phuong": orgs.UnitKind.WARD,
    "p": orgs.UnitKind.WARD,
    "thi tran": orgs.UnitKind.TOWNSHIP,
    "tt": orgs.UnitKind.TOWNSHIP,
    "dac khu": orgs.UnitKind.SPECIAL_ZONE,
    "dk": orgs.UnitKind.SPECIAL_ZONE,
}
_PREFIX = re.compile(r"^(xa|x|phuong|p|thi tran|tt|dac khu|dk)\b\.?\s*")


def unit_name_key(text: str) -> tuple[str | None, str]:
    """The kind a unit's written name announces («X.», «Phường»…) and the rest of the name as a search key."""
    key = search_key(text).replace(".", ". ").replace(",", " ")
    key = " ".join(key.split())
    match = _PREFIX.match(key)
    if match:
        return _UNIT_PREFIXES[match[1]], " ".join(key[match.end() :].replace(".", " ").split())
    return None, " ".join(key.replace(".", " ").split())


class _UnitResolver:
    """Finds the unit each row names: by code, else by name among the active units in scope (never outside it, so a
    message never names a unit the official cannot see); a merged unit's code leads to its successor."""

    def __init__(self, rows: list[_Row], allowed: set[int] | None):
        self.allowed = allowed
        texts = {r.residence_code for r in rows} | {r.workplace_code for r in rows}
        self.by_code = orgs.units_by_code({t for t in texts if t} | {t.upper() for t in texts if t})
        self._by_name: dict[str, list] | None = None
        self._suggested: dict[tuple[str, bool], dict] = {}

    def _in_scope(self, unit) -> bool:
        return self.allowed is None or unit.id in self.allowed

    def _names(self) -> dict[str, list]:
        if self._by_name is None:
            self._by_name = {}
            for unit in orgs.units(active_only=True):
                if self._in_scope(unit):
                    self._by_name.setdefault(unit_name_key(unit.name)[1], []).append(unit)
        return self._by_name

    def _suggest(self, row: _Row, text: str, unit, *, residence: bool, reason: str, accept: bool, old=None):
        entry = self._suggested.setdefault(
            (text, residence),
            {
                "given": text,
                "code": unit.code,
                "name": unit.name,
                "reason": reason,
                "lines": [],
                "residence": residence,
            },
        )
        entry["lines"].append(row.line)
        if accept:
            return unit
        if old is not None:
            row.problems.append(
                _(
                    "đơn vị «%(old)s» (mã %(code)s) đã sáp nhập vào «%(name)s»: hãy ghi mã «%(new)s», "
                    "hoặc xác nhận dùng đơn vị này"
                )
                % {"old": old.name, "code": old.code, "name": unit.name, "new": unit.code}
            )
        else:
            row.problems.append(
                _(
                    "«%(given)s» là tên, không phải mã đơn vị: có phải «%(name)s» (mã %(code)s)? Hãy ghi "
                    "mã, hoặc xác nhận dùng đơn vị này"
                )
                % {"given": text, "name": unit.name, "code": unit.code}
            )
        return None

    def resolve(self, row: _Row, text: str, *, residence: bool, accept: bool):
        label = _("cư trú") if residence else _("công tác, học tập")
        unit = self.by_code.get(text) or self.by_code.get(text.upper())  # «x001» is X001
        if unit is not None and self._in_scope(unit):
            if not unit.is_active:
                successor = orgs.current_successor(unit)
                if successor.is_active and self._in_scope(successor) and unit.successor_id:
                    if residence and successor.kind not in orgs.RESIDENCE_KINDS:
                        row.problems.append(_("đơn vị «%(name)s» đã hết hiệu lực") % {"name": unit.name})
                        return None
                    return self._suggest(
                        row, text, successor, residence=residence, reason="merged", accept=accept, old=unit
                    )
                row.problems.append(
                    _("đơn vị «%(name)s» đã hết hiệu lực (đã giải thể hoặc sáp nhập vào đơn vị ngoài phạm vi của bạn)")
                    % {"name": unit.name}
                )
                return None
            if residence and unit.kind not in orgs.RESIDENCE_KINDS:
                row.problems.append(
                    _(
                        "nơi cư trú phải là xã, phường, thị trấn, đặc khu hoặc thôn, ấp, khóm, tổ dân "
                        "phố; «%(name)s» (mã %(code)s) "
                        "là %(kind)s: ghi đơn vị này ở cột «Mã đơn vị công tác, học tập»"
                    )
                    % {"name": unit.name, "code": unit.code, "kind": str(unit.get_kind_display()).lower()}
                )
                return None
            return unit
        if unit is None:
            kind, key = unit_name_key(text)
            candidates = [u for u in self._names().get(key, []) if kind is None or u.kind == kind]
            if residence:
                candidates = [u for u in candidates if u.kind in orgs.RESIDENCE_KINDS]
            if len(candidates) == 1:
                return self._suggest(row, text, candidates[0], residence=residence, reason="name", accept=accept)
            if len(candidates) > 1:
                row.problems.append(
                    _("có %(count)s đơn vị tên «%(given)s» (mã %(codes)s): hãy ghi mã đơn vị")
                    % {"count": len(candidates), "given": text, "codes": ", ".join(u.code for u in candidates)}
                )
                return None
        # Unknown, or outside the scope: one message that names nothing the official cannot see.
        row.problems.append(
            _(
                "không có đơn vị %(label)s mã hoặc tên «%(code)s» trong phạm vi quản lý của bạn (xem "
                "trang «Mã đơn vị» của tệp mẫu)"
            )
            % {"label": label, "code": text}
        )
        return None

    def suggestions(self) -> list[dict]:
        return sorted(self._suggested.values(), key=lambda entry: entry["lines"][0])


def _changes(current: dict, wanted: dict, residence, workplace) -> list[tuple[str, object, object]]:
    """The (field, old, new) history entries of updating `current` to `wanted` (units by their names)."""
    changes = []
    if wanted["full_name"] != current["full_name"]:
        changes.append((ChangeField.FULL_NAME, current["full_name"], wanted["full_name"]))
    if wanted["phone"] != current["phone"]:
        changes.append((ChangeField.PHONE, current["phone"], wanted["phone"]))
    if wanted["residence_unit_id"] != current["residence_unit_id"]:
        changes.append((ChangeField.RESIDENCE_UNIT, current["residence_unit__name"], residence))
    if wanted["workplace_unit_id"] != current["workplace_unit_id"]:
        changes.append((ChangeField.WORKPLACE_UNIT, current["workplace_unit__name"], workplace))
    return changes


def _existing_people(digests: list[str]) -> dict[str, dict]:
    found = {}
    fields = (
        "id",
        "national_id_digest",
        "full_name",
        "birth_date",
        "sex",
        "phone",
        "residence_unit_id",
        "workplace_unit_id",
        "residence_unit__name",
        "workplace_unit__name",
    )
    for start in range(0, len(digests), 5000):
        for values in Person.objects.filter(national_id_digest__in=digests[start : start + 5000]).values(*fields):
            found[values["national_id_digest"]] = values
    return found


def _open_groups(person_ids: list[int]) -> set[tuple[int, str]]:
    pairs = set()
    for start in range(0, len(person_ids), 5000):
        pairs.update(
            TargetGroupMembership.objects.filter(
                person_id__in=person_ids[start : start + 5000], valid_to__isnull=True
            ).values_list("person_id", "group")
        )
    return pairs


def _apply(creates, updates, new_memberships, today, *, actor, units: set) -> None:
    try:
        with transaction.atomic():
            events.announce(units, "roster")  # the units people were in and are in now, after commit
            for start in range(0, len(creates), _BATCH):
                chunk = creates[start : start + _BATCH]
                people = Person.objects.bulk_create(
                    [
                        person_row(
                            full_name=row.full_name,
                            birth_date=row.birth_date,
                            sex=row.sex,
                            national_id=row.national_id,
                            digest=row.digest,
                            phone=row.phone,
                            residence_unit=residence,
                            workplace_unit=workplace,
                        )
                        for row, residence, workplace in chunk
                    ]
                )
                TargetGroupMembership.objects.bulk_create(
                    [
                        TargetGroupMembership(person_id=person.pk, group=group, valid_from=row.groups_from or today)
                        for person, (row, _r, _w) in zip(people, chunk)
                        for group in row.groups
                    ]
                )
                PersonChange.objects.bulk_create(
                    [
                        history
                        for person, (_row, residence, _w) in zip(people, chunk)
                        for history in change_rows(
                            person_id=person.pk, actor=actor, changes=[(ChangeField.REGISTERED, "", residence)]
                        )
                    ]
                )
            now = timezone.now()
            for start in range(0, len(updates), _BATCH):
                chunk = updates[start : start + _BATCH]
                for person_id, wanted, _history in chunk:
                    Person.objects.filter(pk=person_id).update(
                        search_name=search_key(wanted["full_name"]), updated_at=now, **wanted
                    )
                PersonChange.objects.bulk_create(
                    [
                        history
                        for person_id, _wanted, changes in chunk
                        for history in change_rows(person_id=person_id, actor=actor, changes=changes)
                    ]
                )
            TargetGroupMembership.objects.bulk_create(
                [TargetGroupMembership(person_id=pid, group=g, valid_from=f) for pid, g, f in new_memberships],
                batch_size=_BATCH,
            )
    except IntegrityError as exc:
        raise DomainError(
            _(
                "Có người khác vừa nhập cùng những người này trong lúc tệp đang được xử lý; không có gì được ghi. "
                "Hãy nhập lại tệp."
            )
        ) from exc


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
