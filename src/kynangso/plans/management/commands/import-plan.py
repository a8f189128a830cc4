"""`kynangso import-plan FILE.yaml [--dry-run]`: import or update a plan from its YAML file, all or nothing."""

from django.core.management.base import BaseCommand, CommandError

from kynangso.plans.importers import import_plan


class Command(BaseCommand):
    help = "Nhập (hoặc cập nhật) một kế hoạch từ tệp YAML theo định dạng tại docs/plans.md."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Tệp .yaml mô tả kế hoạch")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra và báo cáo, không lưu gì.")

    def handle(self, *args, file, dry_run, **options):
        try:
            report = import_plan(file, dry_run=dry_run)
        except FileNotFoundError as exc:
            raise CommandError(f"Không mở được tệp: {file}") from exc
        if report.problems:
            for problem in report.problems:
                self.stderr.write(problem)
            raise CommandError(f"Có {len(report.problems)} lỗi; kế hoạch không được nhập.")
        for label in sorted(set(report.unresolved_labels)):
            self.stdout.write(f"Chưa xác định được đơn vị, giữ nguyên văn bản: {label}")
        action = "tạo mới" if report.created else "cập nhật"
        prefix = "Kiểm tra xong (không lưu): sẽ " if dry_run else "Đã "
        self.stdout.write(
            self.style.SUCCESS(
                f"{prefix}{action} kế hoạch {report.plan.number_symbol or report.plan.key}: "
                f"{report.tasks} nhiệm vụ, {report.occurrences} kỳ thực hiện."
            )
        )
