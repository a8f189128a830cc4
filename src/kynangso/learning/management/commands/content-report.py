"""`kynangso content-report`: which lessons and exam items cover each competence of each standard, at the level the
standard needs, which cells nothing teaches, and which target groups have no course (docs/learning.md). With
--check it exits with status 1 while anything is uncovered."""

import io

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from kynangso.learning.coverage import Cell, CoverageReport, content_coverage

HEADERS = ["Chuẩn", "Năng lực", "Bậc cần", "Bài học dạy năng lực (ở bậc cần hoặc thấp hơn)", "Câu hỏi sát hạch"]


def _row(cell: Cell) -> list[str]:
    competence = f"{cell.competence_code} {cell.competence_name}".strip()
    lessons = ", ".join(str(lesson) for lesson in cell.lessons) or "CHƯA CÓ"
    return [cell.standard_code, competence, str(cell.level), lessons, str(cell.items)]


def as_text(report: CoverageReport) -> str:
    rows = [_row(cell) for cell in report.cells]
    widths = [max([len(HEADERS[i])] + [len(row[i]) for row in rows]) for i in range(len(HEADERS) - 2)]

    def line(values):
        fixed = [value.ljust(width) for value, width in zip(values[:3], widths, strict=False)]
        return "  ".join(fixed + [values[4].rjust(4), values[3]])

    out = [line(HEADERS[:3] + [HEADERS[3], "Câu"]), line(["-" * w for w in widths] + ["-" * 40, "----"])]
    out += [line(row) for row in rows]
    for title, items in _lists(report):
        out += ["", title, *(f"- {item}" for item in items)]
    return "\n".join(out) + "\n"


def as_markdown(report: CoverageReport) -> str:
    out = ["| " + " | ".join(HEADERS) + " |", "|" + "---|" * len(HEADERS)]
    for cell in report.cells:
        out.append("| " + " | ".join(value.replace("|", "\\|") for value in _row(cell)) + " |")
    for title, items in _lists(report):
        out += ["", title] + (["", *(f"- {item}" for item in items)] if items else [])
    return "\n".join(out) + "\n"


def _lists(report: CoverageReport) -> list[tuple[str, list[str]]]:
    return [
        (
            f"Ô chưa có bài học: {len(report.uncovered)} trên {len(report.cells)}.",
            [
                f"{cell.standard_code}: {cell.competence_code} {cell.competence_name} (bậc {cell.level})"
                for cell in report.uncovered
            ],
        ),
        (
            f"Nhóm đối tượng chưa có khóa học: {len(report.groups_without_course)}.",
            [f"{label} ({code})" for code, label in report.groups_without_course],
        ),
        (f"Bài học chưa có lượt duyệt: {len(report.unreviewed)}.", report.unreviewed),
    ]


class Command(BaseCommand):
    help = (
        "Báo cáo độ phủ nội dung: năng lực × chuẩn × bậc với bài học và câu hỏi sát hạch, ô chưa có bài học và "
        "nhóm đối tượng chưa có khóa học."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["text", "markdown"], default="text")
        parser.add_argument(
            "--check",
            action="store_true",
            help="Trả mã lỗi khác 0 nếu còn ô chưa có bài học hoặc nhóm chưa có khóa học.",
        )
        parser.add_argument(
            "--load",
            action="store_true",
            help="Nạp nội dung (load-content) trước khi báo cáo, ví dụ trên một cơ sở dữ liệu mới.",
        )

    def handle(self, *args, format, check, load, **options):
        if load:
            call_command("load-content", verbosity=0, stdout=io.StringIO())
        report = content_coverage()
        if not report.cells:
            raise CommandError(
                "Chưa có chuẩn kỹ năng số nào trong cơ sở dữ liệu: chạy `kynangso load-content` trước "
                "(hoặc thêm --load)."
            )
        self.stdout.write(as_markdown(report) if format == "markdown" else as_text(report), ending="")
        if check and not report.complete:
            raise CommandError(
                f"Nội dung chưa phủ hết: {len(report.uncovered)} ô chưa có bài học, "
                f"{len(report.groups_without_course)} nhóm chưa có khóa học."
            )
