"""`kynangso scheduler`: enqueue the periodic commands of jobs.schedule on their cron times (RQ cron scheduler)."""

import django_rq
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from kynangso.jobs.schedule import PERIODIC_COMMANDS, build_scheduler, missing_commands


class Command(BaseCommand):
    help = (
        "Chạy bộ lập lịch: đưa các việc định kỳ (nộp bài hết giờ, nhắc việc, tính chỉ số…) vào hàng đợi "
        "đúng giờ. Cần Redis (REDIS_URL) và ít nhất một tiến trình `kynangso rqworker default`."
    )

    def add_arguments(self, parser):
        parser.add_argument("--list", action="store_true", help="Chỉ in lịch, không chạy.")

    def handle(self, *args, list=False, **options):
        if missing := missing_commands():
            raise CommandError("Lịch có lệnh không tồn tại: " + ", ".join(missing))
        for periodic in PERIODIC_COMMANDS:
            self.stdout.write(
                f"{periodic.cron:<14} {' '.join((periodic.command, *periodic.arguments)):<24} {periodic.purpose}"
            )
        if list:
            return
        if settings.JOBS_INLINE:
            raise CommandError("Bộ lập lịch cần Redis: hãy đặt biến môi trường REDIS_URL.")
        build_scheduler(django_rq.get_connection("default")).start()
