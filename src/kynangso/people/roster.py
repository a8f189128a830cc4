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

from kynangso.accounts import api as accounts
from kynangso.errors import DomainError
from kynangso.orgs import api as orgs
from kynangso.people.identity import (
    clean_national_id,
    encrypt_national_id,
    national_id_digest,
    validate_national_id,
    validate_phone,
)
from kynangso.people.models import Person, Sex, TargetGroup, TargetGroupMembership
from kynangso.people.services import check_person_fields
from kynangso.tabular import read_table, write_xlsx
from kynangso.text import search_key

# Our column name, the header of the template, and other headers accepted for it.
COLUMNS = [
    ("full_name", "Họ và tên", {"Họ tên", "Tên"}),
    ("birth_date", "Ngày sinh (dd/mm/yyyy)", {"Ngày sinh", "Ngày tháng năm sinh"}),
    ("sex", "Giới tính (Nam/Nữ)", {"Giới tính"}),
    ("national_id", "Số định danh cá nhân", {"Số CCCD", "Số định danh", "CCCD", "Mã định danh"}),
    ("phone", "Số điện thoại", {"Điện thoại", "SĐT"}),
    ("residence_unit", "Mã đơn vị cư trú", {"Mã xã", "Mã xã, phường", "Nơi cư trú"}),
    ("workplace_unit", "Mã đơn vị công tác, học tập", {"Mã đơn vị công tác", "Mã nơi công tác"}),
    ("target_groups", "Nhóm đối tượng", {"Nhóm", "Đối tượng"}),
    ("groups_from", "Thuộc nhóm từ ngày (dd/mm/yyyy)", {"Từ ngày", "Thuộc nhóm từ ngày"}),
]
HEADERS = {name: [header, *sorted(aliases)] for name, header, aliases in COLUMNS}
REQUIRED = ["full_name", "birth_date", "sex", "national_id", "residence_unit"]
TEMPLATE_EXAMPLE = [
    "Nguyễn Văn An", "15/03/1985", "Nam", "001085012345", "0912345678", "", "", "Người dân; Nông dân", "",
]

_SEX = {"nam": Sex.MALE, "nu": Sex.FEMALE, "male": Sex.MALE, "female": Sex.FEMALE, "m": Sex.MALE, "f": Sex.FEMALE}
_GROUP_ALIASES = {
    "cbccvc": TargetGroup.OFFICIAL, "can bo": TargetGroup.OFFICIAL, "cong chuc": TargetGroup.OFFICIAL,
    "vien chuc": TargetGroup.OFFICIAL, "lanh dao": TargetGroup.LEADER, "quan ly": TargetGroup.LEADER,
    "chuyen trach cds": TargetGroup.DX_SPECIALIST, "cntt": TargetGroup.DX_SPECIALIST,
    "doan vien": TargetGroup.YOUTH_UNION, "thanh nien": TargetGroup.YOUTH_UNION, "hoc sinh": TargetGroup.STUDENT,
    "sinh vien": TargetGroup.STUDENT, "giao vien": TargetGroup.TEACHER, "nguoi lao dong": TargetGroup.EMPLOYEE,
    "nong dan": TargetGroup.FARMER, "to cong nghe so cong dong": TargetGroup.COMMUNITY_TEAM,
    "chuyen gia cds": TargetGroup.DX_EXPERT,
}
_GROUPS = {
    **_GROUP_ALIASES,
    **{group.value: group for group in TargetGroup},
    **{search_key(group.label): group for group in TargetGroup},
}
_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d")
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

    def as_dict(self) -> dict:
        return {
            "total": self.total, "created": self.created, "updated": self.updated, "unchanged": self.unchanged,
            "errors": [[line, message] for line, message in self.errors], "applied": self.applied,
            "preview": self.preview,
        }


@dataclass
class _Row:
    line: int
    full_name: str = ""
    birth_date: datetime.date | None = None
    sex: str = ""
    national_id: str = ""
    digest: str = ""
    phone: str = ""
    residence_code: str = ""
    workplace_code: str = ""
    groups: list[str] = field(default_factory=list)
    groups_from: datetime.date | None = None
    problems: list[str] = field(default_factory=list)


def parse_date(text: str) -> datetime.date:
    for fmt in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    raise DomainError(_("ngày «%(value)s» không có thật hoặc không đúng dạng dd/mm/yyyy") % {"value": text})


def write_template(target) -> None:
    """The blank roster template with Vietnamese headers and one example row."""
    write_xlsx(target, headers=[header for _n, header, _a in COLUMNS], rows=[TEMPLATE_EXAMPLE], title="Danh sách",
               widths=[26, 18, 14, 20, 16, 18, 22, 30, 22])


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


def _parse_row(values: dict[str, str], line: int, today: datetime.date) -> _Row:
    row = _Row(line=line)
    problems = row.problems
    try:
        row.birth_date = parse_date(values["birth_date"]) if values["birth_date"] else None
    except DomainError as exc:
        problems.append(_("Ngày sinh: %(problem)s") % {"problem": exc.message})
    row.sex = _SEX.get(search_key(values["sex"]), "")
    try:
        row.full_name = check_person_fields(full_name=values["full_name"], birth_date=row.birth_date or today,
                                            sex=row.sex or Sex.MALE, today=today)
        if not values["birth_date"]:
            problems.append(_("thiếu ngày sinh"))
    except DomainError as exc:
        problems.append(exc.message.rstrip("."))
    if not row.sex:
        problems.append(_("giới tính «%(value)s» phải là Nam hoặc Nữ") % {"value": values["sex"]})
    number = clean_national_id(values["national_id"])
    if number.isdigit() and len(number) in (10, 11):  # stored as a number, leading zeros lost
        number = number.zfill(12)
    try:
        row.national_id = validate_national_id(number, birth_date=row.birth_date, sex=row.sex or None)
        row.digest = national_id_digest(row.national_id)
    except DomainError as exc:
        problems.append(exc.message.rstrip("."))
    try:
        row.phone = validate_phone(values.get("phone", ""))
    except DomainError as exc:
        problems.append(exc.message.rstrip("."))
    row.residence_code = values["residence_unit"]
    row.workplace_code = values.get("workplace_unit", "")
    for part in _group_names(values.get("target_groups", "")):
        group = _GROUPS.get(search_key(part))
        if group is None:
            problems.append(_("nhóm đối tượng «%(value)s» không có trong danh mục") % {"value": part})
        elif group not in row.groups:
            row.groups.append(group)
    if values.get("groups_from"):
        try:
            row.groups_from = parse_date(values["groups_from"])
        except DomainError as exc:
            problems.append(_("Thuộc nhóm từ ngày: %(problem)s") % {"problem": exc.message})
    return row


def import_roster(path: Path, *, actor, apply: bool, progress=None) -> RosterReport:
    """Validate every row of the file and, when `apply` is true and no row is bad, write all of them in one transaction.

    `actor` must manage people at every unit the file names; `progress(done, total)` is called as rows are checked.
    """
    table = read_table(Path(path), HEADERS, REQUIRED)
    report = RosterReport(total=len(table.rows))
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

    units = orgs.units_by_code({r.residence_code for r in rows} | {r.workplace_code for r in rows if r.workplace_code})
    scope = accounts.scope_unit_ids(actor, accounts.capabilities.PEOPLE_IMPORT) if actor is not None else None
    allowed = None if scope is None else set(scope.values_list("descendant_id", flat=True))
    for row in rows:
        for code, label in ((row.residence_code, _("cư trú")), (row.workplace_code, _("công tác"))):
            if not code:
                continue
            unit = units.get(code)
            if unit is None:
                row.problems.append(_("không có đơn vị %(label)s mã «%(code)s»") % {"label": label, "code": code})
            elif not unit.is_active:
                row.problems.append(_("đơn vị «%(name)s» đã hết hiệu lực") % {"name": unit.name})
            elif allowed is not None and unit.id not in allowed:
                row.problems.append(_("đơn vị «%(name)s» ngoài phạm vi quản lý của bạn") % {"name": unit.name})

    existing = _existing_people([r.digest for r in rows if r.digest])
    open_groups = _open_groups([p["id"] for p in existing.values()])
    creates, updates, new_memberships = [], [], []
    for index, row in enumerate(rows):
        if index % _BATCH == 0:
            progress(report.total + index, report.total * 2)
        if row.problems:
            continue
        residence = units[row.residence_code]
        workplace = units.get(row.workplace_code) if row.workplace_code else None
        current = existing.get(row.digest)
        if current is None:
            creates.append((row, residence, workplace))
            continue
        if current["birth_date"] != row.birth_date or current["sex"] != row.sex:
            row.problems.append(_("số định danh đã được đăng ký cho một người có ngày sinh hoặc giới tính khác"))
            continue
        if allowed is not None and not ({current["residence_unit_id"], current["workplace_unit_id"]} & allowed):
            row.problems.append(_("số định danh đã được đăng ký cho một người ngoài phạm vi quản lý của bạn"))
            continue
        wanted = {"full_name": row.full_name, "phone": row.phone or current["phone"],
                  "residence_unit_id": residence.id,
                  "workplace_unit_id": workplace.id if workplace else current["workplace_unit_id"]}
        changed = any(current[key] != value for key, value in wanted.items())
        missing_groups = [g for g in row.groups if (current["id"], g) not in open_groups]
        if changed:
            updates.append((current["id"], wanted))
        for group in missing_groups:
            new_memberships.append((current["id"], group, row.groups_from or today))
        if changed or missing_groups:
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
        _apply(creates, updates, new_memberships, today)
        report.applied = True
    return report


def _existing_people(digests: list[str]) -> dict[str, dict]:
    found = {}
    fields = ("id", "national_id_digest", "full_name", "birth_date", "sex", "phone", "residence_unit_id",
              "workplace_unit_id")
    for start in range(0, len(digests), 5000):
        for values in Person.objects.filter(national_id_digest__in=digests[start:start + 5000]).values(*fields):
            found[values["national_id_digest"]] = values
    return found


def _open_groups(person_ids: list[int]) -> set[tuple[int, str]]:
    pairs = set()
    for start in range(0, len(person_ids), 5000):
        pairs.update(
            TargetGroupMembership.objects.filter(person_id__in=person_ids[start:start + 5000], valid_to__isnull=True)
            .values_list("person_id", "group")
        )
    return pairs


def _apply(creates, updates, new_memberships, today) -> None:
    try:
        with transaction.atomic():
            for start in range(0, len(creates), _BATCH):
                chunk = creates[start:start + _BATCH]
                people = Person.objects.bulk_create([
                    Person(full_name=row.full_name, search_name=search_key(row.full_name), birth_date=row.birth_date,
                           sex=row.sex, national_id_ciphertext=encrypt_national_id(row.national_id),
                           national_id_digest=row.digest, national_id_last_digits=row.national_id[-3:],
                           phone=row.phone, residence_unit=residence, workplace_unit=workplace)
                    for row, residence, workplace in chunk
                ])
                TargetGroupMembership.objects.bulk_create([
                    TargetGroupMembership(person_id=person.pk, group=group, valid_from=row.groups_from or today)
                    for person, (row, _r, _w) in zip(people, chunk)
                    for group in row.groups
                ])
            now = timezone.now()
            for person_id, wanted in updates:
                Person.objects.filter(pk=person_id).update(
                    search_name=search_key(wanted["full_name"]), updated_at=now, **wanted
                )
            TargetGroupMembership.objects.bulk_create(
                [TargetGroupMembership(person_id=pid, group=g, valid_from=f) for pid, g, f in new_memberships],
                batch_size=_BATCH,
            )
    except IntegrityError as exc:
        raise DomainError(
            _("Có người khác vừa nhập cùng những người này trong lúc tệp đang được xử lý; không có gì được ghi. "
              "Hãy nhập lại tệp.")
        ) from exc


def write_error_report(source: Path, errors: list[tuple[int, str]], target) -> None:
    """The uploaded file again, every row kept, each bad row shaded with its reasons in a last column."""
    table = read_table(Path(source), HEADERS, REQUIRED)
    by_line = dict(errors)
    columns = table.columns
    write_xlsx(
        target,
        headers=[dict((n, h) for n, h, _a in COLUMNS)[c] for c in columns],
        rows=[[values[c] for c in columns] for values in table.rows],
        row_errors={i: by_line[line] for i, line in enumerate(table.line_numbers) if line in by_line},
        error_header=_("Lỗi cần sửa"),
        title="Danh sách",
    )
