"""Completeness of a province's annual reports: who has submitted, who is late (dates in Asia/Ho_Chi_Minh)."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from kynangso.reports import api as reports
from kynangso.reports import selectors
from tests.reports.conftest import YEAR, fill_sections

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def submitted(unit, actor, at):
    report = fill_sections(reports.start_report(unit=unit, year=YEAR, actor=actor), actor)
    return reports.submit_report(report=report, actor=actor, now=at)


def rows_by_code(province, today):
    return {row.unit.code: row for row in reports.completeness(province=province.root, year=YEAR, today=today)}


def test_the_province_expects_reports_from_communes_wards_and_departments_only(followed, province):
    assert sorted(rows_by_code(province, datetime.date(YEAR, 12, 1))) == ["S01", "X001", "X002"]


def test_a_report_sent_late_on_15_december_in_vietnam_is_on_time(followed, province, commune_admin):
    submitted(province.a, commune_admin, datetime.datetime(YEAR, 12, 15, 23, 30, tzinfo=VN))  # 16:30 UTC
    row = rows_by_code(province, datetime.date(YEAR, 12, 20))["X001"]
    assert row.submitted_on == datetime.date(YEAR, 12, 15)
    assert row.late is False


def test_a_report_sent_just_after_midnight_on_16_december_in_vietnam_is_late(followed, province, writer_b):
    submitted(province.b, writer_b, datetime.datetime(YEAR, 12, 16, 0, 30, tzinfo=VN))  # still 15/12 in UTC
    row = rows_by_code(province, datetime.date(YEAR, 12, 20))["X002"]
    assert row.submitted_on == datetime.date(YEAR, 12, 16)
    assert row.late is True


def test_a_unit_without_a_report_becomes_late_only_after_the_due_date(followed, province):
    assert rows_by_code(province, datetime.date(YEAR, 12, 15))["S01"].late is False
    assert rows_by_code(province, datetime.date(YEAR, 12, 16))["S01"].late is True


def test_a_returned_report_still_counts_as_submitted_on_its_first_day(
    followed, province, commune_admin, provincial_admin
):
    report = submitted(province.a, commune_admin, datetime.datetime(YEAR, 12, 10, 9, tzinfo=VN))
    reports.return_report(report=report, actor=provincial_admin, comment="Bổ sung.")
    row = rows_by_code(province, datetime.date(YEAR, 12, 20))["X001"]
    assert (row.submitted_on, row.late, row.status_label) == (datetime.date(YEAR, 12, 10), False, "Bị trả lại")


def test_a_commune_admin_sees_only_the_reports_of_their_commune(followed, province, commune_admin, writer_b):
    reports.start_report(unit=province.a, year=YEAR, actor=commune_admin)
    reports.start_report(unit=province.b, year=YEAR, actor=writer_b)
    assert [r.unit.code for r in reports.visible_reports(commune_admin)] == ["X001"]


def test_the_province_is_asked_to_decide_on_submitted_reports_of_its_children(
    followed, province, commune_admin, provincial_admin
):
    submitted(province.a, commune_admin, datetime.datetime(YEAR, 12, 1, 9, tzinfo=VN))
    assert [r.unit.code for r in selectors.awaiting_decision(provincial_admin)] == ["X001"]
    assert list(selectors.awaiting_decision(commune_admin)) == []
