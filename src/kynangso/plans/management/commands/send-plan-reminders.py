"""`kynangso send-plan-reminders [--date YYYY-MM-DD]`: send today's plan reminders (before and after due dates, the
annual report); safe to run any number of times a day, each reminder goes out once."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from kynangso.plans.reminders import send_due_reminders


class Command(BaseCommand):
    help = (
        "Gửi nhắc việc của các kế hoạch (sắp đến hạn, quá hạn, báo cáo năm) trong ứng dụng và qua thư điện tử. "
        "Chạy nhiều lần trong ngày vẫn an toàn: mỗi nhắc việc chỉ gửi một lần."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Ngày tính nhắc việc, dạng NNNN-TT-NN (mặc định: hôm nay, giờ Việt Nam).")

    def handle(self, *args, date=None, **options):
        try:
            today = datetime.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError as exc:
            raise CommandError(f"Ngày không hợp lệ: {date} (dạng NNNN-TT-NN).") from exc
        reminded = send_due_reminders(today=today)
        self.stdout.write(f"Ngày {today:%d/%m/%Y}: đã gửi nhắc việc cho {reminded} lượt người nhận.")
