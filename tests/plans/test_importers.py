"""Plans come from YAML files: Hậu Giang's plan imports to exactly its tasks; a bad file imports nothing."""

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kynangso.plans.importers import import_plan
from kynangso.plans.models import Occurrence, Plan, Task
from tests.factories import make_unit
from tests.plans.helpers import DATA

HAU_GIANG = DATA / "hau-giang.yaml"


def test_hau_giang_plan_imports_to_exactly_its_tasks(db):
    report = import_plan(HAU_GIANG, today=datetime.date(2022, 6, 1))

    assert report.problems == []
    plan = report.plan
    assert (plan.number_symbol, plan.issued_year, plan.issuing_body) == ("", 2022, "Ủy ban nhân dân tỉnh Hậu Giang")
    assert list(plan.tasks.order_by("group__order", "order").values_list("code", flat=True)) == [
        "III.1.a",
        "III.1.b",
        "III.1.c",
        "III.1.d",
        "III.1.đ",
        "III.2.a",
        "III.2.b",
        "III.3.a",
        "III.3.b",
        "III.3.c",
        "III.3.d",
    ]
    leads = dict(plan.tasks.values_list("code", "lead_unit_label"))
    assert leads["III.1.a"] == "Các Sở, ban, ngành tỉnh, UBND huyện, thị xã, thành phố"
    assert leads["III.1.b"] == leads["III.1.c"] == "Báo Hậu Giang, Đài Phát thanh truyền hình Tỉnh"
    assert {code for code, lead in leads.items() if lead == "Sở Thông tin và Truyền thông"} == {
        "III.1.d",
        "III.2.b",
        "III.3.b",
    }
    assert {code for code, lead in leads.items() if lead == "Sở Nội vụ"} == {"III.1.đ", "III.2.a", "III.3.a"}
    assert leads["III.3.c"] == "Sở Lao động - Thương binh và Xã hội"
    assert leads["III.3.d"] == "Sở Giáo dục và Đào tạo"
    cooperating = dict(plan.tasks.values_list("code", "cooperating_label"))
    assert cooperating["III.2.b"] == "Cục Tin học hóa"
    assert {label for code, label in cooperating.items() if code != "III.2.b"} == {""}
    campaign = plan.tasks.get(code="III.1.a")
    assert (campaign.recurrence, campaign.schedule_label, campaign.expected_outputs) == (
        "quarterly",
        "mỗi quý/01 chiến dịch, thực hiện hàng năm.",
        "Các chương trình, chiến dịch truyền thông.",
    )
    assert set(plan.tasks.exclude(code="III.1.a").values_list("recurrence", flat=True)) == {"yearly"}
    assert list(plan.responsibilities.values_list("code", flat=True)) == [
        "IV.2.a",
        "IV.2.b",
        "IV.2.c",
        "IV.2.d",
        "IV.2.đ",
        "IV.2.e",
        "IV.2.g",
        "IV.2.h",
    ]
    assert plan.objectives.count() == 12
    assert plan.legal_bases.count() == 2
    # 2022–2030: 36 quarters of campaigns, 9 years of each of the 10 yearly tasks, due 15 December.
    assert Occurrence.objects.filter(task__plan=plan).count() == 36 + 90
    yearly = plan.tasks.get(code="III.3.d").occurrences.order_by("period_start").first()
    assert yearly.due_on == datetime.date(2022, 12, 15)


def test_leads_named_as_registered_units_are_resolved_and_the_text_is_kept(province):
    department = make_unit("S02", "Sở Thông tin và Truyền thông", kind="department", parent=province.root)

    plan = import_plan(HAU_GIANG).plan

    task = plan.tasks.get(code="III.1.d")
    assert (task.lead_unit, task.lead_unit_label) == (department, "Sở Thông tin và Truyền thông")
    assert plan.tasks.get(code="III.1.a").lead_unit is None
    assert plan.owner_unit == department


def test_reimporting_the_same_plan_updates_it(db):
    import_plan(HAU_GIANG)
    report = import_plan(HAU_GIANG)

    assert report.created is False
    assert Plan.objects.count() == 1
    assert Task.objects.count() == 11
    assert Occurrence.objects.count() == 126


def test_can_tho_plan_imports(db):
    report = import_plan(DATA / "can-tho.yaml")

    assert report.problems == []
    assert report.plan.number_symbol == "103/KH-UBND"
    assert list(report.plan.tasks.values_list("code", "lead_unit_label")) == [
        ("TCTH.1", "Sở Thông tin và Truyền thông")
    ]


MALFORMED = """\
plan:
  key: ke-hoach-loi
  number_symbol: 1/KH-UBND
  title: Kế hoạch có lỗi
  issuing_body: UBND tỉnh Thử nghiệm
  issued_year: 2025
  period: {start: 2025, end: 2026}
task_groups:
  - code: III.1
    title: Nhóm một
    tasks:
      - code: III.1.a
        title: Nhiệm vụ không có chủ trì
        recurrence: hằng năm
      - code: III.1.b
        title: Nhiệm vụ hằng tuần
        lead: Sở Nội vụ
        recurrence: hàng tuần
      - code: III.1.c
        title: Nhiệm vụ ngược thời gian
        lead: {code: KHONG-CO}
        recurrence: một lần
        start: 2026-06-30
        end: 2026-01-01
"""


def test_a_malformed_plan_file_imports_nothing_and_lists_every_problem_in_vietnamese(db, tmp_path):
    path = tmp_path / "loi.yaml"
    path.write_text(MALFORMED, encoding="utf-8")

    report = import_plan(path)

    assert report.problems == [
        "Nhiệm vụ III.1.a: thiếu đơn vị chủ trì",
        "Dòng 18: chu kỳ 'hàng tuần' không hợp lệ; dùng: một lần, hằng tháng, hằng quý, hằng năm",
        "Dòng 21: không có đơn vị mã 'KHONG-CO'",
        "Dòng 23: thời gian thực hiện của nhiệm vụ III.1.c không hợp lệ ('start', 'end' là năm hoặc ngày "
        "NNNN-TT-NN, theo đúng thứ tự)",
    ]
    assert not Plan.objects.exists() and not Task.objects.exists()


def test_a_file_that_is_not_yaml_reports_its_line(db, tmp_path):
    path = tmp_path / "hong.yaml"
    path.write_text("plan:\n  key: [không đóng\n", encoding="utf-8")

    assert import_plan(path).problems[0].startswith("Dòng 3: tệp YAML không đọc được")


def test_dry_run_writes_nothing(db):
    report = import_plan(HAU_GIANG, dry_run=True)

    assert (report.problems, report.tasks) == ([], 11)
    assert not Plan.objects.exists()


def test_command_imports_and_reports(db, capsys):
    call_command("import-plan", str(HAU_GIANG))

    assert "Đã tạo mới kế hoạch hau-giang-de-an-146: 11 nhiệm vụ, 126 kỳ thực hiện." in capsys.readouterr().out


def test_command_fails_on_a_bad_file(db, tmp_path, capsys):
    path = tmp_path / "loi.yaml"
    path.write_text(MALFORMED, encoding="utf-8")

    with pytest.raises(CommandError, match="kế hoạch không được nhập"):
        call_command("import-plan", str(path))
    assert "Nhiệm vụ III.1.a: thiếu đơn vị chủ trì" in capsys.readouterr().err


def test_renumbered_draft_is_updated_by_its_key(db, tmp_path):
    import_plan(HAU_GIANG)
    numbered = HAU_GIANG.read_text(encoding="utf-8").replace('number_symbol: ""', 'number_symbol: "154/KH-UBND"')
    path = tmp_path / "hau-giang.yaml"
    path.write_text(numbered, encoding="utf-8")

    report = import_plan(path)

    assert (report.problems, report.created) == ([], False)
    assert list(Plan.objects.values_list("number_symbol", flat=True)) == ["154/KH-UBND"]


def test_a_task_with_reports_cannot_be_dropped_by_a_new_file(province, provincial_admin, tmp_path):
    from kynangso.plans import reporting

    plan = import_plan(HAU_GIANG).plan
    occurrence = plan.tasks.get(code="III.3.d").occurrences.first()
    reporting.report_occurrence(occurrence=occurrence, user=provincial_admin, status="in_progress", progress=20)
    shorter = HAU_GIANG.read_text(encoding="utf-8").split("      - code: III.3.d")[0]
    shorter += "\nresponsibilities: []\n"
    path = tmp_path / "ngan.yaml"
    path.write_text(shorter, encoding="utf-8")

    report = import_plan(path)

    assert report.problems == ["Nhiệm vụ III.3.d: đã có báo cáo nên không thể bỏ khỏi kế hoạch"]
    assert plan.tasks.count() == 11
