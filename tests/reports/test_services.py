"""The annual report workflow: start pre-filled, edit, submit, approve or return by the parent, locked, history."""

import datetime

import pytest

from kynangso.accounts.models import Role
from kynangso.errors import DomainError
from kynangso.reports import api as reports
from kynangso.reports.models import ReportAction
from tests.factories import make_user
from tests.plans.helpers import make_plan, make_task
from tests.reports.conftest import YEAR, fill_sections

pytestmark = pytest.mark.django_db


def test_a_new_report_is_prefilled_with_the_units_indicator_figures(followed, province, commune_admin):
    report = reports.start_report(unit=province.a, year=YEAR, actor=commune_admin)

    rows = {row["code"]: row for row in report.indicator_rows}
    assert report.plan_id == followed.plan.pk
    assert rows["chien-dich"]["value"] == "6"
    assert rows["chien-dich"]["target"] == "8.00"
    assert rows["chien-dich"]["gap"] == "2"
    assert rows["truong-stem"]["value"] == "40.0"
    assert rows["truong-stem"]["target_inherited_from"] == "Tỉnh Thử nghiệm"
    assert report.status == reports.ReportStatus.DRAFT
    # A commune issues as its People's Committee and signs on its behalf (NĐ 30/2020), not as «XÃ AN BÌNH».
    assert report.issuing_body == "ỦY BAN NHÂN DÂN XÃ AN BÌNH"
    assert report.superior_body == ""
    assert report.place_name == "An Bình"
    assert report.signer_title_lines == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]


def test_a_new_report_takes_the_letterhead_the_province_set_for_the_unit(followed, province, provincial_admin):
    from kynangso.orgs import api as orgs

    orgs.save_letterhead(
        unit=province.department,
        superior_body="Ủy ban nhân dân tỉnh Thử Nghiệm",
        agency_name="Sở Khoa học và Công nghệ",
        place_name="Thử Nghiệm",
        signer_title="Q. Giám đốc",
        signer_name="Phan Thị Thu",
    )
    report = reports.start_report(unit=province.department, year=YEAR, actor=provincial_admin)
    assert (report.superior_body, report.issuing_body) == (
        "ỦY BAN NHÂN DÂN TỈNH THỬ NGHIỆM",
        "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
    )
    assert (report.place_name, report.signer_title_lines, report.signer_name) == (
        "Thử Nghiệm",
        ["Q. GIÁM ĐỐC"],
        "Phan Thị Thu",
    )


def test_a_new_report_lists_the_tasks_the_unit_leads(followed, province, commune_admin):
    make_task(
        lead_unit=province.a,
        code="III.1.a",
        recurrence="quarterly",
        starts_on=datetime.date(YEAR, 1, 1),
        ends_on=datetime.date(YEAR, 12, 31),
        plan=make_plan(key="ke-hoach-nhiem-vu"),
    )

    report = reports.start_report(unit=province.a, year=YEAR, actor=commune_admin)

    assert [(row["code"], row["role"], row["due"]) for row in report.task_rows] == [("III.1.a", "lead", 4)]


def test_starting_a_report_twice_returns_the_same_report(followed, province, commune_admin):
    first = reports.start_report(unit=province.a, year=YEAR, actor=commune_admin)
    assert reports.start_report(unit=province.a, year=YEAR, actor=commune_admin).pk == first.pk


def test_commune_admin_cannot_start_the_report_of_another_commune(followed, province, commune_admin):
    with pytest.raises(DomainError):
        reports.start_report(unit=province.b, year=YEAR, actor=commune_admin)


def test_a_report_without_any_narrative_cannot_be_submitted(followed, province, commune_admin):
    report = reports.start_report(unit=province.a, year=YEAR, actor=commune_admin)
    with pytest.raises(DomainError, match="đánh giá chung"):
        reports.submit_report(report=report, actor=commune_admin)


def test_a_submitted_report_cannot_be_edited(followed, province, commune_admin):
    report = fill_sections(reports.start_report(unit=province.a, year=YEAR, actor=commune_admin), commune_admin)
    reports.submit_report(report=report, actor=commune_admin)

    with pytest.raises(DomainError, match="không sửa được"):
        reports.update_report(report=report, actor=commune_admin, proposals="Thêm kinh phí.")
    with pytest.raises(DomainError):
        reports.refresh_figures(report=report, actor=commune_admin)


def test_a_unit_cannot_approve_its_own_report(followed, province, commune_admin):
    report = fill_sections(reports.start_report(unit=province.a, year=YEAR, actor=commune_admin), commune_admin)
    reports.submit_report(report=report, actor=commune_admin)

    with pytest.raises(DomainError, match="cấp trên"):
        reports.approve_report(report=report, actor=commune_admin)


def test_the_parent_approves_and_the_report_is_locked(followed, province, commune_admin, provincial_admin):
    report = fill_sections(reports.start_report(unit=province.a, year=YEAR, actor=commune_admin), commune_admin)
    reports.submit_report(report=report, actor=commune_admin)

    report = reports.approve_report(report=report, actor=provincial_admin)

    assert report.status == reports.ReportStatus.APPROVED
    with pytest.raises(DomainError):
        reports.update_report(report=report, actor=provincial_admin, proposals="Sửa sau khi duyệt.")
    with pytest.raises(DomainError):
        reports.return_report(report=report, actor=provincial_admin, comment="Trả lại sau khi duyệt.")


def test_a_returned_report_shows_the_comment_and_can_be_sent_again(followed, province, commune_admin, provincial_admin):
    report = fill_sections(reports.start_report(unit=province.a, year=YEAR, actor=commune_admin), commune_admin)
    first = datetime.datetime(YEAR, 12, 1, 3, tzinfo=datetime.UTC)
    reports.submit_report(report=report, actor=commune_admin, now=first)
    report = reports.return_report(report=report, actor=provincial_admin, comment="Bổ sung số liệu trường học.")
    assert report.status == reports.ReportStatus.RETURNED
    assert report.return_comment == "Bổ sung số liệu trường học."

    report = fill_sections(report, commune_admin, proposals="Đề nghị bổ sung kinh phí.")
    report = reports.submit_report(
        report=report, actor=commune_admin, now=datetime.datetime(YEAR, 12, 20, 3, tzinfo=datetime.UTC)
    )

    assert report.status == reports.ReportStatus.SUBMITTED
    assert report.first_submitted_at == first
    assert report.return_comment == ""


def test_returning_a_report_needs_a_comment(followed, province, commune_admin, provincial_admin):
    report = fill_sections(reports.start_report(unit=province.a, year=YEAR, actor=commune_admin), commune_admin)
    reports.submit_report(report=report, actor=commune_admin)
    with pytest.raises(DomainError, match="ý kiến"):
        reports.return_report(report=report, actor=provincial_admin, comment="  ")


def test_every_step_is_kept_in_the_history(followed, province, commune_admin, provincial_admin):
    report = fill_sections(reports.start_report(unit=province.a, year=YEAR, actor=commune_admin), commune_admin)
    reports.submit_report(report=report, actor=commune_admin)
    reports.return_report(report=report, actor=provincial_admin, comment="Thiếu phần kiến nghị.")
    reports.submit_report(report=report, actor=commune_admin)
    reports.approve_report(report=report, actor=provincial_admin)

    steps = [(event.action, event.actor.username, event.comment) for event in report.events.all()]
    assert steps == [
        (ReportAction.CREATED, "admin_xa_a", ""),
        (ReportAction.EDITED, "admin_xa_a", ""),
        (ReportAction.SUBMITTED, "admin_xa_a", ""),
        (ReportAction.RETURNED, "admin_tinh", "Thiếu phần kiến nghị."),
        (ReportAction.SUBMITTED, "admin_xa_a", ""),
        (ReportAction.APPROVED, "admin_tinh", ""),
    ]


def test_refreshing_a_draft_takes_the_figures_as_they_stand_now(followed, province, provincial_admin):
    from kynangso.monitoring import api as monitoring

    report = reports.start_report(unit=province.department, year=YEAR, actor=provincial_admin)
    assert {row["code"]: row["value"] for row in report.indicator_rows}["chien-dich"] is None
    value = monitoring.submit_manual_value(
        indicator_code="chien-dich", unit_id=province.department.pk, year=YEAR, value=3, note="", actor=provincial_admin
    )
    monitoring.approve_manual_value(
        value_id=value.pk, actor=make_user("pho_chu_tich_tinh", Role.PROVINCIAL_ADMIN, province.root)
    )

    report = reports.refresh_figures(report=report, actor=provincial_admin)

    assert {row["code"]: row["value"] for row in report.indicator_rows}["chien-dich"] == "3"
    assert report.events.last().action == "refreshed"
