"""Reporting on tasks: who may report, what a report must say, contributions of cooperating units, recognition."""

import datetime

import pytest

from kynangso.accounts.models import Role
from kynangso.errors import DomainError
from kynangso.plans import reporting
from kynangso.plans.models import OccurrenceStatus, OutputCount
from tests.factories import make_user
from tests.plans.helpers import make_task


def first_occurrence(task):
    return task.occurrences.order_by("period_start").first()


def test_commune_admin_reports_progress_of_a_task_led_by_the_commune(province, commune_admin):
    occurrence = first_occurrence(make_task(lead_unit=province.a))

    reporting.report_occurrence(
        occurrence=occurrence,
        user=commune_admin,
        status=OccurrenceStatus.IN_PROGRESS,
        progress=40,
        narrative="Đã phát 2 chiến dịch trên Zalo",
        outputs={"campaigns": 2},
    )

    occurrence.refresh_from_db()
    assert (occurrence.status, occurrence.progress, occurrence.reported_by) == ("in_progress", 40, commune_admin)
    assert OutputCount.objects.get(occurrence=occurrence).count == 2


def test_commune_admin_cannot_report_a_task_led_by_another_commune(province, commune_admin):
    occurrence = first_occurrence(make_task(lead_unit=province.b))

    with pytest.raises(DomainError, match="không có quyền báo cáo"):
        reporting.report_occurrence(occurrence=occurrence, user=commune_admin, status=OccurrenceStatus.DONE)

    occurrence.refresh_from_db()
    assert occurrence.reported_at is None


def test_task_led_by_a_kind_of_unit_is_reported_by_plan_managers_only(province, commune_admin, provincial_admin):
    occurrence = first_occurrence(make_task(lead_unit=None))

    with pytest.raises(DomainError):
        reporting.report_occurrence(occurrence=occurrence, user=commune_admin, status=OccurrenceStatus.DONE)
    reporting.report_occurrence(occurrence=occurrence, user=provincial_admin, status=OccurrenceStatus.DONE)


def test_done_means_one_hundred_percent(province, commune_admin):
    occurrence = first_occurrence(make_task(lead_unit=province.a))

    reporting.report_occurrence(occurrence=occurrence, user=commune_admin, status=OccurrenceStatus.DONE, progress=60)

    occurrence.refresh_from_db()
    assert occurrence.progress == 100


def test_cancelling_needs_a_reason(province, commune_admin):
    occurrence = first_occurrence(make_task(lead_unit=province.a))

    with pytest.raises(DomainError, match="lý do"):
        reporting.report_occurrence(occurrence=occurrence, user=commune_admin, status=OccurrenceStatus.CANCELLED)


@pytest.mark.parametrize("outputs", [{"campaigns": -1}, {"podcasts": 1}, {"campaigns": "2"}])
def test_output_counts_must_be_known_kinds_with_whole_non_negative_numbers(province, commune_admin, outputs):
    occurrence = first_occurrence(make_task(lead_unit=province.a))

    with pytest.raises(DomainError):
        reporting.report_occurrence(
            occurrence=occurrence, user=commune_admin, status=OccurrenceStatus.IN_PROGRESS, outputs=outputs
        )


def test_cooperating_unit_adds_its_own_contribution_and_counts(province):
    occurrence = first_occurrence(make_task(lead_unit=province.department, cooperating_units=[province.a]))
    admin_a = make_user("xa_a", Role.UNIT_ADMIN, province.a)

    reporting.add_contribution(
        occurrence=occurrence,
        user=admin_a,
        unit=province.a,
        narrative="Tuyên truyền trên loa phát thanh xã",
        outputs={"people_reached": 350},
    )

    assert occurrence.contributions.get().unit == province.a
    assert OutputCount.objects.get(occurrence=occurrence, unit=province.a).count == 350


def test_a_unit_that_does_not_cooperate_cannot_contribute(province):
    occurrence = first_occurrence(make_task(lead_unit=province.department, cooperating_units=[province.a]))
    admin_b = make_user("xa_b", Role.UNIT_ADMIN, province.b)

    with pytest.raises(DomainError, match="không phải đơn vị phối hợp"):
        reporting.add_contribution(occurrence=occurrence, user=admin_b, unit=province.b, narrative="Có tham gia")


def test_evidence_needs_a_file_or_a_link(province, commune_admin):
    occurrence = first_occurrence(make_task(lead_unit=province.a))

    with pytest.raises(DomainError):
        reporting.add_evidence(occurrence=occurrence, user=commune_admin, unit=province.a)
    evidence = reporting.add_evidence(
        occurrence=occurrence, user=commune_admin, unit=province.a, url="https://xaanbinh.gov.vn/tin/chuyen-doi-so"
    )
    assert evidence.url.endswith("chuyen-doi-so")


def test_only_plan_managers_record_recognition(province, commune_admin, provincial_admin):
    decision = {
        "kind": "commendation",
        "decision_number": "123/QĐ-UBND",
        "decided_on": datetime.date(2025, 12, 20),
        "reason": "Điển hình tiên tiến trong chuyển đổi số",
        "recipient_unit": province.a,
    }

    with pytest.raises(DomainError):
        reporting.record_recognition(user=commune_admin, **decision)
    recognition = reporting.record_recognition(user=provincial_admin, **decision)

    assert recognition.recorded_by == provincial_admin
