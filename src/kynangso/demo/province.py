"""The synthetic demo province «Tỉnh Phú Hòa (dữ liệu mô phỏng)»: its units and merger history, about 2,000 people,
yearly denominators and one login per role, all created through the apps' public interfaces."""

import csv
import datetime
import random
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from kynangso.accounts import api as accounts
from kynangso.demo.population import (
    ADULT_AGE,
    FEMALE,
    WORKING_AGE,
    YOUTH_AGE,
    Places,
    SyntheticPerson,
    generate_people,
)
from kynangso.errors import DomainError
from kynangso.orgs import api as orgs
from kynangso.people import api as people

Kind = orgs.UnitKind
Level = orgs.SchoolLevel
Role = accounts.Role

SEED = 2025
PROVINCE_CODE = "99"  # real province codes end at 96, so the demo cannot collide with a real one
PROVINCE_NAME = "Tỉnh Phú Hòa (dữ liệu mô phỏng)"
DEMO_PASSWORD = "kynangso2025"
PEOPLE_COUNT = 2000
# Districts ended and communes were merged on this day (Luật Tổ chức chính quyền địa phương 2025).
REFORM_DATE = datetime.date(2025, 7, 1)
LEGAL_BASIS = "Nghị quyết số 9999/NQ-UBTVQH15 ngày 16/6/2025 về sắp xếp đơn vị hành chính cấp xã (mô phỏng)"
DATA_SOURCE = "Số liệu mô phỏng của bản trình diễn"


@dataclass(frozen=True)
class UnitSpec:
    code: str
    name: str
    kind: str
    parent: str | None  # code of the parent unit
    school_level: str = ""
    state_owned: bool = False
    staff: int = 0  # officials, or teachers for a school
    rural: bool = False
    weight: float = 1.0  # relative population of a commune


# Communes, wards and the special zone as they stand after 1 July 2025, directly under the province.
COMMUNE_LEVEL = [
    UnitSpec("99001", "Phường Phú Hòa", Kind.WARD, PROVINCE_CODE, weight=1.6),
    UnitSpec("99002", "Phường Hòa Bình", Kind.WARD, PROVINCE_CODE, weight=1.5),
    UnitSpec("99003", "Phường Tân An", Kind.WARD, PROVINCE_CODE, weight=1.3),
    UnitSpec("99004", "Phường Bình Minh", Kind.WARD, PROVINCE_CODE, weight=1.2),
    UnitSpec("99005", "Phường Đông Hải", Kind.WARD, PROVINCE_CODE, weight=1.1),
    UnitSpec("99006", "Phường Quang Trung", Kind.WARD, PROVINCE_CODE, weight=1.0),
    UnitSpec("99007", "Xã Tân Phú", Kind.COMMUNE, PROVINCE_CODE, rural=True, weight=1.1),
    UnitSpec("99008", "Xã Phước Sơn", Kind.COMMUNE, PROVINCE_CODE, rural=True),
    UnitSpec("99009", "Xã An Thạnh", Kind.COMMUNE, PROVINCE_CODE, rural=True),
    UnitSpec("99010", "Xã Hòa Thuận", Kind.COMMUNE, PROVINCE_CODE, rural=True),
    UnitSpec("99011", "Xã Mỹ Lợi", Kind.COMMUNE, PROVINCE_CODE, rural=True, weight=0.8),
    UnitSpec("99012", "Xã Long Điền", Kind.COMMUNE, PROVINCE_CODE, rural=True),
    UnitSpec("99013", "Xã Phú Xuân", Kind.COMMUNE, PROVINCE_CODE, rural=True, weight=0.9),
    UnitSpec("99014", "Xã Thạnh Mỹ", Kind.COMMUNE, PROVINCE_CODE, rural=True, weight=0.8),
    UnitSpec("99015", "Xã Vĩnh Hảo", Kind.COMMUNE, PROVINCE_CODE, rural=True, weight=0.7),
    UnitSpec("99016", "Xã Bình Lâm", Kind.COMMUNE, PROVINCE_CODE, rural=True, weight=0.9),
    UnitSpec("99017", "Xã Hòa Hiệp", Kind.COMMUNE, PROVINCE_CODE, rural=True),
    UnitSpec("99018", "Xã Xuân Lộc", Kind.COMMUNE, PROVINCE_CODE, rural=True, weight=0.8),
    UnitSpec("99019", "Xã Cát Thành", Kind.COMMUNE, PROVINCE_CODE, rural=True, weight=0.7),
    UnitSpec("99020", "Xã Tân Lập", Kind.COMMUNE, PROVINCE_CODE, rural=True, weight=0.6),
    UnitSpec("99021", "Xã Hòa Mỹ", Kind.COMMUNE, PROVINCE_CODE, rural=True, weight=0.7),
    UnitSpec("99022", "Xã Phước Lộc", Kind.COMMUNE, PROVINCE_CODE, rural=True, weight=0.6),
    UnitSpec("99023", "Đặc khu Hòn Ngọc", Kind.SPECIAL_ZONE, PROVINCE_CODE, rural=True, weight=0.5),
]
# The abolished district: two of its communes merged into Xã Sơn Hòa, the third moved under the province intact.
DISTRICT = UnitSpec("99H01", "Huyện Sơn Thượng", Kind.DISTRICT, PROVINCE_CODE)
MERGED_COMMUNES = [
    UnitSpec("99101", "Xã Sơn Lâm", Kind.COMMUNE, DISTRICT.code),
    UnitSpec("99102", "Xã Sơn Thủy", Kind.COMMUNE, DISTRICT.code),
]
MOVED_COMMUNE = UnitSpec("99103", "Xã Sơn Thượng", Kind.COMMUNE, DISTRICT.code, rural=True, weight=0.9)
MERGED_INTO = UnitSpec("99024", "Xã Sơn Hòa", Kind.COMMUNE, PROVINCE_CODE, rural=True, weight=1.2)

OFFICES = [
    UnitSpec("99-VPUB", "Văn phòng UBND tỉnh", Kind.DEPARTMENT, PROVINCE_CODE, staff=10),
    UnitSpec("99-SKHCN", "Sở Khoa học và Công nghệ", Kind.DEPARTMENT, PROVINCE_CODE, staff=12),
    UnitSpec("99-SNV", "Sở Nội vụ", Kind.DEPARTMENT, PROVINCE_CODE, staff=10),
    UnitSpec("99-SGDDT", "Sở Giáo dục và Đào tạo", Kind.DEPARTMENT, PROVINCE_CODE, staff=10),
    UnitSpec("99-SYT", "Sở Y tế", Kind.DEPARTMENT, PROVINCE_CODE, staff=10),
    UnitSpec("99-STC", "Sở Tài chính", Kind.DEPARTMENT, PROVINCE_CODE, staff=8),
    UnitSpec("99-SNNMT", "Sở Nông nghiệp và Môi trường", Kind.DEPARTMENT, PROVINCE_CODE, staff=10),
    UnitSpec("99-TTR", "Thanh tra tỉnh", Kind.DEPARTMENT, PROVINCE_CODE, staff=6),
    UnitSpec("99-TTCDS", "Trung tâm Chuyển đổi số tỉnh", Kind.AGENCY, "99-SKHCN", staff=8),
    UnitSpec("99-TTHCC", "Trung tâm Phục vụ hành chính công tỉnh", Kind.AGENCY, "99-VPUB", staff=8),
    UnitSpec("99-BVDK", "Bệnh viện Đa khoa tỉnh", Kind.AGENCY, "99-SYT", staff=10),
    UnitSpec("99-TD", "Tỉnh đoàn Phú Hòa", Kind.UNION, PROVINCE_CODE, staff=5),
    UnitSpec("99-HND", "Hội Nông dân tỉnh Phú Hòa", Kind.UNION, PROVINCE_CODE, staff=4),
]
SCIENCE_DEPARTMENT, INSPECTORATE, EDUCATION_DEPARTMENT = "99-SKHCN", "99-TTR", "99-SGDDT"
_UPPER, _EDU = Level.UPPER_SECONDARY, EDUCATION_DEPARTMENT
PROVINCIAL_SCHOOLS = [
    UnitSpec("99-THPT01", "Trường THPT Chuyên Phú Hòa", Kind.SCHOOL, _EDU, _UPPER, staff=4),
    UnitSpec("99-THPT02", "Trường THPT Lê Quý Đôn", Kind.SCHOOL, _EDU, _UPPER, staff=4),
    UnitSpec("99-THPT03", "Trường THPT Nguyễn Huệ", Kind.SCHOOL, _EDU, _UPPER, staff=4),
    UnitSpec("99-THPT04", "Trường THPT Tân Phú", Kind.SCHOOL, _EDU, _UPPER, staff=4),
    UnitSpec("99-THPT05", "Trường THPT Sơn Hòa", Kind.SCHOOL, _EDU, _UPPER, staff=4),
    UnitSpec("99-CDKT", "Trường Cao đẳng Kỹ thuật Phú Hòa", Kind.SCHOOL, _EDU, Level.VOCATIONAL, staff=4),
    UnitSpec("99-DH", "Trường Đại học Phú Hòa", Kind.SCHOOL, PROVINCE_CODE, Level.HIGHER, staff=5),
]
ECONOMY = [
    UnitSpec("99-DN01", "Công ty TNHH MTV Cấp thoát nước Phú Hòa", Kind.ENTERPRISE, PROVINCE_CODE, state_owned=True),
    UnitSpec(
        "99-DN02",
        "Công ty TNHH MTV Khai thác công trình thủy lợi Phú Hòa",
        Kind.ENTERPRISE,
        PROVINCE_CODE,
        state_owned=True,
    ),
    UnitSpec("99-DN11", "Công ty Cổ phần Chế biến Thủy sản Đông Hải", Kind.ENTERPRISE, "99005"),
    UnitSpec("99-DN12", "Công ty TNHH May mặc Tân An", Kind.ENTERPRISE, "99003"),
    UnitSpec("99-DN13", "Công ty Cổ phần Phần mềm Bình Minh", Kind.ENTERPRISE, "99004"),
    UnitSpec("99-DN14", "Công ty TNHH Cơ khí Hòa Thuận", Kind.ENTERPRISE, "99010"),
    UnitSpec("99-DN15", "Công ty TNHH Du lịch Hòn Ngọc", Kind.ENTERPRISE, "99023"),
    UnitSpec("99-DN16", "Công ty Cổ phần Nông sản sạch Tân Phú", Kind.ENTERPRISE, "99007"),
    UnitSpec("99-HTX01", "Hợp tác xã Nông nghiệp Tân Phú", Kind.COOPERATIVE, "99007"),
    UnitSpec("99-HTX02", "Hợp tác xã Thủy sản Long Điền", Kind.COOPERATIVE, "99012"),
    UnitSpec("99-HTX03", "Hợp tác xã Dịch vụ nông nghiệp Sơn Hòa", Kind.COOPERATIVE, MERGED_INTO.code),
    UnitSpec("99-THT01", "Tổ hợp tác Rau an toàn Hòa Thuận", Kind.COOPERATIVE_GROUP, "99010"),
    UnitSpec("99-HQ01", "Hội quán Nông dân Phước Sơn", Kind.FARMERS_CLUB, "99008"),
    UnitSpec("99-HQ02", "Câu lạc bộ Nông dân Mỹ Lợi", Kind.FARMERS_CLUB, "99011"),
]

# Hamlets (thôn, ấp, khóm, tổ dân phố) are recorded in four communes only, as a province rolling them out would; a
# community digital team («tổ công nghệ số cộng đồng») in eight of the twelve, one of them without members yet.
HAMLETS = [
    UnitSpec("99007-A1", "Ấp Tân Phú A", Kind.HAMLET, "99007"),
    UnitSpec("99007-A2", "Ấp Tân Phú B", Kind.HAMLET, "99007"),
    UnitSpec("99007-A3", "Ấp Phú Lợi", Kind.HAMLET, "99007"),
    UnitSpec("99008-T1", "Thôn Phước Thượng", Kind.HAMLET, "99008"),
    UnitSpec("99008-T2", "Thôn Phước Hạ", Kind.HAMLET, "99008"),
    UnitSpec("99008-T3", "Thôn Sơn Trung", Kind.HAMLET, "99008"),
    UnitSpec("99001-K1", "Khóm 1", Kind.HAMLET, "99001"),
    UnitSpec("99001-K2", "Khóm 2", Kind.HAMLET, "99001"),
    UnitSpec("99001-TDP3", "Tổ dân phố 3", Kind.HAMLET, "99001"),
    UnitSpec("99024-A1", "Ấp Sơn Lâm", Kind.HAMLET, "99024"),
    UnitSpec("99024-A2", "Ấp Sơn Thủy", Kind.HAMLET, "99024"),
    UnitSpec("99024-A3", "Ấp Hòa Lạc", Kind.HAMLET, "99024"),
]
TEAM_MEMBERS = 3  # volunteers of each team that has members
COMMUNITY_TEAMS = [
    UnitSpec(f"{hamlet.code}-CNS", f"Tổ công nghệ số cộng đồng {hamlet.name}", Kind.COMMUNITY_TEAM, hamlet.code)
    for hamlet in HAMLETS
    if hamlet.code in {"99007-A1", "99007-A2", "99007-A3", "99008-T1", "99008-T2", "99001-K1", "99024-A1", "99024-A3"}
]
EMPTY_TEAM = "99024-A3-CNS"  # set up, no volunteer yet: not «hoạt động»


def current_communes() -> list[UnitSpec]:
    """The commune-level units people live in today, the two that came out of the district included."""
    return [*COMMUNE_LEVEL, MOVED_COMMUNE, MERGED_INTO]


def _place_name(name: str) -> str:
    for prefix in ("Phường ", "Xã ", "Đặc khu "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def commune_schools() -> list[UnitSpec]:
    """A primary and a lower secondary school in every commune, run by the commune since July 2025."""
    schools = []
    for commune in current_communes():
        place = _place_name(commune.name)
        schools.append(
            UnitSpec(
                f"{commune.code}-TH", f"Trường Tiểu học {place}", Kind.SCHOOL, commune.code, Level.PRIMARY, staff=2
            )
        )
        schools.append(
            UnitSpec(
                f"{commune.code}-THCS",
                f"Trường THCS {place}",
                Kind.SCHOOL,
                commune.code,
                Level.LOWER_SECONDARY,
                staff=2,
            )
        )
    return schools


@dataclass(frozen=True)
class DemoLogin:
    role: str  # a Role, or "" for the superuser
    username: str
    scope: str  # code of the unit the role is assigned at


TAN_PHU, HOA_BINH = "99007", "99002"
SUPERUSER = "quantri"
DEMO_LOGINS = [
    DemoLogin(Role.LEARNER, "nguoihoc", HOA_BINH),
    DemoLogin(Role.HELPER, "hotro", TAN_PHU),
    DemoLogin(Role.UNIT_ADMIN, "quantri_xa", TAN_PHU),
    DemoLogin(Role.CONTENT_AUTHOR, "bientap", SCIENCE_DEPARTMENT),
    DemoLogin(Role.PROVINCIAL_ADMIN, "quantri_tinh", PROVINCE_CODE),
    DemoLogin(Role.AUDITOR, "kiemtra", PROVINCE_CODE),
    DemoLogin("", SUPERUSER, ""),
]


@dataclass(frozen=True)
class LoadReport:
    created: bool
    seconds: float = 0.0
    people: int = 0


def demo_province_exists() -> bool:
    """Whether the demo province has been loaded into this database."""
    return orgs.unit_by_code(PROVINCE_CODE) is not None


def load_demo_province(*, today: datetime.date | None = None) -> LoadReport:
    """Create the demo province unless it exists; all or nothing. The same day gives the same province."""
    if demo_province_exists():
        return LoadReport(created=False)
    started = time.perf_counter()
    today = today or timezone.localdate()
    rng = random.Random(SEED)
    with transaction.atomic():
        units = _create_units()
        population = generate_people(rng=rng, today=today, places=demo_places(), count=PEOPLE_COUNT)
        teams = _place_in_hamlets(population, today)
        _import_people(population, teams)
        _set_denominators(units, population, today, rng)
        _create_logins(units, population, today)
    return LoadReport(created=True, seconds=time.perf_counter() - started, people=len(population))


def _create(spec: UnitSpec, units: dict, valid_from: datetime.date | None = None):
    unit = orgs.create_unit(
        code=spec.code,
        name=spec.name,
        kind=spec.kind,
        parent=units.get(spec.parent),
        school_level=spec.school_level,
        state_owned=spec.state_owned,
        valid_from=valid_from,
    )
    units[spec.code] = unit
    return unit


def _create_units() -> dict:
    units: dict = {}
    _create(UnitSpec(PROVINCE_CODE, PROVINCE_NAME, Kind.PROVINCE, None), units)
    _record_district_reform(units)
    for spec in [*COMMUNE_LEVEL, *OFFICES, *PROVINCIAL_SCHOOLS, *commune_schools(), *ECONOMY, *HAMLETS]:
        _create(spec, units)
    for spec in COMMUNITY_TEAMS:
        _create(spec, units)
    return units


def _record_district_reform(units: dict) -> None:
    """The district as it stood until 30 June 2025, and what became of its communes on 1 July 2025."""
    district = _create(DISTRICT, units)
    sources = [_create(spec, units) for spec in MERGED_COMMUNES]
    moved = _create(MOVED_COMMUNE, units)
    merged_into = _create(MERGED_INTO, units, valid_from=REFORM_DATE)
    orgs.merge_units(sources=sources, into=merged_into, effective_date=REFORM_DATE, legal_basis=LEGAL_BASIS)
    orgs.move_unit(unit=moved, new_parent=units[PROVINCE_CODE], effective_date=REFORM_DATE, legal_basis=LEGAL_BASIS)
    orgs.dissolve_unit(unit=district, effective_date=REFORM_DATE, legal_basis=LEGAL_BASIS)


def demo_places() -> Places:
    """Where the synthetic people live, study and work, by unit code."""
    communes = current_communes()
    schools = commune_schools()
    by_parent: dict[str, dict[str, list[str]]] = {}
    for spec in ECONOMY:
        by_parent.setdefault(spec.kind, {}).setdefault(spec.parent, []).append(spec.code)
    farms: dict[str, list[str]] = {}
    for kind in (Kind.COOPERATIVE, Kind.COOPERATIVE_GROUP, Kind.FARMERS_CLUB):
        for commune, codes in by_parent.get(kind, {}).items():
            farms.setdefault(commune, []).extend(codes)
    enterprises = dict(by_parent[Kind.ENTERPRISE])
    return Places(
        communes=[(c.code, c.rural, c.weight) for c in communes],
        primary_school={s.parent: s.code for s in schools if s.school_level == Level.PRIMARY},
        lower_secondary_school={s.parent: s.code for s in schools if s.school_level == Level.LOWER_SECONDARY},
        upper_secondary_schools=[s.code for s in PROVINCIAL_SCHOOLS if s.school_level == Level.UPPER_SECONDARY],
        higher_education=[s.code for s in PROVINCIAL_SCHOOLS if s.school_level in (Level.VOCATIONAL, Level.HIGHER)],
        teachers=[
            (s.code, s.parent if s.parent in {c.code for c in communes} else None, s.staff)
            for s in [*schools, *PROVINCIAL_SCHOOLS]
        ],
        offices=[(o.code, o.staff) for o in OFFICES],
        experts_office=SCIENCE_DEPARTMENT,
        enterprises_by_commune={k: v for k, v in enterprises.items() if k != PROVINCE_CODE},
        provincial_enterprises=enterprises.get(PROVINCE_CODE, []),
        farms_by_commune=farms,
    )


def _place_in_hamlets(population: list[SyntheticPerson], today: datetime.date) -> dict[str, list[SyntheticPerson]]:
    """Every other resident of a commune that records hamlets lives in one of them (the rest are recorded at commune
    level, as in a roster half brought up to date). Returns each team's volunteers: in each hamlet with a team, the
    first few residents aged 20 to 55, whatever their school or workplace (they keep it: the roster names the team)."""
    hamlets: dict[str, list[str]] = {}
    for spec in HAMLETS:
        hamlets.setdefault(spec.parent, []).append(spec.code)
    seen: dict[str, int] = {}
    for person in population:
        codes = hamlets.get(person.residence)
        if codes is None:
            continue
        index = seen[person.residence] = seen.get(person.residence, -1) + 1
        if index % 2 == 0:
            person.residence = codes[(index // 2) % len(codes)]
    teams: dict[str, list[SyntheticPerson]] = {}
    for team in COMMUNITY_TEAMS:
        if team.code == EMPTY_TEAM:
            continue
        volunteers = [p for p in population if p.residence == team.parent and 20 <= p.age_on(today) <= 55]
        teams[team.code] = volunteers[:TEAM_MEMBERS]
    return teams


_ROSTER_HEADERS = [
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Số định danh cá nhân",
    "Số điện thoại",
    "Mã đơn vị cư trú",
    "Mã đơn vị công tác, học tập",
    "Nhóm đối tượng",
    "Thuộc nhóm từ ngày",
    "Mã tổ công nghệ số cộng đồng",
]


def _import_people(population: list[SyntheticPerson], teams: dict[str, list[SyntheticPerson]]) -> None:
    """Through the roster import, the bulk path a unit administrator uses, with a file written for it; each team's
    volunteers have its code in the team column (a membership from the day their groups start)."""
    team_of = {volunteer.national_id: code for code, volunteers in teams.items() for volunteer in volunteers}
    with tempfile.TemporaryDirectory(prefix="kynangso-demo-") as folder:
        path = Path(folder) / "danh-sach-mo-phong.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, quoting=csv.QUOTE_ALL)
            writer.writerow(_ROSTER_HEADERS)
            for p in population:
                writer.writerow(
                    [
                        p.full_name,
                        p.birth_date.strftime("%d/%m/%Y"),
                        "Nữ" if p.sex == FEMALE else "Nam",
                        p.national_id,
                        p.phone,
                        p.residence,
                        p.workplace,
                        ";".join(p.groups),
                        p.groups_from.strftime("%d/%m/%Y"),
                        team_of.get(p.national_id, ""),
                    ]
                )
        report = people.import_roster(path, actor=accounts.SYSTEM, apply=True)
    if report.errors or report.created != len(population):
        line, message = report.errors[0] if report.errors else (0, "")
        raise DomainError(f"Không nhập được danh sách người mô phỏng (dòng {line}: {message}).")


def _commune_of(units: dict) -> dict[str, str]:
    """For each unit code, the current commune-level unit it lies in (absent for provincial units)."""
    communes = {c.code for c in current_communes()}
    result = {}
    for code, unit in units.items():
        node = unit
        while node is not None and node.code not in communes:
            node = node.parent
        if node is not None:
            result[code] = node.code
    return result


# Denominators counted from where people live, and how each is told from a synthetic person's age and groups.
_RESIDENCE_KINDS = {
    orgs.DenominatorKind.RESIDENTS: lambda age, groups: True,
    orgs.DenominatorKind.WORKING_AGE_RESIDENTS: lambda age, groups: WORKING_AGE[0] <= age <= WORKING_AGE[1],
    orgs.DenominatorKind.ADULTS: lambda age, groups: age >= ADULT_AGE,
    orgs.DenominatorKind.YOUTH: lambda age, groups: YOUTH_AGE[0] <= age <= YOUTH_AGE[1],
    orgs.DenominatorKind.PUPILS_STUDENTS: lambda age, groups: "student" in groups,
    orgs.DenominatorKind.FARMERS: lambda age, groups: "farmer" in groups,
}
# Denominators counted from where people work.
_WORKPLACE_KINDS = {
    orgs.DenominatorKind.OFFICIALS: "official",
    orgs.DenominatorKind.LEADERS: "leader",
    orgs.DenominatorKind.DX_SPECIALISTS: "dx_specialist",
    orgs.DenominatorKind.TEACHERS: "teacher",
    orgs.DenominatorKind.EMPLOYEES: "employee",
}
_UNIT_KINDS = {
    orgs.DenominatorKind.SCHOOLS: {Kind.SCHOOL},
    orgs.DenominatorKind.ENTERPRISES: {Kind.ENTERPRISE},
    orgs.DenominatorKind.COOPERATIVES: {Kind.COOPERATIVE, Kind.COOPERATIVE_GROUP},
}


def _set_denominators(units: dict, population: list[SyntheticPerson], today: datetime.date, rng: random.Random) -> None:
    """Yearly denominators for every commune, hamlet and the province, this year and 2025.

    The statistics count everyone, while the platform holds only the people registered so far, so each count of
    synthetic people is scaled up by 5 to 30 per cent: the demo's indicators then read like a province mid-way.
    """
    commune_of = _commune_of(units)
    communes = [c.code for c in current_communes()]
    counts: dict[tuple[str, str], int] = {}
    for person in population:
        age = person.age_on(today)
        # A hamlet's residents count in the hamlet and in its commune.
        homes = {person.residence, commune_of.get(person.residence, person.residence)}
        for kind, applies in _RESIDENCE_KINDS.items():
            if applies(age, person.groups):
                for code in homes:
                    counts[code, kind] = counts.get((code, kind), 0) + 1
        for kind, group in _WORKPLACE_KINDS.items():
            if group in person.groups and person.workplace:
                for code in (commune_of.get(person.workplace), PROVINCE_CODE):
                    if code:
                        counts[code, kind] = counts.get((code, kind), 0) + 1
    for code, unit in units.items():
        if unit.is_active:
            for kind, unit_kinds in _UNIT_KINDS.items():
                if unit.kind in unit_kinds:
                    for owner in (commune_of.get(code), PROVINCE_CODE):
                        if owner:
                            counts[owner, kind] = counts.get((owner, kind), 0) + 1

    current: dict[tuple[str, str], int] = {}
    for (code, kind), count in sorted(counts.items()):
        if code == PROVINCE_CODE and kind in _RESIDENCE_KINDS:
            continue
        current[code, kind] = count if kind in _UNIT_KINDS else round(count * rng.uniform(1.05, 1.3))
    for code in communes:
        residents = current.get((code, orgs.DenominatorKind.RESIDENTS), 0)
        current[code, orgs.DenominatorKind.HOUSEHOLDS] = round(residents / rng.uniform(3.4, 3.9))
    for kind in [*_RESIDENCE_KINDS, orgs.DenominatorKind.HOUSEHOLDS]:
        current[PROVINCE_CODE, kind] = sum(current.get((code, kind), 0) for code in communes)

    years = sorted({2025, today.year})
    for (code, kind), value in current.items():
        growth = rng.uniform(1.005, 1.015)
        for year in years:
            scaled = value if kind in _UNIT_KINDS else round(value / growth ** (today.year - year))
            orgs.set_denominator(unit=units[code], year=year, kind=kind, value=scaled, source=DATA_SOURCE)


def _pick(population, chosen: list, test) -> SyntheticPerson:
    person = next(p for p in population if p not in chosen and test(p))
    chosen.append(person)
    return person


def _create_logins(units: dict, population: list[SyntheticPerson], today: datetime.date) -> None:
    """Each role's login belongs to a fitting synthetic person, so that the pages show a real-looking profile."""
    chosen: list[SyntheticPerson] = []
    plain_official = ["resident", "official"]
    owners = {
        Role.UNIT_ADMIN: _pick(population, chosen, lambda p: p.workplace == TAN_PHU and "dx_specialist" in p.groups),
        Role.HELPER: _pick(population, chosen, lambda p: p.residence == TAN_PHU and "community_team" in p.groups),
        Role.LEARNER: _pick(
            population,
            chosen,
            lambda p: p.residence == HOA_BINH and p.groups == ["resident"] and p.phone and 30 <= p.age_on(today) <= 50,
        ),
        Role.PROVINCIAL_ADMIN: _pick(
            population, chosen, lambda p: p.workplace == SCIENCE_DEPARTMENT and "dx_specialist" in p.groups
        ),
        Role.CONTENT_AUTHOR: _pick(
            population, chosen, lambda p: p.workplace == SCIENCE_DEPARTMENT and p.groups == plain_official
        ),
        Role.AUDITOR: _pick(population, chosen, lambda p: p.workplace == INSPECTORATE and p.groups == plain_official),
    }
    for login in DEMO_LOGINS:
        if not login.role:
            get_user_model().objects.create_superuser(
                username=login.username, password=DEMO_PASSWORD, first_name="Quản trị hệ thống"
            )
            continue
        owner = owners[login.role]
        user = accounts.create_user(
            username=login.username,
            password=DEMO_PASSWORD,
            first_name=owner.given_name,
            last_name=f"{owner.family_name} {owner.middle_name}",
            check_password=False,
        )
        accounts.assign_role(user=user, role=login.role, unit=units[login.scope])
        person = people.person_by_national_id(owner.national_id)
        people.link_user(person=person, user=user)


@dataclass(frozen=True)
class LoginRow:
    role_label: str
    username: str
    password: str
    scope: str
    person: str


def demo_login_rows() -> list[LoginRow]:
    """The demo logins as they stand in the database, for printing."""
    rows = []
    for login in DEMO_LOGINS:
        user = accounts.resolve_user(login.username)
        if user is None:
            continue
        if login.role:
            label = str(Role(login.role).label)
            unit_ids = [unit_id for role, _label, unit_id in accounts.roles_of(user) if role == login.role]
            scope = ", ".join(u.name for u in orgs.units().filter(id__in=unit_ids)) or "—"
        else:
            label, scope = "Quản trị hệ thống (toàn quyền)", "Toàn hệ thống"
        person = people.person_for_user(user)
        rows.append(LoginRow(label, login.username, DEMO_PASSWORD, scope, person.full_name if person else ""))
    return rows
