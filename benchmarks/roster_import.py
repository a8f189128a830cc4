"""Benchmark of the roster import: 100,000 generated people through `import_roster`, against a plain bulk insert.

Run from the repository root: `benchmarks/run` or `python -m benchmarks.roster_import --rows 100000`.
With a PostgreSQL DATABASE_URL (default: the local `test` database) it works in its own database `kynangso_bench`,
created and dropped here; with SQLite, in a temporary file. See benchmarks/README.md.
"""

import argparse
import cProfile
import csv
import datetime
import io
import os
import pstats
import random
import resource
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks._support import is_postgresql, use_database, use_sqlite

# Django is imported inside the functions: `main` must choose the database before Django reads its settings.
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/test"
BENCH_DATABASE = "kynangso_bench"
MAX_ROWS = 1_000_000  # the row index is the 6-digit serial of each generated national ID, which keeps them unique

FAMILY_NAMES = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Đinh",
    "Trịnh",
    "Lưu",
    "Mai",
    "Tạ",
    "Quách",
    "Lương",
    "Châu",
]
MIDDLE_NAMES = {
    "male": ["Văn", "Hữu", "Đức", "Minh", "Quốc", "Công", "Thành", "Xuân", "Quang", "Trọng"],
    "female": ["Thị", "Ngọc", "Thu", "Kim", "Thanh", "Mỹ", "Bích", "Diệu", "Hồng", "Phương"],
}
GIVEN_NAMES = {
    "male": [
        "An",
        "Bình",
        "Cường",
        "Dũng",
        "Đạt",
        "Hải",
        "Hiếu",
        "Hùng",
        "Khánh",
        "Khoa",
        "Long",
        "Nam",
        "Phúc",
        "Quân",
        "Sơn",
        "Tâm",
        "Thắng",
        "Tuấn",
        "Việt",
        "Vinh",
        "Hưng",
        "Lộc",
        "Trí",
        "Nghĩa",
    ],
    "female": [
        "Anh",
        "Chi",
        "Dung",
        "Giang",
        "Hà",
        "Hạnh",
        "Hoa",
        "Hương",
        "Lan",
        "Linh",
        "Mai",
        "Nga",
        "Nhung",
        "Oanh",
        "Phượng",
        "Quỳnh",
        "Thảo",
        "Trang",
        "Tuyết",
        "Vy",
        "Yến",
        "Xuân",
        "Ánh",
    ],
}
COMMUNE_NAMES = [
    "An Bình",
    "Bình Minh",
    "Tân Phú",
    "Hòa Lợi",
    "Phước Long",
    "Thạnh Hưng",
    "Long Hải",
    "Mỹ Xuyên",
    "Đông Hòa",
    "Vĩnh Thuận",
    "Quảng Điền",
    "Hưng Yên",
    "Tây Sơn",
    "Cẩm Lệ",
    "Ngọc Lặc",
    "Sơn Trà",
]


@dataclass
class Step:
    label: str
    rows: int
    seconds: float

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


@dataclass
class Results:
    rows: int
    database: str
    steps: dict[str, Step] = field(default_factory=dict)
    peak_rss_mib: float = 0.0

    def add(self, key: str, label: str, rows: int, seconds: float) -> Step:
        step = self.steps[key] = Step(label, rows, seconds)
        return step

    @property
    def ratio(self) -> float:
        """How many times slower the real import is than the plain bulk insert of the same rows."""
        return self.steps["bulk_create"].rows_per_second / self.steps["import"].rows_per_second


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class _Clock:
    def __enter__(self):
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.start


# --- the data -----------------------------------------------------------------------------------------------------


def make_unit_tree() -> dict[str, list[str]]:
    """A province with 16 communes and wards, 4 departments and 6 schools (created once); their codes by role."""
    from kynangso.orgs import api as orgs

    codes = {
        "residence": [f"BX{i:03d}" for i in range(1, len(COMMUNE_NAMES) + 1)],
        "office": [f"BS{i:02d}" for i in range(1, 5)],
        "school": [f"BT{i:02d}" for i in range(1, 7)],
    }
    if orgs.unit_by_code("B00") is not None:
        return codes
    root = orgs.create_unit(code="B00", name="Tỉnh Đo hiệu năng", kind=orgs.UnitKind.PROVINCE)
    for code, name in zip(codes["residence"], COMMUNE_NAMES):
        kind = orgs.UnitKind.WARD if code.endswith(("2", "5", "8")) else orgs.UnitKind.COMMUNE
        orgs.create_unit(
            code=code, name=("Phường " if kind == orgs.UnitKind.WARD else "Xã ") + name, kind=kind, parent=root
        )
    for code, name in zip(
        codes["office"], ["Sở Khoa học và Công nghệ", "Sở Nội vụ", "Sở Y tế", "Sở Nông nghiệp và Môi trường"]
    ):
        orgs.create_unit(code=code, name=name, kind=orgs.UnitKind.DEPARTMENT, parent=root)
    levels = [orgs.SchoolLevel.PRIMARY, orgs.SchoolLevel.LOWER_SECONDARY, orgs.SchoolLevel.UPPER_SECONDARY] * 2
    for code, level, commune in zip(codes["school"], levels, COMMUNE_NAMES):
        orgs.create_unit(
            code=code,
            name=f"Trường {level.label} {commune}",
            kind=orgs.UnitKind.SCHOOL,
            parent=root,
            school_level=level,
        )
    return codes


def generate_roster(count: int, units: dict[str, list[str]], *, seed: int = 146) -> list[list]:
    """`count` valid rows in the template's column order, varied as real files are: some birth dates and IDs are
    Excel dates and numbers (leading zero lost), phones written several ways, groups by name or code."""
    from kynangso.people.identity import FEMALE, MALE, PROVINCE_CODES, century_sex_digit

    if count > MAX_ROWS:
        raise ValueError(f"at most {MAX_ROWS} rows")
    rng = random.Random(seed)
    provinces = sorted(PROVINCE_CODES)
    today = datetime.date(2025, 6, 30)
    first_day = datetime.date(1945, 1, 1)
    span = (datetime.date(2019, 12, 31) - first_day).days
    rows = []
    for index in range(count):
        sex = MALE if rng.random() < 0.49 else FEMALE
        birth = first_day + datetime.timedelta(days=rng.randrange(span))
        age = (today - birth).days // 365
        given = rng.choice(GIVEN_NAMES[sex])
        if rng.random() < 0.2:
            given = f"{rng.choice(GIVEN_NAMES[sex])} {given}"
        name = f"{rng.choice(FAMILY_NAMES)} {rng.choice(MIDDLE_NAMES[sex])} {given}"
        national_id = f"{rng.choice(provinces)}{century_sex_digit(birth.year, sex)}{birth.year % 100:02d}{index:06d}"
        groups, workplace = ["Người dân"], ""
        if age < 19:
            groups.append("Học sinh, sinh viên")
            workplace = rng.choice(units["school"])
        elif age < 61:
            draw = rng.random()
            if draw < 0.15:
                groups.append("Cán bộ, công chức, viên chức")
                workplace = rng.choice(units["office"])
                if rng.random() < 0.1:
                    groups.append("Lãnh đạo, quản lý")
                if rng.random() < 0.05:
                    groups.append("Cán bộ chuyên trách CĐS, CNTT")
            elif draw < 0.22:
                groups.append("Giáo viên")
                workplace = rng.choice(units["school"])
            elif draw < 0.5:
                groups.append("farmer" if rng.random() < 0.2 else "Nông dân")
            elif draw < 0.7:
                groups.append("Người lao động")
        if 16 <= age <= 30 and rng.random() < 0.4:
            groups.append("Đoàn viên, thanh niên")
        if rng.random() < 0.01:
            groups.append("Thành viên tổ công nghệ số cộng đồng")
        draw = rng.random()
        if draw < 0.7:
            phone = f"0{rng.choice('3789')}{rng.randrange(10**8):08d}"
        elif draw < 0.8:
            phone = f"+84 {rng.choice('3789')}{rng.randrange(10**4):04d} {rng.randrange(10**4):04d}"
        else:
            phone = ""
        rows.append(
            [
                name,
                birth if index % 2 else birth.strftime("%d/%m/%Y"),
                "Nam" if sex == MALE else "Nữ",
                int(national_id) if index % 10 == 3 else national_id,
                phone,
                rng.choice(units["residence"]),
                workplace,
                "; ".join(groups),
                "01/01/2025" if index % 7 == 0 else "",
            ]
        )
    return rows


def write_roster_xlsx(path: Path, rows: list[list]) -> None:
    """The rows under the template's headers, written as Excel would store them (dates and numbers typed)."""
    from openpyxl import Workbook

    from kynangso.people.roster_reading import COLUMNS

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Danh sách")
    sheet.append([header for _name, header, _aliases in COLUMNS])
    for row in rows:
        sheet.append(row)
    workbook.save(path)


def write_roster_csv(path: Path, rows: list[list]) -> None:
    """The rows as Vietnamese Excel saves a CSV: UTF-8 with BOM, semicolons."""
    from kynangso.people.roster_reading import COLUMNS

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([header for _name, header, _aliases in COLUMNS])
    for row in rows:
        writer.writerow([cell.strftime("%d/%m/%Y") if isinstance(cell, datetime.date) else cell for cell in row])
    path.write_text(buffer.getvalue(), encoding="utf-8-sig")


# --- the plain inserts we compare against -------------------------------------------------------------------------


def _precomputed(rows: list[list]) -> list[tuple[dict, list[str]]]:
    """Person field values and group codes of each row, computed before any clock starts."""
    from kynangso.orgs import api as orgs
    from kynangso.people.identity import clean_phone, encrypt_national_id, national_id_digest
    from kynangso.people.models import TargetGroup
    from kynangso.people.roster_reading import parse_date
    from kynangso.text import search_key

    unit_ids = {unit.code: unit.id for unit in orgs.OrgUnit.objects.filter(code__startswith="B")}
    codes = {search_key(group.label): group.value for group in TargetGroup} | {g.value: g.value for g in TargetGroup}
    values = []
    for name, birth, sex, national_id, phone, residence, workplace, groups, _since in rows:
        number = str(national_id).zfill(12)
        values.append(
            (
                {
                    "full_name": name,
                    "search_name": search_key(name),
                    "birth_date": birth if isinstance(birth, datetime.date) else parse_date(birth),
                    "sex": "male" if sex == "Nam" else "female",
                    "national_id_ciphertext": encrypt_national_id(number),
                    "national_id_digest": national_id_digest(number),
                    "national_id_last_digits": number[-3:],
                    "phone": clean_phone(phone),
                    "residence_unit_id": unit_ids[residence],
                    "workplace_unit_id": unit_ids[workplace] if workplace else None,
                },
                [codes[search_key(group)] for group in groups.split("; ")],
            )
        )
    return values


def bulk_create_people(precomputed, *, batch: int = 1000) -> None:
    """Django's bulk_create of the people and their memberships, in one transaction: the ORM's own floor."""
    from django.db import transaction
    from django.utils import timezone

    from kynangso.people.models import Person, TargetGroupMembership

    since = timezone.localdate()
    with transaction.atomic():
        for start in range(0, len(precomputed), batch):
            chunk = precomputed[start : start + batch]
            people = Person.objects.bulk_create([Person(**fields) for fields, _groups in chunk])
            TargetGroupMembership.objects.bulk_create(
                [
                    TargetGroupMembership(person_id=person.pk, group=group, valid_from=since)
                    for person, (_fields, groups) in zip(people, chunk)
                    for group in groups
                ]
            )


def copy_people(precomputed) -> None:
    """PostgreSQL COPY of the same rows (ids drawn from the sequence first): the database's own floor."""
    from django.db import connection, transaction
    from django.utils import timezone

    from kynangso.people.models import Person, TargetGroupMembership

    person_table, membership_table = Person._meta.db_table, TargetGroupMembership._meta.db_table
    columns = list(precomputed[0][0])
    now, since = timezone.now(), timezone.localdate()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"SELECT nextval(pg_get_serial_sequence('{person_table}', 'id')) FROM generate_series(1, %s)",
            [len(precomputed)],
        )
        ids = [row[0] for row in cursor.fetchall()]
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper
        with raw.copy(f"COPY {person_table} (id, {', '.join(columns)}, created_at, updated_at) FROM STDIN") as copy:
            for person_id, (fields, _groups) in zip(ids, precomputed):
                copy.write_row([person_id, *fields.values(), now, now])
        with raw.copy(f'COPY {membership_table} (person_id, "group", valid_from) FROM STDIN') as copy:
            for person_id, (_fields, groups) in zip(ids, precomputed):
                for group in groups:
                    copy.write_row([person_id, group, since])


def empty_people_tables() -> None:
    from django.db import connection

    from kynangso.people.models import Person, TargetGroupMembership

    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TargetGroupMembership._meta.db_table}")
        cursor.execute(f"DELETE FROM {Person._meta.db_table}")
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:  # dead rows of the previous step must not slow the next one
            cursor.execute(f"VACUUM ANALYZE {TargetGroupMembership._meta.db_table}, {Person._meta.db_table}")


# --- the run ------------------------------------------------------------------------------------------------------


def run(*, rows: int, workdir: Path, out=sys.stdout, profile: Path | None = None) -> Results:
    """Every step on the database Django is configured for; the people tables must start empty."""
    from django.db import connection

    from kynangso.accounts import api as accounts
    from kynangso.people.models import Person
    from kynangso.people.roster import import_roster

    if Person.objects.exists():
        raise RuntimeError("the people tables must be empty")
    results = Results(rows=rows, database=f"{connection.vendor} {connection.settings_dict['NAME']}")

    def say(text: str) -> None:
        print(text, file=out, flush=True)

    def report(step: Step) -> None:
        say(f"  {step.label:<52} {step.seconds:8.2f} s  {step.rows_per_second:10,.0f} dòng/s")

    units = make_unit_tree()
    say(f"Dữ liệu: {rows:,} người, cơ sở dữ liệu {results.database}")
    with _Clock() as clock:
        data = generate_roster(rows, units)
        xlsx, csv_path = workdir / "danh-sach.xlsx", workdir / "danh-sach.csv"
        write_roster_xlsx(xlsx, data)
        write_roster_csv(csv_path, data)
    say(
        f"  tạo tệp XLSX ({xlsx.stat().st_size / 2**20:.1f} MiB) và CSV ({csv_path.stat().st_size / 2**20:.1f} MiB)"
        f" trong {clock.seconds:.1f} s"
    )
    precomputed = _precomputed(data)
    memberships = sum(len(groups) for _fields, groups in precomputed)
    del data

    with _Clock() as clock:
        bulk_create_people(precomputed)
    report(results.add("bulk_create", "chèn thẳng bằng bulk_create (giá trị tính sẵn)", rows, clock.seconds))
    empty_people_tables()
    if connection.vendor == "postgresql":
        with _Clock() as clock:
            copy_people(precomputed)
        report(results.add("copy", "chèn thẳng bằng COPY của PostgreSQL", rows, clock.seconds))
        empty_people_tables()
    del precomputed

    with _Clock() as clock:
        checked = import_roster(csv_path, actor=accounts.SYSTEM, apply=False)
    report(results.add("dry_run_csv", "kiểm tra tệp CSV, bảng trống (apply=False)", rows, clock.seconds))
    with _Clock() as clock:
        checked = import_roster(xlsx, actor=accounts.SYSTEM, apply=False)
    report(results.add("dry_run", "kiểm tra tệp XLSX, bảng trống (apply=False)", rows, clock.seconds))
    _expect(checked.created == rows and not checked.errors and not Person.objects.exists(), checked)

    profiler = cProfile.Profile() if profile else None
    with _Clock() as clock:
        if profiler:
            profiler.enable()
        imported = import_roster(xlsx, actor=accounts.SYSTEM, apply=True)
        if profiler:
            profiler.disable()
    report(results.add("import", "nhập tệp XLSX (apply=True)", rows, clock.seconds))
    _expect(imported.created == rows and imported.applied and Person.objects.count() == rows, imported)

    with _Clock() as clock:
        again = import_roster(xlsx, actor=accounts.SYSTEM, apply=True)
    report(results.add("reimport", "nhập lại cùng tệp (không ghi gì)", rows, clock.seconds))
    _expect(again.unchanged == rows and again.created == again.updated == 0, again)

    results.peak_rss_mib = _peak_rss_mib()
    say(f"  {memberships:,} lượt thuộc nhóm đối tượng; bộ nhớ đỉnh của tiến trình {results.peak_rss_mib:,.0f} MiB")
    say(
        f"Nhập thật chậm hơn bulk_create {results.ratio:.2f} lần"
        + (
            f", chậm hơn COPY {results.steps['copy'].rows_per_second / results.steps['import'].rows_per_second:.2f} lần"
            if "copy" in results.steps
            else ""
        )
        + "."
    )
    if profiler:
        profiler.dump_stats(profile)
        stats = pstats.Stats(str(profile), stream=out)
        stats.sort_stats("cumulative").print_stats(30)
        stats.sort_stats("tottime").print_stats(20)
    return results


def _expect(condition: bool, report) -> None:
    if not condition:
        raise RuntimeError(f"unexpected import result: {report.as_dict() | {'preview': '…'}}")


def main(argv: list[str] | None = None) -> Results:
    parser = argparse.ArgumentParser(description="Đo tốc độ nhập danh sách người so với chèn thẳng vào bảng.")
    parser.add_argument("--rows", type=int, default=100_000, help="số người trong tệp (mặc định 100000)")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL,
        help="máy chủ PostgreSQL (cơ sở dữ liệu riêng kynangso_bench được tạo trên đó) hoặc sqlite://",
    )
    parser.add_argument("--keep-database", action="store_true", help="giữ lại cơ sở dữ liệu đo sau khi chạy")
    parser.add_argument("--profile", type=Path, help="ghi hồ sơ cProfile của bước nhập vào tệp này và in tóm tắt")
    parser.add_argument("--workdir", type=Path, help="thư mục để tệp sinh ra (mặc định: thư mục tạm)")
    options = parser.parse_args(argv)
    if not 1 <= options.rows <= MAX_ROWS:
        parser.error(f"--rows phải từ 1 đến {MAX_ROWS}")

    if is_postgresql(options.database_url):
        url, drop = use_database(options.database_url, BENCH_DATABASE, keep=options.keep_database)
    else:
        url, drop = use_sqlite()
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kynangso.settings")
    os.environ.setdefault("KYNANGSO_DATA_DIR", tempfile.mkdtemp(prefix="kynangso-bench-data-"))
    import django
    from django.core.management import call_command

    django.setup()
    try:
        call_command("migrate", verbosity=0)
        workdir = options.workdir or Path(tempfile.mkdtemp(prefix="kynangso-bench-files-"))
        workdir.mkdir(parents=True, exist_ok=True)
        print(f"Máy: {os.cpu_count()} lõi, Python {sys.version.split()[0]}, {datetime.date.today():%d/%m/%Y}")
        return run(rows=options.rows, workdir=workdir, profile=options.profile)
    finally:
        drop()


if __name__ == "__main__":
    main()
