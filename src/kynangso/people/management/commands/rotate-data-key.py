"""`kynangso rotate-data-key [--dry-run]`: re-encrypt every national ID with the current data key and recompute
its lookup digest, after the operator moved the old key to KYNANGSO_DATA_KEYS_OLD (docs/deployment.md)."""

from django.core.management.base import BaseCommand, CommandError

from kynangso.errors import DomainError
from kynangso.people import api as people


class Command(BaseCommand):
    help = "Đổi khóa dữ liệu: mã hóa lại mọi số định danh bằng khóa hiện tại (KYNANGSO_DATA_KEY)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Kiểm tra mọi dòng rồi hoàn tác, không lưu gì")

    def handle(self, *args, dry_run, **options):
        try:
            report = people.rotate_data_key(dry_run=dry_run)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        verb = "Sẽ mã hóa lại" if dry_run else "Đã mã hóa lại"
        self.stdout.write(
            f"{verb} {report.rotated} số định danh; {report.already_current} số đã dùng khóa hiện "
            f"tại; tổng {report.people} người."
        )
        if not dry_run:
            self.stdout.write("Kiểm tra trang web và tra cứu, rồi bỏ KYNANGSO_DATA_KEYS_OLD khỏi cấu hình.")
