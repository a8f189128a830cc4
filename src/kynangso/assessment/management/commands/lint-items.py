"""`kynangso lint-items`: the machine-checked rules of docs/item-writing.md over the item files and the standards
that draw from them (run in CI). Prints every finding and exits with status 1 when there is one."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from kynangso.assessment import lint


class Command(BaseCommand):
    help = "Kiểm tra ngân hàng câu hỏi theo quy tắc viết câu hỏi (docs/item-writing.md)."

    def add_arguments(self, parser):
        parser.add_argument("--items", default=str(settings.CONTENT_DIR / "items"), help="Thư mục tệp câu hỏi")
        parser.add_argument(
            "--standards",
            default=str(settings.CONTENT_DIR / "standards" / "defaults.yaml"),
            help="Tệp chuẩn kỹ năng số (ma trận đề); «-» để bỏ qua các quy tắc theo chuẩn",
        )

    def handle(self, *args, items, standards, **options):
        folder = Path(items)
        if not folder.is_dir():
            raise CommandError(f"Không có thư mục câu hỏi: {items}")
        standards_path = None if standards == "-" else Path(standards)
        if standards_path is not None and not standards_path.is_file():
            raise CommandError(f"Không có tệp chuẩn: {standards}")
        findings = lint.lint(folder, standards_path)
        for finding in findings:
            self.stdout.write(str(finding))
        if findings:
            summary = ", ".join(f"{rule}: {count}" for rule, count in lint.group_counts(findings).items())
            raise CommandError(f"Ngân hàng câu hỏi chưa đạt: {len(findings)} lỗi ({summary}).")
        self.stdout.write(self.style.SUCCESS("Ngân hàng câu hỏi đạt mọi quy tắc kiểm tra."))
