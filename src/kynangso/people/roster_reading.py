"""Reading a roster file: our columns and the headers accepted for them, and each row parsed and checked on its own
(names, dates as Vietnamese write them, sex, national ID, phone, target groups, community digital team).
"""

import datetime
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from kynangso.errors import DomainError
from kynangso.people.identity import clean_national_id, national_id_digest, validate_national_id, validate_phone
from kynangso.people.models import Sex, TargetGroup
from kynangso.people.services import check_person_fields
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
    (
        "community_team",
        "Mã tổ công nghệ số cộng đồng",
        {"Tổ công nghệ số", "Tổ công nghệ số cộng đồng", "Mã tổ CNS", "Mã tổ công nghệ số", "Tổ CNS cộng đồng"},
    ),
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
DAY_MONTH = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
# An Excel date stored as its serial number (days since 1899-12-30): five digits are 1927 to 2173; four digits
# would more likely be a year alone, which is not a date.
_EXCEL_SERIAL = re.compile(r"^\d{5}(\.0+)?$")
BATCH = 1000


@dataclass
class RosterRow:
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
    team_code: str = ""  # a community digital team the person serves in (a membership naming it, not a workplace)
    team: object = None
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


def month_first_line(rows: list["RosterRow"]) -> int | None:
    """The first line whose birth date can only be month/day/year («2/13/1990»): the file was then written month
    first, and its other day/month dates cannot be trusted either."""
    for row in rows:
        match = DAY_MONTH.match(row.birth_text)
        if match and int(match[1]) <= 12 < int(match[2]) <= 31:
            return row.line
    return None


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


def parse_row(values: dict[str, str], line: int, today: datetime.date) -> RosterRow:
    values = {name: values.get(name, "") for name in HEADERS}
    row = RosterRow(line=line, birth_text=values["birth_date"])
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
    row.team_code = values["community_team"]
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
