"""`kynangso send-plan-reminders`: the daily job; running it again the same day sends nothing new."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from kynangso.plans.models import ReminderLog


@pytest.fixture
def reporter_with_email(campaign):
    campaign.lead_user.email = "so.noivu@tinh.gov.vn"
    campaign.lead_user.save()
    return campaign


def test_reminders_command_sends_each_reminder_once_however_often_it_runs(reporter_with_email, capsys):
    day = f"{reporter_with_email.year}-03-27"

    call_command("send-plan-reminders", "--date", day)
    call_command("send-plan-reminders", "--date", day)

    assert [message.to for message in mail.outbox] == [["so.noivu@tinh.gov.vn"]]
    assert "III.1.a" in mail.outbox[0].subject
    assert ReminderLog.objects.filter(kind="before_due", channel="in_app").count() == 1
    output = capsys.readouterr().out
    assert "đã gửi nhắc việc cho 1 lượt người nhận" in output
    assert "đã gửi nhắc việc cho 0 lượt người nhận" in output


def test_the_day_after_the_due_date_the_overdue_reminder_goes_out(reporter_with_email):
    call_command("send-plan-reminders", "--date", f"{reporter_with_email.year}-04-01")

    assert "quá hạn" in mail.outbox[0].subject


def test_reminders_command_refuses_a_bad_date(db):
    with pytest.raises(CommandError, match="Ngày không hợp lệ"):
        call_command("send-plan-reminders", "--date", "31/03/2025")
