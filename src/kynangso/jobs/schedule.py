"""The periodic work of the platform: which management command runs when, and the job that runs one.

Times are cron expressions in UTC (RQ's cron scheduler counts in UTC); Vietnam is UTC+7 all year, so
«0 0 * * *» is 07:00 giờ Việt Nam. Every command listed here is idempotent: running it twice, or late, is harmless."""

from dataclasses import dataclass

from django.core.management import call_command, get_commands
from django.utils.translation import gettext_lazy as _
from rq.cron import CronScheduler


@dataclass(frozen=True)
class PeriodicCommand:
    command: str
    cron: str
    purpose: str
    arguments: tuple[str, ...] = ()
    name: str = ""  # the scheduler's name of the entry; the command's own name unless one command runs twice

    @property
    def key(self) -> str:
        return self.name or self.command


PERIODIC_COMMANDS = (
    PeriodicCommand(
        "close-expired-attempts", "*/5 * * * *", _("Nộp tự động các bài sát hạch đã hết giờ mà người thi chưa nộp.")
    ),
    PeriodicCommand(
        "issue-credentials",
        "20 * * * *",
        _("Cấp chứng nhận còn thiếu cho người đã đạt chuẩn (phòng khi một tác vụ cấp bị lỗi)."),
    ),
    PeriodicCommand(
        "send-plan-reminders", "0 0 * * *", _("Nhắc các đơn vị về nhiệm vụ sắp đến hạn và quá hạn (7 giờ sáng).")
    ),
    PeriodicCommand(
        "send-report-reminders", "30 0 * * *", _("Nhắc các đơn vị chưa gửi báo cáo năm (hạn 15/12), lúc 7 giờ 30 sáng.")
    ),
    PeriodicCommand(
        "rollup",
        "0 19 * * *",
        _("Tính lại toàn bộ các chỉ số từ xã đến tỉnh (2 giờ sáng)."),
        arguments=("--full",),
        name="rollup-full",
    ),
    PeriodicCommand(
        "rollup",
        "*/15 * * * *",
        _("Tính lại phần chỉ số có kết quả mới (bài thi, lớp học, chứng nhận) mỗi 15 phút."),
        name="rollup-incremental",
    ),
    PeriodicCommand(
        "clean-uploads",
        "10 * * * *",
        _("Xóa các tệp danh sách đã tải lên và tệp đánh dấu lỗi quá thời hạn lưu giữ (mặc định 24 giờ)."),
    ),
    PeriodicCommand(
        "fail-stale-jobs",
        "*/10 * * * *",
        _("Đánh dấu thất bại các tác vụ nền bị gián đoạn, để chúng không «đang chạy» mãi."),
    ),
)


def missing_commands() -> list[str]:
    """Scheduled commands that this installation does not have (a configuration error)."""
    available = get_commands()
    return [periodic.command for periodic in PERIODIC_COMMANDS if periodic.command not in available]


def run_periodic_command(key: str) -> None:
    """What the scheduler enqueues: one scheduled management command (by its entry's key), run by an RQ worker."""
    periodic = next((p for p in PERIODIC_COMMANDS if p.key == key), None)
    if periodic is None:
        raise ValueError(f"not a scheduled command: {key}")
    call_command(periodic.command, *periodic.arguments)


def build_scheduler(connection) -> CronScheduler:
    """An RQ cron scheduler with every periodic command registered on the default queue."""
    scheduler = CronScheduler(connection=connection, name="kynangso")
    for periodic in PERIODIC_COMMANDS:
        scheduler.register(
            run_periodic_command, queue_name="default", args=(periodic.key,), cron=periodic.cron, name=periodic.key
        )
    return scheduler
