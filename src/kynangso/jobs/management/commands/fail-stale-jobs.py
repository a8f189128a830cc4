"""`kynangso fail-stale-jobs`: mark failed the jobs whose worker died (still waiting or running after
`KYNANGSO_JOB_STALE_AFTER_SECONDS`), so that nobody waits for them."""

from django.core.management.base import BaseCommand

from kynangso.jobs import api as jobs


class Command(BaseCommand):
    help = "Đánh dấu thất bại các tác vụ nền bị gián đoạn (tiến trình xử lý đã dừng)."

    def handle(self, *args, **options):
        marked = jobs.fail_stale_jobs()
        self.stdout.write(f"Đã đánh dấu thất bại {marked} tác vụ bị gián đoạn.")
