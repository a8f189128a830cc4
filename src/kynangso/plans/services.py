"""State changes of the plans app: plans and tasks, progress reports, contributions, evidence, recognition, reminders."""

import datetime
import logging
import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kynangso.accounts import api as accounts
from kynangso.errors import DomainError
from kynangso.plans import selectors
from kynangso.plans.models import (
    CLOSED_STATUSES,
    Contribution,
    Evidence,
    Occurrence,
    OccurrenceStatus,
    OutputCount,
    OutputKind,
    Plan,
    PlanLegalBasis,
    PlanObjective,
    Recognition,
    RecognitionKind,
    Recurrence,
    ReminderChannel,
    ReminderKind,
    ReminderLog,
    Responsibility,
    Task,
    TaskGroup,
)
from kynangso.plans.recurrence import sync_occurrences
from kynangso.text import normalize_text

logger = logging.getLogger(__name__)

PLAN_FIELDS = (
    "number_symbol",
    "title",
    "issuing_body",
    "issued_on",
    "issued_year",
    "period_start",
    "period_end",
    "owner_unit",
    "owner_unit_label",
    "purpose",
    "funding",
    "annual_report_due_month",
    "annual_report_due_day",
)
TASK_FIELDS = (
    "group",
    "title",
    "description",
    "order",
    "lead_unit",
    "lead_unit_label",
    "cooperating_label",
    "recurrence",
    "schedule_label",
    "starts_on",
    "ends_on",
    "due_offset_days",
    "expected_outputs",
)
SCHEDULE_FIELDS = ("recurrence", "starts_on", "ends_on", "due_offset_days")


def reminder_days_before() -> int:
    """How many days before a due date the first reminder goes out (setting PLANS_REMINDER_DAYS_BEFORE, default 7)."""
    return int(getattr(settings, "PLANS_REMINDER_DAYS_BEFORE", 7))


def _text(value) -> str:
    return normalize_text(value) if value is not None else ""


def _check_period(start, end, message):
    if start is None or end is None or end < start:
        raise DomainError(message)


# Plans and their parts -------------------------------------------------------------------------------------------


@transaction.atomic
def create_plan(
    *,
    key: str,
    title: str,
    issuing_body: str,
    issued_year: int,
    period_start: datetime.date,
    period_end: datetime.date,
    number_symbol: str = "",
    issued_on: datetime.date | None = None,
    owner_unit=None,
    owner_unit_label: str = "",
    purpose: str = "",
    funding: str = "",
    annual_report_due: tuple[int, int] | None = None,
    legal_bases=(),
) -> Plan:
    plan = Plan(key=key)
    _fill_plan(
        plan,
        title=title,
        issuing_body=issuing_body,
        issued_year=issued_year,
        period_start=period_start,
        period_end=period_end,
        number_symbol=number_symbol,
        issued_on=issued_on,
        owner_unit=owner_unit,
        owner_unit_label=owner_unit_label,
        purpose=purpose,
        funding=funding,
        annual_report_due=annual_report_due,
    )
    plan.save()
    _set_legal_bases(plan, legal_bases)
    return plan


@transaction.atomic
def update_plan(*, plan: Plan, legal_bases=(), annual_report_due=None, **fields) -> Plan:
    _fill_plan(plan, annual_report_due=annual_report_due, **fields)
    plan.save()
    _set_legal_bases(plan, legal_bases)
    for task in plan.tasks.all():
        sync_occurrences(task=task)  # an annual report date change moves the due dates of yearly tasks
    return plan


def _fill_plan(plan, *, annual_report_due, **fields):
    _check_period(fields["period_start"], fields["period_end"], "Thời gian thực hiện kế hoạch không hợp lệ.")
    number = _text(fields.get("number_symbol"))
    if number and Plan.objects.filter(number_symbol=number).exclude(pk=plan.pk).exists():
        raise DomainError(f"Đã có kế hoạch số {number}.", field="number_symbol")
    fields["number_symbol"] = number
    for name in ("title", "issuing_body", "owner_unit_label"):
        fields[name] = _text(fields.get(name))
    for name, value in fields.items():
        setattr(plan, name, value)
    plan.annual_report_due_month, plan.annual_report_due_day = annual_report_due or (None, None)
    if annual_report_due:
        try:
            datetime.date(2024, *annual_report_due)  # a leap year accepts 29/02
        except (TypeError, ValueError):
            raise DomainError(_("Ngày hạn báo cáo năm không hợp lệ."), field="annual_report_due") from None


def _set_legal_bases(plan, legal_bases):
    plan.legal_bases.all().delete()
    PlanLegalBasis.objects.bulk_create(
        PlanLegalBasis(plan=plan, order=index, text=_text(text)) for index, text in enumerate(legal_bases, start=1)
    )


def save_objective(
    *, plan: Plan, code: str, text: str, target_year: int | None = None, indicator_code: str = "", order: int = 0
) -> PlanObjective:
    """Create the objective `code` of `plan`, or update it."""
    objective, _created = PlanObjective.objects.update_or_create(
        plan=plan,
        code=_text(code),
        defaults={
            "text": _text(text),
            "target_year": target_year,
            "indicator_code": _text(indicator_code),
            "order": order,
        },
    )
    return objective


def save_task_group(*, plan: Plan, code: str, title: str, order: int = 0) -> TaskGroup:
    """Create the task group `code` of `plan`, or update it."""
    group, _created = TaskGroup.objects.update_or_create(
        plan=plan,
        code=_text(code),
        defaults={"title": _text(title), "order": order},
    )
    return group


def save_responsibility(
    *, plan: Plan, code: str, unit_label: str, text: str, unit=None, order: int = 0
) -> Responsibility:
    """Create the responsibility `code` (section IV) of `plan`, or update it."""
    responsibility, _created = Responsibility.objects.update_or_create(
        plan=plan,
        code=_text(code),
        defaults={"unit_label": _text(unit_label), "unit": unit, "text": text.strip(), "order": order},
    )
    return responsibility


def _validate_task(*, lead_unit_label, recurrence, starts_on, ends_on, code):
    if not _text(lead_unit_label):
        raise DomainError(f"Nhiệm vụ {code}: thiếu đơn vị chủ trì.", field="lead_unit_label")
    if recurrence not in Recurrence.values:
        raise DomainError(f"Nhiệm vụ {code}: chu kỳ không hợp lệ.", field="recurrence")
    _check_period(starts_on, ends_on, f"Nhiệm vụ {code}: thời gian thực hiện không hợp lệ.")


@transaction.atomic
def add_task(
    *,
    group: TaskGroup,
    code: str,
    title: str,
    lead_unit_label: str,
    recurrence: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    description: str = "",
    lead_unit=None,
    cooperating_units=(),
    cooperating_label: str = "",
    schedule_label: str = "",
    due_offset_days: int = 0,
    expected_outputs: str = "",
    order: int = 0,
    today: datetime.date | None = None,
) -> Task:
    """Add a task to a group and create its occurrences."""
    code = _text(code)
    _validate_task(
        lead_unit_label=lead_unit_label, recurrence=recurrence, starts_on=starts_on, ends_on=ends_on, code=code
    )
    if Task.objects.filter(plan_id=group.plan_id, code=code).exists():
        raise DomainError(f"Kế hoạch đã có nhiệm vụ {code}.", field="code")
    task = Task.objects.create(
        plan_id=group.plan_id,
        group=group,
        code=code,
        title=_text(title),
        description=description.strip(),
        lead_unit=lead_unit,
        lead_unit_label=_text(lead_unit_label),
        cooperating_label=_text(cooperating_label),
        recurrence=recurrence,
        schedule_label=_text(schedule_label),
        starts_on=starts_on,
        ends_on=ends_on,
        due_offset_days=due_offset_days,
        expected_outputs=expected_outputs.strip(),
        order=order,
    )
    task.cooperating_units.set(cooperating_units)
    sync_occurrences(task=task, today=today)
    return task


@transaction.atomic
def update_task(*, task: Task, cooperating_units=None, today: datetime.date | None = None, **fields) -> Task:
    """Change a task; a schedule change adds the missing periods and drops unreported future ones."""
    unknown = set(fields) - set(TASK_FIELDS)
    if unknown:
        raise TypeError(f"update_task() got unexpected fields {sorted(unknown)}")
    for name, value in fields.items():
        if name in {"title", "lead_unit_label", "cooperating_label", "schedule_label"}:
            value = _text(value)
        elif name in {"description", "expected_outputs"}:
            value = value.strip()
        setattr(task, name, value)
    _validate_task(
        lead_unit_label=task.lead_unit_label,
        recurrence=task.recurrence,
        starts_on=task.starts_on,
        ends_on=task.ends_on,
        code=task.code,
    )
    if task.group.plan_id != task.plan_id:
        raise DomainError(f"Nhiệm vụ {task.code}: nhóm nhiệm vụ thuộc kế hoạch khác.", field="group")
    task.save()
    if cooperating_units is not None:
        task.cooperating_units.set(cooperating_units)
    sync_occurrences(task=task, today=today)
    return task


def task_has_reports(task: Task) -> bool:
    return (
        task.occurrences.filter(reported_at__isnull=False).exists()
        or task.occurrences.exclude(status=OccurrenceStatus.NOT_STARTED).exists()
    )


@transaction.atomic
def remove_task(*, task: Task) -> None:
    """Delete a task that nobody reported on yet; reported work is history and is kept."""
    if task_has_reports(task):
        raise DomainError(f"Nhiệm vụ {task.code} đã có báo cáo, không thể xóa khỏi kế hoạch.")
    task.delete()


# Reporting -------------------------------------------------------------------------------------------------------


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
    return selectors.may_report_on_task(user, task)


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
    if not _text(decision_number):
        raise DomainError(_("Cần nhập số quyết định."), field="decision_number")
    if not reason.strip():
        raise DomainError(_("Cần nhập thành tích được biểu dương, khen thưởng."), field="reason")
    return Recognition.objects.create(
        plan=plan,
        recipient_unit=recipient_unit,
        recipient_person=recipient_person,
        kind=kind,
        decision_number=_text(decision_number),
        decided_on=decided_on,
        reason=reason.strip(),
        recorded_by=user,
    )


# Reminders -------------------------------------------------------------------------------------------------------


def _occurrence_message(occurrence: Occurrence, kind: str) -> tuple[str, str]:
    task = occurrence.task
    due = f"{occurrence.due_on:%d/%m/%Y}"
    period = f"{occurrence.period_start:%d/%m/%Y} – {occurrence.period_end:%d/%m/%Y}"
    plan_name = task.plan.number_symbol or task.plan.title
    if kind == ReminderKind.BEFORE_DUE:
        subject = f"[Kỹ năng số] Nhiệm vụ {task.code} đến hạn báo cáo ngày {due}"
        opening = f"Nhiệm vụ {task.code} sắp đến hạn báo cáo (hạn: {due})."
    else:
        subject = f"[Kỹ năng số] Nhiệm vụ {task.code} đã quá hạn báo cáo ({due})"
        opening = f"Nhiệm vụ {task.code} đã quá hạn báo cáo ngày {due} mà chưa có báo cáo hoàn thành."
    body = (
        f"Kính gửi {task.lead_unit_label},\n\n{opening}\n\n"
        f"Kế hoạch: {plan_name}\nNhiệm vụ: {task.title}\nKỳ thực hiện: {period}\n"
        f"Kết quả cần đạt: {task.expected_outputs or '—'}\n\n"
        f"Đề nghị cập nhật tình hình thực hiện tại {settings.SITE_URL}/.\n\n"
        "Thư này được gửi tự động từ hệ thống Kỹ năng số; vui lòng không trả lời thư."
    )
    return subject, body


def _annual_message(plan: Plan, year: int, due_on: datetime.date) -> tuple[str, str]:
    plan_name = plan.number_symbol or plan.title
    subject = f"[Kỹ năng số] Báo cáo kết quả năm {year} hạn ngày {due_on:%d/%m/%Y}"
    body = (
        f"Đề nghị đơn vị tổng hợp, đánh giá, báo cáo kết quả triển khai Kế hoạch {plan_name} năm {year} "
        f"và gửi {plan.owner_unit_label or 'cơ quan thường trực'} chậm nhất vào ngày {due_on:%d/%m/%Y}.\n\n"
        f"Cập nhật báo cáo tại {settings.SITE_URL}/.\n\n"
        "Thư này được gửi tự động từ hệ thống Kỹ năng số; vui lòng không trả lời thư."
    )
    return subject, body


def _send_once(*, recipient, subject, body, today, **target) -> bool:
    """Record one reminder per channel and e-mail it; False when it was already sent. A failed e-mail rolls its
    record back, so the next run tries again."""
    sent = False
    channels = [ReminderChannel.IN_APP] + ([ReminderChannel.EMAIL] if recipient.email else [])
    for channel in channels:
        if ReminderLog.objects.filter(channel=channel, recipient=recipient, **target).exists():
            continue
        try:
            with transaction.atomic():
                ReminderLog.objects.create(
                    channel=channel, recipient=recipient, subject=subject, body=body, sent_on=today, **target
                )
                if channel == ReminderChannel.EMAIL:
                    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient.email])
        except IntegrityError:
            continue  # another worker sent it at the same moment
        sent = True
    return sent


def send_due_reminders(*, today: datetime.date | None = None) -> int:
    """Send the reminders due today; safe to run any number of times a day. Returns how many people were reminded.

    - before_due: open occurrences due within the next N days (N = PLANS_REMINDER_DAYS_BEFORE, default 7);
    - after_due: open occurrences whose due date passed at most N days ago (from the day after the due date);
    - annual_report: from N days before each plan's annual report date (15 December) to that date, to every
      unit leading a task of the plan that is running that year.
    Recipients are the users holding PLANS_REPORT by a role assigned at the lead unit itself.
    """
    today = today or timezone.localdate()
    days = datetime.timedelta(days=reminder_days_before())
    windows = {
        ReminderKind.BEFORE_DUE: (today, today + days),
        ReminderKind.AFTER_DUE: (today - days, today - datetime.timedelta(days=1)),
    }
    reminded = 0
    for kind, (first, last) in windows.items():
        occurrences = list(
            Occurrence.objects.filter(due_on__range=(first, last), task__lead_unit__isnull=False)
            .exclude(status__in=CLOSED_STATUSES)
            .select_related("task__plan")
        )
        holders = selectors.report_holders_at({occurrence.task.lead_unit_id for occurrence in occurrences})
        for occurrence in occurrences:
            subject, body = _occurrence_message(occurrence, kind)
            for user in holders.get(occurrence.task.lead_unit_id or 0, []):  # filtered: never None
                reminded += _send_once(
                    recipient=user,
                    subject=subject,
                    body=body,
                    today=today,
                    kind=kind,
                    plan=occurrence.task.plan,
                    occurrence=occurrence,
                )
    for plan in Plan.objects.filter(
        annual_report_due_month__isnull=False, period_start__year__lte=today.year, period_end__year__gte=today.year
    ):
        due_on = selectors.annual_report_date(plan, today.year)
        if due_on is None or not due_on - days <= today <= due_on:
            continue
        lead_ids = set(
            plan.tasks.filter(
                lead_unit__isnull=False, starts_on__year__lte=today.year, ends_on__year__gte=today.year
            ).values_list("lead_unit_id", flat=True)
        )
        subject, body = _annual_message(plan, today.year, due_on)
        recipients = {user.pk: user for users in selectors.report_holders_at(lead_ids).values() for user in users}
        for user in recipients.values():
            reminded += _send_once(
                recipient=user,
                subject=subject,
                body=body,
                today=today,
                kind=ReminderKind.ANNUAL_REPORT,
                plan=plan,
                occurrence=None,
                report_year=today.year,
            )
    return reminded
