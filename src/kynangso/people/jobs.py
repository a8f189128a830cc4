"""Background jobs of the people app: checking and applying an uploaded roster, and the files they leave.

An uploaded roster holds national IDs in clear, so it is kept encrypted (Fernet, key derived from the data key), in a
file only the server's user can read (0600), and only as long as it is needed: until the import is applied, or the
check found errors, or `UPLOAD_RETENTION_HOURS` have passed (`kynangso clean-uploads`). The error report shows masked
national IDs and is deleted once fetched, or with the same retention.
"""

import base64
import datetime
import functools
import uuid
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from kynangso.accounts import api as accounts
from kynangso.errors import DomainError
from kynangso.jobs import api as jobs
from kynangso.people.roster import import_roster
from kynangso.people.roster_template import write_error_report
from kynangso.tabular import check_upload_size, write_private_file

UPLOAD_DIR = "imports"


@functools.cache
def _fernet(data_key: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"kynangso", info=b"upload-encryption").derive(
        data_key.encode()
    )
    return Fernet(base64.urlsafe_b64encode(key))


def upload_folder() -> Path:
    return Path(settings.MEDIA_ROOT) / UPLOAD_DIR


def save_upload(uploaded_file) -> Path:
    """Keep an uploaded roster, encrypted, under the media folder with an unguessable name; returns its path (whose
    extension is the uploaded file's). Refuses a file over ``UPLOAD_MAX_BYTES``."""
    check_upload_size(uploaded_file.size)
    suffix = Path(uploaded_file.name).suffix.lower()
    data = b"".join(uploaded_file.chunks())
    check_upload_size(len(data))
    path = upload_folder() / f"{uuid.uuid4().hex}{suffix}"
    return write_private_file(path, [_fernet(settings.DATA_KEY).encrypt(data)])


def read_upload(path: Path) -> bytes:
    """The content of an upload kept by :func:`save_upload`."""
    # An upload kept before a data-key rotation still opens with the earlier key (KYNANGSO_DATA_KEYS_OLD).
    keys = [settings.DATA_KEY, *settings.DATA_KEYS_OLD]
    return MultiFernet([_fernet(key) for key in keys if key]).decrypt(Path(path).read_bytes())


def _delete(path: Path | str | None) -> None:
    if path:
        Path(path).unlink(missing_ok=True)


def roster_import_job(
    context: jobs.JobContext, *, upload_path: str, actor_id: int, apply: bool, include_hidden: bool = False
) -> dict:
    keep_upload = False
    try:
        # Always a user: a roster import runs on behalf of whoever uploaded it, never on the system's authority.
        actor = get_user_model().objects.get(pk=actor_id)
        try:
            data = read_upload(Path(upload_path))
        except (FileNotFoundError, InvalidToken):  # deleted, or left in clear by an older version
            raise DomainError(
                _(
                    "Tệp đã tải lên không còn được lưu: tệp bị xóa khi đã nhập xong hoặc sau %(hours)s "
                    "giờ. Nếu cần, hãy tải tệp lên lại."
                )
                % {"hours": settings.UPLOAD_RETENTION_HOURS}
            ) from None
        # On the web, units matched by name or by a merged unit's code are listed on the check's page and applied
        # only when the official confirms that page.
        report = import_roster(
            Path(upload_path),
            actor=actor,
            apply=apply,
            progress=context.progress,
            data=data,
            include_hidden=include_hidden,
            accept_suggestions=True,
        )
        result = report.as_dict()
        result["errors"] = result["errors"][: settings.UPLOAD_MAX_PROBLEMS]
        result["error_count"] = len(report.errors)
        result["upload_path"] = upload_path
        if report.errors:
            error_path = Path(upload_path).with_name(Path(upload_path).stem + "-loi.xlsx")
            with write_private_file(error_path, []).open("wb") as target:
                write_error_report(Path(upload_path), report.errors, target, data=data)
            result["error_file"] = str(error_path)
        # A clean check is kept for its confirmation (which reads the file again); nothing else needs the file.
        keep_upload = not apply and not report.errors
        return result
    finally:
        if not keep_upload:
            _delete(upload_path)


def start_roster_import(*, upload_path: Path, actor, apply: bool, include_hidden: bool = False) -> jobs.Job:
    if accounts.is_system(actor):
        raise TypeError("a roster import is started by a user; the system imports with import_roster directly.")
    label = _("Nhập danh sách người") if apply else _("Kiểm tra danh sách người")
    return jobs.enqueue(
        roster_import_job,
        kind="people.roster",
        label=label,
        created_by=actor,
        upload_path=str(upload_path),
        actor_id=actor.pk,
        apply=apply,
        include_hidden=include_hidden,
    )


def delete_old_uploads(*, now: datetime.datetime | None = None) -> int:
    """Delete uploads and error reports older than ``UPLOAD_RETENTION_HOURS``; the number deleted."""
    folder = upload_folder()
    if not folder.is_dir():
        return 0
    cutoff = (now or timezone.now()).timestamp() - settings.UPLOAD_RETENTION_HOURS * 3600
    deleted = 0
    for path in folder.iterdir():
        if path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            deleted += 1
    return deleted
