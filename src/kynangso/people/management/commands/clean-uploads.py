"""`kynangso clean-uploads`: delete uploaded rosters and their error reports older than
`KYNANGSO_UPLOAD_RETENTION_HOURS` (they hold personal data; the database is the record)."""

from django.core.management.base import BaseCommand

from kynangso.people import api as people


class Command(BaseCommand):
    help = "Xóa các tệp danh sách đã tải lên và tệp đánh dấu lỗi quá thời hạn lưu giữ."

    def handle(self, *args, **options):
        deleted = people.delete_old_uploads()
        self.stdout.write(f"Đã xóa {deleted} tệp tải lên quá hạn.")
