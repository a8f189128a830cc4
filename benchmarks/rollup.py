"""Roll-up benchmark: the monitoring roll-up (`kynangso rollup`) over national-like synthetic data on PostgreSQL,
timed against the same aggregation run by DuckDB over the same rows in the same run, then the incremental update
after 10,000 new results.

Run from the repository root: `.venv/bin/python -m benchmarks.rollup --persons 10000000` (default 10 million;
e.g. `--persons 200000` for a quick run). It needs PostgreSQL (default: the local server); the data live in their
own database `kns_bench_rollup`, generated once with COPY and kept, so a second run skips the generation
(`--regenerate` starts again, `--drop-after` removes the database at the end).

What is compared: the roll-up runs through `monitoring.api.run_full_rollup`; every INSERT … SELECT it sends to
PostgreSQL (stage 1: base counts per unit, most of them from the temporary tables of one pass over people,
memberships and facts, whose CREATE TEMPORARY TABLE … AS are recorded too; stage 2: sums over the closure table)
is recorded with its parameters
(a stage-1 statement that the roll-up stages through CREATE TEMPORARY TABLE … AS, so that PostgreSQL may use
parallel workers, is recorded as the one INSERT … SELECT it amounts to, timed with its insert and drop).
The same tables are copied into DuckDB (not timed) and the very same statements, with their parameters inlined, are
run there. DuckDB is the reference for how fast this scan and aggregation can go on this machine; the ratio is
PostgreSQL time / DuckDB time for those statements (goal: ≤ 3). Both results are checked equal.

Order: the full run, then 10,000 new results and the incremental run (timed; goal under 1% of the full run), then
DuckDB. Last, the floor: three single scans (one table, or one join, and one aggregate) timed on both engines, the
least any formulation of the roll-up must do; their ratio says how far apart the two storage engines are here.
"""

import argparse
import datetime
import os
import random
import re
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/"
BENCH_DATABASE = "kns_bench_rollup"
VN = ZoneInfo("Asia/Ho_Chi_Minh")
# The roll-up is run as on the last day of 2025 (year-end periods); the new results come after it.
TODAY = datetime.date(2025, 12, 31)
FULL_AT = datetime.datetime(2025, 12, 31, 10, 0, tzinfo=VN)
NEW_RESULTS_AT = datetime.datetime(2025, 12, 31, 11, 0, tzinfo=VN)
INCREMENTAL_AT = datetime.datetime(2025, 12, 31, 14, 0, tzinfo=VN)
STANDARDS = {
    "resident": "CHUAN-NGUOI-DAN",
    "official": "CHUAN-CAN-BO",
    "leader": "CHUAN-LANH-DAO",
    "dx_specialist": "CHUAN-CHUYEN-TRACH-CDS",
    "student": "CHUAN-HOC-SINH",
}
COURSES = ("ky-nang-so-co-ban", "cds-cho-can-bo", "lanh-dao-quan-ly-cds")
CHUNK = 200_000
STAGING_TABLE = "monitoring_rollup_staging"  # monitoring.rollup stages a full run's aggregations there on PostgreSQL
# The temporary tables of the full run's one-pass stage (monitoring.rollup.wide): created and dropped in DuckDB too.
ONE_PASS_TABLES = "monitoring_rollup_periods|monitoring_rollup_cube"


# --- the database -------------------------------------------------------------------------------------------------


def _server_url(url: str) -> str:
    return url if url.endswith("/") else url.rpartition("/")[0] + "/"


def ensure_database(server: str, name: str, *, fresh: bool) -> None:
    import psycopg

    with psycopg.connect(server + "postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and fresh:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(server: str, name: str) -> None:
    import psycopg

    with psycopg.connect(server + "postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- generation with COPY -----------------------------------------------------------------------------------------


def _copy_columns(model, given: list[str]) -> list[str]:
    """`given` plus nothing else: fail early if the model has a NOT NULL column without a default we did not give."""
    names = set(given)
    for f in model._meta.concrete_fields:
        if f.column in names or f.null or f.primary_key:
            continue
        raise SystemExit(f"{model._meta.db_table}.{f.column} is NOT NULL and the generator does not fill it")
    return given


def _copy(cursor, model, columns: list[str], lines) -> int:
    """COPY tab-separated `lines` (already formatted, \\N for NULL) into the model's table, in chunks."""
    table = model._meta.db_table
    columns = _copy_columns(model, columns)
    count = 0
    quoted = ", ".join(f'"{column}"' for column in columns)
    with cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
        buffer = []
        for line in lines:
            buffer.append(line)
            if len(buffer) >= CHUNK:
                copy.write("".join(buffer))
                count += len(buffer)
                buffer = []
        if buffer:
            copy.write("".join(buffer))
            count += len(buffer)
    return count


@dataclass
class Tree:
    provinces: list[int] = field(default_factory=list)
    communes: dict[int, list[int]] = field(default_factory=dict)  # province → communes (active and merged)
    departments: dict[int, list[int]] = field(default_factory=dict)  # province → departments
    schools: dict[int, list[int]] = field(default_factory=dict)  # commune → schools


def generate_units(cursor, *, provinces: int, communes: int, rng: random.Random) -> Tree:
    """34 provinces, `communes` active communes spread over them, 5% more communes merged into a neighbour on
    1 July 2025 (their people count under the successor), 20 departments per province, two schools per commune."""
    from kynangso.orgs import api as orgs

    tree = Tree()
    rows = []
    next_id = 1

    def add(code, name, kind, parent, *, valid_to=None, successor=None, level=""):
        nonlocal next_id
        unit_id = next_id
        next_id += 1
        rows.append(
            f"{unit_id}\t{code}\t{name}\t{name.lower()}\t{kind}\t{parent or chr(92) + 'N'}\t{level}\tf\t"
            f"{valid_to or chr(92) + 'N'}\t{successor or chr(92) + 'N'}\n"
        )
        return unit_id

    per_province = [communes // provinces + (1 if i < communes % provinces else 0) for i in range(provinces)]
    for p in range(provinces):
        province = add(f"B{p + 1:02d}", f"Tinh {p + 1}", "province", None)
        tree.provinces.append(province)
        active = [add(f"B{p + 1:02d}X{c:04d}", f"Xa {p + 1}-{c}", "commune", province) for c in range(per_province[p])]
        merged = [
            add(
                f"B{p + 1:02d}M{c:04d}",
                f"Xa cu {p + 1}-{c}",
                "commune",
                province,
                valid_to="2025-06-30",
                successor=rng.choice(active),
            )
            for c in range(max(1, per_province[p] // 20))
        ]
        tree.communes[province] = active + merged
        tree.departments[province] = [
            add(f"B{p + 1:02d}S{d:02d}", f"So {p + 1}-{d}", "department", province) for d in range(20)
        ]
        for commune in active:
            tree.schools[commune] = [
                add(
                    f"B{p + 1:02d}T{commune}-{s}",
                    f"Truong {commune}-{s}",
                    "school",
                    commune,
                    level=("primary", "upper_secondary")[s],
                )
                for s in range(2)
            ]
        for commune in merged:
            tree.schools[commune] = []
    _copy(
        cursor,
        orgs.OrgUnit,
        [
            "id",
            "code",
            "name",
            "search_name",
            "kind",
            "parent_id",
            "school_level",
            "state_owned",
            "valid_to",
            "successor_id",
        ],
        rows,
    )
    cursor.execute("SELECT setval(pg_get_serial_sequence('orgs_orgunit', 'id'), %s)", [next_id])
    orgs.rebuild_closure()
    return tree


def _age_on(birth: datetime.date, day: datetime.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def generate_people(cursor, tree: Tree, *, persons: int, rng: random.Random) -> dict:
    """Persons with target groups, attempts, course completions and class attendance, all written with COPY."""
    from kynangso.assessment import api as assessment
    from kynangso.learning.models import Attendance, Course, Enrolment, TrainingClass
    from kynangso.people import api as people
    from kynangso.people.models import TargetGroupMembership

    standards = {}
    for group, code in STANDARDS.items():
        standard, _created = assessment.Standard.objects.get_or_create(
            code=code,
            defaults={
                "name": code,
                "target_group": group,
                "framework_code": "TT02-2025",
                "time_limit_minutes": 40,
                "pass_percent": 70,
            },
        )
        standards[group] = standard.pk
    courses = [Course.objects.get_or_create(code=code, defaults={"title": code})[0].pk for code in COURSES]
    classes = []
    for province in tree.provinces:
        for commune in tree.communes[province][:40]:
            classes.append(
                TrainingClass.objects.create(
                    organising_unit_id=commune,
                    title="Lop tap huan",
                    starts_on=datetime.date(2025, 3, 1),
                    ends_on=datetime.date(2025, 11, 30),
                    target_group="resident",
                ).pk
            )

    homes = [(province, commune) for province in tree.provinces for commune in tree.communes[province]]
    stamp = "2025-01-01 00:00:00+07"
    memberships, attempts, enrolments, attendances = [], [], [], []
    day0 = datetime.date(2025, 1, 1).toordinal()

    def person_lines():
        for person_id in range(1, persons + 1):
            province, commune = homes[rng.randrange(len(homes))]
            birth = datetime.date.fromordinal(rng.randrange(710_000, 737_000))  # 1944 … 2018
            age = _age_on(birth, TODAY)
            groups = ["resident"]
            workplace = None
            roll = rng.random()
            if 6 <= age <= 22 and roll < 0.8 and tree.schools[commune]:
                groups.append("student")
                workplace = rng.choice(tree.schools[commune])
            elif 22 <= age <= 60 and roll < 0.04:
                groups.append("official")
                workplace = rng.choice(tree.departments[province])
                if roll < 0.006:
                    groups.append("leader")
                if 0.006 <= roll < 0.008:
                    groups.append("dx_specialist")
            if 16 <= age <= 30 and rng.random() < 0.15:
                groups.append("youth_union")
            if 18 <= age <= 65 and rng.random() < 0.2:
                groups.append("farmer")
            for group in groups:
                memberships.append(f"{person_id}\t{group}\t2024-01-01\n")
            if rng.random() < 0.5:
                group = groups[-1] if groups[-1] in standards else "resident"
                for number in range(1, 3 if rng.random() < 0.25 else 2):
                    at = datetime.datetime.combine(
                        datetime.date.fromordinal(day0 + rng.randrange(363)),
                        datetime.time(8 + rng.randrange(10), rng.randrange(60)),
                        VN,
                    )
                    passed = rng.random() < 0.7
                    attempts.append(
                        f"{person_id}\t{standards[group]}\t{number}\tsubmitted\tfixed\t"
                        f"{(at - datetime.timedelta(minutes=30)).isoformat()}\t"
                        f"{(at + datetime.timedelta(minutes=10)).isoformat()}\t{at.isoformat()}\tf\t"
                        f"{80.0 if passed else 40.0}\t{'t' if passed else 'f'}\t{{}}\n"
                    )
            if rng.random() < 0.3:
                done = datetime.date.fromordinal(day0 + rng.randrange(360))
                enrolments.append(f"{person_id}\t{rng.choice(courses)}\t{done}\tself\t{done}\n")
            if rng.random() < 0.15:
                attendances.append(
                    f"{rng.choice(classes)}\t{person_id}\t"
                    f"{datetime.date.fromordinal(day0 + 60 + rng.randrange(270))}\tphone\t{stamp}\n"
                )
            yield (
                f"{person_id}\tNguoi {person_id}\tnguoi {person_id}\t{birth}\t{'male' if person_id % 2 else 'female'}"
                f"\tx\t{person_id:064x}\t{person_id % 1000:03d}\t\t{commune}\t{workplace or chr(92) + 'N'}\t"
                f"{stamp}\t{stamp}\n"
            )

    counts = {}
    started = time.monotonic()
    counts["persons"] = _copy(
        cursor,
        people.Person,
        [
            "id",
            "full_name",
            "search_name",
            "birth_date",
            "sex",
            "national_id_ciphertext",
            "national_id_digest",
            "national_id_last_digits",
            "phone",
            "residence_unit_id",
            "workplace_unit_id",
            "created_at",
            "updated_at",
        ],
        person_lines(),
    )
    cursor.execute("SELECT setval(pg_get_serial_sequence('people_person', 'id'), %s)", [persons + 1])
    counts["memberships"] = _copy(cursor, TargetGroupMembership, ["person_id", "group", "valid_from"], memberships)
    memberships.clear()
    counts["attempts"] = _copy(
        cursor,
        assessment.Attempt,
        [
            "person_id",
            "standard_id",
            "number",
            "status",
            "mode",
            "started_at",
            "deadline",
            "submitted_at",
            "auto_submitted",
            "score_percent",
            "passed",
            "profile",
        ],
        attempts,
    )
    attempts.clear()
    counts["completions"] = _copy(
        cursor, Enrolment, ["person_id", "course_id", "enrolled_on", "source", "completed_on"], enrolments
    )
    enrolments.clear()
    counts["attendances"] = _copy(
        cursor, Attendance, ["training_class_id", "person_id", "attended_on", "source", "recorded_at"], attendances
    )
    counts["seconds"] = time.monotonic() - started
    return counts


def generate_denominators(cursor) -> None:
    """Yearly denominators of every commune from its registered residents, scaled up as statistics would be."""
    for kind, condition in (
        ("working_age_residents", "p.birth_date > DATE '1964-12-31' AND p.birth_date <= DATE '2010-12-31'"),
        ("adults", "p.birth_date <= DATE '2007-12-31'"),
        ("youth", "p.birth_date > DATE '1994-12-31' AND p.birth_date <= DATE '2009-12-31'"),
        (
            "farmers",
            "EXISTS (SELECT 1 FROM people_targetgroupmembership m WHERE m.person_id = p.id AND m.\"group\" = 'farmer')",
        ),
        ("employees", "FALSE"),
    ):
        cursor.execute(
            f"""INSERT INTO orgs_unitdenominator (unit_id, year, kind, value, source, updated_at)
            SELECT p.residence_unit_id, 2025, %s, CAST(COUNT(*) * 1.2 AS integer), 'mô phỏng', now()
            FROM people_person p WHERE {condition} GROUP BY p.residence_unit_id""",
            [kind],
        )


def generate(*, persons: int, provinces: int, communes: int, seed: int) -> dict:
    from django.db import connection, transaction

    rng = random.Random(seed)
    with transaction.atomic(), connection.cursor() as cursor:
        tree = generate_units(cursor, provinces=provinces, communes=communes, rng=rng)
        counts = generate_people(cursor, tree, persons=persons, rng=rng)
        generate_denominators(cursor)
        cursor.execute("CREATE TABLE bench_rollup_meta (persons bigint, provinces int, communes int, seed int)")
        cursor.execute("INSERT INTO bench_rollup_meta VALUES (%s, %s, %s, %s)", [persons, provinces, communes, seed])
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return counts


def generated_size(cursor) -> tuple | None:
    cursor.execute("SELECT to_regclass('bench_rollup_meta')")
    if cursor.fetchone()[0] is None:
        return None
    cursor.execute("SELECT persons, provinces, communes, seed FROM bench_rollup_meta")
    return cursor.fetchone()


# --- the roll-up, recorded ----------------------------------------------------------------------------------------


@dataclass
class Statement:
    sql: str
    params: tuple
    seconds: float


def record_rollup_statements(run) -> tuple[float, list[Statement], object]:
    """Run `run()` and return its wall time and the aggregation statements it sent to the database."""
    from django.db import connection

    recorded: list[Statement] = []
    staged: list[Statement] = []  # a CREATE TEMPORARY TABLE … AS SELECT waiting for its INSERT … SELECT * (PostgreSQL)

    def wrapper(execute, sql, params, many, context):
        started = time.monotonic()
        result = execute(sql, params, many, context)
        seconds = time.monotonic() - started
        staging = re.match(r"\s*CREATE TEMPORARY TABLE \w+ \([^)]*\) AS (.*)", sql, re.S)
        if re.match(rf"\s*(CREATE TEMPORARY TABLE|DROP TABLE|INSERT INTO) ({ONE_PASS_TABLES})\b", sql):
            recorded.append(Statement(sql, tuple(params or ()), seconds))  # the one-pass stage (ADR 0046)
        elif recorded and re.match(rf"\s*ANALYZE ({ONE_PASS_TABLES})\s*$", sql):
            last = recorded[-1]  # PostgreSQL's own cost of the statement before (its planner needs it)
            recorded[-1] = Statement(last.sql, last.params, last.seconds + seconds)
        elif staging:
            staged.append(Statement(staging.group(1), tuple(params or ()), seconds))
        elif staged and re.match(rf"\s*INSERT INTO .* SELECT \* FROM {STAGING_TABLE}\s*$", sql, re.S):
            # The staged pair is one aggregation: recorded as the plain INSERT … SELECT that DuckDB runs.
            select = staged.pop()
            insert = sql[: sql.index(" SELECT * FROM")]
            recorded.append(Statement(f"{insert} {select.sql}", select.params, select.seconds + seconds))
        elif re.match(r"\s*INSERT INTO monitoring_(basecount|indicatorvalue)\b.*\bSELECT\b", sql, re.S):
            recorded.append(Statement(sql, tuple(params or ()), seconds))
        elif recorded and re.match(rf"\s*DROP TABLE {STAGING_TABLE}\s*$", sql):
            last = recorded[-1]
            recorded[-1] = Statement(last.sql, last.params, last.seconds + seconds)
        return result

    started = time.monotonic()
    with connection.execute_wrapper(wrapper):
        result = run()
    return time.monotonic() - started, recorded, result


# --- DuckDB over the same rows ------------------------------------------------------------------------------------

_DUCK_TYPES = {
    "integer": "INTEGER",
    "bigint": "BIGINT",
    "smallint": "SMALLINT",
    "date": "DATE",
    "timestamp with time zone": "TIMESTAMPTZ",
    "boolean": "BOOLEAN",
    "double precision": "DOUBLE",
    "real": "DOUBLE",
}


def _inline(pg_cursor, statement: Statement) -> str:
    import psycopg

    client = psycopg.ClientCursor(pg_cursor.connection)
    return client.mogrify(statement.sql, statement.params)


def copy_to_duckdb(pg_connection, duck, tables: list[str], workdir: Path) -> float:
    """Copy each table (schema and rows) from PostgreSQL into DuckDB through a CSV file; returns seconds."""
    started = time.monotonic()
    with pg_connection.cursor() as cursor:
        cursor.execute("SET TIME ZONE 'UTC'")
        for table in tables:
            cursor.execute(
                "SELECT column_name, data_type, numeric_precision, numeric_scale FROM "
                "information_schema.columns WHERE table_name = %s ORDER BY ordinal_position",
                [table],
            )
            columns = cursor.fetchall()
            definitions = []
            for name, data_type, precision, scale in columns:
                duck_type = _DUCK_TYPES.get(data_type, "VARCHAR")
                if data_type == "numeric":
                    duck_type = f"DECIMAL({min(precision or 18, 38)},{scale or 0})"
                definitions.append(f'"{name}" {duck_type}')
            duck.execute(f'DROP TABLE IF EXISTS "{table}"')
            duck.execute(f'CREATE TABLE "{table}" ({", ".join(definitions)})')
            path = workdir / f"{table}.csv"
            with open(path, "wb") as target, cursor.copy(f"COPY {table} TO STDOUT (FORMAT csv)") as copy:
                for data in copy:
                    target.write(data)
            if path.stat().st_size:
                duck.execute(
                    f"COPY \"{table}\" FROM '{path}' (FORMAT csv, DELIMITER ',', QUOTE '\"', "
                    "ESCAPE '\"', HEADER false, NULL '')"
                )
            path.unlink()
    return time.monotonic() - started


def run_in_duckdb(duck, statements: list[str]) -> float:
    duck.execute("DELETE FROM monitoring_basecount")
    duck.execute("DELETE FROM monitoring_indicatorvalue")
    started = time.monotonic()
    for sql in statements:
        duck.execute(sql)
    return time.monotonic() - started


# The floor: single scans with one aggregate, the least any roll-up must do, timed on both engines in the same run.
# Their ratio is how much faster DuckDB's column store scans these rows than PostgreSQL's row store can, whatever
# the SQL: the roll-up's own ratio is to be read against it.
FLOOR_QUERIES = {
    "người theo xã cư trú, lọc ngày sinh (1 bảng)": "SELECT residence_unit_id, COUNT(*) FROM people_person WHERE birth_date <= DATE '2007-12-31' GROUP BY 1",
    "người × nhóm đối tượng theo xã (1 phép nối)": "SELECT p.residence_unit_id, COUNT(*) FROM people_person p JOIN people_targetgroupmembership m "
    "ON m.person_id = p.id AND m.\"group\" = 'resident' GROUP BY 1",
    "lượt thi đạt: lần đầu của mỗi người (1 bảng)": "SELECT COUNT(*) FROM (SELECT person_id, MIN(submitted_at) AS first_at FROM assessment_attempt "
    "WHERE passed GROUP BY person_id) x",
}


def scan_floor(pg_cursor, duck) -> list[tuple[str, float, float]]:
    """(name, PostgreSQL seconds, DuckDB seconds) of each floor query, the better of two runs on each engine."""
    rows = []
    for name, sql in FLOOR_QUERIES.items():
        pg_times, duck_times = [], []
        for _ in range(2):
            started = time.monotonic()
            pg_cursor.execute(sql)
            pg_cursor.fetchall()
            pg_times.append(time.monotonic() - started)
            started = time.monotonic()
            duck.execute(sql).fetchall()
            duck_times.append(time.monotonic() - started)
        rows.append((name, min(pg_times), min(duck_times)))
    return rows


# --- the run ------------------------------------------------------------------------------------------------------


def add_new_results(cursor, count: int, *, persons: int, rng: random.Random) -> None:
    """`count` new submitted attempts of random people, stamped after the full roll-up."""
    from kynangso.assessment import api as assessment

    standard = assessment.Standard.objects.get(code=STANDARDS["resident"]).pk
    chosen = rng.sample(range(1, persons + 1), min(count, persons))
    lines = []
    for i, person_id in enumerate(chosen):
        at = NEW_RESULTS_AT + datetime.timedelta(seconds=i % 7200)
        lines.append(
            f"{person_id}\t{standard}\t{100 + i}\tsubmitted\tfixed\t{(at - datetime.timedelta(minutes=30)).isoformat()}"
            f"\t{(at + datetime.timedelta(minutes=10)).isoformat()}\t{at.isoformat()}\tf\t80.0\tt\t{{}}\n"
        )
    _copy(
        cursor,
        assessment.Attempt,
        [
            "person_id",
            "standard_id",
            "number",
            "status",
            "mode",
            "started_at",
            "deadline",
            "submitted_at",
            "auto_submitted",
            "score_percent",
            "passed",
            "profile",
        ],
        lines,
    )


def values_checksum(rows) -> tuple:
    rows = sorted(
        tuple(int(x) if x is not None and not isinstance(x, datetime.date) else x for x in row) for row in rows
    )
    return len(rows), hash(tuple(rows))


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description="Đo thời gian tổng hợp chỉ số trên PostgreSQL so với DuckDB.")
    parser.add_argument("--persons", type=int, default=10_000_000, help="số người (mặc định 10 triệu)")
    parser.add_argument("--provinces", type=int, default=34)
    parser.add_argument("--communes", type=int, default=3321)
    parser.add_argument("--new-results", type=int, default=10_000, help="số kết quả mới cho lần tính bổ sung")
    parser.add_argument(
        "--granularity",
        choices=["year", "month"],
        default="year",
        help="kỳ tính: cuối năm 2025 (mặc định) hoặc cuối mỗi tháng",
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL") or DEFAULT_SERVER,
        help="máy chủ PostgreSQL (cơ sở dữ liệu riêng được tạo trên đó)",
    )
    parser.add_argument("--database-name", default=BENCH_DATABASE)
    parser.add_argument("--regenerate", action="store_true", help="sinh lại dữ liệu dù đã có")
    parser.add_argument("--drop-after", action="store_true", help="xóa cơ sở dữ liệu đo khi xong")
    parser.add_argument(
        "--verify",
        choices=["auto", "yes", "no"],
        default="auto",
        help="tính lại toàn bộ sau lần bổ sung để so (auto: khi ≤ 1 triệu người)",
    )
    parser.add_argument("--seed", type=int, default=146)
    options, _unknown = parser.parse_known_args(argv)

    server = _server_url(options.database_url)
    ensure_database(server, options.database_name, fresh=options.regenerate)
    os.environ["DATABASE_URL"] = server + options.database_name
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kynangso.settings")
    os.environ.setdefault("KYNANGSO_DATA_DIR", tempfile.mkdtemp(prefix="kynangso-bench-data-"))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from kynangso.monitoring import api as monitoring
    from kynangso.monitoring.models import IndicatorValue
    from kynangso.monitoring.targets import load_indicator_catalogue

    call_command("migrate", verbosity=0)
    print(f"Máy: {os.cpu_count()} lõi, Python {sys.version.split()[0]}, {datetime.date.today():%d/%m/%Y}")
    with connection.cursor() as cursor:
        wanted = (options.persons, options.provinces, options.communes, options.seed)
        size = generated_size(cursor)
    if size is not None and tuple(size) != wanted:
        ensure_database(server, options.database_name, fresh=True)
        connection.close()
        call_command("migrate", verbosity=0)
        size = None
    results: dict = {"persons": options.persons}
    if size is None:
        counts = generate(
            persons=options.persons, provinces=options.provinces, communes=options.communes, seed=options.seed
        )
        print(
            f"Sinh dữ liệu (COPY): {counts['persons']:,} người, {counts['memberships']:,} nhóm đối tượng, "
            f"{counts['attempts']:,} lượt thi, {counts['completions']:,} khóa học hoàn thành, "
            f"{counts['attendances']:,} lượt dự lớp trong {counts['seconds']:.0f} giây"
        )
    else:
        print(f"Dữ liệu đã có trong {options.database_name}: {size[0]:,} người (bỏ qua bước sinh)")
    with connection.cursor() as cursor:
        # Undo the new results of an earlier run, so each run starts from the same rows.
        cursor.execute("DELETE FROM assessment_attempt WHERE submitted_at >= %s", [NEW_RESULTS_AT])
        cursor.execute("SELECT count(*) FROM people_person")
        persons = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM assessment_attempt")
        attempts = cursor.fetchone()[0]
    load_indicator_catalogue()

    full_seconds, statements, full = record_rollup_statements(
        lambda: monitoring.run_full_rollup(years=[2025], today=TODAY, granularity=options.granularity, now=FULL_AT)
    )
    pg_aggregation = sum(s.seconds for s in statements)
    print(
        f"Tổng hợp toàn bộ trên PostgreSQL: {full.indicators} chỉ số × {full.periods} kỳ, {full.values:,} giá trị, "
        f"{full_seconds:.1f} giây (trong đó {len(statements)} câu lệnh tổng hợp: {pg_aggregation:.1f} giây)"
    )
    results.update(
        full_seconds=full_seconds,
        pg_aggregation=pg_aggregation,
        indicators=full.indicators,
        values=full.values,
        attempts=attempts,
    )

    # The full run's values, kept for the comparison with DuckDB after the incremental run (measured right after
    # the full run, as it runs in production: not after DuckDB has filled the machine's page cache with its copy).
    pg_values = list(
        IndicatorValue.objects.values_list("indicator_id", "unit_id", "period_end", "numerator", "denominator")
    )

    rng = random.Random(options.seed + 1)
    with connection.cursor() as cursor:
        add_new_results(cursor, options.new_results, persons=persons, rng=rng)
    started = time.monotonic()
    incremental = monitoring.run_incremental_rollup(now=INCREMENTAL_AT, today=TODAY)
    incremental_seconds = time.monotonic() - started
    share = incremental_seconds / full_seconds
    print(
        f"Tính bổ sung sau {options.new_results:,} kết quả mới: {incremental.affected_people:,} người, "
        f"{incremental_seconds:.2f} giây = {share:.2%} lần tính toàn bộ (mục tiêu < 1%)"
    )
    results.update(incremental_seconds=incremental_seconds, incremental_share=share)
    verify = options.verify == "yes" or (options.verify == "auto" and persons <= 1_000_000)
    if verify:
        after_incremental = values_checksum(
            IndicatorValue.objects.values_list("indicator_id", "unit_id", "period_end", "numerator", "denominator")
        )
        monitoring.run_full_rollup(years=[2025], today=TODAY, granularity=options.granularity, now=INCREMENTAL_AT)
        after_full = values_checksum(
            IndicatorValue.objects.values_list("indicator_id", "unit_id", "period_end", "numerator", "denominator")
        )
        results["incremental_equals_full"] = after_incremental == after_full
        print(f"Kiểm tra: tính bổ sung {'bằng' if after_incremental == after_full else 'KHÁC'} tính lại toàn bộ")

    # DuckDB runs the full run's statements with their parameters (cutoff: the full run's instant), so the new
    # results copied with the rest do not count there: its values must equal the full run's.
    import duckdb

    workdir = Path(tempfile.mkdtemp(prefix="kynangso-bench-duck-"))
    duck = duckdb.connect(str(workdir / "bench.duckdb"))
    threads = os.cpu_count() or 1
    duck.execute(f"SET threads = {threads}")
    with connection.cursor() as cursor:
        inlined = [_inline(cursor.cursor, s) for s in statements]
        tables = sorted(
            {name for sql in inlined for name in re.findall(r'"?\b([a-z]+_[a-z_]+)\b"?', sql)}
            & set(connection.introspection.table_names())
        )
        copy_seconds = copy_to_duckdb(connection.connection, duck, tables, workdir)
    duck_seconds = run_in_duckdb(duck, inlined)
    duck_values = duck.execute(
        "SELECT indicator_id, unit_id, period_end, numerator, denominator FROM monitoring_indicatorvalue"
    ).fetchall()
    same = values_checksum(pg_values) == values_checksum(duck_values)
    ratio = pg_aggregation / duck_seconds if duck_seconds else float("inf")
    print(
        f"DuckDB {duckdb.__version__} ({threads} luồng), cùng {len(inlined)} câu lệnh trên cùng dữ liệu "
        f"(sao chép {copy_seconds:.0f} giây, không tính): {duck_seconds:.1f} giây; kết quả "
        f"{'trùng khớp' if same else 'KHÁC NHAU'}"
    )
    print(f"Tỷ lệ PostgreSQL / DuckDB: {ratio:.2f}× (mục tiêu ≤ 3×)")
    results.update(duck_seconds=duck_seconds, ratio=ratio, same=same)
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('work_mem', %s, false)", [settings.ROLLUP_WORK_MEM])
        floor = scan_floor(cursor, duck)
        cursor.execute("RESET work_mem")
    for name, pg_floor, duck_floor in floor:
        print(
            f"  sàn (quét đơn giản) {name}: PostgreSQL {pg_floor:.2f} giây, DuckDB {duck_floor:.2f} giây, "
            f"tỷ lệ {pg_floor / duck_floor if duck_floor else float('inf'):.1f}×"
        )
    results["floor"] = floor
    pg_floor_sum = sum(pg_floor for _name, pg_floor, _duck_floor in floor)
    results["floor_ratio"] = full_seconds / pg_floor_sum if pg_floor_sum else float("inf")
    print(
        f"Tổng hợp toàn bộ / tổng ba câu sàn trên PostgreSQL ({pg_floor_sum:.2f} giây): "
        f"{results['floor_ratio']:.1f}× (mục tiêu ≤ 2×)"
    )
    duck.close()

    ok = same and results.get("incremental_equals_full", True)
    print(f"KẾT QUẢ: {'ĐÚNG' if ok else 'SAI'}; tỷ lệ {ratio:.2f}×, bổ sung {share:.2%}")
    if options.drop_after:
        connection.close()
        drop_database(server, options.database_name)
    if not ok:
        raise SystemExit(1)
    return results


if __name__ == "__main__":
    main()
