"""Annual reports through the API (/api/v1/reports/): the list with status, one report with its figures, and the
XLSX or PDF; scoped like the pages (inside 200, outside 404, no report right 403, nobody logged in 401)."""

import pytest

from kynangso.accounts import api as accounts
from kynangso.accounts.models import Role
from kynangso.reports import api as reports
from tests.factories import make_unit, make_user
from tests.reports.conftest import YEAR, fill_sections, followed, writer_b  # noqa: F401  (the shared scenario)

pytestmark = pytest.mark.django_db
BASE = "/api/v1/reports"


def bearer(user) -> dict:
    _record, token = accounts.issue_api_token(user=user, name="kiểm thử")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def report_a(followed, province, commune_admin):  # noqa: F811
    report = reports.start_report(unit=province.a, year=YEAR, actor=commune_admin, plan_id=followed.plan.pk)
    return reports.submit_report(report=fill_sections(report, commune_admin), actor=commune_admin)


@pytest.fixture
def report_b(followed, province, writer_b):  # noqa: F811
    return reports.start_report(unit=province.b, year=YEAR, actor=writer_b, plan_id=followed.plan.pk)


def test_a_commune_lists_its_own_reports_with_their_status(client, report_a, report_b, commune_admin):
    response = client.get(BASE, **bearer(commune_admin))

    assert response.status_code == 200, response.content
    items = response.json()["items"]
    assert [(item["unit"]["code"], item["status"]) for item in items] == [("X001", "submitted")]
    assert items[0]["due_on"] == f"{YEAR}-12-15" and items[0]["status_label"] == "Đã gửi, chờ duyệt"


def test_the_province_lists_every_report_below_it_and_filters_them(client, report_a, report_b, provincial_admin):
    everything = client.get(BASE, **bearer(provincial_admin)).json()["items"]
    assert {item["unit"]["code"] for item in everything} == {"X001", "X002"}
    drafts = client.get(BASE, {"status": "draft"}, **bearer(provincial_admin)).json()["items"]
    assert [item["unit"]["code"] for item in drafts] == ["X002"]


def test_a_report_carries_its_frozen_figures_and_history(client, report_a, commune_admin):
    response = client.get(f"{BASE}/{report_a.pk}", **bearer(commune_admin))

    assert response.status_code == 200, response.content
    body = response.json()
    figures = {row["code"]: row for row in body["figures"]}
    assert (figures["chien-dich"]["value"], figures["chien-dich"]["target"]) == ("6", "8.00")
    assert figures["truong-stem"]["target_inherited_from"] == "Tỉnh Thử nghiệm"
    assert [step["action"] for step in body["history"]] == ["created", "edited", "submitted"]
    assert body["general_assessment"] == "Đơn vị đã triển khai đầy đủ các nhiệm vụ."


def test_the_report_downloads_as_xlsx_and_pdf(client, report_a, commune_admin):
    headers = bearer(commune_admin)
    xlsx = client.get(f"{BASE}/{report_a.pk}/download/xlsx", **headers)
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert xlsx["Content-Disposition"] == f'attachment; filename="bao-cao-{YEAR}-x001.xlsx"'
    pdf = client.get(f"{BASE}/{report_a.pk}/download/pdf", **headers)
    assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"


def test_a_report_outside_scope_is_not_found(client, report_a, report_b, commune_admin, province):
    elsewhere_root = make_unit("Q01", "Tỉnh Ngoài", kind="province")
    outsider = make_user("admin_tinh_ngoai", Role.PROVINCIAL_ADMIN, elsewhere_root)
    for user, report in ((commune_admin, report_b), (outsider, report_a)):
        for path in (f"/{report.pk}", f"/{report.pk}/download/xlsx"):
            response = client.get(BASE + path, **bearer(user))
            assert response.status_code == 404, path
            assert report.unit.name not in response.content.decode()
    assert client.get(BASE, **bearer(outsider)).json()["items"] == []


def test_without_a_report_right_the_api_answers_403_and_anonymous_401(client, report_a, province):
    learner = make_user("hoc_vien", Role.LEARNER, province.a)
    for path in ("", f"/{report_a.pk}", f"/{report_a.pk}/download/pdf"):
        assert client.get(BASE + path, **bearer(learner)).status_code == 403
        assert client.get(BASE + path).status_code == 401


def test_an_unknown_format_is_refused_by_the_schema(client, report_a, commune_admin):
    assert client.get(f"{BASE}/{report_a.pk}/download/docx", **bearer(commune_admin)).status_code == 422


def test_the_province_follows_which_units_have_reported(client, report_a, report_b, provincial_admin, province):
    response = client.get(f"{BASE}/provinces/{province.root.pk}/{YEAR}", **bearer(provincial_admin))

    assert response.status_code == 200, response.content
    body = response.json()
    rows = {row["unit"]["code"]: row for row in body["units"]}
    assert (rows["X001"]["status"], rows["X001"]["report_id"]) == ("submitted", report_a.pk)
    assert rows["X002"]["status"] == "draft" and rows["S01"]["status"] is None
    assert rows["S01"]["status_label"] == "Chưa lập"
    assert body["submitted"] == 1 and body["due_on"] == f"{YEAR}-12-15"


def test_the_province_downloads_its_consolidated_report(client, report_a, provincial_admin, province):
    response = client.get(f"{BASE}/provinces/{province.root.pk}/{YEAR}/download/xlsx", **bearer(provincial_admin))

    assert response.status_code == 200 and response.content[:2] == b"PK"
    assert response["Content-Disposition"] == f'attachment; filename="bao-cao-tong-hop-{YEAR}-t01.xlsx"'


def test_a_commune_or_another_province_cannot_follow_the_province(client, report_a, commune_admin, province):
    outsider = make_user("admin_tinh_ngoai", Role.PROVINCIAL_ADMIN, make_unit("Q01", "Tỉnh Ngoài", kind="province"))
    for user in (commune_admin, outsider):
        for path in (f"/provinces/{province.root.pk}/{YEAR}", f"/provinces/{province.root.pk}/{YEAR}/download/pdf"):
            response = client.get(BASE + path, **bearer(user))
            assert response.status_code == 404, path
            assert "Tỉnh Thử nghiệm" not in response.content.decode()
    learner = make_user("hoc_vien", Role.LEARNER, province.a)
    assert client.get(f"{BASE}/provinces/{province.root.pk}/{YEAR}", **bearer(learner)).status_code == 403
    assert client.get(f"{BASE}/provinces/{province.root.pk}/{YEAR}").status_code == 401
