"""Reminders go to the people who report for the lead unit, in the app and by e-mail, each exactly once."""

import datetime

from django.core import mail

from kynangso.accounts.models import Role
from kynangso.plans import reminders, selectors
from kynangso.plans.models import ReminderLog
from tests.factories import make_user
from tests.plans.helpers import make_plan, make_task

D = datetime.date


def reporter(unit, username="bao_cao_xa_a"):
    user = make_user(username, Role.UNIT_ADMIN, unit)
    user.email = f"{username}@xaanbinh.gov.vn"
    user.save()
    return user


def test_reminder_before_due_is_sent_once_even_if_the_job_runs_twice(province):
    user = reporter(province.a)
    make_task(lead_unit=province.a)

    reminders.send_due_reminders(today=D(2025, 3, 25))
    reminders.send_due_reminders(today=D(2025, 3, 25))

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]
    assert "III.1.a" in mail.outbox[0].subject and "31/03/2025" in mail.outbox[0].subject
    assert selectors.reminders_for(user).count() == 1


def test_no_reminder_long_before_due(province):
    reporter(province.a)
    make_task(lead_unit=province.a)

    reminders.send_due_reminders(today=D(2025, 3, 1))

    assert mail.outbox == []


def test_the_day_after_due_an_overdue_reminder_goes_out_once(province):
    reporter(province.a)
    make_task(lead_unit=province.a)
    reminders.send_due_reminders(today=D(2025, 3, 25))

    reminders.send_due_reminders(today=D(2025, 4, 1))
    reminders.send_due_reminders(today=D(2025, 4, 2))

    assert [message.subject.removeprefix("[Kỹ năng số] ") for message in mail.outbox] == [
        "Nhiệm vụ III.1.a đến hạn báo cáo ngày 31/03/2025",
        "Nhiệm vụ III.1.a đã quá hạn báo cáo (31/03/2025)",
    ]


def test_reminders_skip_users_of_other_units_and_people_above(province):
    reporter(province.b, "bao_cao_xa_b")
    make_user("admin_tinh", Role.PROVINCIAL_ADMIN, province.root)
    make_task(lead_unit=province.a)

    reminders.send_due_reminders(today=D(2025, 3, 25))

    assert mail.outbox == [] and not ReminderLog.objects.exists()


def test_annual_report_reminder_goes_once_before_15_december(province):
    user = reporter(province.a)
    plan = make_plan(annual_report_due=(12, 15))
    make_task(plan=plan, lead_unit=province.a, recurrence="yearly", ends_on=D(2030, 12, 31))

    reminders.send_due_reminders(today=D(2025, 12, 9))
    reminders.send_due_reminders(today=D(2025, 12, 10))

    subjects = sorted(message.subject for message in mail.outbox)
    assert subjects == [
        "[Kỹ năng số] Báo cáo kết quả năm 2025 hạn ngày 15/12/2025",
        "[Kỹ năng số] Nhiệm vụ III.1.a đến hạn báo cáo ngày 15/12/2025",
    ]
    assert ReminderLog.objects.filter(recipient=user, kind="annual_report", channel="in_app").count() == 1
