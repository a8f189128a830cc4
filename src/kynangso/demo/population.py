"""Synthetic residents of the demo province: plausible Vietnamese names, ages, national IDs, phones and target groups.

Pure Python, no database: the same random generator and the same day give the same people, so the demo is
reproducible and this part can be tested on its own.
"""

import datetime
import random
from dataclasses import dataclass, field

from kynangso.people import api as people

MALE, FEMALE = people.Sex.MALE.value, people.Sex.FEMALE.value

# Frequencies of the common family names (per cent, rounded), so that about four in ten are Nguyễn.
FAMILY_NAMES = {
    "Nguyễn": 38,
    "Trần": 11,
    "Lê": 9.5,
    "Phạm": 7,
    "Hoàng": 3.5,
    "Huỳnh": 4,
    "Phan": 4.5,
    "Vũ": 2,
    "Võ": 3,
    "Đặng": 2.1,
    "Bùi": 2,
    "Đỗ": 1.4,
    "Hồ": 1.3,
    "Ngô": 1.3,
    "Dương": 1,
    "Lý": 0.5,
    "Đinh": 0.8,
    "Trương": 0.9,
    "Lương": 0.4,
    "Mai": 0.4,
}
# Middle names changed with the generations: "Văn" and "Thị" are far rarer among children born after 1990.
MIDDLE_NAMES = {
    (MALE, True): ["Văn", "Văn", "Văn", "Hữu", "Đức", "Công", "Quang", "Minh", "Thanh", "Xuân", "Ngọc"],
    (MALE, False): ["Minh", "Gia", "Đức", "Quốc", "Anh", "Hoàng", "Bảo", "Tuấn", "Văn", "Hữu", "Nhật", "Đăng"],
    (FEMALE, True): ["Thị", "Thị", "Thị", "Thị", "Ngọc", "Thu", "Kim", "Thanh", "Mỹ", "Hồng"],
    (FEMALE, False): ["Ngọc", "Thu", "Khánh", "Bảo", "Phương", "Minh", "Thảo", "Gia", "Thị", "Hà", "Mai", "Diệu"],
}
GIVEN_NAMES = {
    MALE: [
        "An",
        "Bình",
        "Cường",
        "Dũng",
        "Dương",
        "Đạt",
        "Hải",
        "Hiếu",
        "Hoàng",
        "Hùng",
        "Huy",
        "Khang",
        "Khoa",
        "Long",
        "Minh",
        "Nam",
        "Nghĩa",
        "Phúc",
        "Quân",
        "Sơn",
        "Tâm",
        "Thắng",
        "Thành",
        "Trung",
        "Tuấn",
        "Việt",
        "Vinh",
        "Bảo",
        "Đức",
        "Kiên",
        "Lâm",
        "Phong",
        "Tài",
        "Tiến",
        "Toàn",
        "Lộc",
        "Nhân",
        "Thịnh",
    ],
    FEMALE: [
        "Anh",
        "Chi",
        "Dung",
        "Giang",
        "Hà",
        "Hạnh",
        "Hằng",
        "Hoa",
        "Hương",
        "Huyền",
        "Lan",
        "Linh",
        "Loan",
        "Mai",
        "My",
        "Ngân",
        "Nhung",
        "Oanh",
        "Phương",
        "Quỳnh",
        "Thảo",
        "Trang",
        "Trâm",
        "Tuyết",
        "Uyên",
        "Vân",
        "Vy",
        "Yến",
        "Hiền",
        "Nga",
        "Thủy",
        "Nhi",
    ],
}
# Second middle names of four-word names ("Nguyễn Thị Thu Hà", "Trần Minh Bảo Anh").
SECOND_MIDDLE_NAMES = {MALE: ["Minh", "Quốc", "Gia", "Anh", "Thành"], FEMALE: ["Thu", "Ngọc", "Bảo", "Khánh", "Minh"]}

# Where births were registered (first three digits of the ID): mostly in the province, some elsewhere.
# The demo province is fictional, so it borrows the code of a real one (Thông tư 59/2021/TT-BCA).
BIRTH_REGISTRATION_CODES = {"054": 80, "052": 6, "056": 5, "079": 4, "001": 3, "048": 2}
MOBILE_PREFIXES = [
    "032",
    "033",
    "034",
    "035",
    "036",
    "037",
    "038",
    "039",
    "070",
    "076",
    "077",
    "078",
    "079",
    "081",
    "082",
    "083",
    "084",
    "085",
    "086",
    "088",
    "089",
    "090",
    "091",
    "093",
    "094",
    "096",
    "097",
    "098",
]

MIN_AGE, MAX_AGE = 6, 85
WORKING_AGE = (15, 60)  # Bộ luật Lao động: from 15; the upper bound approximates the retirement age
YOUTH_AGE = (16, 30)
ADULT_AGE = 18
GROUPS_FROM = datetime.date(2025, 1, 1)


@dataclass
class Places:
    """The units people are placed in, by code; built from the demo province's catalogue."""

    communes: list[tuple[str, bool, float]]  # (code, rural, population weight)
    primary_school: dict[str, str]  # commune code -> its primary school
    lower_secondary_school: dict[str, str]  # commune code -> its lower secondary school
    upper_secondary_schools: list[str]
    higher_education: list[str]  # colleges and universities
    teachers: list[tuple[str, str | None, int]]  # (school code, commune code or None, number of teachers)
    offices: list[tuple[str, int]]  # (department, agency or union code, number of officials)
    experts_office: str  # the office whose staff includes the province's DX experts
    enterprises_by_commune: dict[str, list[str]]
    provincial_enterprises: list[str]
    farms_by_commune: dict[str, list[str]]  # cooperatives and farmers' clubs farmers work at


@dataclass
class SyntheticPerson:
    family_name: str
    middle_name: str
    given_name: str
    birth_date: datetime.date
    sex: str
    national_id: str
    phone: str
    residence: str
    workplace: str = ""
    groups: list[str] = field(default_factory=list)
    groups_from: datetime.date = GROUPS_FROM

    @property
    def full_name(self) -> str:
        return f"{self.family_name} {self.middle_name} {self.given_name}"

    def age_on(self, day: datetime.date) -> int:
        return day.year - self.birth_date.year - ((day.month, day.day) < (self.birth_date.month, self.birth_date.day))

    def add_group(self, group: str) -> None:
        if group not in self.groups:
            self.groups.append(group)


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _age_weight(age: int) -> float:
    # A young population: flat to 50, then thinning out to a fifth at 85.
    return 1.0 if age <= 50 else 1.0 - 0.8 * (age - 50) / (MAX_AGE - 50)


def school_year_start(today: datetime.date) -> datetime.date:
    start = datetime.date(today.year, 9, 5)
    return start if today >= start else start.replace(year=today.year - 1)


class _Generator:
    def __init__(self, rng: random.Random, today: datetime.date, places: Places):
        self.rng = rng
        self.today = today
        self.places = places
        self.used_ids: set[str] = set()
        self.used_phones: set[str] = set()

    def person(self) -> SyntheticPerson:
        rng = self.rng
        ages = list(range(MIN_AGE, MAX_AGE + 1))
        age = rng.choices(ages, weights=[_age_weight(a) for a in ages])[0]
        sex = rng.choice((MALE, FEMALE))
        latest = _years_before(self.today, age)
        earliest = _years_before(self.today, age + 1) + datetime.timedelta(days=1)
        birth_date = earliest + datetime.timedelta(days=rng.randint(0, (latest - earliest).days))
        family = rng.choices(list(FAMILY_NAMES), weights=list(FAMILY_NAMES.values()))[0]
        middle = rng.choice(MIDDLE_NAMES[(sex, birth_date.year < 1990)])
        if rng.random() < 0.2:
            middle = f"{middle} {rng.choice(SECOND_MIDDLE_NAMES[sex])}"
        communes = self.places.communes
        residence = rng.choices([c for c, _r, _w in communes], weights=[w for _c, _r, w in communes])[0]
        phone_share = 0.92 if age >= ADULT_AGE else 0.6 if age >= 15 else 0.0
        return SyntheticPerson(
            family_name=family,
            middle_name=middle,
            given_name=rng.choice(GIVEN_NAMES[sex]),
            birth_date=birth_date,
            sex=sex,
            national_id=self.national_id(birth_date, sex),
            phone=self.phone() if rng.random() < phone_share else "",
            residence=residence,
        )

    def national_id(self, birth_date: datetime.date, sex: str) -> str:
        codes = BIRTH_REGISTRATION_CODES
        prefix = (
            f"{self.rng.choices(list(codes), weights=list(codes.values()))[0]}"
            f"{people.century_sex_digit(birth_date.year, sex)}{birth_date.year % 100:02d}"
        )
        while True:
            number = f"{prefix}{self.rng.randint(0, 999_999):06d}"
            if number not in self.used_ids:
                self.used_ids.add(number)
                return number

    def phone(self) -> str:
        while True:
            number = f"0{self.rng.choice(MOBILE_PREFIXES)[1:]}{self.rng.randint(0, 9_999_999):07d}"
            if number not in self.used_phones:
                self.used_phones.add(number)
                return number


def generate_people(
    *, rng: random.Random, today: datetime.date, places: Places, count: int = 2000
) -> list[SyntheticPerson]:
    """`count` people spread over the communes, with their school, workplace and target groups set by age."""
    generator = _Generator(rng, today, places)
    people = [generator.person() for _ in range(count)]
    _place_pupils(people, rng, today, places)
    free = [p for p in people if p.age_on(today) >= ADULT_AGE]
    rng.shuffle(free)
    _place_commune_officials(free, today, places)
    _place_teachers(free, today, places)
    _place_provincial_officials(free, today, places)
    _place_community_teams(people, today, places)
    _place_students_workers_and_farmers(free, rng, today, places)
    for person in people:
        age = person.age_on(today)
        if YOUTH_AGE[0] <= age <= YOUTH_AGE[1] and rng.random() < 0.35:
            person.add_group("youth_union")
        if age >= ADULT_AGE:
            person.groups.insert(0, "resident")
            person.groups_from = max(GROUPS_FROM, _years_before(person.birth_date, -ADULT_AGE))  # 18th birthday
        elif person.groups:
            person.groups_from = school_year_start(today)
    return people


def _place_pupils(people, rng, today, places) -> None:
    thpt = places.upper_secondary_schools
    commune_index = {code: i for i, (code, _r, _w) in enumerate(places.communes)}
    for person in people:
        age = person.age_on(today)
        if age < 6 or age >= ADULT_AGE:
            continue
        if age <= 10:
            person.workplace = places.primary_school[person.residence]
        elif age <= 14:
            person.workplace = places.lower_secondary_school[person.residence]
        elif rng.random() < 0.9:  # some leave school after lower secondary
            person.workplace = thpt[commune_index[person.residence] % len(thpt)]
        else:
            continue
        person.add_group("student")


def _take(free: list[SyntheticPerson], today, *, ages: tuple[int, int], commune: str | None = None) -> SyntheticPerson:
    """Remove and return the first free adult of the ages, living in `commune` if one does (else moved there)."""
    fallback = None
    for index, person in enumerate(free):
        if ages[0] <= person.age_on(today) <= ages[1]:
            if commune is None or person.residence == commune:
                return free.pop(index)
            if fallback is None:
                fallback = index
    if fallback is None:
        raise ValueError("not enough adults to staff the demo province")
    person = free.pop(fallback)
    person.residence = commune
    return person


def _place_commune_officials(free, today, places) -> None:
    for code, _rural, _weight in places.communes:
        for rank in range(3):
            person = _take(free, today, ages=(24, 58), commune=code)
            person.workplace = code
            person.add_group("official")
            person.add_group(("leader", "dx_specialist", "official")[rank])


def _place_teachers(free, today, places) -> None:
    for school, commune, count in places.teachers:
        for _ in range(count):
            person = _take(free, today, ages=(23, 58), commune=commune)
            person.workplace = school
            person.add_group("teacher")


def _place_provincial_officials(free, today, places) -> None:
    for office, count in places.offices:
        for rank in range(count):
            person = _take(free, today, ages=(24, 58))
            person.workplace = office
            person.add_group("official")
            if rank == 0 or (rank == 1 and count >= 8):
                person.add_group("leader")
            elif rank == 2:
                person.add_group("dx_specialist")
            elif office == places.experts_office and rank in (3, 4):
                person.add_group("dx_specialist")
                person.add_group("dx_expert")


def _place_community_teams(people, today, places) -> None:
    # Volunteers are residents of the commune, often also officials or youth union members.
    for code, _rural, _weight in places.communes:
        candidates = [p for p in people if p.residence == code and 20 <= p.age_on(today) <= 55]
        for person in candidates[:3]:
            person.add_group("community_team")


def _place_students_workers_and_farmers(free, rng, today, places) -> None:
    rural = {code for code, is_rural, _w in places.communes if is_rural}
    all_enterprises = places.provincial_enterprises + [e for es in places.enterprises_by_commune.values() for e in es]
    for person in free:
        age = person.age_on(today)
        if age <= 22 and places.higher_education and rng.random() < 0.45:
            person.workplace = rng.choice(places.higher_education)
            person.add_group("student")
        elif age <= 60 and rng.random() < 0.18:
            local = places.enterprises_by_commune.get(person.residence)
            person.workplace = rng.choice(local) if local and rng.random() < 0.5 else rng.choice(all_enterprises)
            person.add_group("employee")
        elif person.residence in rural and 20 <= age <= 70 and rng.random() < 0.5:
            person.add_group("farmer")
            farms = places.farms_by_commune.get(person.residence)
            if farms and rng.random() < 0.25:
                person.workplace = rng.choice(farms)
