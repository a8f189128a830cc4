"""Starting jobs and running them: the runner records state, progress (in the cache, visible while the job's
own transaction is still open) and the result or the Vietnamese error."""

import datetime
import importlib
import logging
from dataclasses import dataclass

import django_rq
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _

from kynangso.errors import DomainError
from kynangso.jobs.models import Job, JobStatus

logger = logging.getLogger(__name__)
_PROGRESS_KEY = "job-progress:{}"


@dataclass
class Progress:
    done: int
    total: int
    message: str = ""

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0


class JobContext:
    """Handed to a job function so it can report progress."""

    def __init__(self, job: Job):
        self.job = job
        self.params = job.params

    def progress(self, done: int, total: int, message: str = "") -> None:
        cache.set(_PROGRESS_KEY.format(self.job.pk), {"done": done, "total": total, "message": message}, 24 * 3600)


def enqueue(function, *, kind: str, label: str, created_by=None, **params) -> Job:
    """Record a job and start it: on the Redis queue in production, inline (before returning) when embedded.

    `function(context, **params)` must be a module-level function returning JSON-serialisable data; `params` too.
    """
    path = f"{function.__module__}.{function.__qualname__}"
    job = Job.objects.create(kind=kind, label=label, function=path, params=params, created_by=created_by)
    # Enqueued when the surrounding transaction commits (RQ COMMIT_MODE), so a worker always finds the Job row;
    # an inline queue (embedded default) runs the job at that moment.
    django_rq.get_queue("default").enqueue(
        run_job, str(job.pk), job_timeout=settings.RQ_QUEUES["default"]["DEFAULT_TIMEOUT"]
    )
    job.refresh_from_db()
    return job


def run_job(job_id: str) -> None:
    """Entry point the worker calls. Never lets an exception escape: the job records it."""
    # Claim the job in one conditional UPDATE: a retried or duplicated delivery finds it taken and does nothing.
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return
    job = Job.objects.get(pk=job_id)
    module_name, _dot, name = job.function.rpartition(".")
    context = JobContext(job)
    try:
        function = getattr(importlib.import_module(module_name), name)
        job.result = function(context, **job.params)
        job.status = JobStatus.SUCCEEDED
    except DomainError as exc:
        job.status, job.error = JobStatus.FAILED, exc.message
    except Exception:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        job.status, job.error = (
            JobStatus.FAILED,
            _("Đã xảy ra lỗi hệ thống khi chạy tác vụ; quản trị viên đã được ghi nhận lỗi."),
        )
    progress = job_progress(job)
    job.progress_done, job.progress_total = progress.done, progress.total
    job.finished_at = timezone.now()
    job.save()
    cache.delete(_PROGRESS_KEY.format(job.pk))


def stale_job_message() -> str:
    return _("Tác vụ bị gián đoạn: tiến trình xử lý đã dừng trước khi xong. Hãy chạy lại.")


def fail_stale_jobs(*, now=None, job_ids=None) -> int:
    """Mark failed every job still waiting or running ``JOB_STALE_AFTER_SECONDS`` after it was created (its worker
    died, or the queue lost it), so that it does not show «đang chạy» forever; the number marked. A worker that
    picks such a job up later finds it no longer queued and leaves it alone. `job_ids` limits it to those jobs."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(seconds=settings.JOB_STALE_AFTER_SECONDS)
    stale = Job.objects.filter(status__in=[JobStatus.QUEUED, JobStatus.RUNNING], created_at__lt=cutoff)
    if job_ids is not None:
        stale = stale.filter(pk__in=job_ids)
    stale_ids = list(stale.values_list("pk", flat=True))
    marked = Job.objects.filter(pk__in=stale_ids, status__in=[JobStatus.QUEUED, JobStatus.RUNNING]).update(
        status=JobStatus.FAILED, error=stale_job_message(), finished_at=now
    )
    for job_id in stale_ids:
        cache.delete(_PROGRESS_KEY.format(job_id))
    return marked


def job_progress(job: Job) -> Progress:
    """How far the job is: live figures while it runs, the final ones after."""
    live = cache.get(_PROGRESS_KEY.format(job.pk))
    if live:
        return Progress(**live)
    if job.is_finished:
        total = job.progress_total or 1
        return Progress(done=job.progress_done if job.progress_total else total, total=total)
    return Progress(done=0, total=0)
