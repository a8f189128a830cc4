"""Roster import: a spreadsheet of people validated row by row, previewed, then applied all or nothing.

Re-importing the same file changes nothing: a row whose person exists with the same data is left alone. Reading
the file's rows is `roster_reading`, finding their units `roster_units`, writing the people `roster_applying`, the
template and the error report `roster_template`.
"""

from dataclasses import dataclass, field
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _

from kynangso.accounts import api as accounts
from kynangso.people.models import ChangeField, TargetGroup
from kynangso.people.roster_applying import (
    apply_rows,
    existing_people,
    history_changes,
    open_memberships,
    open_team_memberships,
    plain_groups,
)
from kynangso.people.roster_reading import (
    BATCH,
    DAY_MONTH,
    HEADERS,
    NAME_PARTS,
    REQUIRED,
    RosterRow,
    month_first_line,
    out_of_scope_message,
    parse_row,
    residence_rule_message,
)
from kynangso.people.roster_units import RESIDENCE, TEAM, WORKPLACE, UnitResolver
from kynangso.people.teams import teams_outside_home
from kynangso.tabular import read_table


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
    rows: list[RosterRow] = []
    seen: dict[str, int] = {}
    for index, (values, line) in enumerate(zip(table.rows, table.line_numbers)):
        row = parse_row(values, line, today)
        if row.digest:
            if row.digest in seen:
                row.problems.append(_("trùng số định danh với dòng %(line)s") % {"line": seen[row.digest]})
            else:
                seen[row.digest] = line
        rows.append(row)
        if index % BATCH == 0:
            progress(index, report.total * 2)
    month_first = month_first_line(rows)
    if month_first is not None:
        for row in rows:
            match = DAY_MONTH.match(row.birth_text)
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
    resolver = UnitResolver(rows, allowed)
    for row in rows:
        if row.residence_code:
            row.residence = resolver.resolve(row, row.residence_code, role=RESIDENCE, accept=accept_suggestions)
        if row.workplace_code:
            row.workplace = resolver.resolve(row, row.workplace_code, role=WORKPLACE, accept=accept_suggestions)
        if row.team_code:
            row.team = resolver.resolve(row, row.team_code, role=TEAM, accept=accept_suggestions)
    report.unit_suggestions = resolver.suggestions()
    # A volunteer joins a team of the commune they live in (people.teams), wherever the join comes from.
    with_team = [row for row in rows if row.team is not None and row.residence is not None]
    outside = teams_outside_home((row.residence.id, row.team.id) for row in with_team)
    for row in with_team:
        if (row.residence.id, row.team.id) in outside:
            row.problems.append(
                _("tổ «%(team)s» không thuộc xã, phường nơi người này cư trú (thành viên tham gia tổ nơi mình ở)")
                % {"team": row.team.name}
            )

    existing = existing_people([r.digest for r in rows if r.digest])
    open_groups = open_memberships([p["id"] for p in existing.values()])
    open_teams = open_team_memberships([p["id"] for p in existing.values()])
    creates, updates, new_memberships = [], [], []
    touched_units: set = set()
    for index, row in enumerate(rows):
        if index % BATCH == 0:
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
        changes = history_changes(current, wanted, residence, workplace)
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
        missing_groups = [g for g in plain_groups(row) if (current["id"], g) not in open_groups]
        # A team the person already serves in (an open membership naming it) is left as it is, whatever its date.
        joins_team = row.team is not None and (current["id"], row.team.id) not in open_teams
        changed = bool(changes)
        if changed:
            updates.append((current["id"], wanted, changes))
        for group in missing_groups:
            new_memberships.append((current["id"], group, row.groups_from or today, None))
        if joins_team:
            new_memberships.append((current["id"], TargetGroup.COMMUNITY_TEAM, row.groups_from or today, row.team.id))
        if changed or missing_groups or joins_team:
            touched_units.update(
                (
                    current["residence_unit_id"],
                    current["workplace_unit_id"],
                    wanted["residence_unit_id"],
                    wanted["workplace_unit_id"],
                    row.team.id if joins_team else None,
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
            unit.id for row, residence, workplace in creates for unit in (residence, workplace, row.team) if unit
        )
        apply_rows(creates, updates, new_memberships, today, actor=actor, units=touched_units)
        report.applied = True
    return report
