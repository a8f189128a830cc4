"""`kynangso merge-units`: record that units were merged into a successor on a date (history is kept)."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from kynangso.errors import DomainError
from kynangso.orgs import api as orgs


class Command(BaseCommand):
    help = "Sáp nhập các đơn vị vào một đơn vị kế thừa từ một ngày (ví dụ 01/07/2025)."

    def add_arguments(self, parser):
        parser.add_argument("sources", nargs="+", help="Mã các đơn vị bị sáp nhập")
        parser.add_argument("--into", required=True, help="Mã đơn vị kế thừa")
        parser.add_argument("--date", required=True, help="Ngày sáp nhập có hiệu lực, dd/mm/yyyy")
        parser.add_argument("--basis", default="", help="Căn cứ, ví dụ số nghị quyết")

    def handle(self, *args, sources, into, date, basis, **options):
        try:
            effective = datetime.datetime.strptime(date, "%d/%m/%Y").date()
        except ValueError:
            raise CommandError(f"Ngày «{date}» không đúng dạng dd/mm/yyyy.") from None
        units = orgs.units_by_code(sources + [into])
        missing = [code for code in sources + [into] if code not in units]
        if missing:
            raise CommandError("Không có đơn vị mã: " + ", ".join(missing))
        try:
            orgs.merge_units(
                sources=[units[c] for c in sources], into=units[into], effective_date=effective, legal_basis=basis
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã sáp nhập {len(sources)} đơn vị vào «{units[into].name}» từ ngày {effective:%d/%m/%Y}."
            )
        )
