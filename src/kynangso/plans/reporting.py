"""Reporting on a plan's work: progress of an occurrence, contributions of cooperating units, evidence files (checked
by their first bytes), submitting a report or a contribution, and recognition."""

import datetime
import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kynangso.accounts import api as accounts
from kynangso.errors import DomainError
from kynangso.plans import visibility
from kynangso.plans.models import (
    Contribution,
    Evidence,
    Occurrence,
    OccurrenceStatus,
    OutputCount,
    OutputKind,
    Plan,
    Recognition,
    RecognitionKind,
)
from kynangso.plans.services import plain_text


def _clean_outputs(outputs) -> dict[str, int]:
    cleaned = {}
    for kind, count in (outputs or {}).items():
        if kind not in OutputKind.values:
            raise DomainError(f"Loại kết quả '{kind}' không hợp lệ.", field="outputs")
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise DomainError(f"Số lượng '{OutputKind(kind).label}' phải là số nguyên không âm.", field="outputs")
        cleaned[kind] = count
    return cleaned


def _save_outputs(occurrence, unit, outputs):
    for kind, count in outputs.items():
        OutputCount.objects.update_or_create(occurrence=occurrence, kind=kind, unit=unit, defaults={"count": count})


def _may_report_for_task(user, task) -> bool:
    # A lead the plan names only by kind ("UBND các huyện") has no unit to scope by: the plan's managers report.
    return visibility.may_report_on_task(user, task)


@transaction.atomic
def report_occurrence(
    *,
    occurrence: Occurrence,
    user,
    status: str,
    progress: int | None = None,
    narrative: str = "",
    outputs: dict | None = None,
    cancel_reason: str = "",
) -> Occurrence:
    """Record the lead unit's report on one period of a task. Done means 100%; not doing it needs a reason."""
    occurrence = Occurrence.objects.select_for_update().select_related("task__plan").get(pk=occurrence.pk)
    task = occurrence.task
    if not _may_report_for_task(user, task):
        raise DomainError(
            f"Bạn không có quyền báo cáo nhiệm vụ {task.code} do {task.lead_unit_label} chủ trì.", code="forbidden"
        )
    if status not in OccurrenceStatus.values:
        raise DomainError(_("Tình trạng thực hiện không hợp lệ."), field="status")
    cancel_reason = cancel_reason.strip()
    if status == OccurrenceStatus.CANCELLED and not cancel_reason:
        raise DomainError(_("Cần ghi rõ lý do không thực hiện nhiệm vụ."), field="cancel_reason")
    if status == OccurrenceStatus.DONE:
        progress = 100
    elif progress is None:
        progress = occurrence.progress
    if isinstance(progress, bool) or not isinstance(progress, int) or not 0 <= progress <= 100:
        raise DomainError(_("Tiến độ phải là số phần trăm từ 0 đến 100."), field="progress")
    outputs = _clean_outputs(outputs)
    if outputs and task.lead_unit_id is None:
        raise DomainError(
            _("Nhiệm vụ chưa xác định được đơn vị chủ trì nên chưa ghi được số lượng kết quả."), field="outputs"
        )
    occurrence.status = status
    occurrence.progress = progress
    occurrence.cancel_reason = cancel_reason if status == OccurrenceStatus.CANCELLED else ""
    occurrence.narrative = narrative.strip()
    occurrence.reported_at = timezone.now()
    occurrence.reported_by = user
    occurrence.save()
    _save_outputs(occurrence, task.lead_unit, outputs)
    return occurrence


def _check_cooperating(user, occurrence, unit):
    task = occurrence.task
    if not task.cooperating_units.filter(pk=unit.pk).exists():
        raise DomainError(f"{unit} không phải đơn vị phối hợp của nhiệm vụ {task.code}.", field="unit")
    if not accounts.has_capability(user, accounts.capabilities.PLANS_REPORT, unit.pk):
        raise DomainError(f"Bạn không có quyền báo cáo thay cho {unit}.", code="forbidden")


@transaction.atomic
def add_contribution(
    *, occurrence: Occurrence, user, unit, narrative: str, outputs: dict | None = None
) -> Contribution:
    """A cooperating unit reports what it did for one period of a task, with its own output counts."""
    _check_cooperating(user, occurrence, unit)
    narrative = narrative.strip()
    if not narrative:
        raise DomainError(_("Cần ghi nội dung đã phối hợp thực hiện."), field="narrative")
    outputs = _clean_outputs(outputs)
    contribution = Contribution.objects.create(occurrence=occurrence, unit=unit, narrative=narrative, created_by=user)
    _save_outputs(occurrence, unit, outputs)
    return contribution


# Evidence files: what may be uploaded. The first bytes must match the extension (a renamed .exe is refused).
EVIDENCE_TYPES = {
    ".pdf": (b"%PDF-",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".pptx": (b"PK\x03\x04",),
    ".odt": (b"PK\x03\x04",),
    ".ods": (b"PK\x03\x04",),
    ".mp4": (b"ftyp",),  # at offset 4
}


def evidence_max_bytes() -> int:
    """Largest evidence file accepted (setting PLANS_EVIDENCE_MAX_BYTES, default 10 MB)."""
    return int(getattr(settings, "PLANS_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024))


def validate_evidence_file(file) -> str:
    """Check an uploaded evidence file's type and size; returns its extension. Raises DomainError in Vietnamese."""
    name = PurePath(file.name or "").name
    extension = PurePath(name).suffix.lower()
    allowed = ", ".join(sorted({ext.lstrip(".") for ext in EVIDENCE_TYPES}))
    if extension not in EVIDENCE_TYPES:
        raise DomainError(f"Tệp “{name}” không đúng loại cho phép ({allowed}).", field="file")
    if file.size > evidence_max_bytes():
        raise DomainError(f"Tệp “{name}” quá lớn: tối đa {evidence_max_bytes() // (1024 * 1024)} MB.", field="file")
    if file.size == 0:
        raise DomainError(f"Tệp “{name}” rỗng.", field="file")
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    signatures = EVIDENCE_TYPES[extension]
    matches = head[4:8] in signatures if extension == ".mp4" else head.startswith(signatures)
    if not matches:
        raise DomainError(f"Nội dung tệp “{name}” không khớp với đuôi {extension}.", field="file")
    return extension


def _check_evidence_unit(user, occurrence, unit):
    if unit.pk != occurrence.task.lead_unit_id:
        _check_cooperating(user, occurrence, unit)
    elif not accounts.has_capability(user, accounts.capabilities.PLANS_REPORT, unit.pk):
        raise DomainError(f"Bạn không có quyền báo cáo thay cho {unit}.", code="forbidden")


def add_evidence(*, occurrence: Occurrence, user, unit, file=None, url: str = "", note: str = "") -> Evidence:
    """Attach a file or a link as evidence; the lead unit and the cooperating units may add it. A file is checked
    (type, size) and stored under the data directory with a random name; only users in scope can open it."""
    _check_evidence_unit(user, occurrence, unit)
    url = url.strip()
    if not file and not url:
        raise DomainError(_("Cần tải lên tệp hoặc nhập đường dẫn minh chứng."), field="file")
    if url and not url.lower().startswith(("https://", "http://")):
        raise DomainError(_("Đường dẫn minh chứng phải bắt đầu bằng https:// hoặc http://."), field="url")
    original_name = ""
    if file:
        extension = validate_evidence_file(file)
        original_name = PurePath(file.name).name[:255]
        file.name = f"{uuid.uuid4().hex}{extension}"
    return Evidence.objects.create(
        occurrence=occurrence,
        unit=unit,
        file=file or "",
        url=url,
        note=note.strip(),
        original_name=original_name,
        created_by=user,
    )


@transaction.atomic
def submit_report(
    *,
    occurrence: Occurrence,
    user,
    status: str,
    progress: int | None = None,
    narrative: str = "",
    outputs: dict | None = None,
    cancel_reason: str = "",
    evidence_file=None,
    evidence_url: str = "",
    evidence_note: str = "",
) -> Occurrence:
    """The lead unit's report with its evidence, all or nothing (the report form and the REST endpoint)."""
    occurrence = report_occurrence(
        occurrence=occurrence,
        user=user,
        status=status,
        progress=progress,
        narrative=narrative,
        outputs=outputs,
        cancel_reason=cancel_reason,
    )
    if evidence_file or evidence_url.strip():
        if occurrence.task.lead_unit is None:
            raise DomainError(
                _("Nhiệm vụ chưa xác định được đơn vị chủ trì nên chưa gắn được minh chứng."), field="file"
            )
        try:
            add_evidence(
                occurrence=occurrence,
                user=user,
                unit=occurrence.task.lead_unit,
                file=evidence_file,
                url=evidence_url,
                note=evidence_note,
            )
        except DomainError as exc:
            if exc.field == "url":  # this service's callers name the link `evidence_url`
                exc.field = "evidence_url"
            raise
    return occurrence


@transaction.atomic
def submit_contribution(
    *,
    occurrence: Occurrence,
    user,
    unit,
    narrative: str,
    outputs: dict | None = None,
    evidence_file=None,
    evidence_url: str = "",
    evidence_note: str = "",
) -> Contribution:
    """A cooperating unit's contribution with its evidence, all or nothing."""
    contribution = add_contribution(occurrence=occurrence, user=user, unit=unit, narrative=narrative, outputs=outputs)
    if evidence_file or evidence_url.strip():
        add_evidence(
            occurrence=occurrence, user=user, unit=unit, file=evidence_file, url=evidence_url, note=evidence_note
        )
    return contribution


def record_recognition(
    *,
    user,
    kind: str,
    decision_number: str,
    decided_on: datetime.date,
    reason: str,
    recipient_unit=None,
    recipient_person=None,
    plan: Plan | None = None,
) -> Recognition:
    """Record a commendation or award decision (only plan managers)."""
    if not accounts.has_capability(user, accounts.capabilities.PLANS_MANAGE):
        raise DomainError(_("Bạn không có quyền ghi nhận biểu dương, khen thưởng."), code="forbidden")
    if kind not in RecognitionKind.values:
        raise DomainError(_("Hình thức biểu dương, khen thưởng không hợp lệ."), field="kind")
    if recipient_unit is None and recipient_person is None:
        raise DomainError(_("Cần chọn đơn vị hoặc cá nhân được biểu dương, khen thưởng."), field="recipient_unit")
    if not plain_text(decision_number):
        raise DomainError(_("Cần nhập số quyết định."), field="decision_number")
    if not reason.strip():
        raise DomainError(_("Cần nhập thành tích được biểu dương, khen thưởng."), field="reason")
    return Recognition.objects.create(
        plan=plan,
        recipient_unit=recipient_unit,
        recipient_person=recipient_person,
        kind=kind,
        decision_number=plain_text(decision_number),
        decided_on=decided_on,
        reason=reason.strip(),
        recorded_by=user,
    )
