"""`kynangso load-indicators`: load the default indicator catalogue and the seed plans' targets (idempotent)."""

from django.core.management.base import BaseCommand, CommandError

from kynangso.errors import DomainError
from kynangso.monitoring import targets


class Command(BaseCommand):
    help = (
        "Nạp danh mục chỉ số mặc định và chỉ tiêu của các kế hoạch mẫu (chỉ với kế hoạch và đơn vị đã có; "
        "--unit MÃ để gán chỉ tiêu cho đơn vị khác, ví dụ tỉnh mô phỏng)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--unit", help="Mã đơn vị nhận chỉ tiêu thay cho đơn vị ghi trong tệp.")
        parser.add_argument("--plan", help="Chỉ nạp chỉ tiêu của kế hoạch có mã tệp (key) này.")

    def handle(self, *args, unit=None, plan=None, **options):
        try:
            count = targets.load_indicator_catalogue()
            self.stdout.write(f"Danh mục: {count} chỉ số.")
            for report in targets.load_seed_targets(unit_code=unit, plan_key=plan):
                self.stdout.write(report)
        except DomainError as error:
            raise CommandError(error.message) from error
