"""An operator backs up the demo province, loses the machine, and restores on a new one into an empty database:
the same people (national IDs still readable), attempts, certificates (still verifying) and indicator values."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from kynangso.operations import backup
from tests.conftest import database_is_postgresql

ROOT = Path(__file__).resolve().parents[2]
PASSPHRASE = "một cụm mật khẩu đủ dài cho sao lưu"


def run(env: dict, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    completed = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if check and completed.returncode != 0:
        raise AssertionError(f"{args} failed:\n{completed.stdout}\n{completed.stderr}")
    return completed


def site_env(data_dir: Path, database_url: str | None) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("KYNANGSO_", "DJANGO_", "PYTEST_")) and key not in ("DATABASE_URL", "REDIS_URL")
    }
    env.update(
        {
            "KYNANGSO_DATA_DIR": str(data_dir),
            "KYNANGSO_BACKUP_PASSPHRASE": PASSPHRASE,
            "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        }
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def fingerprint(env: dict) -> dict:
    return json.loads(run(env, "-m", "tests.operations.fingerprint").stdout)


@pytest.fixture
def databases():
    """Two fresh databases: the old machine's and the new machine's (None on SQLite: each data folder has its own)."""
    if not database_is_postgresql():
        yield None, None
        return
    import psycopg

    base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    names = [f"kns_backup_{uuid.uuid4().hex[:8]}_{side}" for side in ("old", "new")]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        for name in names:
            admin.execute(f'CREATE DATABASE "{name}"')
    yield tuple(f"{base}/{name}" for name in names)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_the_demo_backed_up_restores_whole_on_a_new_machine(tmp_path, databases):
    old_url, new_url = databases
    old = site_env(tmp_path / "old-machine", old_url)
    new = site_env(tmp_path / "new-machine", new_url)
    run(old, "-m", "kynangso", "demo", "--no-serve")
    before = fingerprint(old)
    assert before["people"] and before["attempts"] and before["certificates"] and before["indicator_values"]
    assert before["certificates_verifying"] == before["certificates"]

    made = run(old, "-m", "kynangso", "backup", str(tmp_path / "backups"))
    assert "Đã sao lưu vào" in made.stdout
    [archive] = (tmp_path / "backups").glob("kynangso-*.knsbak")
    assert b"Nguy" not in archive.read_bytes() and b"INSERT" not in archive.read_bytes()  # nothing readable inside

    refused = run(new, "-m", "kynangso", "restore", str(archive), check=False)
    assert refused.returncode != 0 and "Khóa dữ liệu của hệ thống này khác khóa trong bản sao lưu" in refused.stderr

    restored = run(new, "-m", "kynangso", "restore", str(archive), "--install-keys")
    assert "Đã khôi phục bản sao lưu" in restored.stdout
    assert fingerprint(new) == before

    again = run(new, "-m", "kynangso", "restore", str(archive), check=False)
    assert again.returncode != 0 and "đã có dữ liệu" in again.stderr


def test_a_wrong_passphrase_or_an_altered_file_restores_nothing(tmp_path):
    plain = tmp_path / "plain.tar"
    plain.write_bytes(os.urandom(3 * backup.CHUNK + 100))
    sealed = tmp_path / "sealed.knsbak"
    backup.encrypt_file(plain, sealed, PASSPHRASE)

    out = tmp_path / "out"
    backup.decrypt_file(sealed, out, PASSPHRASE)
    assert out.read_bytes() == plain.read_bytes()

    with pytest.raises(backup.BackupError, match="Sai cụm mật khẩu"):
        backup.decrypt_file(sealed, out, "một cụm mật khẩu khác hẳn")

    data = bytearray(sealed.read_bytes())
    data[len(data) // 2] ^= 1
    (tmp_path / "altered.knsbak").write_bytes(bytes(data))
    with pytest.raises(backup.BackupError, match="bị hỏng hoặc bị sửa"):
        backup.decrypt_file(tmp_path / "altered.knsbak", out, PASSPHRASE)

    last_chunk = 4 + 100 + 16  # length, the last 100 bytes, the tag
    (tmp_path / "cut.knsbak").write_bytes(sealed.read_bytes()[:-last_chunk])
    with pytest.raises(backup.BackupError, match="cắt cụt"):
        backup.decrypt_file(tmp_path / "cut.knsbak", out, PASSPHRASE)


def test_a_short_passphrase_is_refused_before_anything_is_written(tmp_path):
    with pytest.raises(backup.BackupError, match="ít nhất 16 ký tự"):
        backup.encrypt_file(tmp_path / "none", tmp_path / "x.knsbak", "ngắn")
    assert not (tmp_path / "x.knsbak").exists()


@pytest.mark.django_db(transaction=True)  # SQLite's online backup waits for an open write transaction to end
def test_old_backups_beyond_the_kept_number_are_removed_only_after_the_new_one_is_written(tmp_path, settings):
    import datetime

    from django.utils import timezone

    folder = tmp_path / "backups"
    start = timezone.now()
    written = [
        backup.create_backup(folder=folder, passphrase=PASSPHRASE, keep=2, now=start + datetime.timedelta(days=day))
        for day in range(3)
    ]
    assert sorted(p.name for p in folder.glob("*.knsbak")) == sorted(r.path.name for r in written[1:])
    assert written[2].removed == (written[0].path,)
