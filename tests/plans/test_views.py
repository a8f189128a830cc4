"""The plans pages: my tasks, the report form with evidence, evidence files, the board, the timeline, the export,
the plan upload; each only for users in scope."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from kynangso.accounts.models import Role
from kynangso.plans.models import Evidence, Occurrence, Plan
from tests.factories import make_user

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def first_quarter(campaign):
    return campaign.task.occurrences.order_by("period_start").first()


def report(client, occurrence, **extra):
    data = {
        "action": "report",
        "status": "done",
        "progress": "",
        "narrative": "Chiến dịch quý I đã hoàn thành",
        "cancel_reason": "",
        "out_campaigns": "1",
        "out_articles_news": "14",
        "evidence_url": "",
        "evidence_note": "Ảnh chụp màn hình",
        **extra,
    }
    return client.post(reverse("plans:occurrence", args=[occurrence.pk]), data)


def test_my_tasks_shows_the_units_late_occurrences_in_red_and_not_other_units(client, campaign, monkeypatch):
    client.force_login(campaign.lead_user)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: datetime.date(campaign.year, 4, 1))

    page = client.get(reverse("plans:mine")).content.decode()

    assert 'class="overdue"' in page and "Quá hạn" in page
    assert f"Hạn báo cáo: 31/03/{campaign.year}" in page
    assert "III.2.a" not in page


def test_lead_unit_reports_with_an_evidence_file_kept_under_the_data_dir(client, campaign, settings):
    client.force_login(campaign.lead_user)
    occurrence = first_quarter(campaign)

    response = report(client, occurrence, evidence_file=SimpleUploadedFile("Ảnh chiến dịch.pdf", PDF))

    assert response.status_code == 302
    occurrence.refresh_from_db()
    assert (occurrence.status, occurrence.progress, occurrence.reported_by) == ("done", 100, campaign.lead_user)
    assert dict(occurrence.outputs.values_list("kind", "count")) == {"campaigns": 1, "articles_news": 14}
    evidence = occurrence.evidence.get()
    assert evidence.original_name == "Ảnh chiến dịch.pdf"
    assert evidence.file.path.startswith(str(settings.MEDIA_ROOT))
    assert "chiến" not in evidence.file.name  # stored under a random name


def test_a_file_that_is_not_what_its_extension_says_is_refused_and_nothing_is_saved(client, campaign):
    client.force_login(campaign.lead_user)
    occurrence = first_quarter(campaign)

    response = report(client, occurrence, evidence_file=SimpleUploadedFile("bao-cao.pdf", b"MZ\x90\x00 not a pdf"))

    assert response.status_code == 200
    assert "Nội dung tệp “bao-cao.pdf” không khớp với đuôi .pdf." in response.content.decode()
    occurrence.refresh_from_db()
    assert occurrence.status == "not_started" and not Evidence.objects.exists()


@pytest.mark.parametrize("name", ["virus.exe", "trang.html"])
def test_evidence_of_a_type_not_allowed_is_refused(client, campaign, name):
    client.force_login(campaign.lead_user)

    response = report(client, first_quarter(campaign), evidence_file=SimpleUploadedFile(name, b"abc"))

    assert "không đúng loại cho phép" in response.content.decode()
    assert not Evidence.objects.exists()


def test_evidence_file_is_served_to_the_department_in_charge_but_not_to_another_commune(client, campaign):
    client.force_login(campaign.lead_user)
    report(client, first_quarter(campaign), evidence_file=SimpleUploadedFile("minh-chung.pdf", PDF))
    evidence = Evidence.objects.get()
    url = reverse("plans:evidence", args=[evidence.pk])

    client.force_login(campaign.owner_user)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert 'filename="minh-chung.pdf"' in response["Content-Disposition"]
    client.force_login(campaign.other_user)
    assert client.get(url).status_code == 404


def test_a_commune_cannot_open_or_report_an_occurrence_of_another_units_task(client, campaign):
    client.force_login(campaign.other_user)
    occurrence = first_quarter(campaign)

    assert client.get(reverse("plans:occurrence", args=[occurrence.pk])).status_code == 404
    assert report(client, occurrence).status_code == 404
    occurrence.refresh_from_db()
    assert occurrence.reported_at is None


def test_a_cooperating_commune_sees_the_task_and_adds_its_contribution_but_cannot_file_the_leads_report(
    client, campaign
):
    client.force_login(campaign.commune_user)
    occurrence = first_quarter(campaign)
    page = client.get(reverse("plans:occurrence", args=[occurrence.pk])).content.decode()
    assert "Báo cáo của đơn vị phối hợp" in page and "Báo cáo của đơn vị chủ trì" not in page

    response = client.post(
        reverse("plans:occurrence", args=[occurrence.pk]),
        {
            "action": "contribute",
            "c-unit": campaign.province.a.pk,
            "c-narrative": "Treo 20 băng rôn",
            "c-out_people_reached": "250",
        },
    )

    assert response.status_code == 302
    assert occurrence.contributions.get().narrative == "Treo 20 băng rôn"
    assert report(client, occurrence).status_code == 403


def test_the_department_in_charge_sees_every_task_on_the_board_with_status_labels(client, campaign):
    client.force_login(campaign.lead_user)
    report(client, first_quarter(campaign))
    client.force_login(campaign.owner_user)

    page = client.get(reverse("plans:board", args=[campaign.plan.pk]), {"year": campaign.year}).content.decode()

    assert 'data-task="III.1.a"' in page and 'data-task="III.2.a"' in page
    assert '<span class="st st-done">Hoàn thành</span>' in page
    assert "Xếp hạng thi đua" in page


def test_the_ranking_formula_leaves_out_the_indicator_part_when_no_lead_unit_has_target_figures(client, campaign):
    client.force_login(campaign.lead_user)
    report(client, first_quarter(campaign))
    client.force_login(campaign.owner_user)

    page = client.get(reverse("plans:board", args=[campaign.plan.pk]), {"year": campaign.year}).content.decode()

    assert "Xếp hạng thi đua" in page
    assert "mức đạt chỉ tiêu của kế hoạch (trọng số" not in page
    assert "Mức đạt chỉ tiêu của kế hoạch chưa được tính" in page
    campaign.plan.ranking_weight_indicators = 0
    campaign.plan.save()
    page = client.get(reverse("plans:board", args=[campaign.plan.pk]), {"year": campaign.year}).content.decode()
    assert "Mức đạt chỉ tiêu của kế hoạch chưa được tính" not in page


def test_a_lead_unit_sees_only_its_own_tasks_on_the_board_and_no_ranking(client, campaign):
    client.force_login(campaign.lead_user)

    page = client.get(reverse("plans:board", args=[campaign.plan.pk])).content.decode()

    assert 'data-task="III.1.a"' in page and 'data-task="III.2.a"' not in page
    assert "Xếp hạng thi đua" not in page


def test_board_filters_by_unit_and_status(client, campaign):
    client.force_login(campaign.owner_user)
    url = reverse("plans:board", args=[campaign.plan.pk])

    by_unit = client.get(url, {"year": campaign.year, "unit": campaign.province.b.pk}).content.decode()
    done_only = client.get(url, {"year": campaign.year, "status": "done"}).content.decode()

    assert 'data-task="III.2.a"' in by_unit and 'data-task="III.1.a"' not in by_unit
    assert "Không có nhiệm vụ nào theo bộ lọc này." in done_only


def test_plans_pages_need_plans_view(client, campaign):
    client.force_login(make_user("nguoi_hoc", Role.LEARNER, campaign.province.a))

    assert client.get(reverse("plans:mine")).status_code == 403
    assert client.get(reverse("plans:board", args=[campaign.plan.pk])).status_code == 403


def test_a_unit_without_tasks_in_a_plan_cannot_open_its_board(client, campaign):
    client.force_login(make_user("truong_hoc", Role.UNIT_ADMIN, campaign.province.school))

    assert client.get(reverse("plans:board", args=[campaign.plan.pk])).status_code == 404
    assert client.get(reverse("plans:export", args=[campaign.plan.pk])).status_code == 404


def test_timeline_lists_occurrences_by_month_of_their_due_date(client, campaign):
    client.force_login(campaign.owner_user)

    page = client.get(reverse("plans:timeline", args=[campaign.plan.pk]), {"year": campaign.year}).content.decode()

    assert page.index(f"Tháng 3/{campaign.year}") < page.index(f"Tháng 6/{campaign.year}")
    assert page.count("III.1.a ·") == 4 and page.count("III.2.a ·") == 1


def test_export_is_in_the_plans_layout_with_its_number_and_the_quarter_reported(client, campaign):
    client.force_login(campaign.lead_user)
    report(client, first_quarter(campaign))
    client.force_login(campaign.owner_user)

    response = client.get(reverse("plans:export", args=[campaign.plan.pk]), {"year": campaign.year})

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "Số: 154/KH-UBND"
    assert rows[2][0] == "TIẾN ĐỘ THỰC HIỆN KẾ HOẠCH"
    header = rows[6]
    assert header[:3] == ("Mục", "Nhiệm vụ", "Đơn vị chủ trì") and header[6] == f"Quý I/{campaign.year}"
    task_row = next(row for row in rows if row[0] == "III.1.a")
    assert task_row[2] == "Sở Nội vụ" and task_row[6] == "Hoàn thành"
    assert task_row[10] == "Chiến dịch truyền thông: 1\nTin, bài: 14"
    assert next(row for row in rows if row[0] == "III.1")[1] == "Nhóm các nhiệm vụ nâng cao nhận thức"


MALFORMED = """plan:
  key: ke-hoach-loi
  title: Kế hoạch lỗi
  issuing_body: UBND tỉnh
  issued_year: 2025
  period: {start: 2025, end: 2026}
task_groups:
  - code: III.1
    title: Nhóm
    tasks:
      - code: III.1.a
        title: Không có đơn vị chủ trì
        recurrence: hằng quý
      - code: III.1.b
        title: Chu kỳ lạ
        lead: Sở Nội vụ
        recurrence: hàng tuần
"""


def test_uploading_a_malformed_plan_imports_nothing_and_lists_each_problem(client, provincial_admin):
    client.force_login(provincial_admin)

    response = client.post(reverse("plans:upload"), {"file": SimpleUploadedFile("ke-hoach.yaml", MALFORMED.encode())})

    page = response.content.decode()
    assert "Tệp có 2 lỗi; kế hoạch chưa được nhập." in page
    assert "<li>Nhiệm vụ III.1.a: thiếu đơn vị chủ trì</li>" in page
    assert (
        "<li>Dòng 17: chu kỳ &#x27;hàng tuần&#x27; không hợp lệ; dùng: một lần, hằng tháng, hằng quý, hằng năm</li>"
        in page
    )
    assert not Plan.objects.exists()


def plan_workbook(*, lead="Sở Nội vụ", recurrence="hằng quý", extra_column=False):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Kế hoạch"
    for row in [
        ("Mục", "Nội dung"),
        ("Mã tệp", "ke-hoach-excel"),
        ("Số, ký hiệu", "77/KH-UBND"),
        ("Trích yếu", "Kế hoạch thử từ Excel"),
        ("Cơ quan ban hành", "UBND tỉnh Thử nghiệm"),
        ("Ngày ban hành", "03/06/2025"),
        ("Thực hiện từ", 2025),
        ("Thực hiện đến", 2026),
        ("Căn cứ", "Quyết định số 146/QĐ-TTg"),
        ("Hạn báo cáo năm", "15/12"),
    ]:
        sheet.append(row)
    objectives = workbook.create_sheet("Mục tiêu")
    objectives.append(["Mục", "Đến năm", "Mục tiêu"])
    objectives.append(["II.1", 2025, "80% người dân có kỹ năng số"])
    tasks = workbook.create_sheet("Nhiệm vụ")
    tasks.append(
        ["Mã nhóm", "Tên nhóm nhiệm vụ", "Mục", "Tên nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Chu kỳ"]
        + (["Cột lạ"] if extra_column else [])
    )
    tasks.append(
        [
            "III.1",
            "Nâng cao nhận thức",
            "III.1.a",
            "Chiến dịch truyền thông",
            lead,
            "Sở Tài chính; Xã An Bình",
            recurrence,
        ]
    )
    tasks.append(["III.1", None, "III.1.b", "Chuyên mục", "Sở Nội vụ", None, "hằng năm"])
    return workbook


def upload_workbook(client, workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return client.post(reverse("plans:upload"), {"file": SimpleUploadedFile("ke-hoach.xlsx", buffer.getvalue())})


def test_uploading_a_plan_workbook_imports_it_and_opens_its_board(client, provincial_admin):
    client.force_login(provincial_admin)

    response = upload_workbook(client, plan_workbook())

    plan = Plan.objects.get(number_symbol="77/KH-UBND")
    assert response.status_code == 302 and response["Location"] == reverse("plans:board", args=[plan.pk])
    assert plan.issued_on == datetime.date(2025, 6, 3) and plan.annual_report_due_day == 15
    assert list(plan.tasks.order_by("order").values_list("code", "recurrence", "cooperating_label")) == [
        ("III.1.a", "quarterly", "Sở Tài chính; Xã An Bình"),
        ("III.1.b", "yearly", ""),
    ]
    assert plan.tasks.get(code="III.1.a").cooperating_units.get().code == "X001"
    assert plan.objectives.get().text == "80% người dân có kỹ năng số"
    assert Occurrence.objects.filter(task__plan=plan).count() == 8 + 2


def test_a_malformed_plan_workbook_imports_nothing_and_names_the_sheet_and_row(client, provincial_admin):
    client.force_login(provincial_admin)

    page = upload_workbook(client, plan_workbook(lead=None, recurrence="hàng tuần", extra_column=True)).content.decode()

    assert "Trang «Nhiệm vụ», dòng 1: cột &#x27;Cột lạ&#x27; không có trong mẫu" in page
    assert "Nhiệm vụ III.1.a: thiếu đơn vị chủ trì" in page
    assert "Trang «Nhiệm vụ», dòng 2: chu kỳ &#x27;hàng tuần&#x27; không hợp lệ" in page
    assert not Plan.objects.exists()


def test_only_plan_managers_may_upload_plans(client, commune_admin):
    client.force_login(commune_admin)

    assert client.get(reverse("plans:upload")).status_code == 403


def test_the_upload_template_has_the_four_sheets(client, provincial_admin):
    client.force_login(provincial_admin)

    workbook = load_workbook(io.BytesIO(client.get(reverse("plans:upload_template")).content))

    assert workbook.sheetnames == ["Kế hoạch", "Mục tiêu", "Nhiệm vụ", "Trách nhiệm"]
