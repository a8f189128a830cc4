"""Background jobs of the people app: checking and applying an uploaded roster."""
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model

from kynangso.jobs import api as jobs
from kynangso.people.roster import import_roster, write_error_report

UPLOAD_DIR = "imports"


def save_upload(uploaded_file) -> Path:
    """Keep an uploaded roster under the media folder with an unguessable name; returns its path."""
    suffix = Path(uploaded_file.name).suffix.lower()
    folder = Path(settings.MEDIA_ROOT) / UPLOAD_DIR
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{uuid.uuid4().hex}{suffix}"
    with path.open("wb") as target:
        for chunk in uploaded_file.chunks():
            target.write(chunk)
    return path


def roster_import_job(context: jobs.JobContext, *, upload_path: str, actor_id: int | None, apply: bool) -> dict:
    actor = get_user_model().objects.get(pk=actor_id) if actor_id else None
    report = import_roster(Path(upload_path), actor=actor, apply=apply, progress=context.progress)
    result = report.as_dict()
    result["errors"] = result["errors"][:500]
    result["error_count"] = len(report.errors)
    result["upload_path"] = upload_path
    if report.errors:
        error_path = Path(upload_path).with_name(Path(upload_path).stem + "-loi.xlsx")
        write_error_report(Path(upload_path), report.errors, error_path)
        result["error_file"] = str(error_path)
    return result


def start_roster_import(*, upload_path: Path, actor, apply: bool) -> jobs.Job:
    from django.utils.translation import gettext as _

    label = _("Nhập danh sách người") if apply else _("Kiểm tra danh sách người")
    return jobs.enqueue(
        roster_import_job, kind="people.roster", label=label, created_by=actor,
        upload_path=str(upload_path), actor_id=actor.pk if actor else None, apply=apply,
    )
