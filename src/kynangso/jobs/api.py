"""Public interface of the jobs app."""

from kynangso.jobs.models import Job, JobStatus
from kynangso.jobs.services import (
    JobContext,
    Progress,
    enqueue,
    fail_stale_jobs,
    job_progress,
    run_job,
)

__all__ = [
    "Job",
    "JobContext",
    "JobStatus",
    "Progress",
    "enqueue",
    "fail_stale_jobs",
    "job_for_user",
    "job_progress",
    "job_status_counts",
    "run_job",
]


def job_for_user(job_id, user) -> Job | None:
    """A job the user started (superusers see all), or None. A job left unfinished by a dead worker is marked failed
    here, so that its page stops showing «đang chạy»."""
    qs = Job.objects.all() if user.is_superuser else Job.objects.filter(created_by_id=user.pk)
    job = qs.filter(pk=job_id).first()
    if job is not None and not job.is_finished and fail_stale_jobs(job_ids=[job.pk]):
        job.refresh_from_db()
    return job


def job_status_counts() -> dict[str, int]:
    """How many jobs are in each status (every status present, zeros included): the operator's metrics read it."""
    from django.db.models import Count

    counts = dict(Job.objects.values_list("status").annotate(n=Count("id")).order_by())
    return {status: counts.get(status, 0) for status in JobStatus.values}
