"""REST endpoints of plans: my tasks and reporting, with the same rules and scope as the pages."""

import datetime

from kynangso.plans.models import Occurrence


def test_my_tasks_lists_the_units_late_and_due_occurrences(client, campaign, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: datetime.date(campaign.year, 4, 1))
    client.force_login(campaign.lead_user)

    body = client.get("/api/v1/plans/my-tasks").json()

    assert [(item["task_code"], item["state"]) for item in body["late"]] == [("III.1.a", "overdue")]
    assert body["late"][0]["due_on"] == f"{campaign.year}-03-31" and body["late"][0]["can_report"] is True
    assert {item["task_code"] for item in body["due_soon"]} == {"III.1.a"}


def test_lead_unit_reports_through_the_api(client, campaign):
    client.force_login(campaign.lead_user)
    occurrence = campaign.task.occurrences.order_by("period_start").first()

    response = client.post(
        f"/api/v1/plans/occurrences/{occurrence.pk}/report",
        {
            "status": "in_progress",
            "progress": 50,
            "narrative": "Đang triển khai",
            "outputs": {"articles_news": 5},
            "evidence_url": "https://sonoivu.gov.vn/tin/chuyen-doi-so",
        },
        content_type="application/json",
        HTTP_X_CSRFTOKEN="x",
    )

    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["outputs"]) == ("in_progress", {"articles_news": 5})
    assert Occurrence.objects.get(pk=occurrence.pk).evidence.get().url == "https://sonoivu.gov.vn/tin/chuyen-doi-so"


def test_a_cooperating_unit_cannot_file_the_leads_report_through_the_api(client, campaign):
    client.force_login(campaign.commune_user)
    occurrence = campaign.task.occurrences.order_by("period_start").first()

    response = client.post(
        f"/api/v1/plans/occurrences/{occurrence.pk}/report", {"status": "done"}, content_type="application/json"
    )

    assert response.status_code == 403
    assert "Bạn không có quyền báo cáo nhiệm vụ III.1.a" in response.json()["detail"]


def test_an_occurrence_out_of_scope_is_not_found(client, campaign):
    client.force_login(campaign.other_user)
    occurrence = campaign.task.occurrences.first()

    assert client.get(f"/api/v1/plans/occurrences/{occurrence.pk}").status_code == 404


def _report(client, occurrence, body):
    return client.post(f"/api/v1/plans/occurrences/{occurrence.pk}/report", body, content_type="application/json")


def _refused_field(response) -> str:
    assert response.status_code == 422, response.content
    return response.json()["errors"][0]["field"]


def test_a_report_with_a_status_outside_the_list_is_refused_by_the_schema(client, campaign):
    client.force_login(campaign.lead_user)
    occurrence = campaign.task.occurrences.order_by("period_start").first()

    assert _refused_field(_report(client, occurrence, {"status": "finished"})) == "status"


def test_progress_must_be_a_real_number_not_true(client, campaign):
    client.force_login(campaign.lead_user)
    occurrence = campaign.task.occurrences.order_by("period_start").first()

    assert _refused_field(_report(client, occurrence, {"status": "in_progress", "progress": True})) == "progress"
    assert Occurrence.objects.get(pk=occurrence.pk).progress == occurrence.progress


def test_unknown_fields_and_output_kinds_are_refused_not_dropped(client, campaign):
    client.force_login(campaign.lead_user)
    occurrence = campaign.task.occurrences.order_by("period_start").first()

    assert _refused_field(_report(client, occurrence, {"status": "in_progress", "note": "x"})) == "note"
    assert _refused_field(_report(client, occurrence, {"status": "in_progress", "outputs": {"likes": 3}})).startswith(
        "outputs"
    )
    assert _refused_field(
        _report(client, occurrence, {"status": "in_progress", "outputs": {"articles_news": -1}})
    ).startswith("outputs")


def test_a_bad_evidence_link_is_refused_under_the_name_the_request_used(client, campaign):
    client.force_login(campaign.lead_user)
    occurrence = campaign.task.occurrences.order_by("period_start").first()

    assert (
        _refused_field(_report(client, occurrence, {"status": "in_progress", "evidence_url": "ftp://x"}))
        == "evidence_url"
    )


def test_horizon_beyond_a_year_is_refused_instead_of_silently_clamped(client, campaign):
    client.force_login(campaign.lead_user)

    assert _refused_field(client.get("/api/v1/plans/my-tasks", {"horizon_days": 1000})) == "horizon_days"


def test_an_occurrence_id_beyond_any_database_integer_is_refused_with_422(client, campaign):
    client.force_login(campaign.lead_user)

    assert client.get("/api/v1/plans/occurrences/99999999999999999999").status_code == 422
