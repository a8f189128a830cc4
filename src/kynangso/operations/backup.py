"""Backups that restore: the database (PostgreSQL `pg_dump` custom format, or SQLite's online backup), the uploaded
media and the key material (the data key that encrypts national IDs, the secret key, the certificate signing keys),
in one file encrypted with a passphrase (ADR 0032, docs/deployment.md).

File format `.knsbak`, version 1: the magic `KNSBAK1\\n`, a 16-byte scrypt salt, the scrypt cost (log2 N, r, p as
three bytes), an 8-byte nonce prefix; then chunks of at most 1 MiB, each a 4-byte big-endian length and an AES-256-GCM
ciphertext whose nonce is the prefix and the chunk's index, and whose associated data is the header, the index and a
final-chunk flag, so a reordered, truncated or altered file is refused, never restored in part. Inside: a tar archive
with `manifest.json`, `database.dump` or `database.sqlite3`, `media/…` and `keys/…`.
"""

import datetime
import io
import json
import os
import shutil
import sqlite3
import struct
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from django.conf import settings
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

from kynangso.errors import DomainError

MAGIC = b"KNSBAK1\n"
CHUNK = 1024 * 1024
SCRYPT_LOG2_N, SCRYPT_R, SCRYPT_P = 15, 8, 1
MIN_PASSPHRASE = 16
FORMAT_VERSION = 1
_HEADER_LENGTH = len(MAGIC) + 16 + 3 + 8


class BackupError(DomainError):
    """A backup or restore that cannot go on; nothing was changed."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    engine: str
    bytes: int
    media_files: int
    includes_keys: bool
    removed: tuple[Path, ...] = ()


@dataclass(frozen=True)
class RestoreResult:
    engine: str
    created_at: str
    media_files: int
    keys_installed: tuple[str, ...]


# ------------------------------------------------------------------------------------------------ encryption


def _key(passphrase: str, salt: bytes, log2_n: int, r: int, p: int) -> bytes:
    return Scrypt(salt=salt, length=32, n=2**log2_n, r=r, p=p).derive(passphrase.encode("utf-8"))


def _check_passphrase(passphrase: str) -> None:
    if len(passphrase or "") < MIN_PASSPHRASE:
        raise BackupError(
            _("Cụm mật khẩu sao lưu phải dài ít nhất %(n)d ký tự.") % {"n": MIN_PASSPHRASE}, code="weak_passphrase"
        )


def encrypt_file(source: Path, destination: Path, passphrase: str) -> None:
    """Encrypt `source` into `destination` (written to a temporary name, renamed when complete)."""
    _check_passphrase(passphrase)
    salt, prefix = os.urandom(16), os.urandom(8)
    header = MAGIC + salt + bytes([SCRYPT_LOG2_N, SCRYPT_R, SCRYPT_P]) + prefix
    aead = AESGCM(_key(passphrase, salt, SCRYPT_LOG2_N, SCRYPT_R, SCRYPT_P))
    partial = destination.with_name(destination.name + ".partial")
    size = source.stat().st_size
    with source.open("rb") as plain, partial.open("wb") as out:
        os.fchmod(out.fileno(), 0o600)
        out.write(header)
        index, done = 0, 0
        while True:
            block = plain.read(CHUNK)
            done += len(block)
            final = done >= size
            sealed = aead.encrypt(
                prefix + struct.pack(">I", index), block, header + struct.pack(">QB", index, int(final))
            )
            out.write(struct.pack(">I", len(sealed)) + sealed)
            index += 1
            if final:
                break
        out.flush()
        os.fsync(out.fileno())
    os.replace(partial, destination)


def decrypt_file(source: Path, destination: Path, passphrase: str) -> None:
    """Decrypt a `.knsbak` file; a wrong passphrase or any change to the file is refused with a clear message."""
    with source.open("rb") as encrypted, destination.open("wb") as out:
        header = encrypted.read(_HEADER_LENGTH)
        if len(header) != _HEADER_LENGTH or not header.startswith(MAGIC):
            raise BackupError(_("Tệp này không phải bản sao lưu Kỹ Năng Số."), code="not_a_backup")
        salt = header[len(MAGIC) : len(MAGIC) + 16]
        log2_n, r, p = header[len(MAGIC) + 16 : len(MAGIC) + 19]
        prefix = header[-8:]
        if not (10 <= log2_n <= 22 and 1 <= r <= 32 and 1 <= p <= 16):
            raise BackupError(_("Tệp sao lưu bị hỏng (tham số khóa không hợp lệ)."), code="damaged_backup")
        aead = AESGCM(_key(passphrase or "", salt, log2_n, r, p))
        index, final = 0, False
        while True:
            length_bytes = encrypted.read(4)
            if not length_bytes:
                break
            if final or len(length_bytes) != 4:
                raise BackupError(_("Tệp sao lưu bị hỏng hoặc bị sửa."), code="damaged_backup")
            (length,) = struct.unpack(">I", length_bytes)
            sealed = encrypted.read(length)
            if len(sealed) != length or length > CHUNK + 16:
                raise BackupError(_("Tệp sao lưu bị cắt cụt."), code="damaged_backup")
            nonce = prefix + struct.pack(">I", index)
            for flag in (0, 1):
                try:
                    out.write(aead.decrypt(nonce, sealed, header + struct.pack(">QB", index, flag)))
                    final = bool(flag)
                    break
                except InvalidTag:
                    continue
            else:
                if index == 0:
                    raise BackupError(_("Sai cụm mật khẩu, hoặc tệp sao lưu đã bị sửa."), code="wrong_passphrase")
                raise BackupError(
                    _("Tệp sao lưu bị hỏng hoặc bị sửa (khối %(n)d).") % {"n": index + 1}, code="damaged_backup"
                )
            index += 1
        if not final:
            raise BackupError(_("Tệp sao lưu bị cắt cụt: thiếu phần cuối."), code="damaged_backup")


# ------------------------------------------------------------------------------------------------ backup


def _engine() -> str:
    return "postgresql" if connections["default"].vendor == "postgresql" else "sqlite"


def _pg_environment() -> dict[str, str]:
    """libpq variables for pg_dump/pg_restore from Django's database settings (the password never on argv)."""
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        value = db.get(key)
        if value:
            env[variable] = str(value)
    env["PGDATABASE"] = connections["default"].settings_dict["NAME"]
    return env


def _run(command: list[str], env: dict[str, str] | None = None) -> None:
    try:
        completed = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise BackupError(
            _("Không tìm thấy chương trình %(program)s (cài gói postgresql-client).") % {"program": command[0]},
            code="missing_program",
        ) from None
    if completed.returncode != 0:
        # stderr of pg_dump/pg_restore names objects, never row data
        raise BackupError(
            _("%(program)s báo lỗi: %(error)s") % {"program": command[0], "error": completed.stderr.strip()[-500:]},
            code="tool_failed",
        )


def _dump_database(folder: Path) -> str:
    if _engine() == "postgresql":
        target = folder / "database.dump"
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={target}"], _pg_environment())
        return target.name
    target = folder / "database.sqlite3"
    connection = connections["default"]
    connection.ensure_connection()
    destination = sqlite3.connect(target)
    try:
        connection.connection.backup(destination)  # the online backup API: a consistent copy while the site runs
    finally:
        destination.close()
    return target.name


def _applied_migrations() -> dict[str, str]:
    """The newest applied migration of each app: restore compares it with the code it runs under."""
    latest: dict[str, str] = {}
    for app, name in (
        MigrationRecorder(connections["default"]).migration_qs.order_by("app", "name").values_list("app", "name")
    ):
        latest[app] = name
    return latest


def _key_material() -> dict[str, str]:
    from kynangso.credentials import api as credentials

    material = {"KYNANGSO_DATA_KEY": settings.DATA_KEY, "KYNANGSO_SECRET_KEY": settings.SECRET_KEY}
    for key_id, text in credentials.signing_key_files().items():
        material[f"credential-keys/{key_id}.pem"] = text
    return material


def create_backup(
    *,
    folder: Path,
    passphrase: str,
    include_keys: bool = True,
    keep: int | None = None,
    now: datetime.datetime | None = None,
) -> BackupResult:
    """Write `kynangso-<engine>-<YYYYmmdd-HHMMSS>.knsbak` into `folder`; with `keep`, remove all but the newest
    `keep` backups there afterwards (only after the new one is complete)."""
    _check_passphrase(passphrase)
    if keep is not None and keep < 1:
        raise BackupError(_("Số bản sao lưu giữ lại phải từ 1 trở lên."), code="invalid")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    now = now or timezone.now()
    engine = _engine()
    name = f"kynangso-{engine}-{timezone.localtime(now):%Y%m%d-%H%M%S}.knsbak"
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="kns-backup-") as work:  # mode 0700; removed even on failure
        work = Path(work)
        database_file = _dump_database(work)
        manifest = {
            "format": FORMAT_VERSION,
            "engine": engine,
            "created_at": now.isoformat(),
            "database": database_file,
            "migrations": _applied_migrations(),
            "includes_keys": include_keys,
        }
        archive = work / "backup.tar"
        media_files = 0
        with tarfile.open(archive, "w") as tar:
            _add_bytes(tar, "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1).encode())
            tar.add(work / database_file, arcname=database_file)
            if media_root.is_dir():
                for path in sorted(media_root.rglob("*")):
                    if path.is_file():
                        tar.add(path, arcname=f"media/{path.relative_to(media_root).as_posix()}")
                        media_files += 1
            if include_keys:
                _add_bytes(tar, "keys/keys.json", json.dumps(_key_material()).encode())
        encrypt_file(archive, folder / name, passphrase)
    removed = _rotate(folder, keep) if keep else ()
    path = folder / name
    return BackupResult(
        path=path,
        engine=engine,
        bytes=path.stat().st_size,
        media_files=media_files,
        includes_keys=include_keys,
        removed=removed,
    )


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = len(data), 0o600, int(timezone.now().timestamp())
    tar.addfile(info, io.BytesIO(data))


def _rotate(folder: Path, keep: int) -> tuple[Path, ...]:
    backups = sorted(folder.glob("kynangso-*.knsbak"), key=lambda p: p.name)
    old = backups[:-keep]
    for path in old:
        path.unlink()
    return tuple(old)


# ------------------------------------------------------------------------------------------------ restore


def _database_is_empty() -> bool:
    return not connections["default"].introspection.table_names()


def restore_backup(
    *, source: Path, passphrase: str, install_keys: bool = False, keys_export: Path | None = None
) -> RestoreResult:
    """Restore a backup into the configured database, which must be empty (a new database: nothing is ever merged
    into or written over existing data). The backup's data key must be the one this site runs with, or, outside
    production, be installed with `install_keys` (written to the data folder for the next start); `keys_export`
    only writes the backup's keys to a private file for the operator and restores nothing."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(_("Không có tệp sao lưu %(path)s.") % {"path": source}, code="not_found")
    with tempfile.TemporaryDirectory(prefix="kns-restore-") as work:
        work = Path(work)
        archive = work / "backup.tar"
        decrypt_file(source, archive, passphrase)
        unpacked = work / "unpacked"
        with tarfile.open(archive) as tar:
            tar.extractall(unpacked, filter="data")  # no absolute paths, links out of the folder or devices
        manifest = json.loads((unpacked / "manifest.json").read_text())
        if manifest.get("format") != FORMAT_VERSION:
            raise BackupError(
                _("Phiên bản tệp sao lưu %(v)s không được hỗ trợ.") % {"v": manifest.get("format")}, code="unsupported"
            )
        keys = json.loads((unpacked / "keys" / "keys.json").read_text()) if manifest.get("includes_keys") else {}
        if keys_export is not None:
            _export_keys(keys, Path(keys_export))
            return RestoreResult(
                engine=manifest["engine"], created_at=manifest["created_at"], media_files=0, keys_installed=()
            )
        if manifest["engine"] != _engine():
            raise BackupError(
                _(
                    "Bản sao lưu này của %(backup)s, còn hệ thống đang dùng %(current)s: hãy khôi phục "
                    "vào cùng loại cơ sở dữ liệu."
                )
                % {"backup": manifest["engine"], "current": _engine()},
                code="engine_mismatch",
            )
        if not _database_is_empty():
            raise BackupError(
                _("Cơ sở dữ liệu đích đã có dữ liệu. Chỉ khôi phục vào một cơ sở dữ liệu mới, trống."), code="not_empty"
            )
        _install_signing_keys(keys, check_only=True)
        installed = _check_or_install_keys(keys, install=install_keys)
        _restore_database(unpacked / manifest["database"])
        media_files = _restore_media(unpacked / "media")
        _install_signing_keys(keys)
    return RestoreResult(
        engine=manifest["engine"], created_at=manifest["created_at"], media_files=media_files, keys_installed=installed
    )


def _export_keys(keys: dict[str, str], path: Path) -> None:
    if not keys:
        raise BackupError(_("Bản sao lưu này không chứa khóa."), code="no_keys")
    if path.exists():
        raise BackupError(_("Tệp %(path)s đã có; chọn tên khác.") % {"path": path}, code="exists")
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as out:
        json.dump(keys, out, indent=1)


def _check_or_install_keys(keys: dict[str, str], *, install: bool) -> tuple[str, ...]:
    """The backup's national IDs are readable only with its data key: a different key on this site stops the
    restore before anything is written, unless it is installed (outside production, into the data folder)."""
    data_key = keys.get("KYNANGSO_DATA_KEY")
    if not data_key or data_key == settings.DATA_KEY:
        return ()
    if not install or settings.PRODUCTION or os.environ.get("KYNANGSO_DATA_KEY"):
        raise BackupError(
            _(
                "Khóa dữ liệu của hệ thống này khác khóa trong bản sao lưu, nên số định danh sẽ không "
                "đọc được. Đặt KYNANGSO_DATA_KEY bằng khóa của bản sao lưu (lấy ra bằng "
                "--export-keys) rồi chạy lại."
            ),
            code="key_mismatch",
        )
    installed = []
    for variable in ("KYNANGSO_DATA_KEY", "KYNANGSO_SECRET_KEY"):
        if keys.get(variable):
            path = Path(settings.DATA_DIR) / f"{variable.lower()}.txt"
            path.write_text(keys[variable])
            path.chmod(0o600)
            installed.append(variable)
    return tuple(installed)


def _restore_database(dump: Path) -> None:
    if _engine() == "postgresql":
        connections["default"].close()
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                f"--dbname={connections['default'].settings_dict['NAME']}",
                str(dump),
            ],
            _pg_environment(),
        )
        return
    connection = connections["default"]
    connection.ensure_connection()
    backup = sqlite3.connect(dump)
    try:
        backup.backup(connection.connection)  # page by page into the open (empty) database, in one step
    finally:
        backup.close()
    connection.close()


def _restore_media(folder: Path) -> int:
    if not folder.is_dir():
        return 0
    media_root = Path(settings.MEDIA_ROOT)
    count = 0
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            target = media_root / path.relative_to(folder)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
            count += 1
    return count


def _install_signing_keys(keys: dict[str, str], *, check_only: bool = False) -> None:
    from django.core.exceptions import ImproperlyConfigured

    from kynangso.credentials import api as credentials

    for name, text in keys.items():
        if name.startswith("credential-keys/"):
            try:
                credentials.install_signing_key_file(key_id=Path(name).stem, text=text, check_only=check_only)
            except ImproperlyConfigured as exc:
                raise BackupError(str(exc), code="key_conflict") from None
