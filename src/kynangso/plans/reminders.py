"""Reminders of the plans app: due and overdue occurrences and the annual report, each sent once (ReminderLog) by
e-mail or in the application."""

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from kynangso.plans import selectors
from kynangso.plans.models import CLOSED_STATUSES, Occurrence, Plan, ReminderChannel, ReminderKind, ReminderLog


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
    days = datetime.timedelta(days=selectors.reminder_days_before())
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
