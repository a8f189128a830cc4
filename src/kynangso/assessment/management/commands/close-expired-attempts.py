"""`kynangso close-expired-attempts`: submit every open attempt past its deadline (run every minute by cron or a
scheduler; reading an expired attempt also submits it, so this only closes the ones nobody comes back to)."""

from django.core.management.base import BaseCommand

from kynangso.assessment import api as assessment


class Command(BaseCommand):
    help = "Nộp tự động các bài thi đã hết giờ mà chưa nộp."

    def handle(self, *args, **options):
        closed = assessment.close_expired_attempts()
        self.stdout.write(f"Đã nộp tự động {closed} bài thi hết giờ.")
