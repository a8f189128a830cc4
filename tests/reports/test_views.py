"""The report pages: scope, editing and submitting, the parent's decision, completeness and the downloads."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kynangso.reports import api as reports
from tests.reports.conftest import YEAR, fill_sections

pytestmark = pytest.mark.django_db


def test_a_commune_admin_cannot_open_the_report_of_another_commune(client, followed, province, commune_admin, writer_b):
    other = reports.start_report(unit=province.b, year=YEAR, actor=writer_b)
    client.force_login(commune_admin)
    assert client.get(reverse("reports:detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("reports:download", args=[other.pk, "xlsx"])).status_code == 404


def test_a_person_without_report_rights_does_not_see_the_pages(client, followed, province):
    from tests.factories import make_user

    client.force_login(make_user("nguoi_hoc"))
    assert client.get(reverse("reports:index")).status_code == 404


def test_the_unit_opens_edits_and_submits_its_report_from_the_page(client, followed, province, commune_admin):
    client.force_login(commune_admin)
    response = client.post(reverse("reports:index"), {"unit": province.a.pk, "year": YEAR})
    report = reports.AnnualReport.objects.get(unit=province.a, year=YEAR)
    assert response.url == reverse("reports:detail", args=[report.pk])
    page = client.get(response.url).content.decode()
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in page and "Số chiến dịch truyền thông về kỹ năng số" in page

    form = {name: getattr(report, name) or "" for name in ("superior_body", "issuing_body", "title", "recipients")}
    form.update(
        general_assessment="Hoàn thành cơ bản các chỉ tiêu.", number_symbol="20/BC-UBND", action="submit", issued_on=""
    )
    client.post(response.url, form)

    report.refresh_from_db()
    assert report.status == reports.ReportStatus.SUBMITTED
    assert report.number_symbol == "20/BC-UBND"


def test_the_province_returns_a_report_with_a_comment_from_the_page(
    client, followed, province, commune_admin, provincial_admin
):
    report = fill_sections(reports.start_report(unit=province.a, year=YEAR, actor=commune_admin), commune_admin)
    reports.submit_report(report=report, actor=commune_admin)
    client.force_login(provincial_admin)
    assert "Duyệt báo cáo" in client.get(reverse("reports:detail", args=[report.pk])).content.decode()

    client.post(reverse("reports:return", args=[report.pk]), {"comment": "Bổ sung phần kiến nghị."})

    report.refresh_from_db()
    assert (report.status, report.return_comment) == (reports.ReportStatus.RETURNED, "Bổ sung phần kiến nghị.")


def test_the_completeness_page_marks_late_units(client, followed, province, provincial_admin, commune_admin, settings):
    report = fill_sections(reports.start_report(unit=province.a, year=YEAR - 1, actor=commune_admin), commune_admin)
    reports.submit_report(
        report=report, actor=commune_admin, now=datetime.datetime(YEAR - 1, 12, 20, 2, tzinfo=datetime.UTC)
    )
    client.force_login(provincial_admin)
    page = client.get(reverse("reports:province", args=[province.root.pk, YEAR - 1])).content.decode()
    assert "1/3 đơn vị đã gửi" in page
    assert page.count('class="late"') == 3  # the late sender and the two that never sent


def test_a_commune_admin_cannot_see_the_province_completeness(client, followed, province, commune_admin):
    client.force_login(commune_admin)
    assert client.get(reverse("reports:province", args=[province.root.pk, YEAR])).status_code == 404


def test_the_consolidated_spreadsheet_downloads_with_the_province_total(client, followed, province, provincial_admin):
    client.force_login(provincial_admin)
    response = client.get(reverse("reports:province_download", args=[province.root.pk, YEAR, "xlsx"]))
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content))["Tổng hợp"]
    assert (
        next(row for row in sheet.iter_rows(values_only=True) if row[1] == "Số chiến dịch truyền thông về kỹ năng số")[
            3
        ]
        == 15
    )


def test_the_unit_report_pdf_downloads(client, followed, province, commune_admin):
    report = reports.start_report(unit=province.a, year=YEAR, actor=commune_admin)
    client.force_login(commune_admin)
    response = client.get(reverse("reports:download", args=[report.pk, "pdf"]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
