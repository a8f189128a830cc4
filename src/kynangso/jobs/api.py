"""Public interface of the jobs app."""
from kynangso.jobs.models import Job, JobStatus
from kynangso.jobs.services import JobContext, Progress, enqueue, job_progress, run_job

__all__ = ["Job", "JobContext", "JobStatus", "Progress", "enqueue", "job_for_user", "job_progress", "run_job"]


def job_for_user(job_id, user) -> Job | None:
    """A job the user started (superusers see all), or None."""
    qs = Job.objects.all() if user.is_superuser else Job.objects.filter(created_by_id=user.pk)
    return qs.filter(pk=job_id).first()
