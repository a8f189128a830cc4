"""`kynangso issue-credentials`: issue every certificate still owed (idempotent, run hourly by the scheduler)."""

from django.core.management.base import BaseCommand

from kynangso.credentials import issuing


class Command(BaseCommand):
    help = (
        "Cấp chứng nhận còn thiếu cho người đã đạt chuẩn hoặc hoàn thành khóa học có chứng nhận. Chạy lại bao "
        "nhiêu lần cũng không cấp trùng."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=1000, help="số chứng nhận ký trong một giao dịch")

    def handle(self, *args, batch_size, **options):
        issued = issuing.issue_missing(batch_size=batch_size)
        self.stdout.write(f"Đã cấp {issued} chứng nhận.")
