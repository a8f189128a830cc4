"""`kynangso rollup`: compute every indicator for every unit and period (nightly full run, or incremental after new
results; idempotent, safe to run at any time)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from kynangso.monitoring import api as monitoring
from kynangso.numbers import vietnamese_number


class Command(BaseCommand):
    help = "Tổng hợp chỉ số từ xã lên tỉnh (mặc định: chỉ tính lại phần có dữ liệu mới; --full: tính lại toàn bộ)."

    def add_arguments(self, parser):
        parser.add_argument("--full", action="store_true", help="Tính lại toàn bộ thay vì chỉ phần thay đổi.")
        parser.add_argument(
            "--year",
            type=int,
            action="append",
            dest="years",
            help="Năm cần tính (lặp lại được; mặc định: năm nay, năm trước và các năm có chỉ tiêu).",
        )
        parser.add_argument(
            "--granularity",
            choices=["month", "year"],
            default="month",
            help="Kỳ tính: cuối mỗi tháng (mặc định) hoặc chỉ cuối năm.",
        )

    def handle(self, *args, full=False, years=None, granularity="month", **options):
        if full or years:
            result = monitoring.run_full_rollup(years=years, granularity=granularity)
        else:
            result = monitoring.run_incremental_rollup()
        kind = "toàn bộ" if result.kind == "full" else "phần thay đổi"
        self.stdout.write(
            f"Đã tổng hợp ({kind}): {vietnamese_number(result.indicators)} chỉ số, {vietnamese_number(result.periods)} "
            f"kỳ, {vietnamese_number(result.affected_people)} người có kết quả mới, "
            f"{vietnamese_number(result.dirty_units)} đơn vị tính lại, {vietnamese_number(result.values)} giá trị, "
            f"trong {vietnamese_number(result.seconds, 2)} giây; số liệu tính đến "
            f"{timezone.localtime(result.computed_at):%H:%M %d/%m/%Y}."
        )
