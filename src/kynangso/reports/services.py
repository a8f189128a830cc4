"""Changes to annual reports: start (pre-filled), edit, refresh figures, submit, approve, return; and reminders."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kynangso.accounts import api as accounts
from kynangso.errors import DomainError
from kynangso.orgs import api as orgs
from kynangso.reports import figures, selectors
from kynangso.reports.models import (
    AnnualReport,
    ReminderKind,
    ReportAction,
    ReportEvent,
    ReportReminder,
    ReportStatus,
)

caps = accounts.capabilities

EDITABLE_FIELDS = (
    "superior_body",
    "issuing_body",
    "number_symbol",
    "place_name",
    "issued_on",
    "title",
    "general_assessment",
    "results_narrative",
    "shortcomings",
    "next_year_tasks",
    "proposals",
    "recipients",
    "signer_title",
    "signer_name",
)
REMINDER_DAYS_BEFORE = 7  # «sắp đến hạn» from 8 December
OVERDUE_REMINDER_DAYS = 31  # «quá hạn» until mid-January of the next year


def _record(report, action, actor, comment=""):
    ReportEvent.objects.create(report=report, action=action, actor=actor, comment=comment)


def _require(user, capability, unit_id, message):
    if not accounts.has_capability(user, capability, unit_id):
        raise DomainError(message, code="forbidden")


def _locked(report: AnnualReport) -> AnnualReport:
    return AnnualReport.objects.select_for_update().select_related("unit").get(pk=report.pk)


def default_title(year: int) -> str:
    return f"Kết quả triển khai chuyển đổi số, phổ cập kỹ năng số năm {year}"


@transaction.atomic
def start_report(*, unit, year: int, actor, plan_id: int | None = None) -> AnnualReport:
    """The unit's report for `year`, created as a pre-filled draft if it does not exist yet."""
    _require(actor, caps.REPORTS_SUBMIT, unit.pk, _("Bạn không có quyền lập báo cáo của đơn vị này."))
    if not 2000 <= int(year) <= 2100:
        raise DomainError(_("Năm báo cáo không hợp lệ."), field="year")
    existing = AnnualReport.objects.filter(unit=unit, year=year).first()
    if existing is not None:
        return existing
    parent = unit.parent
    letterhead = orgs.letterhead_for(unit)  # the province's letterhead of the unit, or the register's «ỦY BAN…»
    report = AnnualReport(
        unit=unit,
        year=year,
        plan_id=plan_id if plan_id is not None else figures.default_plan_id(),
        superior_body=letterhead.superior_body,
        issuing_body=letterhead.agency_name,
        title=default_title(year),
        place_name=letterhead.place_name,
        signer_title="\n".join(letterhead.signer_title_lines),
        signer_name=letterhead.signer_name,
        recipients="\n".join(line for line in (f"- {parent.name};" if parent else "", "- Lưu: VT.") if line),
    )
    figures.fill(report)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:  # started at the same moment by a colleague
        return AnnualReport.objects.get(unit=unit, year=year)
    _record(report, ReportAction.CREATED, actor)
    return report


def _check_editable(report):
    if not report.is_editable:
        raise DomainError(_("Báo cáo đã gửi hoặc đã được duyệt nên không sửa được."), code="locked")


@transaction.atomic
def update_report(*, report: AnnualReport, actor, **fields) -> AnnualReport:
    """Change the header and free-text sections of a draft or returned report."""
    report = _locked(report)
    _require(actor, caps.REPORTS_SUBMIT, report.unit_id, _("Bạn không có quyền sửa báo cáo của đơn vị này."))
    _check_editable(report)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError(f"Không sửa được các mục: {', '.join(sorted(unknown))}.")
    for name, value in fields.items():
        setattr(report, name, value.strip() if isinstance(value, str) else value)
    if not report.title:
        raise DomainError(_("Cần ghi trích yếu của báo cáo."), field="title")
    if not report.issuing_body:
        raise DomainError(_("Cần ghi tên cơ quan ban hành."), field="issuing_body")
    report.save()
    _record(report, ReportAction.EDITED, actor)
    return report


@transaction.atomic
def refresh_figures(*, report: AnnualReport, actor) -> AnnualReport:
    """Take the indicators and plan tasks again as they stand now (draft or returned reports only)."""
    report = _locked(report)
    _require(actor, caps.REPORTS_SUBMIT, report.unit_id, _("Bạn không có quyền sửa báo cáo của đơn vị này."))
    _check_editable(report)
    figures.fill(report)
    report.save()
    _record(report, ReportAction.REFRESHED, actor)
    return report


@transaction.atomic
def submit_report(*, report: AnnualReport, actor, now: datetime.datetime | None = None) -> AnnualReport:
    """Send the report to the parent unit; it cannot be edited until the parent returns it."""
    report = _locked(report)
    _require(actor, caps.REPORTS_SUBMIT, report.unit_id, _("Bạn không có quyền gửi báo cáo của đơn vị này."))
    _check_editable(report)
    if not report.general_assessment.strip() and not report.results_narrative.strip():
        raise DomainError(
            _("Cần viết phần đánh giá chung hoặc kết quả nổi bật trước khi gửi."), field="general_assessment"
        )
    now = now or timezone.now()
    report.status = ReportStatus.SUBMITTED
    report.submitted_at = now
    report.first_submitted_at = report.first_submitted_at or now
    report.issued_on = report.issued_on or timezone.localtime(now).date()
    report.return_comment = ""
    report.save()
    _record(report, ReportAction.SUBMITTED, actor)
    return report


def _decide(report, actor):
    report = _locked(report)
    if report.unit.parent_id is None:
        raise DomainError(_("Báo cáo của đơn vị cấp cao nhất không có cấp trên duyệt."))
    _require(
        actor,
        caps.REPORTS_APPROVE,
        report.unit.parent_id,
        _("Chỉ đơn vị cấp trên mới được duyệt hoặc trả lại báo cáo này."),
    )
    if report.status != ReportStatus.SUBMITTED:
        raise DomainError(_("Chỉ duyệt hoặc trả lại được báo cáo đang chờ duyệt."), code="state")
    return report


@transaction.atomic
def approve_report(*, report: AnnualReport, actor) -> AnnualReport:
    """The parent unit accepts the report; it is locked from then on."""
    report = _decide(report, actor)
    report.status = ReportStatus.APPROVED
    report.decided_at = timezone.now()
    report.save()
    _record(report, ReportAction.APPROVED, actor)
    return report


@transaction.atomic
def return_report(*, report: AnnualReport, actor, comment: str) -> AnnualReport:
    """The parent unit sends the report back with a comment; the unit can edit and submit it again."""
    comment = (comment or "").strip()
    if not comment:
        raise DomainError(_("Cần ghi ý kiến khi trả lại báo cáo."), field="comment")
    report = _decide(report, actor)
    report.status = ReportStatus.RETURNED
    report.decided_at = timezone.now()
    report.return_comment = comment
    report.save()
    _record(report, ReportAction.RETURNED, actor, comment)
    return report


# Reminders -------------------------------------------------------------------------------------------------------


def _reminder_text(unit, year, kind, due_on):
    due = f"{due_on:%d/%m/%Y}"
    if kind == ReminderKind.DUE_SOON:
        subject = f"[Kỹ năng số] Báo cáo năm {year} của {unit.name} hạn gửi ngày {due}"
        opening = f"Báo cáo kết quả năm {year} của {unit.name} cần gửi cấp trên chậm nhất ngày {due}."
    else:
        subject = f"[Kỹ năng số] Báo cáo năm {year} của {unit.name} đã quá hạn ({due})"
        opening = f"Đến nay {unit.name} chưa gửi báo cáo kết quả năm {year} (hạn ngày {due})."
    body = (
        f"{opening}\n\nĐề nghị lập và gửi báo cáo tại {settings.SITE_URL}/bao-cao/.\n\n"
        "Thư này được gửi tự động từ hệ thống Kỹ năng số; vui lòng không trả lời thư."
    )
    return subject, body


def _report_writers_at(unit_ids) -> dict[int, list]:
    """Active users holding REPORTS_SUBMIT through a role assigned at each unit itself.

    LOCAL HELPER, like plans.selectors.report_holders_at: accounts.api has no "who holds capability C at unit U"."""
    roles = caps.roles_with(caps.REPORTS_SUBMIT)
    pairs = list(
        get_user_model()
        .objects.filter(
            is_active=True,
            role_assignments__unit_id__in=list(unit_ids),
            role_assignments__role__in=roles,
        )
        .values_list("pk", "role_assignments__unit_id")
        .distinct()
    )
    users = get_user_model().objects.in_bulk({user_id for user_id, _unit in pairs})
    writers: dict[int, list] = {}
    for user_id, unit_id in pairs:
        writers.setdefault(unit_id, []).append(users[user_id])
    return writers


def _reminder_kind(year: int, today: datetime.date) -> str | None:
    due_on = selectors.due_date(year)
    if due_on - datetime.timedelta(days=REMINDER_DAYS_BEFORE) <= today <= due_on:
        return ReminderKind.DUE_SOON
    if due_on < today <= due_on + datetime.timedelta(days=OVERDUE_REMINDER_DAYS):
        return ReminderKind.OVERDUE
    return None


def send_report_reminders(*, today: datetime.date | None = None) -> int:
    """Remind the writers of every unit that has not submitted its annual report; safe to run any number of times.

    From 7 days before 15 December to that day a «sắp đến hạn» reminder, from the day after for 31 days a
    «quá hạn» one; each kind goes once per unit, year and person (an in-app notice, plus an e-mail through
    Django's mail backend when the person has an address). Returns how many reminders were recorded."""
    today = today or timezone.localdate()
    sent = 0
    for year in (today.year, today.year - 1):
        kind = _reminder_kind(year, today)
        if kind is None:
            continue
        due_on = selectors.due_date(year)
        for province in selectors.reporting_roots():
            missing = [
                row.unit
                for row in selectors.completeness(province=province, year=year, today=today)
                if row.report is None or row.report.first_submitted_at is None
            ]
            writers = _report_writers_at(unit.pk for unit in missing)
            for unit in missing:
                subject, body = _reminder_text(unit, year, kind, due_on)
                for user in writers.get(unit.pk, []):
                    sent += _send_once(unit=unit, year=year, kind=kind, recipient=user, subject=subject, body=body)
    return sent


def _send_once(*, unit, year, kind, recipient, subject, body) -> int:
    if ReportReminder.objects.filter(unit=unit, year=year, kind=kind, recipient=recipient).exists():
        return 0
    try:
        with transaction.atomic():
            ReportReminder.objects.create(
                unit=unit,
                year=year,
                kind=kind,
                recipient=recipient,
                subject=subject,
                body=body,
                emailed=bool(recipient.email),
            )
            if recipient.email:  # a failed e-mail rolls the notice back, so the next run tries again
                send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient.email])
    except IntegrityError:
        return 0  # another worker sent it at the same moment
    return 1
