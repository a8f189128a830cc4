"""`kynangso send-report-reminders [--date YYYY-MM-DD]`: remind units that have not sent their annual report."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from kynangso.reports import api as reports


class Command(BaseCommand):
    help = (
        "Nhắc các đơn vị chưa gửi báo cáo năm (trước và sau hạn 15/12); chạy nhiều lần trong ngày cũng chỉ "
        "nhắc mỗi loại một lần cho mỗi đơn vị và mỗi người."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Ngày coi là hôm nay (YYYY-MM-DD); mặc định là hôm nay theo giờ Việt Nam.")

    def handle(self, *args, date=None, **options):
        try:
            today = datetime.date.fromisoformat(date) if date else None
        except ValueError as exc:
            raise CommandError("Ngày không hợp lệ; dùng dạng YYYY-MM-DD.") from exc
        sent = reports.send_report_reminders(today=today)
        self.stdout.write(self.style.SUCCESS(f"Đã gửi {sent} lời nhắc."))
