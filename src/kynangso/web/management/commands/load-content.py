"""`kynangso load-content`: load the frameworks, default standards and item bank shipped in the content folder."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from kynangso.accounts import api as accounts
from kynangso.assessment import api as assessment
from kynangso.errors import DomainError
from kynangso.frameworks import api as frameworks
from kynangso.learning import api as learning


class Command(BaseCommand):
    help = (
        "Nạp khung năng lực số, chuẩn mặc định và ngân hàng câu hỏi từ thư mục nội dung (content/). "
        "Chạy lại nhiều lần không tạo bản trùng; câu hỏi đổi nội dung thành phiên bản mới."
    )

    def add_arguments(self, parser):
        parser.add_argument("--content-dir", default=str(settings.CONTENT_DIR), help="Thư mục nội dung")
        parser.add_argument(
            "--update-standards",
            action="store_true",
            help="Ghi đè các chuẩn tỉnh đã sửa bằng giá trị mặc định trong tệp",
        )

    def handle(self, *args, content_dir, update_standards, **options):
        folder = Path(content_dir)
        if not (folder / "frameworks").is_dir():
            raise CommandError(f"Không thấy thư mục nội dung: {folder}")
        try:  # reviewed content shipped with the project: loaded on the system's own authority (ADR 0022)
            for path in sorted((folder / "frameworks").glob("*.yaml")):
                framework = frameworks.load_framework_file(path)
                self.stdout.write(f"Khung năng lực: {framework.code} ({framework.competences.count()} năng lực)")
            counts = assessment.load_item_files(sorted((folder / "items").glob("*.yaml")), actor=accounts.SYSTEM)
            self.stdout.write(
                f"Ngân hàng câu hỏi: {counts['created']} câu mới, {counts['changed']} câu có phiên bản "
                f"mới, {counts['unchanged']} câu không đổi"
            )
            for path in sorted((folder / "standards").glob("*.yaml")):
                for standard in assessment.load_standard_file(path, actor=accounts.SYSTEM, replace=update_standards):
                    shortages = assessment.blueprint_shortages(standard)
                    note = f" — thiếu câu: {'; '.join(shortages)}" if shortages else ""
                    self.stdout.write(f"Chuẩn: {standard.code}{note}")
            if (folder / "courses").is_dir():
                for course, published in learning.load_courses(folder / "courses", actor=accounts.SYSTEM):
                    state = "xuất bản phiên bản mới" if published else "không đổi"
                    self.stdout.write(f"Khóa học: {course.code} ({state})")
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(self.style.SUCCESS("Đã nạp nội dung."))
