"""Background jobs: run inline when embedded, on Redis with a real worker otherwise; state, result and errors recorded."""

import os

import pytest
import redis
import rq

from kynangso.jobs import api as jobs
from tests.jobs import jobs_for_tests


@pytest.fixture(autouse=True)
def _reset_runs():
    jobs_for_tests.RUNS.clear()


def test_inline_job_runs_when_the_transaction_commits_and_records_its_result(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.enqueue(jobs_for_tests.count_to, kind="test.count", label="Đếm", up_to=5)
    job.refresh_from_db()
    assert job.status == jobs.JobStatus.SUCCEEDED
    assert job.result == {"counted": 5}
    assert jobs.job_progress(job).percent == 100


def test_job_is_not_started_before_its_transaction_commits(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        job = jobs.enqueue(jobs_for_tests.count_to, kind="test.count", label="Đếm", up_to=1)
    job.refresh_from_db()
    assert job.status == jobs.JobStatus.QUEUED and jobs_for_tests.RUNS == []


def test_a_rule_broken_in_a_job_is_recorded_with_its_vietnamese_message(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.enqueue(jobs_for_tests.refuse, kind="test.refuse", label="Từ chối")
    job.refresh_from_db()
    assert (job.status, job.error) == (jobs.JobStatus.FAILED, "Tệp không có dòng nào để nhập.")


def test_an_unexpected_failure_shows_a_general_message_not_the_internals(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.enqueue(jobs_for_tests.crash, kind="test.crash", label="Hỏng")
    job.refresh_from_db()
    assert job.status == jobs.JobStatus.FAILED
    assert "internal detail" not in job.error and "lỗi hệ thống" in job.error


def test_a_job_delivered_twice_runs_once(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.enqueue(jobs_for_tests.count_to, kind="test.count", label="Đếm", up_to=2)
    jobs.run_job(str(job.pk))
    assert jobs_for_tests.RUNS == [2]


def test_a_job_is_seen_only_by_whoever_started_it(db, django_capture_on_commit_callbacks):
    from tests.factories import make_user

    owner, other = make_user("chu"), make_user("khac")
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.enqueue(jobs_for_tests.count_to, kind="test.count", label="Đếm", created_by=owner, up_to=1)
    assert jobs.job_for_user(job.pk, owner) == job
    assert jobs.job_for_user(job.pk, other) is None


REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_queue(monkeypatch):
    connection = redis.Redis.from_url(REDIS_TEST_URL)
    try:
        connection.ping()
    except redis.ConnectionError:
        pytest.skip(f"Redis is not running at {REDIS_TEST_URL}")
    queue = rq.Queue("kynangso-test", connection=connection)
    queue.empty()
    monkeypatch.setattr("django_rq.get_queue", lambda name="default": queue)
    yield queue
    queue.empty()


class BurstWorker(rq.SimpleWorker):
    """rq's worker listens for commands (stop, kill) on a pub/sub thread that polls once a minute, so its teardown
    waits up to a minute for that thread; a burst run in a test takes no commands."""

    def subscribe(self):
        self.pubsub_thread = None


@pytest.mark.django_db(transaction=True)
def test_on_redis_the_job_waits_in_the_queue_until_a_worker_runs_it(redis_queue):
    job = jobs.enqueue(jobs_for_tests.count_to, kind="test.count", label="Đếm", up_to=3)
    assert redis_queue.count == 1
    job.refresh_from_db()
    assert job.status == jobs.JobStatus.QUEUED

    BurstWorker([redis_queue], connection=redis_queue.connection).work(burst=True)

    job.refresh_from_db()
    assert job.status == jobs.JobStatus.SUCCEEDED and job.result == {"counted": 3}
    assert redis_queue.count == 0


# A worker that died (issue 13, «also seen») --------------------------------------------------------------------------


def _running_job(user=None, *, started_hours_ago: float):
    import datetime

    from django.utils import timezone

    moment = timezone.now() - datetime.timedelta(hours=started_hours_ago)
    job = jobs.Job.objects.create(
        kind="test.count",
        label="Đếm",
        function="tests.jobs.jobs_for_tests.count_to",
        params={"up_to": 1},
        status=jobs.JobStatus.RUNNING,
        started_at=moment,
        created_by=user,
    )
    jobs.Job.objects.filter(pk=job.pk).update(created_at=moment)  # auto_now_add: set after creation
    return job


def test_a_job_whose_worker_died_is_marked_failed_by_the_periodic_command(db, settings):
    import io

    from django.core.management import call_command

    settings.JOB_STALE_AFTER_SECONDS = 2 * 3600
    abandoned, recent = _running_job(started_hours_ago=3), _running_job(started_hours_ago=0.5)
    call_command("fail-stale-jobs", stdout=io.StringIO())
    abandoned.refresh_from_db()
    recent.refresh_from_db()
    assert abandoned.status == jobs.JobStatus.FAILED and "gián đoạn" in abandoned.error and abandoned.finished_at
    assert recent.status == jobs.JobStatus.RUNNING


def test_opening_the_page_of_an_abandoned_job_shows_it_failed(db, settings, provincial_admin):
    settings.JOB_STALE_AFTER_SECONDS = 2 * 3600
    abandoned = _running_job(provincial_admin, started_hours_ago=3)
    assert jobs.job_for_user(abandoned.pk, provincial_admin).status == jobs.JobStatus.FAILED


def test_a_worker_that_picks_up_an_abandoned_job_later_leaves_it_failed(db, settings):
    settings.JOB_STALE_AFTER_SECONDS = 2 * 3600
    job = _running_job(started_hours_ago=3)
    jobs.Job.objects.filter(pk=job.pk).update(status=jobs.JobStatus.QUEUED)
    jobs.fail_stale_jobs()
    jobs.run_job(str(job.pk))
    job.refresh_from_db()
    assert job.status == jobs.JobStatus.FAILED and jobs_for_tests.RUNS == []
