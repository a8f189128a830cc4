"""The periodic schedule: every command exists, cron times are valid, and the RQ cron scheduler takes them all."""

import datetime
import os

import pytest
from redis import Redis
from rq import Queue

from kynangso.jobs import schedule


def test_every_scheduled_command_exists():
    assert schedule.missing_commands() == []


def test_every_cron_expression_gives_a_next_run_within_a_year():
    from croniter import croniter

    start = datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC)
    for periodic in schedule.PERIODIC_COMMANDS:
        assert croniter.is_valid(periodic.cron), periodic.command
        assert croniter(periodic.cron, start).get_next(datetime.datetime) - start <= datetime.timedelta(days=366)


def test_plan_reminders_run_at_seven_in_the_morning_vietnam_time():
    from croniter import croniter

    periodic = next(p for p in schedule.PERIODIC_COMMANDS if p.command == "send-plan-reminders")
    run = croniter(periodic.cron, datetime.datetime(2026, 12, 1, 12, tzinfo=datetime.UTC)).get_next(datetime.datetime)
    assert run.astimezone(datetime.timezone(datetime.timedelta(hours=7))).hour == 7


def test_only_scheduled_commands_can_be_run_by_the_periodic_job():
    with pytest.raises(ValueError):
        schedule.run_periodic_command("flush")


@pytest.mark.django_db
def test_the_periodic_job_runs_its_command():
    schedule.run_periodic_command("close-expired-attempts")  # nothing open: it runs and changes nothing


def test_scheduler_registers_every_command_and_enqueues_due_ones_on_redis():
    connection = Redis.from_url(os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15"))
    connection.flushdb()
    try:
        scheduler = schedule.build_scheduler(connection)
        names = [job.name for job in scheduler.get_jobs()]
        assert names == [periodic.key for periodic in schedule.PERIODIC_COMMANDS]
        for job in scheduler.get_jobs():
            job.next_enqueue_time = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)  # make every job due now
        scheduler.enqueue_jobs()
        queued = Queue("default", connection=connection).jobs
        assert sorted(job.args[0] for job in queued) == sorted(p.key for p in schedule.PERIODIC_COMMANDS)
        assert all(job.func_name == "kynangso.jobs.schedule.run_periodic_command" for job in queued)
    finally:
        connection.flushdb()


def test_every_entry_of_the_schedule_has_its_own_key():
    keys = [periodic.key for periodic in schedule.PERIODIC_COMMANDS]
    assert len(keys) == len(set(keys))


def test_the_roll_up_runs_in_full_at_night_and_incrementally_during_the_day():
    rollups = {p.key: p for p in schedule.PERIODIC_COMMANDS if p.command == "rollup"}
    assert rollups["rollup-full"].arguments == ("--full",)
    assert rollups["rollup-incremental"].arguments == ()


@pytest.mark.django_db
def test_the_periodic_job_passes_the_entry_arguments_to_its_command(capsys):
    schedule.run_periodic_command("rollup-full")
    assert "Đã tổng hợp (toàn bộ)" in capsys.readouterr().out
    schedule.run_periodic_command("rollup-incremental")
    assert "Đã tổng hợp" in capsys.readouterr().out  # an incremental run with nothing computed yet runs in full


def test_uploads_are_cleaned_and_abandoned_jobs_closed_periodically():
    """Issue 13: uploads with personal data leave the disk after their retention; dead jobs stop «đang chạy»."""
    scheduled = {periodic.command for periodic in schedule.PERIODIC_COMMANDS}
    assert {"clean-uploads", "fail-stale-jobs"} <= scheduled
