"""`kynangso send-report-reminders`: before and after 15 December, once per unit, kind and person."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command

from kynangso.reports import api as reports
from kynangso.reports.models import ReportReminder
from tests.reports.conftest import YEAR, fill_sections

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_email(commune_admin, writer_b):
    commune_admin.email = "xa.a@example.gov.vn"
    commune_admin.save()
    return commune_admin


def remind(day):
    call_command("send-report-reminders", "--date", day.isoformat())


def test_units_without_a_report_are_reminded_once_however_often_the_command_runs(followed, province, with_email):
    remind(datetime.date(YEAR, 12, 9))
    remind(datetime.date(YEAR, 12, 9))
    remind(datetime.date(YEAR, 12, 12))

    sent = sorted((r.unit.code, r.recipient.username, r.kind) for r in ReportReminder.objects.all())
    assert sent == [("X001", "admin_xa_a", "due_soon"), ("X002", "admin_xa_b", "due_soon")]
    assert [message.to for message in mail.outbox] == [["xa.a@example.gov.vn"]]
    assert "15/12/2026" in mail.outbox[0].subject


def test_a_unit_that_has_submitted_is_not_reminded(followed, province, commune_admin):
    report = fill_sections(reports.start_report(unit=province.a, year=YEAR, actor=commune_admin), commune_admin)
    reports.submit_report(report=report, actor=commune_admin)
    remind(datetime.date(YEAR, 12, 10))
    assert not ReportReminder.objects.filter(unit=province.a).exists()


def test_after_the_due_date_an_overdue_reminder_follows_the_earlier_one(followed, province, with_email):
    remind(datetime.date(YEAR, 12, 10))
    remind(datetime.date(YEAR, 12, 16))
    remind(datetime.date(YEAR, 12, 17))
    kinds = list(ReportReminder.objects.filter(unit=province.a).order_by("id").values_list("kind", flat=True))
    assert kinds == ["due_soon", "overdue"]
    assert len(mail.outbox) == 2


def test_last_years_missing_report_is_still_chased_in_january(followed, province, commune_admin):
    remind(datetime.date(YEAR + 1, 1, 5))
    assert list(ReportReminder.objects.filter(unit=province.a).values_list("year", "kind")) == [(YEAR, "overdue")]


def test_nobody_is_reminded_outside_the_reminder_windows(followed, province, commune_admin):
    remind(datetime.date(YEAR, 11, 30))
    remind(datetime.date(YEAR + 1, 2, 1))
    assert not ReportReminder.objects.exists()
