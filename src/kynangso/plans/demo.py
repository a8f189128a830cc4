"""The plans app's part of the demo province: the Hậu Giang plan re-issued for «Tỉnh Phú Hòa» with its tasks given to
the demo departments and communes, and a few reported quarters (idempotent: running it twice changes nothing)."""

import datetime
from pathlib import Path

from django.contrib.auth import get_user_model

from kynangso.orgs import api as orgs
from kynangso.plans import reporting
from kynangso.plans.importers import import_plan_document, read_plan_file
from kynangso.plans.models import Occurrence, OccurrenceStatus, Plan

SOURCE = Path(__file__).parent / "data" / "hau-giang.yaml"
KEY = "phu-hoa-de-an-146"
NUMBER = "99/KH-UBND"
REPORTER = "quantri_tinh"
# Since 1 July 2025 Sở Thông tin và Truyền thông is part of Sở Khoa học và Công nghệ, and Sở Lao động - Thương binh
# và Xã hội of Sở Nội vụ; the demo gives their tasks to those departments. The newspaper and broadcaster of the
# plan have no demo unit and stay as text.
LEADS = {
    "Sở Thông tin và Truyền thông": "99-SKHCN",
    "Sở Nội vụ": "99-SNV",
    "Sở Lao động - Thương binh và Xã hội": "99-SNV",
    "Sở Giáo dục và Đào tạo": "99-SGDDT",
    "Sở Tài chính": "99-STC",
    # The quarterly campaign (III.1.a) of "các Sở, ban, ngành tỉnh, UBND huyện…": led by the digital department,
    # with two communes and the youth union cooperating, so that every demo login has something to report.
    "Các Sở, ban, ngành tỉnh, UBND huyện, thị xã, thành phố": "99-SKHCN",
}
CAMPAIGN_COOPERATING = ["99007", "99001", "99-TD"]
# The demo province's own objective, added to the text: the seed plans reach «đến tận khóm, ấp», and the demo has
# hamlets with community digital teams (monitoring/data/demo-targets.yaml gives it targets to 2030).
HAMLET_OBJECTIVE = {
    "code": "II.1.i",
    "target_year": 2025,
    "text": (
        "100% thôn, ấp, khóm, tổ dân phố trên địa bàn tỉnh có tổ công nghệ số cộng đồng hoạt động, làm nòng cốt "
        "hướng dẫn người dân sử dụng dịch vụ công trực tuyến và các nền tảng số (mục tiêu riêng của tỉnh mô phỏng)."
    ),
    "indicator": "thon-co-to-cong-nghe-so",
}


def _ref(label: str):
    code = LEADS.get(label)
    if code and orgs.unit_by_code(code) is not None:
        return {"code": code, "label": orgs.unit_by_code(code).name}
    return label


def _renamed(value):
    """The text with every mention of the source province (tỉnh Hậu Giang, Báo Hậu Giang…) naming the demo one."""
    if isinstance(value, str):
        return value.replace("Hậu Giang", "Phú Hòa")
    if isinstance(value, list | dict):  # changed in place, keeping the line numbers the reader attached
        for key in range(len(value)) if isinstance(value, list) else list(value):
            value[key] = _renamed(value[key])
    return value


def demo_document(today: datetime.date) -> dict:
    document, problems = read_plan_file(SOURCE)
    assert not problems, problems
    document = _renamed(document)
    document["objectives"].append(dict(HAMLET_OBJECTIVE))
    plan = document["plan"]
    plan.update(
        {
            "key": KEY,
            "number_symbol": NUMBER,
            "issuing_body": "Ủy ban nhân dân tỉnh Phú Hòa (mô phỏng)",
            "issued_on": datetime.date(2025, 1, 15),
            "issued_year": 2025,
            "period": {"start": 2025, "end": 2030},
            "owner_unit": _ref("Sở Thông tin và Truyền thông"),
        }
    )
    for group in document["task_groups"]:
        for task in group["tasks"]:
            task["lead"] = _ref(task["lead"])
            if task["code"] == "III.1.a":
                task["cooperating"] = [{"code": code} for code in CAMPAIGN_COOPERATING if orgs.unit_by_code(code)]
    for item in document["responsibilities"]:
        item["unit"] = _ref(item["unit"])
    return document


def _report_past_quarters(plan: Plan, today: datetime.date, stdout) -> int:
    """Report the campaign's quarters that ended before today, except the latest one (left overdue, in red)."""
    user = get_user_model().objects.filter(username=REPORTER).first()
    if user is None:
        return 0
    task = plan.tasks.get(code="III.1.a")
    ended = list(task.occurrences.filter(period_end__lt=today).order_by("period_start"))
    reported = 0
    for index, occurrence in enumerate(ended[:-1]):
        if occurrence.reported_at is not None:
            continue
        done = index % 4 != 2  # one quarter a year only in progress
        reporting.report_occurrence(
            occurrence=occurrence,
            user=user,
            status=OccurrenceStatus.DONE if done else OccurrenceStatus.IN_PROGRESS,
            progress=None if done else 60,
            narrative=(
                f"Chiến dịch truyền thông quý {(occurrence.period_start.month + 2) // 3}/"
                f"{occurrence.period_start.year} về chuyển đổi số trên Cổng thông tin điện tử tỉnh, "
                "trang mạng xã hội của các sở và đài truyền thanh xã."
            ),
            outputs={"campaigns": 1, "articles_news": 12 + index, "people_reached": 1500 + 100 * index},
        )
        Occurrence.objects.filter(pk=occurrence.pk).update(
            reported_at=datetime.datetime.combine(min(occurrence.due_on, today), datetime.time(9), tzinfo=datetime.UTC)
        )
        reported += 1
    return reported


def populate(*, today, stdout) -> None:
    """Import the demo plan (updating it if present) and report a few quarters of its campaign."""
    report = import_plan_document(demo_document(today), today=today)
    if report.problems:
        for problem in report.problems:
            stdout.write(f"Kế hoạch mô phỏng: {problem}")
        return
    reported = _report_past_quarters(report.plan, today, stdout)
    stdout.write(
        f"Kế hoạch {NUMBER}: {report.tasks} nhiệm vụ, {report.occurrences} kỳ thực hiện; {reported} kỳ báo cáo mới."
    )
