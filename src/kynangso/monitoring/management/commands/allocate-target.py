"""`kynangso allocate-target`: share a plan's count target out among the units below, by their recorded figures."""

from django.core.management.base import BaseCommand, CommandError

from kynangso.errors import DomainError
from kynangso.monitoring import targets
from kynangso.monitoring.models import Target
from kynangso.numbers import vietnamese_number


class Command(BaseCommand):
    help = (
        "Phân bổ chỉ tiêu số lượng của một đơn vị cho các đơn vị trực thuộc theo tỷ lệ số liệu mẫu số của năm "
        "(ví dụ: số người trong độ tuổi lao động); chỉ tiêu nhập riêng của đơn vị trực thuộc được giữ nguyên."
    )

    def add_arguments(self, parser):
        parser.add_argument("--plan", required=True, help="Mã tệp (key) của kế hoạch.")
        parser.add_argument("--indicator", required=True, help="Mã chỉ số (số lượng).")
        parser.add_argument("--unit", required=True, help="Mã đơn vị có chỉ tiêu cần phân bổ.")
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument(
            "--by", default="working_age_residents", help="Loại mẫu số làm căn cứ (mặc định working_age_residents)."
        )

    def handle(self, *args, plan, indicator, unit, year, by, **options):
        target = (
            Target.objects.select_related("unit", "indicator", "plan")
            .filter(plan__key=plan, indicator__code=indicator, unit__code=unit, year=year)
            .first()
        )
        if target is None:
            raise CommandError("Không tìm thấy chỉ tiêu của kế hoạch, chỉ số, đơn vị và năm đã cho.")
        try:
            shares = targets.allocate_target(target=target, basis=by)
        except DomainError as error:
            raise CommandError(error.message) from error
        for share in shares:
            self.stdout.write(f"{share.unit.name}: {vietnamese_number(float(share.value))}")
        self.stdout.write(f"Đã phân bổ {vietnamese_number(float(target.value))} cho {len(shares)} đơn vị.")
