"""Certificate benchmark: offline verification against raw Ed25519, and batch issuing of many passed attempts.

Run from the repository root: `.venv/bin/python -m benchmarks.credentials` (or `benchmarks/run`). With a PostgreSQL
DATABASE_URL (default: the local server) it works in its own database `kynangso_cred_bench`, created and dropped here.

Side by side in one run:
- verification: the same library's raw Ed25519 `verify` of a 64-byte message (what eddsa-jcs-2022 signs) against
  `offline.verify_credential_offline` of a real signed OpenBadgeCredential (JCS twice, SHA-256 twice, multibase,
  the same `verify`, the validity checks), in alternating rounds so both see the same machine load;
- issuing: N passed attempts (people and attempts generated set-based in SQL) through `issuing.issue_missing`, the
  code the `issue-credentials` command and the demo run; then every certificate is counted, indexes checked
  distinct, and a sample verified.
"""

import argparse
import datetime
import os
import random
import sys
import tempfile
import time
from dataclasses import dataclass, field

from benchmarks._support import is_postgresql, use_database, use_sqlite

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/postgres"
BENCH_DATABASE = "kynangso_cred_bench"
STANDARD_CODE = "BENCH-CHUAN"
VERIFY_GOAL = 0.5


@dataclass
class Results:
    raw_per_second: float = 0.0
    offline_per_second: float = 0.0
    issued: int = 0
    issue_seconds: float = 0.0
    lines: list[str] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return self.offline_per_second / self.raw_per_second if self.raw_per_second else 0.0

    @property
    def issued_per_second(self) -> float:
        return self.issued / self.issue_seconds if self.issue_seconds else 0.0


def sample_credential(key) -> dict:
    """A signed certificate shaped like the ones we issue (three competences), without touching the database."""
    import uuid

    from django.utils import timezone

    from kynangso.credentials import issuer, issuing
    from kynangso.credentials.achievements import AchievementInfo, Alignment
    from kynangso.credentials.data_integrity import add_proof

    achievement = AchievementInfo(
        kind="standard",
        code="CHUAN-NGUOI-DAN",
        name="Chuẩn kỹ năng số cơ bản cho người dân",
        description="Người dân sử dụng được các dịch vụ số thiết yếu an toàn.",
        criteria="Đạt bài sát hạch chuẩn «Chuẩn kỹ năng số cơ bản cho người dân» với điểm tối thiểu 60%.",
        alignments=[
            Alignment("TT02-2025", "1.1", "Duyệt, tìm kiếm và lọc dữ liệu, thông tin và nội dung số"),
            Alignment("TT02-2025", "4.2", "Bảo vệ dữ liệu cá nhân và quyền riêng tư"),
            Alignment("TT02-2025", "6.2", "Sử dụng trí tuệ nhân tạo"),
        ],
    )
    now = timezone.now()
    document = issuing.build_credential(
        public_id=uuid.uuid4(),
        achievement=achievement,
        holder_name="Lê Thị Hoa",
        achieved_at=now,
        issued_at=now,
        status_index=4242,
    )
    return add_proof(document, private_key=key.private_key, verification_method=issuer.verification_method(key.key_id))


def measure_verification(*, count: int, rounds: int, say) -> tuple[float, float]:
    """(raw Ed25519 verifications/s, offline certificate verifications/s), best round of each."""
    from kynangso.credentials import keys, offline

    key = keys.active_signing_key()
    credential = sample_credential(key)
    public_keys = {key.key_id: key.public_key}
    message = os.urandom(64)
    signature = key.private_key.sign(message)
    public_key = key.public_key
    assert offline.verify_credential_offline(credential, public_keys=public_keys).verified
    raw_best = offline_best = 0.0
    for _round in range(rounds):
        started = time.perf_counter()
        for _ in range(count):
            public_key.verify(signature, message)
        raw_best = max(raw_best, count / (time.perf_counter() - started))
        started = time.perf_counter()
        for _ in range(count):
            offline.verify_credential_offline(credential, public_keys=public_keys)
        offline_best = max(offline_best, count / (time.perf_counter() - started))
    say(f"Ed25519 thuần (cryptography):      {raw_best:10,.0f} lần kiểm tra/giây")
    say(
        f"Trình kiểm tra ngoại tuyến:        {offline_best:10,.0f} chứng nhận/giây "
        f"({offline_best / raw_best:.2f} so với Ed25519 thuần; mục tiêu ≥ {VERIFY_GOAL})"
    )
    return raw_best, offline_best


def generate_passed_attempts(count: int) -> None:
    """`count` people, each in the resident group with one passing attempt, written by INSERT … SELECT (SQLite and
    PostgreSQL)."""
    from django.conf import settings
    from django.db import connection
    from django.utils import timezone

    from kynangso.accounts import api as accounts
    from kynangso.assessment import api as assessment
    from kynangso.frameworks import api as frameworks
    from kynangso.orgs import api as orgs
    from kynangso.people import api as people
    from kynangso.people.models import TargetGroupMembership  # benchmark data is written in bulk, as SQL

    frameworks.load_framework_file(settings.CONTENT_DIR / "frameworks" / "tt02-2025.yaml")
    standard = assessment.save_standard(
        {
            "code": STANDARD_CODE,
            "name": "Chuẩn kỹ năng số cơ bản (đo tải)",
            "target_group": "resident",
            "framework": "TT02-2025",
            "time_limit_minutes": 30,
            "pass_percent": 60,
            "max_attempts_per_year": 3,
            "wait_hours": 24,
            "blueprint": [{"competence": c, "level": 1, "items": 2} for c in ("1.1", "4.2", "6.2")],
        },
        actor=accounts.SYSTEM,
    )
    province = orgs.unit_by_code("BENCH") or orgs.create_unit(code="BENCH", name="Tỉnh Đo tải", kind="province")
    commune = orgs.unit_by_code("BENCH-X1") or orgs.create_unit(
        code="BENCH-X1", name="Xã Đo tải", kind="commune", parent=province
    )
    person_table = people.Person._meta.db_table
    attempt_table = assessment.Attempt._meta.db_table
    membership_table = TargetGroupMembership._meta.db_table
    now = timezone.now()
    start = people.Person.objects.count()
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH RECURSIVE seq(n) AS (SELECT CAST(%s AS INTEGER) UNION ALL SELECT n + 1 FROM seq WHERE n < %s) "
            f"INSERT INTO {person_table} (full_name, search_name, birth_date, sex, national_id_ciphertext, "
            f"national_id_digest, national_id_last_digits, phone, residence_unit_id, created_at, updated_at) "
            f"SELECT 'Người Đo Tải ' || n, 'nguoi do tai ' || n, %s, 'female', 'x', 'bench-' || n, '000', '', %s, "
            f"%s, %s FROM seq",
            [start + 1, start + count, datetime.date(1980, 1, 1), commune.pk, now, now],
        )
        cursor.execute(  # in the standard's target group on the day they sat it, as the exam start requires
            f'INSERT INTO {membership_table} (person_id, "group", valid_from, valid_to) '
            f"SELECT p.id, 'resident', %s, NULL FROM {person_table} p WHERE p.national_id_digest LIKE 'bench-%%' "
            f"AND NOT EXISTS (SELECT 1 FROM {membership_table} m WHERE m.person_id = p.id)",
            [datetime.date(2020, 1, 1)],
        )
        cursor.execute(
            f"INSERT INTO {attempt_table} (person_id, standard_id, number, status, mode, started_at, deadline, "
            f"submitted_at, auto_submitted, score_percent, passed, profile) "
            f"SELECT p.id, %s, 1, 'submitted', 'fixed', %s, %s, %s, %s, 80.0, %s, '{{}}' FROM {person_table} p "
            f"WHERE p.national_id_digest LIKE 'bench-%%'",
            [standard.pk, now - datetime.timedelta(minutes=30), now, now, False, True],
        )


def run(
    *, attempts: int, verifications: int = 3000, rounds: int = 5, batch_size: int = 1000, out=sys.stdout
) -> Results:
    from kynangso.credentials import issuing, keys, verification
    from kynangso.credentials.models import Credential

    results = Results()

    def say(text: str) -> None:
        results.lines.append(text)
        print(text, file=out, flush=True)

    try:
        keys.active_signing_key()
    except Exception:  # noqa: BLE001  (no key yet: a throwaway one for this run)
        keys.generate_key("key-bench")
    say(f"— Kiểm tra chứng nhận: {rounds} vòng xen kẽ × {verifications:,} lần mỗi bên")
    results.raw_per_second, results.offline_per_second = measure_verification(
        count=verifications, rounds=rounds, say=say
    )
    say(f"— Cấp chứng nhận hàng loạt: {attempts:,} lượt thi đạt chuẩn")
    started = time.perf_counter()
    generate_passed_attempts(attempts)
    say(f"Sinh dữ liệu (3 câu lệnh INSERT … SELECT): {time.perf_counter() - started:.1f} giây")
    before = Credential.objects.count()
    started = time.perf_counter()
    results.issued = issuing.issue_missing(batch_size=batch_size)
    results.issue_seconds = time.perf_counter() - started
    say(
        f"Đã cấp {results.issued:,} chứng nhận trong {results.issue_seconds:.1f} giây: "
        f"{results.issued_per_second:,.0f} chứng nhận/giây (ký eddsa-jcs-2022, lô {batch_size})"
    )
    stored = Credential.objects.count() - before
    distinct_indexes = Credential.objects.values("status_index").distinct().count()
    sample = random.Random(5).sample(list(Credential.objects.values_list("pk", flat=True)), min(50, stored))
    bad = sum(
        not verification.verify_stored(credential).is_valid
        for credential in Credential.objects.filter(pk__in=sample).select_related("person")
    )
    again = issuing.issue_missing(batch_size=batch_size)
    say(
        f"Kiểm tra: {stored:,} chứng nhận mới, {distinct_indexes:,} vị trí trạng thái khác nhau, "
        f"{len(sample) - bad}/{len(sample)} mẫu hợp lệ, chạy lại cấp thêm {again}"
    )
    if stored != attempts or distinct_indexes != Credential.objects.count() or bad or again:
        raise SystemExit("KẾT QUẢ: LỖI (thiếu, trùng hoặc sai chứng nhận)")
    return results


def main(argv: list[str] | None = None) -> Results:
    parser = argparse.ArgumentParser(description="Đo tốc độ kiểm tra và cấp chứng nhận.")
    parser.add_argument(
        "--attempts", type=int, default=100_000, help="số lượt thi đạt chuẩn cần cấp chứng nhận (mặc định 100000)"
    )
    parser.add_argument("--verifications", type=int, default=3000, help="số lần kiểm tra mỗi vòng (mặc định 3000)")
    parser.add_argument("--rounds", type=int, default=5, help="số vòng xen kẽ (mặc định 5)")
    parser.add_argument("--batch-size", type=int, default=1000, help="số chứng nhận mỗi giao dịch (mặc định 1000)")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL,
        help=f"máy chủ PostgreSQL (cơ sở dữ liệu riêng {BENCH_DATABASE} được tạo trên đó) hoặc sqlite://",
    )
    parser.add_argument("--keep-database", action="store_true", help="giữ lại cơ sở dữ liệu đo sau khi chạy")
    # `benchmarks/run` passes every benchmark the same arguments; the other benchmarks' options are ignored here.
    options, _others = parser.parse_known_args(argv)
    if options.attempts < 1:
        parser.error("--attempts phải ít nhất là 1")

    if is_postgresql(options.database_url):
        url, drop = use_database(options.database_url, BENCH_DATABASE, keep=options.keep_database)
    else:
        url, drop = use_sqlite()
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kynangso.settings")
    os.environ.setdefault("KYNANGSO_DATA_DIR", tempfile.mkdtemp(prefix="kynangso-bench-data-"))
    os.environ["KYNANGSO_CREDENTIAL_KEYS_DIR"] = tempfile.mkdtemp(prefix="kynangso-bench-keys-")
    for variable in ("KYNANGSO_CREDENTIAL_KEY", "KYNANGSO_CREDENTIAL_ACTIVE_KEY"):
        os.environ.pop(variable, None)
    import django
    from django.core.management import call_command

    django.setup()
    try:
        call_command("migrate", verbosity=0)
        engine = "PostgreSQL" if url.startswith("postgres") else "SQLite"
        print(f"Máy: {os.cpu_count()} lõi, Python {sys.version.split()[0]}, {engine}, {datetime.date.today():%d/%m/%Y}")
        return run(
            attempts=options.attempts,
            verifications=options.verifications,
            rounds=options.rounds,
            batch_size=options.batch_size,
        )
    finally:
        drop()


if __name__ == "__main__":
    main()
